import { Emitter } from "../emulator/emitter";
import type { VmHost } from "../emulator/vm-host";
import type { VmMachine, VmState } from "../emulator/vm-machine";
import type { VmSnapshot } from "../emulator/snapshots";
import { freeSwitchAddress } from "../emulator/switch-addresses";
import type { CloudState } from "./cloud-records";
import { createInstanceVm } from "./instance-vm";
import { keptInstance, restoredInstance } from "./kept-instances";
import { costOf, startRunning, stopRunning, type RunningTime } from "./cost-meter";
import { cloudId } from "./ids";
import { BASE_IMAGES, imageTypeError, type CloudImage } from "./images";
import { LoadBalancerController } from "./load-balancer-controller";
import { ScalingController } from "./scaling-controller";
import { instanceState, type InstanceState, type Intent } from "./instance-state";
import { instanceType, type InstanceType } from "./instance-types";
import { checkLaunch, imageNameError, type LaunchErrors } from "./launch-input";
import {
  checkRule,
  filterPolicy,
  groupNameError,
  type RuleCheck,
  type SecurityGroup,
} from "./security-groups";
import {
  announceCommand,
  finishedRun,
  userDataRun,
  userDataScript,
  USER_DATA_TIMEOUT_S,
  type UserDataRun,
} from "./user-data";

/**
 * The console's cloud over the page's hypervisor: instances are real VMs of the VmHost (one per
 * instance, on the page's switch), types set their memory and CPU shares, images are the course's
 * profile or snapshots of instances, security groups are the switch's packet filter, user data
 * runs through the guest agent. No React: components/cloud renders it and calls one method per
 * action.
 */

export interface Instance {
  id: string;
  name: string;
  type: InstanceType;
  imageId: string;
  imageName: string;
  groupId: string;
  userData: string;
  userDataRun: UserDataRun;
  launchedAt: number;
  state: InstanceState;
  /** Private address on the page's switch (10.0.0.N). */
  address: string | undefined;
  running: RunningTime;
  /** The last thing that went wrong, in words. */
  message: string;
  /** The real VM; gone once terminated. */
  machine: VmMachine | undefined;
}

export interface CloudEvents extends Record<string, unknown> {
  change: void;
}

export type LaunchResult = { ok: true; instance: Instance } | { ok: false; errors: LaunchErrors };

interface Tracked {
  instance: Instance;
  intent: Intent;
  /** The machine saved at Stop, which Start resumes (the live guest's files live in memory). */
  stoppedState: VmSnapshot | undefined;
  unsubscribe: () => void;
}

export const DEFAULT_GROUP_NAME = "default";

export class Cloud {
  readonly events = new Emitter<CloudEvents>();
  private readonly tracked: Tracked[] = [];
  private readonly learnerImages: CloudImage[] = [];
  private readonly groupList: SecurityGroup[] = [
    { id: cloudId("sg"), name: DEFAULT_GROUP_NAME, description: "No inbound rules", rules: [] },
  ];

  /** Auto scaling groups over this cloud's instances. */
  readonly scaling: ScalingController = new ScalingController(this, () => this.changed());
  /** Round-robin load balancers in front of scaling groups. */
  readonly balancers: LoadBalancerController = new LoadBalancerController(this, () =>
    this.changed(),
  );

  private clears = 0;

