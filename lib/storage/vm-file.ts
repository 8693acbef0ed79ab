import { z } from "../zod";
import { machineConfigSchema } from "@/lib/emulator/manifest";
import { detectStateFormat, snapshotFits, type VmSnapshot } from "@/lib/emulator/snapshots";
import { machineFor } from "@/lib/emulator/v86-options";
import {
  BOOT_MEDIA,
  DISK_MAX_MB,
  MEMORY_MAX_MB,
  MIN_MEMORY_MB,
  NAME_MAX,
} from "@/lib/emulator/vm-config";
import { sha256Hex, toHex } from "./sha256";
import { formatFieldPath } from "../field-path";

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
 */

export const VM_FILE_MAGIC = Uint8Array.of(0x89, 0x56, 0x4c, 0x56, 0x4d, 0x0d, 0x0a, 0x1a);
export const VM_FILE_VERSION = 1;
export const VM_FILE_HEADER_BYTES = 48;
export const VM_FILE_EXTENSIONS = { disk: ".vlabs-disk", snapshot: ".vlabs-snapshot" } as const;
const MIB = 1024 * 1024;
/** Largest file read at all: a snapshot of the biggest VM, compressed, fits with room to spare. */
export const VM_FILE_MAX_BYTES = 640 * MIB;
/** The JSON description is a few hundred bytes; anything near this is not one of ours. */
export const VM_FILE_METADATA_MAX_BYTES = 64 * 1024;
export const SECTOR_BYTES = 512;
export const DISK_MAX_BYTES = DISK_MAX_MB * MIB;

export type VmFileKind = keyof typeof VM_FILE_EXTENSIONS;
const KIND_CODES: Record<VmFileKind, number> = { disk: 1, snapshot: 2 };
const NOT_OURS = "This is not a Virtualization Labs disk or snapshot file.";
const AGAIN = "Download or export it again.";

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

const metadataSchema = z.discriminatedUnion("kind", [diskMetadataSchema, snapshotMetadataSchema]);

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

/** Header + metadata + payload, ready for `new Blob(parts)`. Throws on a description we could not read back. */
export async function encodeVmFile(
  description: VmFileDescription,
  payload: Uint8Array,
): Promise<Uint8Array[]> {
  const metadata = metadataSchema.parse({
    ...description,
    payloadBytes: payload.byteLength,
    sha256: await sha256Hex(payload),
  });
  const json = new TextEncoder().encode(JSON.stringify(metadata));
  if (json.byteLength > VM_FILE_METADATA_MAX_BYTES) throw new Error("VM file metadata too large");
  const header = new Uint8Array(VM_FILE_HEADER_BYTES);
  const view = new DataView(header.buffer);
  header.set(VM_FILE_MAGIC, 0);
  view.setUint16(8, VM_FILE_VERSION, true);
  header[10] = KIND_CODES[metadata.kind];
  view.setUint32(12, json.byteLength, true);
  header.set(hexBytes(await sha256Hex(json)), 16);
  return [header, json, payload];
}

/** A disk as a file: gzip-compressed where the platform can (every current browser). */
export async function encodeDiskFile(input: {
  name: string;
  disk: ArrayBuffer;
  exportedAt: Date;
}): Promise<Uint8Array[]> {
  const gzip = typeof CompressionStream !== "undefined";
  const payload = gzip
    ? new Uint8Array(await pipe(new Uint8Array(input.disk), new CompressionStream("gzip")))
    : new Uint8Array(input.disk);
  return encodeVmFile(
    {
      kind: "disk",
      name: input.name,
      exportedAt: input.exportedAt.toISOString(),
      diskBytes: input.disk.byteLength,
      encoding: gzip ? "gzip" : "raw",
    },
    payload,
  );
}

