import { MemoryBoard } from "./memory-board";
import { AssetStore, type DownloadProgress, type SiteUrls } from "./assets";
import { checkCpuSettings, type CpuSettings } from "./cpu-policy";
import { CpuScheduler, schedulerAvailable } from "./cpu-scheduler";
import { Emitter } from "./emitter";
import { checkBudget, pageBudgetMb, vmCostMb } from "./memory-budget";
import type { VmSnapshot } from "./snapshots";
import { freeSwitchAddress, isSwitchAddress } from "./switch-addresses";
import { PageSwitch, type SwitchThread } from "./page-switch";
import { VmMachine, type WorkerFactory } from "./vm-machine";
import {
  DISK_MAX_MB,
  NAME_MAX,
  diskBytes,
  diskMb,
  nameError,
  renameVmConfig,
  validateVmConfig,
  type FieldErrors,
  type VmConfig,
  type VmConfigInput,
} from "./vm-config";
import { randomMac } from "./vm-network";
import type { YieldMode } from "./worker-protocol";

/**
 * The page's hypervisor: creates, lists and deletes VMs within a memory budget and shares the
 * downloads between them. The lab engine and the playground both talk to this, never to v86.
 */

export interface HostEvents extends Record<string, unknown> {
  /** The list of machines changed (created or deleted). */
  machines: readonly VmMachine[];
  progress: DownloadProgress;
}

export type CreateRefusal = { ok: false; errors: FieldErrors; budget?: string };
export type CreateResult = { ok: true; machine: VmMachine } | CreateRefusal;

export interface CreateOptions {
  /** The disk's first contents; its size must be a whole number of MiB within the disk limits. */
  diskBytes?: ArrayBuffer;
  /** Keep a known id (a VM coming back from browser storage). */
  id?: string;
  /** Keep a known MAC address (used unless another VM on this page has it). */
  mac?: string;
  /** Keep a known address on the switch (used unless another VM on this page has it). */
  address?: string;
}

const MIB = 1024 * 1024;

/** The form input with the disk sized from the given bytes, or why those bytes cannot be a disk. */
function withDiskOf(
  input: VmConfigInput,
  bytes: ArrayBuffer,
): { ok: true; input: VmConfigInput } | { ok: false; errors: FieldErrors } {
  const sizeMb = bytes.byteLength / MIB;
  if (!Number.isInteger(sizeMb) || sizeMb < 1 || sizeMb > DISK_MAX_MB)
    return {
      ok: false,
      errors: {
        disk: `A disk image must be a whole number of MiB between 1 and ${DISK_MAX_MB} MiB; this one is ${bytes.byteLength} bytes.`,
      },
    };
  const asked = input.disk === "blank" ? input.diskSizeMb.trim() : "";
  if (asked !== "" && asked !== String(sizeMb))
    return {
      ok: false,
      errors: { diskSizeMb: `The disk image is ${sizeMb} MiB, not ${asked} MB.` },
    };
  return { ok: true, input: { ...input, disk: "blank", diskSizeMb: String(sizeMb) } };
}

export interface VmHostOptions {
  site: SiteUrls;
  /** GB, as navigator.deviceMemory reports it. */
  deviceMemoryGb?: number;
  budgetMb?: number;
  yieldMode?: YieldMode;
  createWorker?: WorkerFactory;
  /**
   * The CPU scheduler: how many VMs may run at once ("cores for VMs"), or false for none (VMs
   * then take turns as the operating system decides). Only on a cross-origin isolated page.
   */
  cpuCores?: number | false;
  /** Makes the CPU scheduler's thread (tests give their own). */
  createSchedulerWorker?: () => Worker;
  /** Makes the switch's thread (default: a worker; where there is none, in this thread). */
  createSwitchThread?: () => SwitchThread;
}

/**
 * Cores for VMs by default: all the device's cores. Measured on a 2-core machine (bench/cpu-page.ts):
 * one core for VMs keeps the page smooth but caps the guests at one core's speed; two keep both
 * the guests' throughput and, without the per-VM helper threads, frames within budget.
 */
export function defaultCpuCores(hardwareConcurrency: number | undefined): number {
  return Math.max(1, Math.min(8, hardwareConcurrency ?? 2));
}

export function defaultWorkerFactory(name: string): Worker {
  return new Worker(new URL("./vm-worker.ts", import.meta.url), {
    type: "module",
    name: `VM ${name}`,
  });
}

export function defaultYieldHelperFactory(name: string): Worker {
  return new Worker(new URL("./yield-helper.worker.ts", import.meta.url), {
    type: "module",
    name: `v86 yield ${name}`,
  });
}

