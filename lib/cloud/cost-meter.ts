/**
 * The running cost of an instance: the time it has spent running, priced per hour by its type.
 * Illustrative only: the prices in instance-types.ts are for teaching, and billing here is per
 * millisecond where real providers round to seconds or hours.
 */

export interface RunningTime {
  /** Milliseconds of running before the current run. */
  pastMs: number;
  /** When the current run began (Date.now()), if it is running. */
  since: number | undefined;
}

export function runningMs(time: RunningTime, now: number): number {
  return time.pastMs + (time.since === undefined ? 0 : Math.max(0, now - time.since));
}

export function startRunning(time: RunningTime, now: number): RunningTime {
  return time.since === undefined ? { ...time, since: now } : time;
}

export function stopRunning(time: RunningTime, now: number): RunningTime {
  return { pastMs: runningMs(time, now), since: undefined };
}

export function costOf(time: RunningTime, pricePerHour: number, now: number): number {
  return (runningMs(time, now) / 3_600_000) * pricePerHour;
}

/** Dollars with enough digits that a few seconds of a small instance show. */
export function formatCost(dollars: number): string {
  return `$${dollars.toFixed(dollars < 1 ? 5 : 2)}`;
}
