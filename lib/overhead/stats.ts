/** The arithmetic of the overhead benchmark: no I/O, so it is unit-tested on its own. */

/** Median of finite numbers; the mean of the middle two for an even count. */
export function median(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) throw new RangeError("median of no values");
  const sorted = [...finite].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function mean(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) throw new RangeError("mean of no values");
  return finite.reduce((a, b) => a + b, 0) / finite.length;
}

/**
 * How many times longer the guest took than the host; undefined when either time is not a
 * positive number (a host time of 0 ms means the timer was too coarse to measure it).
 */
export function slowdown(guestMs: number, hostMs: number): number | undefined {
  if (!(guestMs > 0) || !(hostMs > 0) || !Number.isFinite(guestMs) || !Number.isFinite(hostMs))
    return undefined;
  return guestMs / hostMs;
}

/** A checksum as vbench prints it: 8 lowercase hex digits. */
export function formatChecksum(value: number): string {
  return (value >>> 0).toString(16).padStart(8, "0");
}

export type ChecksumComparison =
  { ok: true; checksum: string } | { ok: false; reason: string; host: string; guest: string[] };

/** Every guest run must print the host's checksum; anything else means the two ran different work. */
export function compareChecksums(host: string, guest: readonly string[]): ChecksumComparison {
  const norm = (s: string) => s.trim().toLowerCase();
  const h = norm(host);
  const g = guest.map(norm);
  if (!/^[0-9a-f]{8}$/.test(h))
    return { ok: false, reason: `host checksum "${host}" is not 8 hex digits`, host: h, guest: g };
  if (g.length === 0)
    return { ok: false, reason: "the guest printed no checksum", host: h, guest: g };
  const wrong = g.filter((c) => c !== h);
  if (wrong.length > 0)
    return {
      ok: false,
      reason: `checksums differ: host ${h}, guest ${[...new Set(wrong)].join(", ")}`,
      host: h,
      guest: g,
    };
  return { ok: true, checksum: h };
}

/** Rounds for display and storage without pretending to more precision than a timer has. */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