  constructor(
    readonly host: VmHost,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Changes each time the cloud is cleared: forms showing it start afresh. */
  get generation(): number {
    return this.clears;
  }

  get instances(): readonly Instance[] {
    return this.tracked.map((t) => t.instance);
  }
  get images(): readonly CloudImage[] {
    return [...BASE_IMAGES, ...this.learnerImages];
  }
  get groups(): readonly SecurityGroup[] {
    return this.groupList;
  }

  find(idOrName: string): Instance | undefined {
    return this.instances.find((i) => i.id === idOrName || i.name === idOrName);
  }

  /** Illustrative dollars the instance has cost so far (at `now`, by default the cloud's clock). */
  costOf(instance: Instance, now = this.now()): number {
    return costOf(instance.running, instance.type.pricePerHour, now);
  }

  /** Makes and starts a VM for the form's input, or says which field or limit stopped it. */
  /** `address`: a private address wanted (used if free; the load balancers take the top ones). */
  async launch(input: unknown, options: { address?: string } = {}): Promise<LaunchResult> {
    const checked = checkLaunch(
      input,
      this.images.map((i) => i.id),
      this.groupList.map((g) => g.id),
    );
    if (!checked.ok) return checked;
    const { name, imageId, typeName, groupId, userData } = checked.value;
    const image = this.images.find((i) => i.id === imageId)!;
    const type = instanceType(typeName)!;
    const mismatch = imageTypeError(image, type.memoryMb);
    if (mismatch) return { ok: false, errors: { typeName: mismatch } };
    const address = options.address ?? freeSwitchAddress(this.takenAddresses());
    const made = await createInstanceVm(this.host, name, image, type, address);
    if (!made.ok) return made;
    const { machine, message } = made;
    const instance: Instance = {
      id: cloudId("i"),
      name: machine.name,
      type,
      imageId,
      imageName: image.name,
      groupId,
      userData,
      userDataRun: userDataRun(userData),
      launchedAt: this.now(),
      state: "pending",
      address: machine.network.address,
      running: { pastMs: 0, since: undefined },
      message,
      machine,
    };
    const tracked: Tracked = {
      instance,
      intent: "none",
      stoppedState: undefined,
      unsubscribe: () => {},
    };
    this.tracked.push(tracked);
    this.bootOn(tracked, machine, image.snapshot);
    return { ok: true, instance };
  }

  /** Follows the instance's new VM and starts it, from `state` if any (the filter guards it first). */
  private bootOn(t: Tracked, machine: VmMachine, state: VmSnapshot | undefined): void {
    t.unsubscribe = machine.events.on("state", (state) => this.onVmState(t, state));
    machine.events.on("message", (text) => this.update(t, { message: text }));
    // Guarded before its first frame: the port exists from creation.
    this.applyFilter();
    void machine.start(state ? { state } : {});
    this.changed();
  }

  /** Saves the whole machine and powers it off; Start resumes it from there. */
  async stop(id: string): Promise<void> {
    const t = this.mustFind(id);
    const machine = t.instance.machine;
    if (!machine || t.instance.state !== "running") return;
    t.intent = "stopping";
    this.refresh(t);
    try {
      t.stoppedState = await machine.takeSnapshot();
    } catch (error) {
      t.stoppedState = undefined;
      this.update(t, { message: `Stopped without saving its memory: ${String(error)}` });
    }
    machine.powerOff();
  }

  async start(id: string): Promise<void> {
    const t = this.mustFind(id);
    const machine = t.instance.machine;
    if (t.instance.state !== "stopped") return;
    if (!machine) return this.startRestored(t);
    t.intent = "none";
    await machine.start(t.stoppedState ? { state: t.stoppedState } : {});
  }

  /**
   * Starts an instance kept across a reload: a reload ended its VM, so a new VM with its name,
   * type and address resumes what its Stop saved, or, if it was running when the page went (as a
   * playground VM's running state, that is lost), boots from its image and runs its user data
   * again.
   */
  private async startRestored(t: Tracked): Promise<void> {
    const { instance } = t;
    const image = this.images.find((i) => i.id === instance.imageId) ?? BASE_IMAGES[0]!;
    t.intent = "starting";
    this.refresh(t);
    const made = await createInstanceVm(
      this.host,
      instance.name,
      image,
      instance.type,
      instance.address,
    );
    // Terminated while its VM was being made (the await lets other actions run).
    if (made.ok && (t.intent as Intent) === "terminated") return this.host.delete(made.machine);
    t.intent = "none";
    if (!made.ok) {
      this.update(t, { message: Object.values(made.errors)[0] ?? "It could not start." });
      return;
    }
    const saved = t.stoppedState;
    const gone =
      saved || image.id === instance.imageId
        ? ""
        : `Its image is no longer kept: it booted ${image.name}. `;
    this.update(t, {
      machine: made.machine,
      address: made.machine.network.address,
      // Resumed from what its Stop saved, it has run its user data; from its image, not yet.
      userDataRun: saved ? instance.userDataRun : userDataRun(instance.userData),
      message: gone + made.message,
    });
    this.bootOn(t, made.machine, saved ?? image.snapshot);
  }

  /** Restarts the guest the way it was last started (launched, or resumed after a stop). */
  reboot(id: string): void {
    const t = this.mustFind(id);
    if (t.instance.state === "running") t.instance.machine?.reset();
  }

  /** Deletes the VM; the instance stays listed as terminated. */
  async terminate(id: string): Promise<void> {
    const t = this.mustFind(id);
    const machine = t.instance.machine;
    if (t.intent === "terminating" || t.intent === "terminated") return;
    if (!machine) {
      // Kept across a reload and not started since: there is no VM to delete.
      t.intent = "terminated";
      return this.refresh(t);
    }
    t.intent = "terminating";
    this.refresh(t);
    t.unsubscribe();
    await this.host.delete(machine);
    t.intent = "terminated";
    t.stoppedState = undefined;
    this.update(t, { machine: undefined, running: stopRunning(t.instance.running, this.now()) });
    this.applyFilter();
  }

  /** Snapshots a running instance into an image that Launch offers. */
  async createImage(
    id: string,
    name: string,
  ): Promise<{ ok: true; image: CloudImage } | { ok: false; error: string }> {
    const t = this.mustFind(id);
    const error = imageNameError(
      name,
      this.images.map((i) => i.name),
    );
    if (error) return { ok: false, error };
    const machine = t.instance.machine;
    if (!machine || t.instance.state !== "running")
      return {
        ok: false,
        error: `${t.instance.name} is ${t.instance.state}: an image is made of a running instance.`,
      };
    try {
      const snapshot = await machine.takeSnapshot();
      const image: CloudImage = {
        id: cloudId("img"),
        name: name.trim(),
        description: `Made of ${t.instance.name} (${t.instance.type.name})`,
        profile: "live",
        snapshot,
        memoryMb: snapshot.machine.memory_mb,
        sourceInstanceId: t.instance.id,
        createdAt: this.now(),
      };
      this.learnerImages.push(image);
      this.changed();
      return { ok: true, image };
    } catch (cause) {
      return { ok: false, error: `The snapshot failed: ${String(cause)}` };
    }
  }

  createGroup(
    name: string,
    description = "",
  ): { ok: true; group: SecurityGroup } | { ok: false; error: string } {
    const error = groupNameError(name, this.groupList);
    if (error) return { ok: false, error };
    const group: SecurityGroup = { id: cloudId("sg"), name: name.trim(), description, rules: [] };
    this.groupList.push(group);
    this.changed();
    return { ok: true, group };
  }

  /** Adds an inbound rule; running instances of the group get it at once. */
  addRule(groupId: string, input: unknown): RuleCheck {
    const group = this.groupList.find((g) => g.id === groupId);
    if (!group) return { ok: false, issues: [{ where: "", path: [], message: "No such group." }] };
    const checked = checkRule(
      input,
      this.groupList.map((g) => g.id),
    );
    if (!checked.ok) return checked;
    group.rules = [...group.rules, { id: cloudId("rule"), ...checked.rule }];
    this.applyFilter();
    this.changed();
    return checked;
  }

  removeRule(groupId: string, ruleId: string): void {
    const group = this.groupList.find((g) => g.id === groupId);
    if (!group) return;
    group.rules = group.rules.filter((r) => r.id !== ruleId);
    this.applyFilter();
    this.changed();
  }

  /** Terminates every instance (the page is closing or the lab starts over). */
  async destroy(): Promise<void> {
    this.scaling.stop();
    this.balancers.stop();
    await Promise.all(this.tracked.map((t) => this.terminate(t.instance.id)));
    this.events.clear();
  }

  /**
   * Addresses in use: the page's VMs', and those kept by instances stopped since a reload (an
   * instance keeps its private address until it is terminated, as on EC2).
   */
  takenAddresses(): string[] {
    const kept = this.instances.filter((i) => i.state !== "terminated").map((i) => i.address);
    const running = this.host.machines.map((m) => m.network.address);
    return [...kept, ...running].filter((a): a is string => a !== undefined);
  }

  /** What a reload keeps (cloud-persistence.ts stores it): everything but the running VMs. */
  keptState(): CloudState {
    const now = this.now();
    return {
      groups: this.groupList.map((g) => ({ ...g, rules: [...g.rules] })),
      images: [...this.learnerImages],
      instances: this.tracked.map(({ instance, intent }) =>
        keptInstance(instance, intent === "terminated", now),
      ),
      scaling: this.scaling.keptGroups(),
      balancers: this.balancers.balancers.map(({ name, instanceId, scalingGroupId }) => ({
        name,
        instanceId,
        scalingGroupId,
      })),
      // What a Stop saved, while the instance stays stopped: Start resumes it after a reload too.
      stopped: this.tracked.flatMap(({ instance, intent, stoppedState }) =>
        stoppedState && instance.state === "stopped" && intent !== "terminated"
          ? [{ id: instance.id, snapshot: stoppedState }]
          : [],
      ),
    };
  }

  /**
   * Puts back what a reload kept, on a cloud with no instances yet: instances stopped (or
   * terminated), their VMs made again only when started; scaling groups paused until resumed.
   */
  restore(state: CloudState): void {
    if (state.groups.length > 0) {
      const hasDefault = state.groups.some((g) => g.name === DEFAULT_GROUP_NAME);
      this.groupList.splice(hasDefault ? 0 : 1, this.groupList.length, ...state.groups);
    }
    this.learnerImages.push(...state.images);
    const fallback = this.groupList.find((g) => g.name === DEFAULT_GROUP_NAME)!;
    for (const kept of state.instances) {
      const instance = restoredInstance(kept, this.groupList, fallback);
      const intent = kept.terminated ? "terminated" : "none";
      const stoppedState = state.stopped.find((m) => m.id === kept.id)?.snapshot;
      this.tracked.push({ instance, intent, stoppedState, unsubscribe: () => {} });
    }
    this.scaling.restore(state.scaling);
    this.balancers.restore(state.balancers);
    this.changed();
  }

  /** Terminates every instance and forgets everything: the cloud as it was made (a lab's Reset). */
  async clear(): Promise<void> {
    this.clears++;
    for (const group of [...this.scaling.groups]) await this.scaling.remove(group.id);
    this.balancers.clear();
    await Promise.all(this.tracked.map((t) => this.terminate(t.instance.id)));
    this.tracked.splice(0);
    this.learnerImages.splice(0);
    const fallback = this.groupList.find((g) => g.name === DEFAULT_GROUP_NAME)!;
    this.groupList.splice(0, this.groupList.length, { ...fallback, rules: [] });
    this.applyFilter();
    this.changed();
  }

  private mustFind(id: string): Tracked {
    const t = this.tracked.find((x) => x.instance.id === id);
    if (!t) throw new Error(`No instance ${id}`);
    return t;
  }

  private onVmState(t: Tracked, vm: VmState): void {
    const now = this.now();
    const running =
      vm === "running"
        ? startRunning(t.instance.running, now)
        : vm === "booting"
          ? t.instance.running
          : stopRunning(t.instance.running, now);
    if (vm === "stopped" || vm === "crashed")
      t.intent = t.intent === "stopping" ? "none" : t.intent;
    this.update(t, { running, address: t.instance.machine?.network.address });
    if (vm === "running") void this.afterStart(t);
  }

  /**
   * Announces the instance's address (its neighbours may still hold the MAC of a terminated
   * instance that had it), then runs its user data if it has not run yet.
   */
  private async afterStart(t: Tracked): Promise<void> {
    const machine = t.instance.machine;
    const address = machine?.network.address;
    if (machine && address)
      await machine.runCheck(announceCommand(address), { timeoutS: 10 }).catch(() => undefined);
    if (t.instance.userDataRun.status === "waiting") await this.runUserData(t);
  }

  private async runUserData(t: Tracked): Promise<void> {
    const machine = t.instance.machine;
    if (!machine) return;
    this.update(t, { userDataRun: { status: "running", output: "" } });
    try {
      const script = userDataScript(t.instance, t.instance.userData);
      const result = await machine.runCheck(script, { timeoutS: USER_DATA_TIMEOUT_S });
      this.update(t, { userDataRun: finishedRun(result.status, result.output, result.truncated) });
    } catch (error) {
      this.update(t, { userDataRun: { status: "failed", output: String(error) } });
    }
  }

  /** The state shown, from the VM's and what the console is doing. */
  private refresh(t: Tracked): void {
    this.update(t, {});
  }

  private update(t: Tracked, patch: Partial<Instance>): void {
    const next = { ...t.instance, ...patch };
    next.state = instanceState(next.machine?.state ?? "stopped", t.intent);
    t.instance = next;
    this.changed();
  }

  private applyFilter(): void {
    const live = this.tracked
      .map((t) => t.instance)
      .filter((i) => i.machine?.network.port)
      .map((i) => ({
        port: i.machine!.network.port!.id,
        address: i.machine!.network.address,
        groupId: i.groupId,
      }));
    this.host.switch.setFilter(filterPolicy(live, this.groupList));
  }

  private changed(): void {
    this.events.emit("change", undefined);
  }
}