/** A snapshot as a file: its data exactly as stored, and how to rebuild its VM. */
export function encodeSnapshotFile(input: {
  snapshot: VmSnapshot;
  vm: SnapshotMetadata["vm"];
  exportedAt: Date;
}): Promise<Uint8Array[]> {
  const s = input.snapshot;
  return encodeVmFile(
    {
      kind: "snapshot",
      name: s.name,
      exportedAt: input.exportedAt.toISOString(),
      v86Version: s.v86Version,
      vmName: s.vmName,
      profile: s.profile as SnapshotMetadata["profile"],
      createdAt: s.createdAt,
      rawBytes: s.rawBytes,
      format: s.format,
      machine: s.machine,
      prompt: s.prompt,
      takeMs: s.takeMs,
      vm: input.vm,
    },
    new Uint8Array(s.data),
  );
}

/** Checks a file's size before reading it into memory. */
export function checkVmFileSize(bytes: number): string | undefined {
  if (bytes === 0) return "The file is empty.";
  if (bytes > VM_FILE_MAX_BYTES)
    return `The file is ${formatMb(bytes)}; a disk or snapshot file is at most ${formatMb(VM_FILE_MAX_BYTES)}.`;
  return undefined;
}

/** Reads a chosen file: refuses a huge one before loading it, then decodes it. */
export async function readVmFile(file: Blob, expect: VmFileExpectations): Promise<VmFileResult> {
  const sizeError = checkVmFileSize(file.size);
  if (sizeError) return { ok: false, error: sizeError };
  let bytes: ArrayBuffer;
  try {
    bytes = await file.arrayBuffer();
  } catch (error) {
    return { ok: false, error: `The file could not be read (${describe(error)}).` };
  }
  return decodeVmFile(new Uint8Array(bytes), expect);
}

export async function decodeVmFile(
  bytes: Uint8Array,
  expect: VmFileExpectations,
): Promise<VmFileResult> {
  try {
    return await decode(bytes, expect);
  } catch (error) {
    // Nothing above should throw; if the platform does, it is still an answer, not a crash.
    return { ok: false, error: `The file could not be read (${describe(error)}).` };
  }
}

async function decode(bytes: Uint8Array, expect: VmFileExpectations): Promise<VmFileResult> {
  const fail = (error: string): VmFileResult => ({ ok: false, error });
  const sizeError = checkVmFileSize(bytes.byteLength);
  if (sizeError) return fail(sizeError);
  const magicSeen = Math.min(bytes.byteLength, VM_FILE_MAGIC.length);
  for (let i = 0; i < magicSeen; i++) if (bytes[i] !== VM_FILE_MAGIC[i]) return fail(NOT_OURS);
  const truncated = (have: number, want: number) =>
    fail(`The file is truncated: it has ${have} bytes where at least ${want} are needed. ${AGAIN}`);
  if (bytes.byteLength < VM_FILE_HEADER_BYTES)
    return truncated(bytes.byteLength, VM_FILE_HEADER_BYTES);

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(8, true);
  if (version > VM_FILE_VERSION)
    return fail(
      `The file was made by a newer version of Virtualization Labs (file format ${version}; this site reads format ${VM_FILE_VERSION}).`,
    );
  if (version < 1) return fail(`The file has an unknown format version (${version}).`);
  const kindCode = bytes[10]!;
  const kind = (Object.keys(KIND_CODES) as VmFileKind[]).find((k) => KIND_CODES[k] === kindCode);
  if (!kind) return fail(`The file holds an unknown kind of content (code ${kindCode}).`);
  if (bytes[11] !== 0) return fail(`The file's header is damaged. ${AGAIN}`);
  const metadataBytes = view.getUint32(12, true);
  if (metadataBytes === 0 || metadataBytes > VM_FILE_METADATA_MAX_BYTES)
    return fail(`The file's header is damaged (description of ${metadataBytes} bytes). ${AGAIN}`);
  const payloadAt = VM_FILE_HEADER_BYTES + metadataBytes;
  if (bytes.byteLength < payloadAt) return truncated(bytes.byteLength, payloadAt);

  const json = bytes.subarray(VM_FILE_HEADER_BYTES, payloadAt);
  if ((await sha256Hex(json)) !== toHex(bytes.subarray(16, 48)))
    return fail(`The file's description is damaged (checksum mismatch). ${AGAIN}`);
  const metadata = parseMetadata(json);
  if (!metadata.ok) return metadata;
  const meta = metadata.value;
  if (meta.kind !== kind) return fail(`The file's header and description disagree. ${AGAIN}`);

  const limit = checkDeclaredSizes(meta, expect);
  if (limit) return fail(limit);
  const end = payloadAt + meta.payloadBytes;
  if (bytes.byteLength < end) return truncated(bytes.byteLength, end);
  if (bytes.byteLength > end)
    return fail(
      `The file has ${bytes.byteLength - end} unexpected bytes after its contents. ${AGAIN}`,
    );
  const payload = bytes.subarray(payloadAt, end);
  if ((await sha256Hex(payload)) !== meta.sha256)
    return fail(`The file's contents are damaged (SHA-256 mismatch). ${AGAIN}`);

  return meta.kind === "disk" ? decodeDisk(meta, payload) : decodeSnapshot(meta, payload, expect);
}

