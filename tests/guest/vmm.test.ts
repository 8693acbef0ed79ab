import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentClient } from "@/lib/guest-agent/client";
import { NodeVm } from "@/guest/node-vm";
import { parseTinyvmm, parseTrapCost } from "@/guest/vmm/output";
import { agentFor, IMAGES_TIMEOUT_MS, loadImages } from "./setup";

const GUESTS = "/usr/share/tinyvmm";

/** A 512-byte boot sector holding `code` (octal escapes for busybox printf) and the signature. */
function sectorCommand(path: string, code: string, signature = "\\125\\252"): string {
  const codeBytes = code.split("\\").length - 1;
  return `{ printf '${code}'; head -c ${510 - codeBytes} /dev/zero; printf '${signature}'; } > ${path}`;
}

/** The hypervisor lesson's programs in the live guest, restored from its snapshot. */
describe("trapdemo and tinyvmm in the live guest", () => {
  let vm: NodeVm;
  let agent: AgentClient;
  const run = async (command: string, timeoutS = 30) => agent.run(command, { timeoutS });

  beforeAll(async () => {
    const manifest = await loadImages();
    vm = await NodeVm.boot(manifest, "live", { fromSnapshot: true });
    agent = agentFor(vm);
    agent.assumeReady();
  }, IMAGES_TIMEOUT_MS);

  afterAll(async () => {
    agent?.dispose();
    await vm?.destroy();
  });

  it("trapdemo: the monitor decodes and emulates each privileged instruction", async () => {
    const r = await run("trapdemo");
    expect(r.status, r.output).toBe(0);
    const traps = [
      ...r.output.matchAll(/^trap (\d+) at eip [0-9a-f]{8}, opcode ([0-9a-f]{2}): (\w+)/gm),
    ];
    expect(traps.map((t) => [Number(t[1]), t[2], t[3]])).toEqual([
      [1, "fa", "cli"],
      [2, "e6", "out"],
      [3, "e6", "out"],
      [4, "e6", "out"],
      [5, "e6", "out"],
      [6, "e4", "in"],
      [7, "fb", "sti"],
      [8, "f4", "hlt"],
    ]);
    expect(r.output).toContain("cli -> virtual IF 1 -> 0");
    expect(r.output).toContain("out port 0xe9 <- 0x68 -> virtual device: h");
    // The clock device answered in BCD seconds, and the guest got the value back in AL.
    const read = /in port 0x71 -> 0x([0-9a-f]{2})/.exec(r.output)?.[1];
    expect(read).toMatch(/^[0-5][0-9]$/);
    expect(r.output).toContain(`it read ${read} (BCD seconds)`);
    expect(r.output.trimEnd().split("\n").at(-1)).toBe("traps: 8");
  }, 30_000);

  it("trapdemo cost: a trap costs many plain instructions, measured", async () => {
    const r = await run("trapdemo cost 300", 60);
    expect(r.status, r.output).toBe(0);
    const cost = parseTrapCost(r.output);
    expect(cost, r.output).toBeDefined();
    expect(cost!.traps).toBe(300);
    expect(cost!.instructionNs).toBeGreaterThan(0);
    expect(cost!.trapNs).toBeGreaterThan(cost!.instructionNs * 100);
    const bad = await run("trapdemo cost 0; trapdemo nonsense");
    expect(bad.status).toBe(2);
    expect(bad.output).toContain("from 1 to 1000000");
  }, 60_000);

  it("trapdemo hole: popf, sgdt and smsw run in ring 3 without a trap", async () => {
    const r = await run("trapdemo hole");
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain("IF before 1, after 1");
    // v86 has no UMIP: sgdt reads the kernel's real GDT (high kernel address, non-zero limit).
    const gdt = /base ([0-9a-f]{8}) limit ([0-9a-f]{4})/.exec(r.output);
    expect(Number.parseInt(gdt![1]!, 16)).toBeGreaterThanOrEqual(0xc0000000);
    expect(Number.parseInt(gdt![2]!, 16)).toBeGreaterThan(0);
    expect(r.output).toMatch(/real CR0: [0-9a-f]{3}[13579bdf] \(PE=1/);
    expect(r.output.trimEnd().split("\n").at(-1)).toBe("traps: 2");
  }, 30_000);

  it("tinyvmm hello: console, disk and serial exits, counted by reason", async () => {
    const r = await run(`tinyvmm ${GUESTS}/hello.img`);
    expect(r.status, r.output).toBe(0);
    const lines = r.output.split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "hello from a guest",
      "this line came from sector 2 of my disk",
      "bye",
    ]);
    const s = parseTinyvmm(r.output)!;
    expect(s.stop).toBe("the guest halted");
    // One int 10h per character printed through the BIOS (with CR LF), one int 13h read;
    // one in (status) and one out (data) per character sent to COM1; the final hlt.
    const biosChars = lines[0]!.length + 2 + lines[1]!.length + 2;
    expect(s.byReason).toEqual({ int: biosChars + 1, in: 5, out: 5, hlt: 1 });
    expect(s.exits).toBe(biosChars + 1 + 5 + 5 + 1);
    expect(r.output.trimEnd().split("\n").at(-1)).toMatch(/^exits: \d+ {2}int: \d+/);
  }, 30_000);

  it("tinyvmm --trace: one line per exit, with reason, CS:IP and what was emulated", async () => {
    const r = await run(`tinyvmm --trace ${GUESTS}/hello.img`);
    expect(r.status, r.output).toBe(0);
    const trace = r.output.split("\n").filter((l) => l.startsWith("exit "));
    const s = parseTinyvmm(r.output)!;
    expect(trace).toHaveLength(s.exits);
    expect(trace[0]).toMatch(
      /^exit 1: int at 0000:7c[0-9a-f]{2}: int 10h teletype 'h' -> console$/,
    );
    expect(trace).toContainEqual(
      expect.stringMatching(/: int 13h disk read C0 H0 S2 x1 \(sector 1\) -> 0000:8000$/),
    );
    expect(trace).toContainEqual(expect.stringMatching(/: in port 3fdh -> 60h \(COM1\)$/));
    expect(trace.at(-1)).toMatch(/: hlt at 0000:7c[0-9a-f]{2}: hlt with interrupts off/);
    // With --trace the console text is in the trace lines, not printed on its own.
    expect(r.output).not.toContain("hello from a guest");
  }, 30_000);

  it("tinyvmm runs the bare-metal boot sector: banner on COM1, its screen, the timer ticking", async () => {
    const r = await run(`tinyvmm --seconds 2 ${GUESTS}/bootsector.img`);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toMatch(/^vlabs bare metal: no OS here/);
    expect(r.output).toMatch(/^ {2}\| uptime \(s\): 0000[12]$/m);
    const s = parseTinyvmm(r.output)!;
    expect(s.stop).toBe("time is up (--seconds)");
    expect(s.byReason.hlt).toBeGreaterThan(10); // woken by the emulated timer, ~18 times a second
    expect(s.byReason.int).toBeGreaterThan(10); // polling the keyboard through int 16h
  }, 30_000);

  it("stops a runaway guest, bad images and unknown instructions with a message, never a hang", async () => {
    const runaway = await run(`tinyvmm --seconds 0 ${GUESTS}/runaway.img`);
    expect(runaway.status).toBe(3);
    expect(runaway.output).toContain("watchdog: the guest ran 3 s without a single exit");

    const notImage = await run("tinyvmm /etc/passwd");
    expect(notImage.status).toBe(2);
    expect(notImage.output).toMatch(/is not a disk image: \d+ bytes/);

    await run(sectorCommand("/tmp/nosig.img", "\\364", "\\000\\000"));
    const noSignature = await run("tinyvmm /tmp/nosig.img");
    expect(noSignature.status).toBe(2);
    expect(noSignature.output).toContain("not the boot signature 55 aa");

    await run(sectorCommand("/tmp/cr0.img", "\\017\\040\\300")); // mov eax, cr0
    const privileged = await run("tinyvmm /tmp/cr0.img");
    expect(privileged.status).toBe(2);
    expect(privileged.output).toContain("cannot emulate the instruction 0f 20 c0");

    await run(sectorCommand("/tmp/dos.img", "\\315\\041")); // int 21h: DOS, not a BIOS
    const dos = await run("tinyvmm /tmp/dos.img");
    expect(dos.status).toBe(2);
    expect(dos.output).toContain("called int 21h");

    await run(sectorCommand("/tmp/ud.img", "\\017\\013")); // ud2
    const invalid = await run("tinyvmm /tmp/ud.img");
    expect(invalid.status).toBe(2);
    expect(invalid.output).toContain("died of signal 4");

    const usage = await run("tinyvmm; tinyvmm --seconds x /tmp/ud.img");
    expect(usage.status).toBe(2);
    expect(usage.output).toMatch(/^usage: tinyvmm/);
    expect((await run("echo alive $((40+2))")).output).toBe("alive 42\n");
  }, 60_000);

  it("spin: every port write is an exit", async () => {
    const r = await run(`tinyvmm ${GUESTS}/spin.img`, 60);
    const s = parseTinyvmm(r.output)!;
    expect(s.byReason.out).toBe(20000);
    expect(s.exitsPerSecond).toBeGreaterThan(0);
  }, 60_000);
});
