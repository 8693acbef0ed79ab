import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { VmSnapshot } from "@/lib/emulator/snapshots";
import { machineFor } from "@/lib/emulator/v86-options";
import { BOOT_MEDIA, MEMORY_MAX_MB, MIN_MEMORY_MB } from "@/lib/emulator/vm-config";
import {
  decodeVmFile,
  encodeDiskFile,
  encodeSnapshotFile,
  encodeVmFile,
  importedVmName,
  padToWholeMib,
  readVmFile,
  VM_FILE_HEADER_BYTES,
  VM_FILE_MAX_BYTES,
  vmFileName,
  type VmFileDescription,
} from "@/lib/storage/vm-file";
import { sha256Fallback } from "@/lib/storage/sha256";

const V86 = "0.5.462+gtest";
const expectations = { v86Version: V86 };

function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

function snapshotOf(data: Uint8Array, overrides: Partial<VmSnapshot> = {}): VmSnapshot {
  return {
    id: "vm1-x",
    name: "snap-1",
    vmName: "node1",
    profile: "live",
    createdAt: 1_700_000_000_000,
    rawBytes: 11_500_000,
    format: "raw",
    data: data.slice().buffer,
    v86Version: V86,
    machine: machineFor(128),
    prompt: "root@live:~# ",
    takeMs: 1100,
    ...overrides,
  };
}

async function diskFile(disk: Uint8Array, name = "web1"): Promise<Uint8Array> {
  return join(
    await encodeDiskFile({
      name,
      disk: disk.slice().buffer,
      exportedAt: new Date(0),
    }),
  );
}

function rawDescription(diskBytes: number): VmFileDescription {
  return {
    kind: "disk",
    name: "d",
    exportedAt: new Date(0).toISOString(),
    diskBytes,
    encoding: "raw",
  };
}

async function expectRejected(bytes: Uint8Array, pattern?: RegExp): Promise<string> {
  const result = await decodeVmFile(bytes, expectations);
  expect(result.ok).toBe(false);
  if (result.ok) return "";
  expect(result.error.length).toBeGreaterThan(10);
  if (pattern) expect(result.error).toMatch(pattern);
  return result.error;
}

const sectors = (max: number) =>
  fc
    .integer({ min: 1, max })
    .chain((n) => fc.uint8Array({ minLength: n * 512, maxLength: n * 512 }));