function parseMetadata(
  json: Uint8Array,
): { ok: true; value: VmFileMetadata } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(json));
  } catch {
    return { ok: false, error: "The file's description is not valid JSON." };
  }
  const parsed = metadataSchema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${formatFieldPath(issue.path)}` : "";
  return {
    ok: false,
    error: `The file's description is invalid${where}: ${issue?.message ?? "unknown problem"}.`,
  };
}

/** Limits on what the description announces, checked before anything is decompressed. */
function checkDeclaredSizes(meta: VmFileMetadata, expect: VmFileExpectations): string | undefined {
  if (meta.kind === "disk") {
    if (meta.diskBytes > DISK_MAX_BYTES)
      return `The disk is ${formatMb(meta.diskBytes)}; VMs here have disks of at most ${DISK_MAX_MB} MB.`;
    if (meta.diskBytes % SECTOR_BYTES !== 0)
      return `The disk is ${meta.diskBytes} bytes, not a whole number of ${SECTOR_BYTES}-byte sectors.`;
    if (meta.encoding === "raw" && meta.payloadBytes !== meta.diskBytes)
      return `The disk should be ${meta.diskBytes} bytes but the file holds ${meta.payloadBytes}. ${AGAIN}`;
    return undefined;
  }
  const memory = meta.machine.memory_mb;
  const min = MIN_MEMORY_MB[meta.profile];
  if (memory < min || memory > MEMORY_MAX_MB)
    return `The snapshot is of a VM with ${memory} MB of memory; VMs here have ${min} to ${MEMORY_MAX_MB} MB.`;
  const fits = snapshotFits(
    {
      name: meta.name,
      rawBytes: meta.rawBytes,
      v86Version: meta.v86Version,
      machine: meta.machine,
      prompt: meta.prompt,
    } as VmSnapshot,
    { v86Version: expect.v86Version, machine: machineFor(memory) },
  );
  if (!fits.ok) return `This site cannot restore it: ${fits.error}.`;
  return undefined;
}

async function decodeDisk(meta: DiskMetadata, payload: Uint8Array): Promise<VmFileResult> {
  if (meta.encoding === "raw")
    return { ok: true, file: { kind: "disk", metadata: meta, disk: copyOf(payload) } };
  const disk = await gunzipExactly(payload, meta.diskBytes);
  return disk.ok ? { ok: true, file: { kind: "disk", metadata: meta, disk: disk.bytes } } : disk;
}

