/**
 * The hypervisor lesson's figures, in the live guest restored from its snapshot in Node: what one
 * trap costs in trapdemo (SIGSEGV round trip) against one plain instruction, and how many exits
 * per second tinyvmm handles (the spin guest: 20000 port writes, each one an exit).
 * Run: `npx tsx bench/vmm.ts`, or `BENCH_ONLY=vmm npm run bench`. ROUNDS (default 3) runs each,
 * after one warm-up run (v86 compiles hot guest code on first use).
 */
import { ensureImages } from "../guest/images";
import { NodeVm } from "../guest/node-vm";
import { parseTinyvmm, parseTrapCost } from "../guest/vmm/output";
import { agentFor } from "../tests/guest/setup";

const ROUNDS = Number(process.env.ROUNDS ?? 3);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const manifest = await ensureImages();
const vm = await NodeVm.boot(manifest, "live", { fromSnapshot: true });
const agent = agentFor(vm);
agent.assumeReady();
const lines: string[] = [];
try {
  const run = async (command: string): Promise<string> => {
    const r = await agent.run(command, { timeoutS: 120 });
    if (r.status !== 0) throw new Error(`${command}: status ${r.status}\n${r.output}`);
    return r.output;
  };
  await run("trapdemo cost 500; tinyvmm /usr/share/tinyvmm/spin.img");
  const costs = [];
  const spins = [];
  for (let i = 0; i < ROUNDS; i++) {
    const cost = parseTrapCost(await run("trapdemo cost 2000"));
    const spin = parseTinyvmm(await run("tinyvmm /usr/share/tinyvmm/spin.img"));
    if (!cost || !spin) throw new Error("unexpected trapdemo or tinyvmm output");
    costs.push(cost);
    spins.push(spin);
  }
  const trapNs = costs.map((c) => c.trapNs);
  const insnNs = costs.map((c) => c.instructionNs);
  const ratio = costs.map((c) => c.trapNs / c.instructionNs);
  const rates = spins.map((s) => s.exitsPerSecond);
  const fmt = (values: number[], digits = 0): string =>
    `median ${median(values).toFixed(digits)} (runs: ${values.map((v) => v.toFixed(digits)).join(", ")})`;
  lines.push(
    `rounds: ${ROUNDS} after one warm-up, live guest restored from its snapshot, Node ${process.version}`,
  );
  lines.push(`trapdemo: one trap (cli -> SIGSEGV -> emulate -> return), ns: ${fmt(trapNs)}`);
  lines.push(`trapdemo: one plain instruction (add), ns: ${fmt(insnNs, 2)}`);
  lines.push(`trapdemo: a trap costs this many plain instructions: ${fmt(ratio)}`);
  lines.push(`tinyvmm: exits per second (spin guest, ${spins[0]!.exits} exits): ${fmt(rates)}`);
  lines.push(
    `tinyvmm: one exit (vm86() round trip + emulation), us: ${fmt(
      rates.map((r) => 1e6 / r),
      1,
    )}`,
  );
} finally {
  agent.dispose();
  await vm.destroy();
}
console.log(lines.join("\n"));
