import type { ValidationIssue } from "../zod";
import type { Cloud } from "./cloud";
import type { ScalingGroupRecord } from "./cloud-records";
import { cloudId } from "./ids";
import { Rounds } from "./rounds";
import { checkScalingSpec, planScaling, SCALING_MAX, type ScalingGroupSpec } from "./scaling";

/**
 * Runs the auto scaling groups of a cloud: every few seconds it checks the health of each group's
 * running members through the guest agent, then launches, replaces or trims as planScaling()
 * says, and keeps a short log of what it did and why.
 */

export interface ScalingGroup extends ScalingGroupSpec {
  id: string;
  /** Instance ids, oldest first. */
  members: string[];
  /** Health checks failed in a row, per member. */
  failures: Record<string, number>;
  /** What the group did, newest last (at most ACTIVITY_KEPT lines). */
  activity: string[];
  /** Kept across a reload: it neither checks, launches nor replaces until resumed. */
  paused: boolean;
}

export const SCALING_ROUND_MS = 3000;
const ACTIVITY_KEPT = 20;

export class ScalingController {
  private readonly list: ScalingGroup[] = [];
  private readonly rounds = new Rounds(SCALING_ROUND_MS, async () => {
    for (const group of [...this.list]) if (!group.paused) await this.roundFor(group);
  });

  constructor(
    private readonly cloud: Cloud,
    private readonly onChange: () => void,
  ) {}

  get groups(): readonly ScalingGroup[] {
    return this.list;
  }

  create(
    input: unknown,
  ): { ok: true; group: ScalingGroup } | { ok: false; issues: ValidationIssue[] } {
    const checked = checkScalingSpec(
      input,
      this.cloud.images.map((i) => i.id),
      this.cloud.groups.map((g) => g.id),
    );
    if (!checked.ok) return checked;
    if (this.list.some((g) => g.name === checked.spec.name))
      return {
        ok: false,
        issues: [
          {
            where: "name",
            path: ["name"],
            message: `A group named "${checked.spec.name}" already exists.`,
          },
        ],
      };
    const group: ScalingGroup = {
      ...checked.spec,
      id: cloudId("sg").replace("sg-", "asg-"),
      members: [],
      failures: {},
      activity: [],
      paused: false,
    };
    this.list.push(group);
    this.log(group, `created: desired ${group.desired} (min ${group.min}, max ${group.max})`);
    this.rounds.start();
    void this.round();
    return { ok: true, group };
  }

  /** Sets the desired count within the group's min and max; the next round acts on it. */
  setDesired(id: string, desired: number): string | undefined {
    const group = this.list.find((g) => g.id === id);
    if (!group) return "No such group.";
    if (
      !Number.isInteger(desired) ||
      desired < group.min ||
      desired > Math.min(group.max, SCALING_MAX)
    )
      return `Desired must be between ${group.min} and ${group.max}.`;
    group.desired = desired;
    this.log(group, `desired set to ${desired}`);
    void this.round();
    return undefined;
  }

  /** Deletes the group and terminates its instances. */
  async remove(id: string): Promise<void> {
    const i = this.list.findIndex((g) => g.id === id);
    if (i < 0) return;
    const [group] = this.list.splice(i, 1);
    this.onChange();
    await Promise.all(group!.members.map((m) => this.cloud.terminate(m)));
  }

  /** The groups as a reload keeps them (no health counts: the members' VMs end with the page). */
  keptGroups(): ScalingGroupRecord[] {
    return this.list.map(({ failures: _failures, paused: _paused, ...kept }) => ({
      ...kept,
      members: [...kept.members],
      activity: [...kept.activity],
    }));
  }

  /**
   * Groups kept across a reload come back paused: their members come back stopped, and a group
   * that replaced them at once would boot VMs the learner did not ask for. Resume lets it act.
   */
  restore(kept: readonly ScalingGroupRecord[]): void {
    for (const record of kept) {
      const group: ScalingGroup = { ...record, failures: {}, paused: true };
      this.list.push(group);
      this.log(group, "kept across a reload: paused until you resume it");
    }
    if (this.list.length > 0) this.rounds.start();
  }

  /** Lets a paused group check, launch and replace again. */
  resume(id: string): void {
    const group = this.list.find((g) => g.id === id);
    if (!group?.paused) return;
    group.paused = false;
    this.log(group, "resumed");
    void this.round();
  }

  stop(): void {
    this.rounds.stop();
  }

  /** One round for every group; a round still running when the next is due is not doubled. */
  round(): Promise<void> {
    return this.rounds.run();
  }

  private async roundFor(group: ScalingGroup): Promise<void> {
    await this.checkHealth(group);
    const members = group.members.map((id) => ({
      id,
      state: this.cloud.find(id)?.state ?? ("terminated" as const),
      failures: group.failures[id] ?? 0,
    }));
    const plan = planScaling(group.desired, members);
    for (const id of plan.gone) this.log(group, `${this.nameOf(id)} is terminated: replacing it`);
    group.members = group.members.filter((id) => !plan.gone.includes(id));
    for (const id of [...plan.replace, ...plan.trim]) {
      const why = plan.trim.includes(id)
        ? "above the desired count"
        : (group.failures[id] ?? 0) > 0
          ? "unhealthy"
          : "stopped";
      this.log(group, `terminating ${this.nameOf(id)} (${why})`);
      group.members = group.members.filter((m) => m !== id);
      await this.cloud.terminate(id);
    }
    // A group removed meanwhile (deleted, or its lab reset) launches nothing more.
    for (let n = 0; n < plan.launch && this.list.includes(group); n++) await this.launchOne(group);
  }

  private async checkHealth(group: ScalingGroup): Promise<void> {
    for (const id of group.members) {
      const instance = this.cloud.find(id);
      // Only a member that runs and has finished its user data is judged.
      const ready =
        instance?.state === "running" &&
        !["waiting", "running"].includes(instance.userDataRun.status);
      if (!ready || !instance.machine) continue;
      const healthy = await instance.machine
        .runCheck(group.healthCheck, { timeoutS: 5 })
        .then((r) => r.status === 0)
        .catch(() => false);
      const before = group.failures[id] ?? 0;
      group.failures[id] = healthy ? 0 : before + 1;
      if (!healthy)
        this.log(group, `${instance.name} failed its health check (${before + 1} in a row)`);
    }
  }

  private async launchOne(group: ScalingGroup): Promise<void> {
    // Not a terminated member's name either: its row stays in the table.
    const taken = new Set([
      ...this.cloud.host.machines.map((m) => m.name),
      ...this.cloud.instances.map((i) => i.name),
    ]);
    let n = 1;
    while (taken.has(`${group.name}-${n}`)) n++;
    const result = await this.cloud.launch({
      name: `${group.name}-${n}`,
      imageId: group.imageId,
      typeName: group.typeName,
      groupId: group.groupId,
      userData: group.userData,
    });
    if (!result.ok) {
      this.log(group, `could not launch: ${Object.values(result.errors)[0]}`);
      return;
    }
    if (!this.list.includes(group)) return this.cloud.terminate(result.instance.id);
    group.members.push(result.instance.id);
    this.log(group, `launched ${result.instance.name}`);
  }

  private nameOf(id: string): string {
    return this.cloud.find(id)?.name ?? id;
  }

  private log(group: ScalingGroup, text: string): void {
    const line = `${new Date().toLocaleTimeString()} ${text}`;
    group.activity = [...group.activity, line].slice(-ACTIVITY_KEPT);
    this.onChange();
  }
}
