import type { DBSchema } from "idb";

/** The object stores of the playground's database (keys out of line, so garbage can be read back). */
export const VMS = "vms";
export const DISKS = "disks";
export const CHUNKS = "chunks";
export const SNAPSHOTS = "snapshots";
export const SNAPSHOT_DATA = "snapshot-data";
export const QUARANTINE = "quarantine";
export const ALL_STORES = [VMS, DISKS, CHUNKS, SNAPSHOTS, SNAPSHOT_DATA, QUARANTINE] as const;
export type StoreName = (typeof ALL_STORES)[number];

/** Keys by store; values are unknown until machine-records.ts has checked them. */
export interface MachinesSchema extends DBSchema {
  [VMS]: { key: string; value: unknown };
  [DISKS]: { key: string; value: unknown };
  [CHUNKS]: { key: [string, number]; value: unknown };
  [SNAPSHOTS]: { key: string; value: unknown };
  [SNAPSHOT_DATA]: { key: string; value: unknown };
  [QUARANTINE]: { key: number; value: unknown };
}
