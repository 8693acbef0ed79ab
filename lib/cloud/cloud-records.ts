import { machineConfigSchema } from "../emulator/manifest";
import type { VmSnapshot } from "../emulator/snapshots";
import { FILTER_PROTOCOLS } from "../emulator/packet-filter";
import { isSwitchAddress } from "../emulator/switch-addresses";
import type { CloudKey, CloudRecordMove, StoredCloudRecord } from "../storage/cloud-store";
import { validate, z, type DefaultMessage } from "../zod";
import { BASE_IMAGES, type CloudImage } from "./images";
import { INSTANCE_TYPE_NAMES } from "./instance-types";
import type { SecurityGroup } from "./security-groups";
import type { ScalingGroupSpec } from "./scaling";

/**
 * What a console keeps in this browser (lib/storage/cloud-store.ts), one record per thing, each
 * with a schema version: the shapes, their checks, and the sorting of a load into what comes back
 * and what is set aside (a record that fails its checks, one written by a newer page, an instance
 * of a balancer that is not stored). Pure: lib/cloud/cloud-persistence.ts does the reading and
 * writing.
 */

export const CLOUD_RECORD_SCHEMA = 1;
export const CLOUD_KINDS = [
  "group",
  "image",
  "instance",
  "scaling",
  "balancer",
  "stopped",
] as const;
export type CloudKind = (typeof CLOUD_KINDS)[number];

/** An instance as kept: no machine (a reload ends it), its running time as a total. */
export interface InstanceRecord {
  id: string;
  name: string;
  typeName: string;
  imageId: string;
  imageName: string;
  groupId: string;
  userData: string;
  userDataRun: { status: "none" | "waiting" | "running" | "done" | "failed"; output: string };
  launchedAt: number;
  address: string | null;
  runningMs: number;
  terminated: boolean;
}

export interface ScalingGroupRecord extends ScalingGroupSpec {
  id: string;
  members: string[];
  activity: string[];
}

/** The machine a Stop saved, which Start resumes (kept while the instance is stopped). */
export interface StoppedRecord {
  /** The instance's id. */
  id: string;
  snapshot: VmSnapshot;
}

export interface BalancerRecord {
  name: string;
  instanceId: string;
  scalingGroupId: string;
}

/** A whole cloud as kept (learner images with their snapshots). */
export interface CloudState {
  groups: SecurityGroup[];
  images: CloudImage[];
  instances: InstanceRecord[];
  scaling: ScalingGroupRecord[];
  balancers: BalancerRecord[];
  stopped: StoppedRecord[];
}

export const EMPTY_CLOUD: CloudState = {
  groups: [],
  images: [],
  instances: [],
  scaling: [],
  balancers: [],
  stopped: [],
};

const id = z.string().regex(/^[a-z]+-[0-9a-z-]{1,40}$/);
const text = z.string().max(20_000);
const name = z.string().min(1).max(64);
const time = z.int().min(0);

const groupRecord = z.looseObject({
  id,
  name,
  description: text,
  rules: z.array(
    z.looseObject({
      id,
      protocol: z.enum(FILTER_PROTOCOLS),
      fromPort: z.int().min(0).max(65535),
      toPort: z.int().min(0).max(65535),
      source: z.string().min(1).max(64),
    }),
  ),
});

const snapshot = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  vmName: z.string(),
  profile: z.string(),
  createdAt: time,
  rawBytes: time,
  format: z.enum(["gzip", "zstd", "raw"]),
  data: z.instanceof(ArrayBuffer),
  v86Version: z.string().min(1),
  machine: machineConfigSchema,
  prompt: z.string(),
  takeMs: z.number().min(0),
});

const imageRecord = z.looseObject({
  id,
  name,
  description: text,
  profile: z.literal("live"),
  memoryMb: z.int().positive(),
  sourceInstanceId: z.string().optional(),
  createdAt: time,
  snapshot,
});

const instanceRecord = z.looseObject({
  id,
  name,
  typeName: z.enum(INSTANCE_TYPE_NAMES),
  imageId: id,
  imageName: name,
  groupId: id,
  userData: text,
  userDataRun: z.looseObject({
    status: z.enum(["none", "waiting", "running", "done", "failed"]),
    output: text,
  }),
  launchedAt: time,
  address: z.custom<string | null>((v) => v === null || isSwitchAddress(v)),
  runningMs: z.number().min(0),
  terminated: z.boolean(),
});

const scalingRecord = z.looseObject({
  id,
  name,
  imageId: id,
  typeName: z.enum(INSTANCE_TYPE_NAMES),
  groupId: id,
  desired: z.int().min(0),
  min: z.int().min(0),
  max: z.int().min(0),
  healthCheck: text,
  userData: text,
  members: z.array(id),
  activity: z.array(text),
});

const balancerRecord = z.looseObject({ name, instanceId: id, scalingGroupId: id });

const stoppedRecord = z.looseObject({ id, snapshot });

const SCHEMAS = {
  group: groupRecord,
  image: imageRecord,
  instance: instanceRecord,
  scaling: scalingRecord,
  balancer: balancerRecord,
  stopped: stoppedRecord,
} satisfies Record<CloudKind, z.ZodType>;

function shown(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `text "${value.slice(0, 40)}"`;
  return typeof value;
}

const invalid: DefaultMessage = ({ where, input }) =>
  `${where || "it"} is ${shown(input)}, not valid`;