export class VmHost {
  readonly events = new Emitter<HostEvents>();
  readonly budgetMb: number;
  /**
   * The page's Ethernet switch, in a worker of its own: every VM created with network "switch"
   * has a port on it, and its frames go between VM workers without the page's main thread.
   */
  readonly switch: PageSwitch;
  private readonly assets: AssetStore;
  private readonly list: VmMachine[] = [];
  private nextId = 1;
  private readonly unsubscribe: () => void;
  /** The CPU scheduler, when the page can have one (cross-origin isolated) and wants it. */
  readonly cpu: CpuScheduler | undefined;
  /** The host's view of the running VMs' memory, read while a Memory panel watches. */
  readonly memory = new MemoryBoard(() => this.list);

  constructor(private readonly options: VmHostOptions) {
    this.assets = new AssetStore(options.site);
    this.switch = new PageSwitch(options.createSwitchThread);
    if (options.cpuCores !== false && schedulerAvailable())
      this.cpu = new CpuScheduler({
        cores: options.cpuCores ?? defaultCpuCores(globalThis.navigator?.hardwareConcurrency),
        createWorker: options.createSchedulerWorker,
      });
    this.budgetMb = options.budgetMb ?? pageBudgetMb(options.deviceMemoryGb);
    this.unsubscribe = this.assets.onProgress((p) => this.events.emit("progress", p));
  }

  get machines(): readonly VmMachine[] {
    return this.list;
  }

  get usedMb(): number {
    return this.list.reduce((sum, m) => sum + vmCostMb(m.config.memoryMb, diskMb(m.config)), 0);
  }

  find(name: string): VmMachine | undefined {
    return this.list.find((m) => m.name.toLowerCase() === name.toLowerCase());
  }

  /** Checks a form's input without creating anything. */
  validate(input: VmConfigInput): { ok: true; config: VmConfig } | CreateRefusal {
    const result = validateVmConfig(
      input,
      this.list.map((m) => m.name),
    );
    if (!result.ok) return result;
    return this.refusal(result.config) ?? result;
  }

  /** Why this page cannot take a VM with this (valid) config now: its name is taken, or memory. */
  private refusal(config: VmConfig): CreateRefusal | undefined {
    const taken = nameError(
      config.name,
      this.list.map((m) => m.name),
    );
    if (taken) return { ok: false, errors: { name: taken } };
    const budget = checkBudget(
      { name: config.name, memoryMb: config.memoryMb, diskMb: diskMb(config) },
      this.usedMb,
      this.budgetMb,
    );
    if (!budget.ok)
      return { ok: false, errors: { memoryMb: budget.reason }, budget: budget.reason };
    return undefined;
  }

  /**
   * Creates a stopped VM from a form's input; nothing is downloaded until it starts. With
   * `diskBytes` its disk starts with those bytes (an imported or stored disk): the size comes
   * from them.
   */
  async create(input: VmConfigInput, options: CreateOptions = {}): Promise<CreateResult> {
    const sized = options.diskBytes
      ? withDiskOf(input, options.diskBytes)
      : { ok: true as const, input };
    if (!sized.ok) return sized;
    const checked = this.validate(sized.input);
    if (!checked.ok) return checked;
    return this.add(checked.config, options);
  }

  /**
   * Creates a stopped VM from a config already checked (a stored VM's, a clone's): only what
   * depends on this page (a free name, the memory budget) is checked.
   */
  async add(config: VmConfig, options: CreateOptions = {}): Promise<CreateResult> {
    if (options.diskBytes && options.diskBytes.byteLength !== diskBytes(config))
      return {
        ok: false,
        errors: {
          diskSizeMb: `The disk image is ${options.diskBytes.byteLength} bytes, not ${diskMb(config)} MiB.`,
        },
      };
    const refused = this.refusal(config);
    if (refused) return refused;
    const manifest = await this.assets.manifest();
    // Another create may have raced us through the await.
    const again = this.refusal(config);
    if (again) return again;
    const port = config.network === "switch" ? this.switch.addPort(config.name) : undefined;
    const machine = new VmMachine(
      options.id ?? this.newId(),
      config,
      {
        assets: this.assets,
        manifest,
        createWorker: this.options.createWorker ?? defaultWorkerFactory,
        createYieldHelper: this.options.createWorker ? undefined : defaultYieldHelperFactory,
        yieldMode: this.options.yieldMode ?? "helper-worker",
        cpu: this.cpu,
        switch: this.switch,
        memory: this.memory,
      },
      {
        diskBytes: options.diskBytes,
        network: {
          mac: this.freeMac(options.mac),
          port,
          address: port && this.addressFor(options.address),
          switch: port && this.switch,
        },
      },
    );
    this.list.push(machine);
    this.events.emit("machines", [...this.list]);
    return { ok: true, machine };
  }