describe("SHA-256 without SubtleCrypto", () => {
  it("matches the platform's digest around every padding boundary and on random input", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.constantFrom(55, 56, 63, 64, 119, 120, 128).map((n) => new Uint8Array(n).fill(0x61)),
        ),
        async (bytes) => {
          const platform = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
          expect(sha256Fallback(bytes)).toEqual(platform);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("round trip", () => {
  it("gives back any disk exactly, with its description", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          sectors(24),
          fc.integer({ min: 1, max: 64 }).map((n) => new Uint8Array(n * 512)),
        ),
        fc.string({ minLength: 1, maxLength: 40 }),
        async (disk, name) => {
          const result = await decodeVmFile(await diskFile(disk, name), expectations);
          expect(result).toMatchObject({ ok: true, file: { kind: "disk" } });
          if (!result.ok || result.file.kind !== "disk") return;
          expect(new Uint8Array(result.file.disk)).toEqual(disk);
          expect(result.file.metadata).toMatchObject({
            name,
            diskBytes: disk.byteLength,
            encoding: "gzip",
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it("compresses a mostly empty disk", async () => {
    const disk = new Uint8Array(4 * 1024 * 1024);
    disk.set(new TextEncoder().encode("VLABS-MARKER"), 1_000_000);
    const file = await diskFile(disk);
    expect(file.byteLength).toBeLessThan(64 * 1024);
    const result = await decodeVmFile(file, expectations);
    expect(result.ok && result.file.kind === "disk").toBe(true);
    if (result.ok && result.file.kind === "disk")
      // Deep equality of 4 MB arrays is slow in the test runner; Buffer compares them natively.
      expect(Buffer.from(result.file.disk).equals(disk)).toBe(true);
  });

  it("gives back any snapshot's data and fields", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 4096 }),
        fc.constantFrom(...BOOT_MEDIA),
        fc.integer({ min: 80, max: MEMORY_MAX_MB }),
        fc.record({
          name: fc.string({ minLength: 1, maxLength: 30 }),
          vmName: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,23}$/),
          createdAt: fc.integer({ min: 0, max: 4_000_000_000_000 }),
          rawBytes: fc.integer({ min: 1, max: 600_000_000 }),
          prompt: fc.string({ maxLength: 40 }),
          takeMs: fc.nat(100_000),
        }),
        fc.record({
          diskMb: fc.integer({ min: 0, max: 256 }),
          network: fc.constantFrom("none", "switch"),
        }),
        async (data, profile, memory, fields, vm) => {
          // A payload starting with gzip's or zstd's magic is stored as that format.
          const format = data[0] === 0x1f && data[1] === 0x8b ? "gzip" : "raw";
          fc.pre(!(data[0] === 0x28 && data[1] === 0xb5 && data[2] === 0x2f && data[3] === 0xfd));
          const snapshot = snapshotOf(data, {
            ...fields,
            profile,
            format,
            machine: machineFor(memory),
          });
          const parts = await encodeSnapshotFile({ snapshot, vm, exportedAt: new Date(0) });
          const result = await decodeVmFile(join(parts), expectations);
          expect(result.ok).toBe(true);
          if (!result.ok || result.file.kind !== "snapshot") return;
          const { id: _id, data: got, ...rest } = result.file.snapshot;
          const { id: _id2, data: _data, ...want } = snapshot;
          expect(rest).toEqual(want);
          expect(new Uint8Array(got)).toEqual(data);
          expect(result.file.metadata.vm).toEqual(vm);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe("damaged files are refused, never thrown on, never read as different bytes", () => {
  it("refuses every truncation", async () => {
    const whole = await diskFile(Uint8Array.from({ length: 1024 }, (_, i) => (i * 7) % 251));
    const snapshot = join(
      await encodeSnapshotFile({
        snapshot: snapshotOf(new Uint8Array(300).fill(3)),
        vm: { diskMb: 0, network: "none" },
        exportedAt: new Date(0),
      }),
    );
    for (const file of [whole, snapshot]) {
      for (let length = 0; length < file.byteLength; length++) {
        await expectRejected(file.subarray(0, length));
      }
    }
    await expectRejected(whole.subarray(0, 5), /truncated/);
    await expectRejected(whole.subarray(0, whole.byteLength - 1), /truncated/);
    await expectRejected(new Uint8Array(0), /empty/);
  });

  it("refuses any byte changed anywhere", async () => {
    const disk = Uint8Array.from({ length: 2048 }, (_, i) => (i * 13) % 256);
    const file = await diskFile(disk);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(file.byteLength - 1), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 3,
        }),
        async (flips) => {
          const damaged = file.slice();
          for (const [at, mask] of flips) damaged[at]! ^= mask;
          fc.pre(damaged.some((b, i) => b !== file[i]));
          const result = await decodeVmFile(damaged, expectations);
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("refuses any change to a payload stored as is (raw disk, snapshot data)", async () => {
    const payload = Uint8Array.from({ length: 1024 }, (_, i) => (i * 31) % 256);
    const raw = join(await encodeVmFile(rawDescription(1024), payload));
    const snapshot = join(
      await encodeSnapshotFile({
        snapshot: snapshotOf(payload),
        vm: { diskMb: 0, network: "none" },
        exportedAt: new Date(0),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(raw, snapshot),
        fc.nat(1023),
        fc.integer({ min: 1, max: 255 }),
        async (file, offset, mask) => {
          const damaged = file.slice();
          damaged[file.byteLength - 1024 + offset]! ^= mask;
          await expectRejected(damaged, /contents are damaged \(SHA-256 mismatch\)/);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("answers any bytes behind our magic with a reason, never a throw", async () => {
    const magic = Uint8Array.of(0x89, 0x56, 0x4c, 0x56, 0x4d, 0x0d, 0x0a, 0x1a);
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 600 }),
        fc.constantFrom(0, 1, 2, 0xffff),
        async (tail, version) => {
          const file = join([magic, tail]);
          if (file.byteLength >= 10) new DataView(file.buffer).setUint16(8, version, true);
          await expectRejected(file);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses bytes added after the end", async () => {
    const file = await diskFile(new Uint8Array(512));
    await expectRejected(join([file, new Uint8Array([0])]), /1 unexpected bytes/);
  });

  it("refuses random bytes and other files as not ours", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 2000 }), async (bytes) => {
        fc.pre(bytes[0] !== 0x89);
        await expectRejected(bytes, /not a Virtualization Labs disk or snapshot file/);
      }),
    );
    const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13);
    await expectRejected(png, /not a Virtualization Labs/);
  });
});

describe("what a file may announce", () => {
  it("refuses a newer format version with what to do", async () => {
    const file = await diskFile(new Uint8Array(512));
    file[8] = 2;
    await expectRejected(
      file,
      /newer version of Virtualization Labs \(file format 2; this site reads format 1\)/,
    );
  });

  it("refuses huge declared sizes before decompressing anything", async () => {
    await expectRejected(
      join(await encodeVmFile(rawDescription(2 ** 40), new Uint8Array(512))),
      /disks of at most 512 MB/,
    );
    await expectRejected(
      join(await encodeVmFile(rawDescription(513 * 1024 * 1024), new Uint8Array(0))),
      /at most 512 MB/,
    );
    // A header announcing a 4 GB description.
    const file = await diskFile(new Uint8Array(512));
    new DataView(file.buffer).setUint32(12, 0xffffffff, true);
    await expectRejected(file, /header is damaged/);
  });

  it("refuses a gzip payload that expands past the announced disk", async () => {
    const big = new Uint8Array(2 * 1024 * 1024);
    const parts = await encodeDiskFile({
      name: "b",
      disk: big.buffer,
      exportedAt: new Date(0),
    });
    const meta = JSON.parse(new TextDecoder().decode(parts[1]));
    const lying = await encodeVmFile(
      { ...meta, diskBytes: 512 * 1024, payloadBytes: undefined, sha256: undefined },
      parts[2]!,
    );
    await expectRejected(join(lying), /larger than the 524288 bytes/);
    const short = await encodeVmFile(
      { ...meta, diskBytes: 4 * 1024 * 1024, payloadBytes: undefined, sha256: undefined },
      parts[2]!,
    );
    await expectRejected(join(short), /is 2097152 bytes, not the 4194304/);
  });

  it("refuses a disk that is not whole sectors, or a raw payload of the wrong size", async () => {
    await expectRejected(
      join(await encodeVmFile(rawDescription(1000), new Uint8Array(1000))),
      /1000 bytes, not a whole number of 512-byte sectors/,
    );
    await expectRejected(
      join(await encodeVmFile(rawDescription(1024), new Uint8Array(512))),
      /should be 1024 bytes but the file holds 512/,
    );
  });

  it("refuses a snapshot from another v86 or of a machine the site cannot run", async () => {
    const encode = async (overrides: Partial<VmSnapshot>) =>
      join(
        await encodeSnapshotFile({
          snapshot: snapshotOf(new Uint8Array(64).fill(9), overrides),
          vm: { diskMb: 0, network: "none" },
          exportedAt: new Date(0),
        }),
      );
    await expectRejected(
      await encode({ v86Version: "0.5.1" }),
      /made with v86 0\.5\.1, not 0\.5\.462\+gtest/,
    );
    await expectRejected(
      await encode({ machine: { ...machineFor(128), vga_memory_kb: 8192 } }),
      /8192 KB of video memory/,
    );
    await expectRejected(await encode({ machine: { ...machineFor(128), acpi: true } }), /ACPI on/);
    await expectRejected(
      await encode({ machine: machineFor(2048) }),
      /2048 MB of memory; VMs here have 80 to 512 MB/,
    );
    await expectRejected(
      await encode({ machine: machineFor(16) }),
      new RegExp(`16 MB of memory; VMs here have ${MIN_MEMORY_MB.live} to`),
    );
    // Data whose bytes say zstd while the description says raw.
    await expectRejected(
      await encode({ data: Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0, 0).buffer }),
      /data is zstd, not raw/,
    );
  });

  it("refuses a file above the cap without reading it", async () => {
    let read = false;
    const huge = {
      size: VM_FILE_MAX_BYTES + 1,
      arrayBuffer: () => {
        read = true;
        return Promise.resolve(new ArrayBuffer(0));
      },
    } as unknown as Blob;
    const result = await readVmFile(huge, expectations);
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/at most 640\.0 MB/) });
    expect(read).toBe(false);
  });

  it("reads a good file from a Blob", async () => {
    const disk = new Uint8Array(1536).fill(0x5a);
    const result = await readVmFile(new Blob([(await diskFile(disk)) as BlobPart]), expectations);
    expect(result.ok && result.file.kind === "disk" && new Uint8Array(result.file.disk)).toEqual(
      disk,
    );
  });

  it("has a 48-byte header", () => {
    expect(VM_FILE_HEADER_BYTES).toBe(48);
  });
});

describe("names", () => {
  it("names exports after the VM and snapshot", () => {
    expect(vmFileName("disk", "web1")).toBe("web1.vlabs-disk");
    expect(vmFileName("snapshot", "node1 snap/1")).toBe("node1-snap-1.vlabs-snapshot");
    expect(vmFileName("disk", "..")).toBe("vm.vlabs-disk");
  });

  it("names an imported VM after its file, unique and valid", () => {
    expect(importedVmName("web1.vlabs-disk", "x", [])).toBe("web1");
    expect(importedVmName("web1 (1).vlabs-disk", "x", [])).toBe("web1");
    expect(importedVmName("web1.vlabs-disk", "x", ["web1", "WEB1-2"])).toBe("web1-3");
    expect(importedVmName("  ¿¿.vlabs-disk", "node1", [])).toBe("node1");
    expect(
      importedVmName("a-very-long-name-for-a-disk-file.vlabs-disk", "x", [
        "a-very-long-name-for-a-d",
      ]),
    ).toBe("a-very-long-name-for-a-2");
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.array(fc.string({ maxLength: 24 })),
        (file, fallback, existing) => {
          const name = importedVmName(file, fallback, existing);
          expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,23}$/);
          expect(existing.map((n) => n.toLowerCase())).not.toContain(name.toLowerCase());
        },
      ),
    );
  });
});

describe("disk sizes for a VM", () => {
  it("pads a disk of whole sectors to whole MiB with zeros, keeping its bytes", () => {
    const disk = new Uint8Array(3 * 512).fill(7);
    const padded = new Uint8Array(padToWholeMib(disk.buffer));
    expect(padded.byteLength).toBe(1024 * 1024);
    expect(padded.subarray(0, 1536)).toEqual(disk);
    expect(padded.subarray(1536).every((b) => b === 0)).toBe(true);
    const whole = new ArrayBuffer(2 * 1024 * 1024);
    expect(padToWholeMib(whole)).toBe(whole);
  });
});
