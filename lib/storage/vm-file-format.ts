import { z } from "../zod";
import { machineConfigSchema } from "@/lib/emulator/manifest";
import type { VmSnapshot } from "@/lib/emulator/snapshots";
import { BOOT_MEDIA, DISK_MAX_MB, NAME_MAX } from "@/lib/emulator/vm-config";

/**
 * A VM's disk or one of its snapshots as a file the learner can keep and import again.
 *
 * Layout (integers little-endian):
 *
 *   0   8  magic "\x89VLVM\r\n\x1a" (the high byte and CR LF catch text-mode transfers)
 *   8   2  format version (VM_FILE_VERSION)
 *   10  1  kind: 1 disk, 2 snapshot
 *   11  1  reserved, 0
 *   12  4  metadata length in bytes
 *   16  32 SHA-256 of the metadata
 *   48  .. metadata: UTF-8 JSON (name, sizes, SHA-256 of the payload; v86 version and machine
 *          for snapshots)
 *   ..  .. payload: the disk (gzip when exported here) or the snapshot's data as stored
 *
 * Every byte is covered by a check, so a damaged file is refused rather than half imported.
 * Decoding never throws: it says what is wrong in a sentence the page can show.
 *
 * This module holds the format (constants, the metadata's schema, the types); vm-file-encode.ts
 * writes files, vm-file-decode.ts reads and checks them, vm-file.ts is what the page imports.
 */

export const VM_FILE_MAGIC = Uint8Array.of(0x89, 0x56, 0x4c, 0x56, 0x4d, 0x0d, 0x0a, 0x1a);
export const VM_FILE_VERSION = 1;
export const VM_FILE_HEADER_BYTES = 48;
export const VM_FILE_EXTENSIONS = { disk: ".vlabs-disk", snapshot: ".vlabs-snapshot" } as const;
export const MIB = 1024 * 1024;
/** Largest file read at all: a snapshot of the biggest VM, compressed, fits with room to spare. */
export const VM_FILE_MAX_BYTES = 640 * MIB;
/** The JSON description is a few hundred bytes; anything near this is not one of ours. */
export const VM_FILE_METADATA_MAX_BYTES = 64 * 1024;
export const SECTOR_BYTES = 512;
export const DISK_MAX_BYTES = DISK_MAX_MB * MIB;

export type VmFileKind = keyof typeof VM_FILE_EXTENSIONS;
export const KIND_CODES: Record<VmFileKind, number> = { disk: 1, snapshot: 2 };
export const NOT_OURS = "This is not a Virtualization Labs disk or snapshot file.";
export const AGAIN = "Download or export it again.";

const common = {
  name: z.string().min(1).max(200),
  exportedAt: z.iso.datetime(),
  payloadBytes: z.number().int().nonnegative().max(VM_FILE_MAX_BYTES),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
};

const diskMetadataSchema = z.object({
  kind: z.literal("disk"),
  ...common,
  diskBytes: z.number().int().positive(),
  encoding: z.enum(["gzip", "raw"]),
});

const snapshotMetadataSchema = z.object({
  kind: z.literal("snapshot"),
  ...common,
  /** A disk is plain sectors any emulator reads; a saved state restores only into its own v86. */
  v86Version: z.string().min(1).max(100),
  vmName: z.string().min(1).max(NAME_MAX),
  profile: z.enum(BOOT_MEDIA),
  createdAt: z.number().int().nonnegative(),
  rawBytes: z.number().int().positive(),
  format: z.enum(["gzip", "zstd", "raw"]),
  machine: machineConfigSchema,
  prompt: z.string().max(200),
  takeMs: z.number().int().nonnegative(),
  /** The VM it was taken of, so an import builds the same one (a snapshot holds its disk). */
  vm: z.object({
    diskMb: z.number().int().min(0).max(DISK_MAX_MB),
    network: z.enum(["none", "switch"]),
  }),
});

export const metadataSchema = z.discriminatedUnion("kind", [
  diskMetadataSchema,
  snapshotMetadataSchema,
]);

export type DiskMetadata = z.infer<typeof diskMetadataSchema>;
export type SnapshotMetadata = z.infer<typeof snapshotMetadataSchema>;
export type VmFileMetadata = DiskMetadata | SnapshotMetadata;
/** What the exporter states; the payload's size and checksum are worked out when encoding. */
export type VmFileDescription =
  Omit<DiskMetadata, "payloadBytes" | "sha256"> | Omit<SnapshotMetadata, "payloadBytes" | "sha256">;

export type VmFileContents =
  | { kind: "disk"; metadata: DiskMetadata; disk: ArrayBuffer }
  | { kind: "snapshot"; metadata: SnapshotMetadata; snapshot: VmSnapshot };

export type VmFileResult = { ok: true; file: VmFileContents } | { ok: false; error: string };

export interface VmFileExpectations {
  /** The v86 build this site runs; snapshots from another one cannot be restored. */
  v86Version: string;
}

export function formatMb(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MB`;
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** bytes piped through a (de)compression stream. */
export async function pipe(
  bytes: Uint8Array,
  transform: CompressionStream | DecompressionStream,
): Promise<ArrayBuffer> {
  return new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(transform)).arrayBuffer();
}
