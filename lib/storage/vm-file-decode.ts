import { detectStateFormat, snapshotFits, type VmSnapshot } from "@/lib/emulator/snapshots";
import { machineFor } from "@/lib/emulator/v86-options";
import { DISK_MAX_MB, MEMORY_MAX_MB, MIN_MEMORY_MB } from "@/lib/emulator/vm-config";
import { validate } from "../zod";
import { sha256Hex, toHex } from "./sha256";
import {
  AGAIN,
  DISK_MAX_BYTES,
  KIND_CODES,
  NOT_OURS,
  SECTOR_BYTES,
  VM_FILE_HEADER_BYTES,
  VM_FILE_MAGIC,
  VM_FILE_MAX_BYTES,
  VM_FILE_METADATA_MAX_BYTES,
  VM_FILE_VERSION,
  describe,
  formatMb,
  metadataSchema,
  type DiskMetadata,
  type SnapshotMetadata,
  type VmFileExpectations,
  type VmFileKind,
  type VmFileMetadata,
  type VmFileResult,
} from "./vm-file-format";

/**
 * Reads a file in the format of vm-file-format.ts: every byte checked (magic, version, header,
 * the metadata's SHA-256 and schema, the payload's SHA-256, sizes before anything is
 * decompressed), and never throws: a refusal is a sentence the page shows as it is.
 */

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
  const parsed = validate(metadataSchema, value);
  if (parsed.ok) return parsed;
  const issue = parsed.issues[0];
  const where = issue?.where ? ` at ${issue.where}` : "";
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
    {
      v86Version: expect.v86Version,
      machine: machineFor(memory, meta.machine.net_device === "virtio" ? "virtio" : "ne2k"),
    },
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

function copyOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}
