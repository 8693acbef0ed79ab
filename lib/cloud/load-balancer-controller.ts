import type { Cloud } from "./cloud";
import type { BalancerRecord } from "./cloud-records";
import { BASE_IMAGES } from "./images";
import { Rounds } from "./rounds";
import {
  LOAD_BALANCER_USER_DATA,
  parseCounts,
  READ_COUNTS_COMMAND,
  setTargetsCommand,
  type TargetCounts,
} from "./load-balancer";

/**
 * Load balancers over auto scaling groups: each is an instance running the round-robin CGI
 * (load-balancer.ts); every few seconds its targets are set to the group's healthy members and
 * its counts read back, through the guest agent.
 */

export interface LoadBalancer {
  name: string;
  /** The balancer's own instance. */
  instanceId: string;
  scalingGroupId: string;
  /** Addresses it sends requests to now (as last set in the guest). */
  targets: string[];
  counts: Record<string, TargetCounts>;
  message: string;
}

export const BALANCER_ROUND_MS = 3000;

export class LoadBalancerController {
  private readonly list: LoadBalancer[] = [];
  private readonly rounds = new Rounds(BALANCER_ROUND_MS, async () => {
    for (const balancer of this.list) await this.roundFor(balancer);
  });

  constructor(
    private readonly cloud: Cloud,
    private readonly onChange: () => void,
  ) {}

  get balancers(): readonly LoadBalancer[] {
    return this.list;
  }

  /** Launches the balancer's instance (course image, t.small) in `groupId`, before a scaling group. */
  async create(input: {
    name: string;
    scalingGroupId: string;
    groupId: string;
  }): Promise<{ ok: true } | { ok: false; error: string }> {
    if (!this.cloud.scaling.groups.some((g) => g.id === input.scalingGroupId))
      return { ok: false, error: "Choose an auto scaling group for its targets." };
    const launched = await this.cloud.launch(
      {
        name: input.name,
        imageId: BASE_IMAGES[0]!.id,
        typeName: "t.small",
        groupId: input.groupId,
        userData: LOAD_BALANCER_USER_DATA,
      },
      { address: this.topFreeAddress() },
    );
    if (!launched.ok) return { ok: false, error: Object.values(launched.errors)[0] ?? "" };
    this.list.push({
      name: launched.instance.name,
      instanceId: launched.instance.id,
      scalingGroupId: input.scalingGroupId,
      targets: [],
      counts: {},
      message: "starting",
    });
    this.rounds.start();
    this.onChange();
    return { ok: true };
  }

  /** Balancers take addresses from the top of the range down (10.0.0.254 first), apart from instances. */
  private topFreeAddress(): string | undefined {
    const taken = new Set(this.cloud.takenAddresses());
    for (let n = 254; n > 1; n--) if (!taken.has(`10.0.0.${n}`)) return `10.0.0.${n}`;
    return undefined;
  }

  /** The group's members that run, finished their user data and passed their last health check. */
  healthyTargets(balancer: LoadBalancer): string[] {
    const group = this.cloud.scaling.groups.find((g) => g.id === balancer.scalingGroupId);
    if (!group) return [];
    const targets: string[] = [];
    for (const id of group.members) {
      const i = this.cloud.find(id);
      const booted = i?.userDataRun.status !== "waiting" && i?.userDataRun.status !== "running";
      if (i?.state === "running" && booted && (group.failures[id] ?? 0) === 0 && i.address)
        targets.push(i.address);
    }
    return targets;
  }

  /** Balancers kept across a reload: their instances come back stopped, targets are set anew. */
  restore(kept: readonly BalancerRecord[]): void {
    for (const record of kept)
      this.list.push({ ...record, targets: [], counts: {}, message: "its instance is stopped" });
    if (this.list.length > 0) this.rounds.start();
  }

  /** Forgets every balancer (their instances are the cloud's to terminate). */
  clear(): void {
    this.stop();
    this.list.splice(0);
  }

  stop(): void {
    this.rounds.stop();
  }

  round(): Promise<void> {
    return this.rounds.run();
  }

  private async roundFor(balancer: LoadBalancer): Promise<void> {
    const instance = this.cloud.find(balancer.instanceId);
    const machine = instance?.machine;
    if (!instance || instance.state !== "running" || !machine)
      balancer.message = `its instance is ${instance?.state ?? "gone"}`;
    else if (instance.userDataRun.status !== "done") balancer.message = "starting";
    else {
      try {
        const wanted = this.healthyTargets(balancer);
        if (wanted.join(" ") !== balancer.targets.join(" ")) {
          await machine.runCheck(setTargetsCommand(wanted), { timeoutS: 5 });
          balancer.targets = wanted;
        }
        const read = await machine.runCheck(READ_COUNTS_COMMAND, { timeoutS: 5 });
        balancer.counts = parseCounts(read.output);
        balancer.message = "";
      } catch (error) {
        balancer.message = String(error);
      }
    }
    this.onChange();
  }
}
