/**
 * The memory lesson's figures, in the live guest (128 MiB) restored from its snapshot in Node,
 * with the same code the VM's worker runs (lib/emulator/memory-probe.ts): one scan of its RAM
 * (fresh, and after the guest wrote 32 MiB), the guest's speed (vbench) with one scan a second
 * against without, and inflating the balloon by 48 MiB until the guest has handed every page over.
 * Run: `npx tsx bench/memory.ts`, or `BENCH_ONLY=memory npm run bench`. ROUNDS (default 3).
 */
import { cpus, loadavg } from "node:os";
import { ensureImages } from "../guest/images";
import { NodeVm } from "../guest/node-vm";
import { MemoryProbe, type MemoryCpu } from "../lib/emulator/memory-probe";
import { agentFor } from "../tests/guest/setup";

const ROUNDS = Number(process.env.ROUNDS ?? 3);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
const fmt = (values: number[], digits = 1): string =>
  `median ${median(values).toFixed(digits)} (runs: ${values.map((v) => v.toFixed(digits)).join(", ")})`;

const manifest = await ensureImages();
const vm = await NodeVm.boot(manifest, "live", { fromSnapshot: true });
const agent = agentFor(vm);
agent.assumeReady();
const probe = new MemoryProbe(
  () => (vm.emulator as unknown as { v86: { cpu: MemoryCpu } }).v86.cpu,
);
let clock = 0;
const scan = () => probe.scan((clock += 2000));
const run = async (command: string): Promise<string> => {
  const r = await agent.run(command, { timeoutS: 120 });
  if (r.status !== 0) throw new Error(`${command}: status ${r.status}\n${r.output}`);
  return r.output;
};
const vbenchUs = async (): Promise<number> =>
  Number(/time_us=(\d+)/.exec(await run("vbench -t 1024 50"))![1]);
const lines: string[] = [];
try {
  for (let i = 0; i < 3; i++) scan(); // warm-up: V8 compiles the scan loop
  const fresh = Array.from({ length: ROUNDS * 3 }, () => scan());
  // 32 MiB: the guest's RAM-backed root takes at most half its memory.
  await run(
    "yes vlabs | head -c 1048576 > /tmp/a && cat /tmp/a /tmp/a /tmp/a /tmp/a > /tmp/b && cat /tmp/b /tmp/b /tmp/b /tmp/b > /tmp/c && cat /tmp/c /tmp/c > /root/fill && rm /tmp/a /tmp/b /tmp/c",
  );
  const filled = Array.from({ length: ROUNDS * 3 }, () => scan());
  lines.push(
    `rounds: ${ROUNDS}, live guest (128 MiB) restored from its snapshot, Node ${process.version}`,
  );
  lines.push(
    `load average (1 min) at the start: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
  );
  lines.push(
    `scan of 128 MiB, fresh guest (${fresh[0]!.usedPages} used pages), ms: ${fmt(fresh.map((s) => s.ms))}`,
  );
  lines.push(
    `scan of 128 MiB after 32 MiB written (${filled[0]!.usedPages} used pages), ms: ${fmt(filled.map((s) => s.ms))}`,
  );
  await run("rm /root/fill");

  await vbenchUs(); // warm-up: v86 compiles the guest's hot code
  const alone: number[] = [];
  const scanned: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    alone.push(await vbenchUs());
    const timer = setInterval(() => scan(), 1000);
    try {
      scanned.push(await vbenchUs());
    } finally {
      clearInterval(timer);
    }
  }
  const slower = scanned.map((t, i) => (100 * (t - alone[i]!)) / alone[i]!);
  lines.push(
    `vbench 1024 KiB x 50 alone, ms: ${fmt(
      alone.map((t) => t / 1000),
      0,
    )}`,
  );
  lines.push(
    `vbench with one scan a second, ms: ${fmt(
      scanned.map((t) => t / 1000),
      0,
    )}`,
  );
  lines.push(`guest slower with scans, %: ${fmt(slower)}`);

  const inflate: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const startedAt = performance.now();
    await probe.balloon(48);
    while ((await probe.balloon()).sizeMb < 48) await new Promise((r) => setTimeout(r, 10));
    inflate.push(performance.now() - startedAt);
    await probe.balloon(0);
    while ((await probe.balloon()).sizeMb > 0) await new Promise((r) => setTimeout(r, 10));
  }
  lines.push(`balloon inflate by 48 MiB, until the guest gave every page, ms: ${fmt(inflate, 0)}`);
} finally {
  agent.dispose();
  await vm.destroy();
}
console.log(lines.join("\n"));
process.exit(0);
