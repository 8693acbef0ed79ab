/**
 * Reads what trapdemo and tinyvmm print (guest/vmm/*.c), for the guest tests and the bench.
 * Each parser returns undefined when the expected lines are missing.
 */

export const EXIT_REASONS = ["int", "in", "out", "hlt"] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

export interface TinyvmmSummary {
  exits: number;
  byReason: Record<ExitReason, number>;
  seconds: number;
  exitsPerSecond: number;
  /** Why the monitor stopped: "the guest halted", "time is up (--seconds)", "watchdog: ..." */
  stop: string;
}

export function parseTinyvmm(output: string): TinyvmmSummary | undefined {
  const exits = /^exits: (\d+)((?: {2}\w+: \d+)+)\s*$/m.exec(output);
  const time = /^time: ([\d.]+) s, (\d+) exits\/s$/m.exec(output);
  const stop = /^tinyvmm: (.+) \(at [0-9a-f]{4}:[0-9a-f]{4}\)$/m.exec(output);
  if (!exits || !time || !stop) return undefined;
  const byReason = Object.fromEntries(EXIT_REASONS.map((r) => [r, 0])) as Record<
    ExitReason,
    number
  >;
  for (const [, name, n] of exits[2]!.matchAll(/(\w+): (\d+)/g))
    if ((EXIT_REASONS as readonly string[]).includes(name!))
      byReason[name as ExitReason] = Number(n);
  return {
    exits: Number(exits[1]),
    byReason,
    seconds: Number(time[1]),
    exitsPerSecond: Number(time[2]),
    stop: stop[1]!,
  };
}

export interface TrapCost {
  trapNs: number;
  instructionNs: number;
  traps: number;
}

export function parseTrapCost(output: string): TrapCost | undefined {
  const trap = /^one trap: +(\d+) ns$/m.exec(output);
  const insn = /^one instruction: ([\d.]+) ns$/m.exec(output);
  const traps = /^traps: (\d+)\s*$/m.exec(output);
  if (!trap || !insn || !traps) return undefined;
  return { trapNs: Number(trap[1]), instructionNs: Number(insn[1]), traps: Number(traps[1]) };
}
