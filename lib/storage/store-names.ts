/** The object stores of the playground's database (keys out of line, so garbage can be read back). */
export const VMS = "vms";
export const DISKS = "disks";
export const CHUNKS = "chunks";
export const SNAPSHOTS = "snapshots";
export const SNAPSHOT_DATA = "snapshot-data";
export const QUARANTINE = "quarantine";
export const ALL_STORES = [VMS, DISKS, CHUNKS, SNAPSHOTS, SNAPSHOT_DATA, QUARANTINE];
