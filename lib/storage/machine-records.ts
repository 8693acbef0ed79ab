import { machineConfigSchema } from "../emulator/manifest";
import type { VmSnapshot } from "../emulator/snapshots";
import { isSwitchAddress } from "../emulator/switch-addresses";
import {
  validateVmConfig,
  vmConfigInput,
  type VmConfig,
  type VmConfigFields,
} from "../emulator/vm-config";

/**
 * The records the playground keeps in IndexedDB, their schema versions, the checks every record
 * passes when read, and the migrations from older versions. Pure: no IndexedDB here.
 */

/** Current schema version of each kind of record. */
export const SCHEMA = {
  vm: 3,
  disk: 1,
  chunk: 1,
  snapshot: 1,
  snapshotData: 1,
  quarantine: 1,
} as const;
export type RecordKind = keyof typeof SCHEMA;

export interface VmRecord {
  schema: 3;
  id: string;
  config: VmConfig;
  mac: string;
  /** Its address on the page's switch (10.0.0.N); null when it is not on the switch. */
  address: string | null;
  createdAt: number;
  /** The disk's last save held a boot sector (the installer put a system on it). */
  diskInstalled: boolean;
}

/** Version 2 had no address: the host gave one afresh on every load. */
export type VmRecordV2 = Omit<VmRecord, "schema" | "address"> & { schema: 2 };

/** Version 1, the first stored format, had no diskInstalled. */
export interface VmRecordV1 {
  schema: 1;
  id: string;
  config: VmConfig;
  mac: string;
  createdAt: number;
}

/** A disk's table of contents: which chunks hold data, and their SHA-256. */
export interface DiskManifest {
  schema: 1;
  vmId: string;
  sizeBytes: number;
  chunkBytes: number;
  /** Goes up by one with every save that changed something. */
  generation: number;
  /** SHA-256 (hex) of each chunk, null for an all-zero chunk (not stored). */
  chunks: (string | null)[];
  savedAt: number;
}

export interface ChunkRecord {
  schema: 1;
  vmId: string;
  index: number;
  /** The generation that last wrote this chunk. */
  generation: number;
  sha256: string;
  bytes: ArrayBuffer;
}

/** A snapshot without its bytes (those live in snapshot-data under the same id). */
export interface SnapshotRecord extends Omit<VmSnapshot, "data"> {
  schema: 1;
  vmId: string;
  dataBytes: number;
  dataSha256: string;
}

export interface SnapshotDataRecord {
  schema: 1;
  id: string;
  data: ArrayBuffer;
}

export interface QuarantinedRecord {
  store: string;
  key: IDBValidKey;
  /** The record exactly as it was read. */
  value: unknown;
}

export interface QuarantineEntry {
  schema: 1;
  id?: number;
  /** Which thing this was, in words ("VM web1", "disk of web1"). */
  what: string;
  reason: string;
  quarantinedAt: number;
  records: QuarantinedRecord[];
}

export type Checked<T> = { ok: true; value: T; migrated: boolean } | { ok: false; reason: string };

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The record's schema version, or why it cannot be read at all. */
function schemaOf(kind: RecordKind, value: unknown): number | string {
  if (!isObject(value)) return `not a record (${describe(value)})`;
  const schema = value.schema;
  if (typeof schema !== "number" || !Number.isInteger(schema) || schema < 1)
    return `no schema version (${describe(schema)})`;
  if (schema > SCHEMA[kind])
    return `written by a newer version of this site (schema ${schema}; this page reads up to ${SCHEMA[kind]})`;
  return schema;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (value instanceof ArrayBuffer) return `${value.byteLength} bytes`;
  if (typeof value === "string") return `text "${value.slice(0, 40)}"`;
  return typeof value;
}

/** First failed field check, as "field: what is wrong". */
function check(fields: Fields, rules: Record<string, (v: unknown) => boolean>): string | undefined {
  for (const [field, ok] of Object.entries(rules))
    if (!ok(fields[field])) return `${field} is ${describe(fields[field])}, not valid`;
  return undefined;
}

const isText = (v: unknown) => typeof v === "string" && v.length > 0 && v.length <= 200;
const isCount = (v: unknown) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const isTime = isCount;
const isSha256 = (v: unknown) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v);
const isMac = (v: unknown) => typeof v === "string" && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(v);
const isBytes = (v: unknown) => v instanceof ArrayBuffer;

const isString = (v: unknown) => typeof v === "string";
const isWhole = (v: unknown) => typeof v === "number" && Number.isSafeInteger(v);

/**
 * The config as the page stored it: each field of the type a VmConfig has (nothing is coerced:
 * a missing name must not become "undefined"), and what the create form's checks give back.
 */
function checkConfig(
  value: unknown,
): { ok: true; config: VmConfig } | { ok: false; reason: string } {
  if (!isObject(value)) return { ok: false, reason: `config is ${describe(value)}` };
  const disk = value.disk;
  const diskProblem = isObject(disk)
    ? check(disk, { kind: isString, ...(disk.kind === "blank" ? { sizeMb: isWhole } : {}) })
    : `is ${describe(disk)}, not valid`;
  const problem =
    check(value, { name: isString, memoryMb: isWhole, boot: isString, network: isString }) ??
    (diskProblem && `disk${isObject(disk) ? "." : " "}${diskProblem}`);
  if (problem) return { ok: false, reason: `config.${problem}` };
  const result = validateVmConfig(vmConfigInput(value as unknown as VmConfigFields), []);
  if (!result.ok) return { ok: false, reason: `config: ${Object.values(result.errors).join(" ")}` };
  if (result.config.name !== value.name)
    return {
      ok: false,
      reason: `config.name is ${describe(value.name)}, not as the page stores it`,
    };
  return { ok: true, config: result.config };
}

