import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseManifest } from "@/lib/emulator/manifest";
import type { MachineConfig, SnapshotInfo } from "@/lib/emulator/manifest";
import { checkSnapshotCompat } from "@/lib/emulator/snapshot-compat";
import { AGENT_MAX_LINE, AgentResponseParser } from "@/lib/guest-agent/protocol";
import { scancodesFor } from "@/components/vm/scancodes";
import { BOOT_MEDIA, validateVmConfig, vmConfigInput } from "@/lib/emulator/vm-config";
import type { VmConfigField, VmConfigInput } from "@/lib/emulator/vm-config";
import { VmHost } from "@/lib/emulator/vm-host";
import {
  deeplyNested,
  hostileJson,
  hostileNumber,
  hostileString,
  hostileValue,
  oneFieldReplaced,
  protoKey,
  RUNS,
} from "./hostile";

const FIELDS: readonly VmConfigField[] = [
  "name",
  "memoryMb",
  "boot",
  "disk",
  "diskSizeMb",
  "network",
];

/** What a form could hold: plausible values mixed with anything at all. */
const formText = (plausible: fc.Arbitrary<string>) =>
  fc.oneof(plausible, hostileString, hostileNumber.map(String));

const formInput: fc.Arbitrary<VmConfigInput> = fc.record({
  name: formText(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,30}$/)),
  memoryMb: formText(fc.integer({ min: -10, max: 2000 }).map(String)),
  boot: formText(fc.constantFrom(...BOOT_MEDIA)),
  disk: formText(fc.constantFrom("none", "blank")),
  diskSizeMb: formText(fc.integer({ min: -10, max: 1000 }).map(String)),
  network: formText(fc.constantFrom("none", "switch")),
});

describe("validateVmConfig, against anything a form can hold", () => {
  it("never throws; refusals name only real fields, each with a sentence", () => {
    fc.assert(
      fc.property(formInput, fc.array(hostileString, { maxLength: 4 }), (input, existing) => {
        const result = validateVmConfig(input, existing);
        if (result.ok) return;
        const fields = Object.keys(result.errors);
        expect(fields.length).toBeGreaterThan(0);
        for (const field of fields) {
          expect(FIELDS).toContain(field);
          expect(result.errors[field as VmConfigField]).toMatch(/^[A-Z].+\.$/s);
        }
      }),
      RUNS,
    );
  });

  it("accepts a config only with a sane name and numbers, and accepts it again as written", () => {
    fc.assert(
      fc.property(formInput, (input) => {
        const result = validateVmConfig(input, []);
        if (!result.ok) return;
        const { config } = result;
        expect(config.name).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,23}$/);
        expect(Number.isSafeInteger(config.memoryMb) && config.memoryMb > 0).toBe(true);
        if (config.disk.kind === "blank")
          expect(Number.isSafeInteger(config.disk.sizeMb)).toBe(true);
        const again = validateVmConfig(vmConfigInput(config), []);
        expect(again).toEqual(result);
        // The same name, in any case, is then taken.
        const clash = validateVmConfig({ ...input, name: config.name.toUpperCase() }, [
          config.name.toLowerCase(),
        ]);
        expect(clash.ok).toBe(false);
        if (!clash.ok) expect(clash.errors.name).toContain("already exists");
      }),
      RUNS,
    );
  });

  it("says what is wrong, rather than throwing, when a field is not text at all", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FIELDS),
        fc.oneof(hostileValue, fc.constant(undefined), fc.constant(null)),
        (field, value) => {
          const input: Record<string, unknown> = {
            name: "ok",
            memoryMb: "128",
            boot: "live",
            disk: "none",
            diskSizeMb: "",
            network: "none",
          };
          input[field] = value;
          const result = validateVmConfig(input as unknown as VmConfigInput, []);
          if (!result.ok) expect(Object.keys(result.errors).length).toBeGreaterThan(0);
        },
      ),
      RUNS,
    );
  });

  it("a refused create makes no VM, announces nothing and downloads nothing", async () => {
    await fc.assert(
      fc.asyncProperty(formInput, async (input) => {
        if (validateVmConfig(input, []).ok) return;
        let workers = 0;
        let fetched = 0;
        const host = new VmHost({
          site: {
            url: (path) => {
              fetched += 1;
              return `http://127.0.0.1:9/${path}`;
            },
          },
          budgetMb: 1024,
          createWorker: () => {
            workers += 1;
            throw new Error("no worker in this test");
          },
        });
        const announced: unknown[] = [];
        host.events.on("machines", (list) => announced.push(list));
        const result = await host.create(input);
        expect(result.ok).toBe(false);
        expect(host.machines).toHaveLength(0);
        expect(host.usedMb).toBe(0);
        expect(announced).toEqual([]);
        expect(workers + fetched).toBe(0);
        await host.destroy();
      }),
      { numRuns: 100 },
    );
  });
});

const manifestText = readFileSync(
  new URL("../../public/images/manifest.json", import.meta.url),
  "utf8",
);
const realManifest = JSON.parse(manifestText) as Record<string, unknown>;

