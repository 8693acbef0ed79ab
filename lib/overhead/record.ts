import { z } from "../zod";

/**
 * One benchmark run as the panel shows it and keeps it (localStorage). Read back through
 * `parseRecords`, which drops anything that does not fit this schema.
 */

const ms = z.number().finite().nonnegative();
const checksum = z.string().regex(/^[0-9a-f]{8}$/);

export const pageMemorySchema = z.object({
  mb: z.number().finite().nonnegative(),
  /** `measured`: performance.measureUserAgentSpecificMemory (whole page, workers included);
   * `estimate`: guest memory + the runtime's per-VM emulator overhead (lib/emulator/memory-budget). */
  source: z.enum(["measured", "estimate"]),
});
export type PageMemory = z.infer<typeof pageMemorySchema>;

export const runRecordSchema = z
  .object({
    id: z.string().min(1).max(64),
    /** Date.now() when the run finished. */
    at: z.number().int().positive(),
    vm: z.string().min(1).max(64),
    sizeKib: z.number().int().min(1).max(4096),
    rounds: z.number().int().min(1).max(100_000),
    /** Median of the host's timed runs (WebAssembly in a worker). */
    hostMs: ms,
    hostRunsMs: z.array(ms).min(1).max(100),
    /** Median of the guest's own timings (CLOCK_MONOTONIC in the guest). */
    guestMs: ms,
    guestRunsMs: z.array(ms).min(1).max(100),
    /** The agent call timed by the page, divided by the number of guest runs (agent overhead included). */
    guestWallMs: ms,
    ratio: z.number().finite().positive().nullable(),
    ratioWall: z.number().finite().positive().nullable(),
    hostChecksum: checksum,
    guestChecksum: checksum,
    checksumsMatch: z.boolean(),
    /** Mean guest MIPS over the stats samples taken during the guest's runs; null when none came. */
    mips: z.number().finite().nonnegative().nullable(),
    /** VMs running on the page when the run started (this one included). */
    vmsRunning: z.number().int().min(1).max(64),
    /** VMs that ran the benchmark at the same time (1: this one alone). */
    together: z.number().int().min(1).max(64),
    guestMemoryMb: z.number().int().positive(),
    pageMemory: pageMemorySchema.nullable(),
  })
  .strict();
export type RunRecord = z.infer<typeof runRecordSchema>;

export const MAX_RECORDS = 50;

export interface ParsedRecords {
  records: RunRecord[];
  /** How many stored entries were dropped as invalid. */
  dropped: number;
}

/** Validates stored data: a non-array is treated as empty, bad entries are dropped and counted. */
export function parseRecords(data: unknown): ParsedRecords {
  if (!Array.isArray(data))
    return { records: [], dropped: data === null || data === undefined ? 0 : 1 };
  const records: RunRecord[] = [];
  let dropped = 0;
  for (const item of data) {
    const parsed = runRecordSchema.safeParse(item);
    if (parsed.success) records.push(parsed.data);
    else dropped++;
  }
  return { records: records.slice(-MAX_RECORDS), dropped };
}