/** To the current version; an address is given when the VM next loads, then stored. */
export function migrateVmRecord(old: VmRecordV1 | VmRecordV2): VmRecord {
  // diskInstalled of a v1 record: unknown until the disk is next saved.
  const diskInstalled = old.schema === 2 ? old.diskInstalled : false;
  return { ...old, schema: 3, address: null, diskInstalled };
}

export function checkVmRecord(value: unknown): Checked<VmRecord> {
  const schema = schemaOf("vm", value);
  if (typeof schema === "string") return { ok: false, reason: schema };
  const problem = check(value as Fields, { id: isText, mac: isMac, createdAt: isTime });
  if (problem) return { ok: false, reason: problem };
  const config = checkConfig((value as Fields).config);
  if (!config.ok) return config;
  // The config the checks gave back, so the record holds exactly what a VmConfig is.
  const fields: Fields = { ...(value as Fields), config: config.config };
  if (schema >= 2 && typeof fields.diskInstalled !== "boolean")
    return { ok: false, reason: `diskInstalled is ${describe(fields.diskInstalled)}, not valid` };
  if (schema < 3)
    return {
      ok: true,
      value: migrateVmRecord(fields as unknown as VmRecordV1 | VmRecordV2),
      migrated: true,
    };
  if (fields.address !== null && !isSwitchAddress(fields.address))
    return { ok: false, reason: `address is ${describe(fields.address)}, not valid` };
  return { ok: true, value: fields as unknown as VmRecord, migrated: false };
}

export function checkDiskManifest(value: unknown): Checked<DiskManifest> {
  const schema = schemaOf("disk", value);
  if (typeof schema === "string") return { ok: false, reason: schema };
  const fields = value as Fields;
  const problem = check(fields, {
    vmId: isText,
    sizeBytes: isCount,
    chunkBytes: (v) => isCount(v) && (v as number) > 0,
    generation: isCount,
    savedAt: isTime,
    chunks: (v) => Array.isArray(v) && v.every((h) => h === null || isSha256(h)),
  });
  if (problem) return { ok: false, reason: problem };
  const m = value as DiskManifest;
  if (m.chunks.length !== Math.ceil(m.sizeBytes / m.chunkBytes))
    return {
      ok: false,
      reason: `lists ${m.chunks.length} chunks for ${m.sizeBytes} bytes in chunks of ${m.chunkBytes}`,
    };
  return { ok: true, value: m, migrated: false };
}

export function checkChunkRecord(value: unknown): Checked<ChunkRecord> {
  const schema = schemaOf("chunk", value);
  if (typeof schema === "string") return { ok: false, reason: schema };
  const problem = check(value as Fields, {
    vmId: isText,
    index: isCount,
    generation: isCount,
    sha256: isSha256,
    bytes: isBytes,
  });
  if (problem) return { ok: false, reason: problem };
  return { ok: true, value: value as ChunkRecord, migrated: false };
}

const isMachine = (v: unknown) => machineConfigSchema.safeParse(v).success;

export function checkSnapshotRecord(value: unknown): Checked<SnapshotRecord> {
  const schema = schemaOf("snapshot", value);
  if (typeof schema === "string") return { ok: false, reason: schema };
  const problem = check(value as Fields, {
    id: isText,
    vmId: isText,
    name: isText,
    vmName: isText,
    profile: isText,
    createdAt: isTime,
    rawBytes: isCount,
    format: (v) => v === "gzip" || v === "zstd" || v === "raw",
    v86Version: isText,
    machine: isMachine,
    prompt: (v) => typeof v === "string",
    takeMs: isCount,
    dataBytes: isCount,
    dataSha256: isSha256,
  });
  if (problem) return { ok: false, reason: problem };
  return { ok: true, value: value as SnapshotRecord, migrated: false };
}

export function checkSnapshotData(value: unknown): Checked<SnapshotDataRecord> {
  const schema = schemaOf("snapshotData", value);
  if (typeof schema === "string") return { ok: false, reason: schema };
  const problem = check(value as Fields, { id: isText, data: isBytes });
  if (problem) return { ok: false, reason: problem };
  return { ok: true, value: value as SnapshotDataRecord, migrated: false };
}

export function snapshotRecordOf(
  vmId: string,
  snapshot: VmSnapshot,
  dataSha256: string,
): SnapshotRecord {
  const { data, ...described } = snapshot;
  return { ...described, schema: 1, vmId, dataBytes: data.byteLength, dataSha256 };
}

export function snapshotOf(record: SnapshotRecord, data: ArrayBuffer): VmSnapshot {
  const {
    schema: _schema,
    vmId: _vmId,
    dataBytes: _bytes,
    dataSha256: _sha,
    ...described
  } = record;
  return { ...described, data };
}