describe("parseManifest, against damaged guest image lists", () => {
  const damaged = fc.oneof(
    oneFieldReplaced(fc.constant(realManifest), fc.oneof(hostileJson, hostileValue)),
    fc
      .tuple(fc.constantFrom("profiles", "files", "packages"), protoKey)
      .map(([where, key]) =>
        JSON.parse(manifestText.replace(`"${where}": {`, () => `"${where}": {"${key}": {"x": 1},`)),
      ),
    hostileValue,
    fc.constant(deeplyNested(2_000)),
  );

  it("never throws; a refusal names where the list is wrong", () => {
    fc.assert(
      fc.property(damaged, (data) => {
        const result = parseManifest(data);
        if (!result.ok) expect(result.error).toMatch(/^invalid guest manifest at .+: .+/s);
      }),
      RUNS,
    );
  });

  it("accepts the list the image build writes, unchanged", () => {
    const result = parseManifest(JSON.parse(manifestText));
    expect(result.ok && JSON.parse(JSON.stringify(result.manifest))).toEqual(realManifest);
  });

  it("refuses a profile file that is not listed, prototype names included", () => {
    fc.assert(
      fc.property(protoKey, (file) => {
        const copy = JSON.parse(manifestText) as { profiles: Record<string, { bios: string }> };
        const first = Object.keys(copy.profiles)[0]!;
        copy.profiles[first]!.bios = file;
        const result = parseManifest(copy);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error).toContain(`file ${file} is not listed in files`);
      }),
    );
  });

  it("refuses file names that leave public/images/", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("/etc/passwd", "../secret", "a/../../b", "live/../../x"),
        (file) => {
          const copy = JSON.parse(manifestText) as {
            profiles: Record<string, { bios: string }>;
            files: Record<string, unknown>;
          };
          const first = Object.keys(copy.profiles)[0]!;
          copy.files[file] = copy.files[copy.profiles[first]!.bios];
          copy.profiles[first]!.bios = file;
          const result = parseManifest(copy);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.error).toContain(`profiles.${first}.bios`);
        },
      ),
    );
  });
});

describe("checkSnapshotCompat", () => {
  const machine: fc.Arbitrary<MachineConfig> = fc.record({
    memory_mb: fc.integer({ min: 1, max: 4096 }),
    vga_memory_kb: fc.integer({ min: 1, max: 65536 }),
    uart1: fc.boolean(),
    net_device: fc.constantFrom("ne2k", "virtio", "none"),
    acpi: fc.boolean(),
  });
  const version = fc.oneof(fc.constantFrom("0.5.462", "0.5.463"), hostileString);

  it("fits exactly when version and machine are the same, and otherwise says to cold boot", () => {
    fc.assert(
      fc.property(machine, machine, version, version, (have, want, v1, v2) => {
        const snapshot: SnapshotInfo = {
          file: "s",
          raw_bytes: 1,
          v86_version: v1,
          machine: have,
          prompt: "$ ",
        };
        const result = checkSnapshotCompat(snapshot, { v86Version: v2, machine: want });
        const same = v1 === v2 && JSON.stringify(have) === JSON.stringify(want);
        expect(result.ok).toBe(same);
        if (!result.ok)
          expect(result.error).toMatch(
            /^this snapshot was made .+; start with a cold boot instead$/s,
          );
      }),
      RUNS,
    );
  });
});

describe("the guest agent's answers, against whatever a guest prints", () => {
  it("never throws on any bytes in any chunks, and still finds a real answer among them", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.uint8Array({ maxLength: 64 }),
            fc.string().map((t) => new TextEncoder().encode(t)),
          ),
        ),
        fc.constantFrom(0, 1, AGENT_MAX_LINE + 10),
        (noise, longLine) => {
          const parser = new AgentResponseParser();
          const types = new Set(["hello", "pong", "error", "result", "garbage"]);
          for (const chunk of [...noise, new Uint8Array(longLine).fill(65)]) {
            for (const message of parser.push(chunk)) {
              expect(types.has(message.type)).toBe(true);
              if (message.type === "garbage") expect(message.line.length).toBeLessThanOrEqual(203);
            }
          }
          const answer = parser.push(new TextEncoder().encode("\nRES abc123 0 0 aGk=\n"));
          expect(answer.at(-1)).toEqual({
            type: "result",
            id: "abc123",
            status: 0,
            truncated: false,
            output: new TextEncoder().encode("hi"),
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("keys on the VM screen", () => {
  it("turn any key code into PS/2 bytes or nothing, prototype names included", () => {
    fc.assert(
      fc.property(
        fc.oneof(hostileString, protoKey, fc.constantFrom("KeyA", "Enter", "ArrowUp", "F12")),
        fc.boolean(),
        (code, down) => {
          const bytes = scancodesFor(code, down);
          if (bytes === undefined) return;
          for (const byte of bytes)
            expect(Number.isInteger(byte) && byte >= 0 && byte <= 0xff).toBe(true);
        },
      ),
      RUNS,
    );
  });
});