  /**
   * A new VM started from a snapshot: same machine as the snapshot's VM, next free name
   * (`node1-clone-1`), its own MAC and, on the switch, its own port.
   */
  async clone(snapshot: VmSnapshot, config: VmConfig): Promise<CreateResult> {
    // The clone is its original's machine; a snapshot of other memory could not start on it.
    if (snapshot.machine.memory_mb !== config.memoryMb)
      return {
        ok: false,
        errors: {
          memoryMb: `${snapshot.name} was taken with ${snapshot.machine.memory_mb} MB of memory; ${config.name} has ${config.memoryMb} MB.`,
        },
      };
    const named = renameVmConfig(config, this.cloneName(snapshot.vmName), []);
    if (!named.ok) return named;
    // The clone has the network card the snapshot was taken with (it restores on no other).
    const nic = snapshot.machine.net_device === "ne2k" ? "ne2k" : "virtio";
    const result = await this.add({ ...named.config, nic });
    if (result.ok) void result.machine.start({ state: snapshot });
    return result;
  }

  /** Unique across page loads too: stored VMs keep their ids. */
  private newId(): string {
    const random = Math.random().toString(36).slice(2, 8);
    return `vm${this.nextId++}-${Date.now().toString(36)}${random}`;
  }

  private cloneName(base: string): string {
    for (let n = 1; ; n++) {
      const suffix = `-clone-${n}`;
      const name = base.replace(/-clone-\d+$/, "").slice(0, NAME_MAX - suffix.length) + suffix;
      if (!this.find(name)) return name;
    }
  }

  /** The wanted MAC unless another VM on this page has it, else a random free one. */
  private freeMac(wanted: string | undefined): string {
    const taken = new Set(this.list.map((m) => m.network.mac));
    let mac = wanted ?? randomMac();
    while (taken.has(mac)) mac = randomMac();
    return mac;
  }

  /** The wanted address if it is on the switch and free, else the lowest free one. */
  private addressFor(wanted: string | undefined): string | undefined {
    const taken = this.list.map((m) => m.network.address);
    if (isSwitchAddress(wanted) && !taken.includes(wanted)) return wanted;
    return freeSwitchAddress(taken);
  }

  /** Takes a deleted VM's port off the switch (the VM disposes its network card itself). */
  private unplug(machine: VmMachine): void {
    const port = machine.network.port;
    if (port) this.switch.removePort(port);
  }

  /**
   * Sets a VM's CPU shares, limit and reservation, unless they are out of range or the
   * reservations of all VMs would need more than the cores for VMs: then the problems, in words.
   */
  configureCpu(machine: VmMachine, settings: CpuSettings): string[] {
    const cores = this.cpu?.cores ?? 1;
    const problems = checkCpuSettings(
      this.list.map((m) => ({
        name: m.name,
        settings: m === machine ? settings : m.cpuSettings,
      })),
      cores,
    );
    if (problems.length === 0) machine.applyCpuSettings(settings);
    return problems;
  }

  /** Changes how many VMs may run at once; refused while reservations need more. */
  setCpuCores(cores: number): string[] {
    if (!this.cpu) return ["the CPU scheduler needs a cross-origin isolated page"];
    if (!Number.isInteger(cores) || cores < 1 || cores > 8)
      return ["cores for VMs must be a whole number from 1 to 8"];
    const problems = checkCpuSettings(
      this.list.map((m) => ({ name: m.name, settings: m.cpuSettings })),
      cores,
    ).filter((p) => p.startsWith("reservations"));
    if (problems.length === 0) this.cpu.setCores(cores);
    return problems;
  }

  /** Resolves the guest images manifest (for forms that show profile details). */
  manifest() {
    return this.assets.manifest();
  }

  async delete(machine: VmMachine): Promise<void> {
    const i = this.list.indexOf(machine);
    if (i < 0) return;
    this.list.splice(i, 1);
    this.unplug(machine);
    await machine.destroy();
    this.events.emit("machines", [...this.list]);
  }

  async destroy(): Promise<void> {
    this.unsubscribe();
    const all = this.list.splice(0);
    all.forEach((machine) => this.unplug(machine));
    await Promise.all(all.map((m) => m.destroy()));
    this.cpu?.destroy();
    this.memory.stop();
    this.switch.destroy();
    this.assets.destroy();
    this.events.clear();
  }
}
