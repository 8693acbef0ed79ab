/** Reads what `vbench -t SIZE ROUNDS` printed in the guest (one or more runs). */

export interface GuestRun {
  sizeKib: number;
  rounds: number;
  checksum: string;
  /** The guest's own CLOCK_MONOTONIC time around the work, in ms; undefined without -t. */
  timeMs: number | undefined;
  /** The guest said it has no clock to time itself with. */
  noClock?: boolean;
}

// Bounded digits: a longer number is not vbench's, and would read as Infinity.
const RESULT = /^vbench size_kib=(\d{1,9}) rounds=(\d{1,9}) checksum=([0-9a-f]{8})$/;
const TIME = /^time_us=(\d{1,15}|unavailable)$/;

export type ParsedOutput = { ok: true; runs: GuestRun[] } | { ok: false; error: string };

export function parseVbenchOutput(output: string): ParsedOutput {
  const runs: GuestRun[] = [];
  for (const raw of output.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const r = RESULT.exec(line);
    if (r) {
      runs.push({
        sizeKib: Number(r[1]),
        rounds: Number(r[2]),
        checksum: r[3]!,
        timeMs: undefined,
      });
      continue;
    }
    const t = TIME.exec(line);
    const last = runs[runs.length - 1];
    if (t && last && last.timeMs === undefined && !last.noClock) {
      if (t[1] === "unavailable") last.noClock = true;
      else last.timeMs = Number(t[1]) / 1000;
      continue;
    }
    return { ok: false, error: `unexpected output from the guest: ${line.slice(0, 120)}` };
  }
  if (runs.length === 0) return { ok: false, error: "the guest printed no vbench result" };
  return { ok: true, runs };
}

/** The guest command: `repeats` timed runs, stopping at the first failure. */
export function guestCommand(
  path: string,
  sizeKib: number,
  rounds: number,
  repeats: number,
): string {
  if (!/^\/[A-Za-z0-9._/-]+$/.test(path)) throw new Error(`bad benchmark path ${path}`);
  const one = `${path} -t ${sizeKib} ${rounds}`;
  return `for i in ${Array.from({ length: repeats }, (_, i) => i + 1).join(" ")}; do ${one} || exit $?; done`;
}