const versioned = z.looseObject(
  {
    schema: z
      .int({ error: ({ input }) => `no schema version (${shown(input)})` })
      .min(1)
      .max(CLOUD_RECORD_SCHEMA, {
        error: ({ input }) =>
          `written by a newer version of this site (schema ${String(input)}; this page reads up to ${CLOUD_RECORD_SCHEMA})`,
      }),
  },
  { error: ({ input }) => `not a record (${shown(input)})` },
);

/** Checks one stored record of a kind: its value without the version, or why it is set aside. */
export function checkCloudRecord(
  kind: string,
  value: unknown,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (!(CLOUD_KINDS as readonly string[]).includes(kind))
    return { ok: false, reason: `an unknown kind of record ("${kind}")` };
  const version = validate(versioned, value, invalid);
  if (!version.ok) return { ok: false, reason: version.issues[0]!.message };
  const result = validate(SCHEMAS[kind as CloudKind], value, invalid);
  if (!result.ok) return { ok: false, reason: result.issues[0]!.message };
  const { schema: _schema, ...rest } = result.value as Record<string, unknown>;
  return { ok: true, value: rest };
}

function whatOf(kind: string, key: CloudKey, value: unknown): string {
  const named = (value as { name?: unknown } | null)?.name;
  const label = {
    group: "security group",
    scaling: "auto scaling group",
    balancer: "load balancer",
    stopped: "saved machine of instance",
  };
  return `${label[kind as keyof typeof label] ?? kind} ${typeof named === "string" ? named : key[2]}`;
}

/**
 * Sorts a scope's stored records: each checked by its kind; then the links between them (a
 * balancer whose instance is not stored, a scaling group whose image is not) set the dangling
 * ones aside too, so what comes back always holds together.
 */
export function sortCloudRecords(records: readonly StoredCloudRecord[]): {
  state: CloudState;
  moves: CloudRecordMove[];
} {
  const moves: CloudRecordMove[] = [];
  const kept: Record<CloudKind, { key: CloudKey; value: unknown }[]> = {
    group: [],
    image: [],
    instance: [],
    scaling: [],
    balancer: [],
    stopped: [],
  };
  for (const { key, value } of records) {
    const checked = checkCloudRecord(key[1], value);
    if (!checked.ok) moves.push({ key, what: whatOf(key[1], key, value), reason: checked.reason });
    else if (
      key[2] !== (checked.value as { id?: string; name?: string }).id &&
      key[1] !== "balancer"
    )
      moves.push({ key, what: whatOf(key[1], key, value), reason: "its key and id differ" });
    else kept[key[1] as CloudKind].push({ key, value: checked.value });
  }
  const images = kept.image.map((r) => r.value as CloudImage);
  const imageIds = new Set([...BASE_IMAGES, ...images].map((i) => i.id));
  const instances = kept.instance.map((r) => r.value as InstanceRecord);
  const instanceIds = new Set(instances.map((i) => i.id));
  const scaling = kept.scaling.filter(({ key, value }) => {
    const group = value as ScalingGroupRecord;
    if (imageIds.has(group.imageId)) return true;
    moves.push({ key, what: whatOf("scaling", key, value), reason: "its image is not stored" });
    return false;
  });
  const balancers = kept.balancer.filter(({ key, value }) => {
    const balancer = value as BalancerRecord;
    if (instanceIds.has(balancer.instanceId)) return true;
    moves.push({ key, what: whatOf("balancer", key, value), reason: "its instance is not stored" });
    return false;
  });
  const stopped = kept.stopped.filter(({ key, value }) => {
    if (instanceIds.has((value as StoppedRecord).id)) return true;
    moves.push({ key, what: whatOf("stopped", key, value), reason: "its instance is not stored" });
    return false;
  });
  const byTime = <T extends { launchedAt?: number; createdAt?: number }>(list: T[]) =>
    list.sort((a, b) => (a.launchedAt ?? a.createdAt ?? 0) - (b.launchedAt ?? b.createdAt ?? 0));
  return {
    state: {
      groups: kept.group.map((r) => r.value as SecurityGroup),
      images: byTime(images),
      instances: byTime(instances),
      scaling: scaling.map((r) => r.value as ScalingGroupRecord),
      balancers: balancers.map((r) => r.value as BalancerRecord),
      stopped: stopped.map((r) => r.value as StoppedRecord),
    },
    moves,
  };
}

/** The key of a thing of a scope. */
export function cloudKey(scope: string, kind: CloudKind, thingId: string): CloudKey {
  return [scope, kind, thingId];
}

/** The records of a cloud's state as stored (each with its schema version). */
export function recordsOf(scope: string, state: CloudState): StoredCloudRecord[] {
  const record = (kind: CloudKind, thingId: string, value: object): StoredCloudRecord => ({
    key: cloudKey(scope, kind, thingId),
    value: { schema: CLOUD_RECORD_SCHEMA, ...value },
  });
  return [
    ...state.groups.map((g) => record("group", g.id, g)),
    ...state.images.map((i) => record("image", i.id, i)),
    ...state.instances.map((i) => record("instance", i.id, i)),
    ...state.scaling.map((s) => record("scaling", s.id, s)),
    ...state.balancers.map((b) => record("balancer", b.name, b)),
    ...state.stopped.map((m) => record("stopped", m.id, m)),
  ];
}