function decodeSnapshot(
  meta: SnapshotMetadata,
  payload: Uint8Array,
  expect: VmFileExpectations,
): VmFileResult {
  const data = copyOf(payload);
  const found = detectStateFormat(data);
  if (found !== meta.format)
    return {
      ok: false,
      error: `The snapshot's data is ${found}, not ${meta.format} as its description says.`,
    };
  const snapshot: VmSnapshot = {
    id: `imported-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    name: meta.name,
    vmName: meta.vmName,
    profile: meta.profile,
    createdAt: meta.createdAt,
    rawBytes: meta.rawBytes,
    format: meta.format,
    data,
    v86Version: expect.v86Version,
    machine: meta.machine,
    prompt: meta.prompt,
    takeMs: meta.takeMs,
  };
  return { ok: true, file: { kind: "snapshot", metadata: meta, snapshot } };
}

/** Decompresses into a buffer of the announced size; more or less than that is an error. */
async function gunzipExactly(
  payload: Uint8Array,
  size: number,
): Promise<{ ok: true; bytes: ArrayBuffer } | { ok: false; error: string }> {
  if (typeof DecompressionStream === "undefined")
    return {
      ok: false,
      error: "This browser cannot decompress the disk (no DecompressionStream).",
    };
  const out = new Uint8Array(size);
  let at = 0;
  try {
    const reader = new Blob([payload as BlobPart])
      .stream()
      .pipeThrough(new DecompressionStream("gzip"))
      .getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (at + value.byteLength > size) {
        await reader.cancel().catch(() => undefined);
        return {
          ok: false,
          error: `The disk in the file is larger than the ${size} bytes its description announces.`,
        };
      }
      out.set(value, at);
      at += value.byteLength;
    }
  } catch (error) {
    return {
      ok: false,
      error: `The disk in the file could not be decompressed (${describe(error)}).`,
    };
  }
  if (at !== size)
    return {
      ok: false,
      error: `The disk in the file is ${at} bytes, not the ${size} its description announces.`,
    };
  return { ok: true, bytes: out.buffer };
}

/** The file name an export is saved under: the VM's (and snapshot's) name and the kind's extension. */
export function vmFileName(kind: VmFileKind, name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[-.]+/, "") || "vm";
  return `${safe}${VM_FILE_EXTENSIONS[kind]}`;
}

/**
 * A VM name for an imported file: from the file's name (its extension and a browser's " (1)"
 * dropped), else the fallback, made valid and different from every existing name.
 */
export function importedVmName(
  fileName: string,
  fallback: string,
  existing: readonly string[],
): string {
  const clean = (text: string) =>
    text
      .replace(/\.vlabs-(disk|snapshot)$/i, "")
      .replace(/\s*\(\d+\)$/, "")
      .replace(/[^A-Za-z0-9_.-]+/g, "-")
      .replace(/^[^A-Za-z0-9]+/, "")
      .replace(/[-.]+$/, "");
  const base = (clean(fileName) || clean(fallback) || "imported").slice(0, NAME_MAX);
  const taken = new Set(existing.map((n) => n.toLowerCase()));
  if (!taken.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const name = base.slice(0, NAME_MAX - suffix.length) + suffix;
    if (!taken.has(name.toLowerCase())) return name;
  }
}

async function pipe(
  bytes: Uint8Array,
  transform: CompressionStream | DecompressionStream,
): Promise<ArrayBuffer> {
  return new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(transform)).arrayBuffer();
}

function copyOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!, (pair) => parseInt(pair, 16));
}

function formatMb(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MB`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * VMs here have disks of whole MiB; a disk of whole sectors made elsewhere gets zeros at its
 * end (no partition reaches past the size it was made with, so nothing moves).
 */
export function padToWholeMib(disk: ArrayBuffer): ArrayBuffer {
  const size = Math.max(MIB, Math.ceil(disk.byteLength / MIB) * MIB);
  if (size === disk.byteLength) return disk;
  const padded = new Uint8Array(size);
  padded.set(new Uint8Array(disk));
  return padded.buffer;
}
