import { machineConfigSchema } from "../emulator/manifest";
import { validate, z, type DefaultMessage } from "../zod";
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
 * passes when read (Zod schemas; the first problem is the reason a record is set aside, worded
 * "field is what was found, not valid"), and the migrations from older versions. Pure: no
 * IndexedDB here.
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

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (value instanceof ArrayBuffer) return `${value.byteLength} bytes`;
  if (typeof value === "string") return `text "${value.slice(0, 40)}"`;
  return typeof value;
}

/** A field that fails its check, in the one wording quarantine reasons use. */
const notValid: DefaultMessage = ({ where, input }) => `${where} is ${describe(input)}, not valid`;

/** The first problem as the reason a record is set aside. */
function checked<S extends z.ZodType>(
  schema: S,
  value: unknown,
): { ok: true; value: z.output<S> } | { ok: false; reason: string } {
  const result = validate(schema, value, notValid);
  return result.ok ? result : { ok: false, reason: result.issues[0]!.message };
}

const text = z.string().min(1).max(200);
const count = z.int().min(0);
const time = count;
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const mac = z.string().regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
const bytes = z.instanceof(ArrayBuffer);

/** Every record: an object with a schema version this page reads. */
function versioned(kind: RecordKind) {
  const noVersion = ({ input }: { input: unknown }) => `no schema version (${describe(input)})`;
  return z.looseObject(
    {
      schema: z
        .int({ error: noVersion })
        .min(1, { error: noVersion })
        .max(SCHEMA[kind], {
          error: ({ input }) =>
            `written by a newer version of this site (schema ${String(input)}; this page reads up to ${SCHEMA[kind]})`,
        }),
    },
    { error: ({ input }) => `not a record (${describe(input)})` },
  );
}

/**
 * The config as the page stored it: each field of the type a VmConfig has (nothing is coerced:
 * a missing name must not become "undefined"), and what the create form's checks give back.
 */
const storedConfig = z
  .looseObject({
    name: z.string(),
    memoryMb: z.int(),
    boot: z.string(),
    disk: z.looseObject({ kind: z.string() }).superRefine((disk, ctx) => {
      const sizeMb: unknown = disk.sizeMb;
      if (disk.kind === "blank" && !Number.isSafeInteger(sizeMb))
        ctx.addIssue({ code: "custom", path: ["sizeMb"], input: sizeMb });
    }),
    network: z.string(),
    /** Absent in records made before VMs had a choice: those VMs had an NE2000 card. */
    nic: z.string().optional(),
  })
  .transform((fields, ctx): VmConfig => {
    const stored = { ...fields, nic: fields.nic ?? "ne2k" } as unknown as VmConfigFields;
    const result = validateVmConfig(vmConfigInput(stored), []);
    if (!result.ok) {
      ctx.addIssue({
        code: "custom",
        message: `config: ${Object.values(result.errors).join(" ")}`,
      });
      return z.NEVER;
    }
    if (result.config.name !== fields.name) {
      ctx.addIssue({
        code: "custom",
        message: `config.name is ${describe(fields.name)}, not as the page stores it`,
      });
      return z.NEVER;
    }
    // The config the checks gave back, so the record holds exactly what a VmConfig is.
    return result.config;
  });

const vmFields = { id: text, mac, createdAt: time, config: storedConfig };
const vmRecordV1 = z.looseObject({ schema: z.literal(1), ...vmFields });
const vmRecordV2 = z.looseObject({ schema: z.literal(2), ...vmFields, diskInstalled: z.boolean() });
const vmRecordV3 = z.looseObject({
  schema: z.literal(3),
  ...vmFields,
  diskInstalled: z.boolean(),
  address: z.custom<string | null>((v) => v === null || isSwitchAddress(v)),
});

/** To the current version; an address is given when the VM next loads, then stored. */
export function migrateVmRecord(old: VmRecordV1 | VmRecordV2): VmRecord {
  // diskInstalled of a v1 record: unknown until the disk is next saved.
  const diskInstalled = old.schema === 2 ? old.diskInstalled : false;
  return { ...old, schema: 3, address: null, diskInstalled };
}

export function checkVmRecord(value: unknown): Checked<VmRecord> {
  const version = checked(versioned("vm"), value);
  if (!version.ok) return version;
  const schema = version.value.schema;
  if (schema === 3) {
    const record = checked(vmRecordV3, value);
    return record.ok ? { ok: true, value: record.value, migrated: false } : record;
  }
  const record = checked(schema === 2 ? vmRecordV2 : vmRecordV1, value);
  if (!record.ok) return record;
  return { ok: true, value: migrateVmRecord(record.value), migrated: true };
}

const diskManifest = z
  .looseObject({
    vmId: text,
    sizeBytes: count,
    chunkBytes: count.min(1),
    generation: count,
    savedAt: time,
    chunks: z.array(z.union([z.null(), sha256])),
  })
  .superRefine((m, ctx) => {
    if (m.chunks.length !== Math.ceil(m.sizeBytes / m.chunkBytes))
      ctx.addIssue({
        code: "custom",
        message: `lists ${m.chunks.length} chunks for ${m.sizeBytes} bytes in chunks of ${m.chunkBytes}`,
      });
  });

export function checkDiskManifest(value: unknown): Checked<DiskManifest> {
  const version = checked(versioned("disk"), value);
  if (!version.ok) return version;
  const manifest = checked(diskManifest, value);
  return manifest.ok ? { ok: true, value: value as DiskManifest, migrated: false } : manifest;
}

const chunkRecord = z.looseObject({
  vmId: text,
  index: count,
  generation: count,
  sha256,
  bytes,
});

export function checkChunkRecord(value: unknown): Checked<ChunkRecord> {
  const version = checked(versioned("chunk"), value);
  if (!version.ok) return version;
  const chunk = checked(chunkRecord, value);
  return chunk.ok ? { ok: true, value: value as ChunkRecord, migrated: false } : chunk;
}

const snapshotRecord = z.looseObject({
  id: text,
  vmId: text,
  name: text,
  vmName: text,
  profile: text,
  createdAt: time,
  rawBytes: count,
  format: z.enum(["gzip", "zstd", "raw"]),
  v86Version: text,
  machine: machineConfigSchema,
  prompt: z.string(),
  takeMs: count,
  dataBytes: count,
  dataSha256: sha256,
});

export function checkSnapshotRecord(value: unknown): Checked<SnapshotRecord> {
  const version = checked(versioned("snapshot"), value);
  if (!version.ok) return version;
  const snapshot = checked(snapshotRecord, value);
  return snapshot.ok ? { ok: true, value: value as SnapshotRecord, migrated: false } : snapshot;
}

const snapshotDataRecord = z.looseObject({ id: text, data: bytes });

export function checkSnapshotData(value: unknown): Checked<SnapshotDataRecord> {
  const version = checked(versioned("snapshotData"), value);
  if (!version.ok) return version;
  const data = checked(snapshotDataRecord, value);
  return data.ok ? { ok: true, value: value as SnapshotDataRecord, migrated: false } : data;
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
