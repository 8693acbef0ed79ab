import type { Instance } from "./cloud";
import type { InstanceRecord } from "./cloud-records";
import { runningMs } from "./cost-meter";
import { instanceType } from "./instance-types";
import type { SecurityGroup } from "./security-groups";

/**
 * An instance as a reload keeps it (cloud-records.ts) and back: no VM (a reload ends it), its
 * running time as a total so far, its state stopped or terminated.
 */

export function keptInstance(i: Instance, terminated: boolean, now: number): InstanceRecord {
  return {
    id: i.id,
    name: i.name,
    typeName: i.type.name,
    imageId: i.imageId,
    imageName: i.imageName,
    groupId: i.groupId,
    userData: i.userData,
    userDataRun: { status: i.userDataRun.status, output: i.userDataRun.output },
    launchedAt: i.launchedAt,
    address: i.address ?? null,
    runningMs: runningMs(i.running, now),
    terminated,
  };
}

/** The kept instance, in `fallback` when its own group is no longer kept (and saying so). */
export function restoredInstance(
  kept: InstanceRecord,
  groups: readonly SecurityGroup[],
  fallback: SecurityGroup,
): Instance {
  const grouped = groups.some((g) => g.id === kept.groupId);
  return {
    id: kept.id,
    name: kept.name,
    type: instanceType(kept.typeName)!,
    imageId: kept.imageId,
    imageName: kept.imageName,
    groupId: grouped ? kept.groupId : fallback.id,
    userData: kept.userData,
    userDataRun: kept.userDataRun,
    launchedAt: kept.launchedAt,
    state: kept.terminated ? "terminated" : "stopped",
    address: kept.address ?? undefined,
    running: { pastMs: kept.runningMs, since: undefined },
    message: grouped ? "" : `Its security group is no longer kept: it is in ${fallback.name}.`,
    machine: undefined,
  };
}
