import { AgentClient, type AgentResult } from "../guest-agent/client";
import type { AssetStore } from "./assets";
import { ConsoleLog } from "./console-log";
import {
  DISK_CHUNK_BYTES,
  changesOf,
  type DiskChanges,
  type DiskChangesRequest,
} from "./disk-changes";
import { Emitter } from "./emitter";
import { planBoot, profileNameOf, type StartOptions } from "./boot-plan";
import { getProfile, type Manifest } from "./manifest";
import { SnapshotList, snapshotFits, type VmSnapshot } from "./snapshots";
import type { VmNetwork } from "./vm-network";
import { buildV86Options, machineFor, type ImageSource, type ProfileFileKey } from "./v86-options";
import { diskBytes, type VmConfig } from "./vm-config";
import { VmStatsTracker, type VmStats } from "./vm-stats";
import type { HostToWorker, StatsSample, WorkerToHost, YieldMode } from "./worker-protocol";

export type { VmStats } from "./vm-stats";

/**
 * One virtual machine as the page sees it: its config, state, stats and console, and the worker
 * that runs its emulator. The only owner of that worker.
 */

export type VmState = "booting" | "running" | "paused" | "stopped" | "crashed";

export interface VmEvents extends Record<string, unknown> {
  state: VmState;
  stats: VmStats;
  /** Console bytes from the guest's first serial port (ttyS0). */
  serial: Uint8Array;
  /** Text-mode screen rows (BIOS, bootloader, bare-metal programs). */
  screen: string[];
  /** Something went wrong that the learner should read; the state says what it left behind. */
  message: string;
  /** An Ethernet frame the guest sent (only for VMs on the virtual switch). */
  frame: Uint8Array;
  /** The disk now holds a snapshot's contents (restored, or a clone came up). */
  diskReplaced: void;
  /** The guest wrote to its disk after the last readDiskChanges() took everything. */
  diskDirty: void;
  /** The guest flushed its disk's write cache: it was told its writes are durable. */
  diskFlush: void;
}

export type WorkerFactory = (name: string) => Worker;

export interface MachineDeps {
  assets: AssetStore;
  manifest: Manifest;
  createWorker: WorkerFactory;
  /** The yield helper of helper-worker mode, made by the page beside the VM's worker. */
  createYieldHelper?: WorkerFactory;
  yieldMode: YieldMode;
}

export class VmMachine {
  readonly events = new Emitter<VmEvents>();
  private _state: VmState = "stopped";
  private worker: Worker | undefined;
  private yieldHelper: Worker | undefined;
  private readonly stats: VmStatsTracker;
  private readonly log = new ConsoleLog();
  private screen: string[] = [];
  private agent: AgentClient | undefined;
  private readonly agentListeners = new Set<(bytes: Uint8Array) => void>();
  private destroyed = false;
  /** Snapshots the learner took of this VM. */
  readonly snapshots = new SnapshotList();
  /** Set by the host: the VM's network card on the page (MAC, addresses, switch port). */
  network: VmNetwork | undefined;
  /** Set by the host for VMs on the switch: the port's counters replace the NIC's. */
  netCounters: (() => { rxPackets: number; txPackets: number }) | undefined;
  private readonly requests = new Map<number, (reply: WorkerToHost | Error) => void>();
  private nextRequest = 1;
  private renameAfterRestore = false;
  private bootedFromState = false;
  private typedSinceReady = false;
  /** How the VM was last started: Reset starts it that way again. */
  private lastStart: StartOptions = {};
  /** Counts starts, so a boot overtaken by a Reset while it awaited stops there. */
  private startCount = 0;
  /** The current start has reached the worker; before that, Pause and Power off act here. */
  private bootPosted = false;
  /** A boot paused before it reached the worker waits here for Resume (or Power off). */
  private holdBoot: (() => void) | undefined;
  /** How the last start booted and why, for the panel. */
  bootNote = "";
  /** The disk's first contents (imported or stored bytes); handed to the first worker. */
  private diskSeed: ArrayBuffer | undefined;
  /**
   * Set by whoever keeps this VM's disk elsewhere (the playground's browser storage): a new
   * worker starts from what it returns instead of a blank disk.
   */
  loadDisk: (() => Promise<ArrayBuffer | undefined>) | undefined;

  constructor(
    readonly id: string,
    readonly config: VmConfig,
    private readonly deps: MachineDeps,
    options: { diskBytes?: ArrayBuffer } = {},
  ) {
    this.stats = new VmStatsTracker(config.memoryMb);
    if (options.diskBytes && options.diskBytes.byteLength !== diskBytes(config))
      throw new Error(
        `${config.name}'s disk is ${diskBytes(config)} bytes but ${options.diskBytes.byteLength} bytes were given`,
      );
    this.diskSeed = options.diskBytes;
  }

  get name(): string {
    return this.config.name;
  }
  get state(): VmState {
    return this._state;
  }
  get currentStats(): VmStats {
    return this.stats.current;
  }
  /** MIPS once a second over the last two minutes, for the chart; t is performance.now(). */
  get history(): readonly { t: number; mips: number }[] {
    return this.stats.history;
  }
  get screenRows(): string[] {
    return this.screen;
  }
  /** Everything the guest printed on its console so far (the last 512 KB). */
  get consoleText(): string {
    return this.log.current;
  }
  /** Position in the whole console stream, for waitForOutput({ from }). */
  get consoleLength(): number {
    return this.log.length;
  }
  get profileName(): string {
    return profileNameOf(this.config);
  }

  async start(options: StartOptions = {}): Promise<void> {
    if (this.destroyed) throw new Error(`${this.name} was deleted`);
    if (this._state !== "stopped" && this._state !== "crashed") return;
    this.lastStart = options;
    this.startCount++;
    this.bootPosted = false;
    this.stats.restart();
    this.setState("booting");
    try {
      await this.boot(options);
    } catch (error) {
      this.fail(error);
    }
  }

  private async boot(options: StartOptions): Promise<void> {
    const start = this.startCount;
    const overtaken = (): boolean =>
      this.destroyed ||
      start !== this.startCount ||
      (this._state !== "booting" && this._state !== "paused");
    const { manifest, assets } = this.deps;
    const plan = planBoot(this.config, this.hostname, manifest, options);
    this.bootNote = plan.note;
    const [wasmModule, buffers] = await Promise.all([
      assets.wasm(),
      assets.profileFiles(
        manifest,
        plan.profile,
        options.state ? "learner-snapshot" : plan.fromSnapshot ? "boot-snapshot" : "cold",
      ),
      assets.emulatorCode(),
    ]);
    if (overtaken()) return;
    const files: Partial<Record<ProfileFileKey, ImageSource>> = {};
    // Each worker gets its own copy: v86 writes into some of these (disks) and takes ownership.
    for (const [key, buffer] of Object.entries(buffers))
      files[key as ProfileFileKey] = { buffer: buffer.slice(0) };
    if (options.state) files.state = { buffer: options.state.data.slice(0) };
    const v86Options = buildV86Options({
      profile: plan.profile,
      files,
      wasmPath: assets.wasmUrl,
      memoryMb: this.config.memoryMb,
      fromSnapshot: plan.fromSnapshot,
      bootOrder: plan.bootOrder,
      extraCmdline: plan.extraCmdline,
    });
    this.renameAfterRestore = plan.renameAfterRestore;
    this.bootedFromState = Boolean(options.state);
    // A new worker has no disk yet: it starts from the seed or the stored disk.
    const diskImage = this.worker ? undefined : await this.takeDiskSeed();
    // Paused while downloading: the boot waits here until Resume, or ends with Power off.
    if (this._state === "paused" && !overtaken())
      await new Promise<void>((resolve) => (this.holdBoot = resolve));
    if (overtaken()) {
      this.diskSeed ??= diskImage;
      return;
    }
    this.ensureWorker();
    this.agent?.dispose();
    this.agent = plan.profile.agent ? this.newAgent() : undefined;
    // A snapshot was taken with the agent already running: it will not say hello again.
    if (plan.fromSnapshot && !plan.renameBeforePrompt) this.agent?.assumeReady();
    const transfer = Object.values(files).flatMap((f) => ("buffer" in f ? [f.buffer] : []));
    if (diskImage) transfer.push(diskImage);
    this.bootPosted = true;
    this.post(
      {
        type: "boot",
        libUrl: assets.libUrl,
        wasmModule,
        options: v86Options,
        yieldMode: this.deps.yieldMode,
        blankDiskBytes: diskBytes(this.config),
        diskImage,
        readyText: plan.readyText,
        nudgeAfterRestore: plan.nudgeAfterRestore,
        forwardFrames: this.config.network === "switch",
      },
      transfer,
    );
    if (plan.renameBeforePrompt) void this.renameThenPrompt();
  }

  /** The VM's name as a guest hostname (letters, digits and dashes). */
  get hostname(): string {
    const cleaned = this.name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "");
    return (cleaned || "vm").slice(0, 63);
  }

  /** Renames a guest restored from the boot snapshot, then asks for its first prompt. */
  private async renameThenPrompt(): Promise<void> {
    const agent = this.agent;
    try {
      await agent?.waitReady(10_000);
      await agent?.run(`hostname ${this.hostname}`, { timeoutS: 5 });
    } catch {
      // The guest keeps the snapshot's name; it still gets its prompt below.
    }
    if (this._state === "booting" && agent === this.agent) this.sendText("\n");
  }

  /**
   * Renames a running clone, then asks for a fresh prompt showing the name, unless someone has
   * typed in the meantime (an Enter then would split their command).
   */
  private async applyHostname(): Promise<void> {
    this.renameAfterRestore = false;
    this.typedSinceReady = false;
    try {
      await this.runCheck(`hostname ${this.hostname}`, { timeoutS: 5 });
      if (!this.typedSinceReady && this._state === "running") this.sendText("\n");
    } catch {
      // The clone keeps its original's name; nothing else depends on it.
    }
  }

  /** Before the boot reaches the worker (images still downloading), the boot waits for Resume. */
  pause(): void {
    if (this._state === "booting" && !this.bootPosted) this.setState("paused");
    else if (this._state === "running" || this._state === "booting") this.post({ type: "pause" });
  }
  resume(): void {
    if (this._state !== "paused") return;
    if (this.bootPosted) this.post({ type: "resume" });
    else this.setState("booting");
  }
  /**
   * Reboots the VM the way it was last started; its disk stays as it is. Not v86's own reset:
   * that jumps back into memory the running kernel has overwritten (a cold-booted guest faults,
   * one restored from a snapshot has no kernel left to boot), so the worker boots it afresh.
   */
  reset(): void {
    if (this._state === "stopped" || this.destroyed) return;
    this.dropRequests(`${this.name} was reset`);
    this.setState("stopped");
    void this.start(this.lastStart);
  }
  powerOff(): void {
    if (this._state === "stopped") return;
    // The boot has not reached the worker (its images are downloading): it ends here. (An
    // emulator a crash left in the worker is destroyed by the next boot, as after a crash.)
    if (!this.bootPosted) this.setState("stopped");
    else this.post({ type: "power-off" });
  }

  /** Types text on the guest's console (serial 0), as the learner's keyboard does. */
  sendText(text: string): void {
    this.typedSinceReady = true;
    this.post({ type: "serial", port: 0, bytes: new TextEncoder().encode(text) });
  }
  /** PS/2 set-1 scancodes for the screen view (BIOS menus, bare-metal programs). */
  sendScancodes(codes: number[]): void {
    this.post({ type: "scancodes", codes });
  }

  /** Saves the whole machine (memory, CPU, devices) into this VM's snapshot list. */
  async takeSnapshot(): Promise<VmSnapshot> {
    if (this._state !== "running" && this._state !== "paused")
      throw new Error(`${this.name} is ${this._state}: start it before taking a snapshot`);
    const { manifest } = this.deps;
    const profile = getProfile(manifest, this.profileName);
    const reply = await this.request((id) => ({ type: "save-state", id }));
    if (reply.type !== "state-saved") throw new Error(`unexpected answer ${reply.type}`);
    const snapshot: VmSnapshot = {
      id: `${this.id}-${Date.now().toString(36)}-${this.nextRequest}`,
      name: this.snapshots.nextName(),
      vmName: this.name,
      profile: this.profileName,
      createdAt: Date.now(),
      rawBytes: reply.rawBytes,
      format: reply.format,
      data: reply.data,
      v86Version: manifest.v86_version,
      machine: machineFor(this.config.memoryMb),
      prompt: profile.snapshot?.prompt ?? profile.ready_text,
      takeMs: Math.round(reply.ms),
    };
    this.snapshots.add(snapshot);
    return snapshot;
  }

  /** Puts this VM back to a snapshot: what happened after it is gone. Resolves with the ms it took. */
  async restoreSnapshot(snapshot: VmSnapshot): Promise<number> {
    const fits = snapshotFits(snapshot, {
      v86Version: this.deps.manifest.v86_version,
      machine: machineFor(this.config.memoryMb),
    });
    if (!fits.ok) throw new Error(`${snapshot.name} does not fit ${this.name}: ${fits.error}`);
    const startedAt = performance.now();
    if (this._state === "stopped") {
      await this.start({ state: snapshot });
      return performance.now() - startedAt;
    }
    const data = snapshot.data.slice(0);
    const reply = await this.request(
      (id) => ({ type: "restore-state", id, data, preserveMac: true }),
      [data],
    );
    if (reply.type !== "state-restored") throw new Error(`unexpected answer ${reply.type}`);
    this.events.emit("diskReplaced", undefined);
    this.stats.resetBaseline();
    if (this._state === "crashed" || this._state === "booting") this.setState("running");
    return performance.now() - startedAt;
  }

  /**
   * A copy of the VM's hard disk as it is now (running, paused or stopped); undefined when the VM
   * has no disk.
   */
  async readDisk(): Promise<ArrayBuffer | undefined> {
    const size = diskBytes(this.config);
    if (size === 0) return undefined;
    if (this.worker) {
      const reply = await this.request((id) => ({ type: "read-disk", id }));
      if (reply.type !== "disk-read") throw new Error(`unexpected answer ${reply.type}`);
      if (reply.data) return reply.data;
    }
    if (this.diskSeed) return this.diskSeed.slice(0);
    return (await this.loadDisk?.()) ?? new ArrayBuffer(size);
  }

  /**
   * Copies of the disk's chunks that changed since the last call, all taken at one instant (or
   * every chunk, when `full`). Undefined when the VM has no disk.
   */
  async readDiskChanges(request: DiskChangesRequest): Promise<DiskChanges | undefined> {
    const size = diskBytes(this.config);
    if (size === 0) return undefined;
    if (this.worker) {
      const reply = await this.request((id) => ({ type: "read-disk-changes", id, ...request }));
      if (reply.type !== "disk-changes") throw new Error(`unexpected answer ${reply.type}`);
      if (reply.changes) return reply.changes;
    }
    // No worker has run this disk: it is still its seed, or what is stored, or blank.
    if (this.diskSeed) return changesOf(this.diskSeed, true, []);
    if (!request.full)
      return { sizeBytes: size, chunkBytes: DISK_CHUNK_BYTES, full: false, chunks: [] };
    return changesOf((await this.loadDisk?.()) ?? new ArrayBuffer(size), true, []);
  }

  private async takeDiskSeed(): Promise<ArrayBuffer | undefined> {
    if (diskBytes(this.config) === 0) return undefined;
    const seed = this.diskSeed;
    this.diskSeed = undefined;
    const disk = seed ?? (await this.loadDisk?.());
    return disk?.byteLength === diskBytes(this.config) ? disk : undefined;
  }

  private request(
    build: (id: number) => HostToWorker,
    transfer: Transferable[] = [],
  ): Promise<WorkerToHost> {
    if (!this.worker) return Promise.reject(new Error(`${this.name} is not running`));
    const id = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.requests.set(id, (reply) => (reply instanceof Error ? reject(reply) : resolve(reply)));
      this.post(build(id), transfer);
    });
  }

  private settle(id: number, reply: WorkerToHost | Error): void {
    const done = this.requests.get(id);
    this.requests.delete(id);
    done?.(reply);
  }

  private dropRequests(why: string): void {
    for (const id of [...this.requests.keys()]) this.settle(id, new Error(why));
  }

  /** Delivers an Ethernet frame to the guest's NIC (the virtual switch calls this). */
  receiveFrame(frame: Uint8Array): void {
    if (this._state === "running" || this._state === "booting") this.post({ type: "frame", frame });
  }

  /** Resolves with console text from `from` once it matches. */
  waitForOutput(
    pattern: string | RegExp,
    opts: { from?: number; timeoutMs?: number } = {},
  ): Promise<string> {
    return this.log.waitFor(pattern, { ...opts, what: this.name });
  }

  /** Types a command on the console and resolves with what it printed before the next prompt. */
  async runCommand(command: string, opts: { timeoutMs?: number } = {}): Promise<string> {
    const prompt = getProfile(this.deps.manifest, this.profileName).ready_text;
    const from = this.consoleLength;
    this.sendText(`${command}\n`);
    const out = await this.waitForOutput(prompt, { from, timeoutMs: opts.timeoutMs });
    const body = out.slice(0, out.lastIndexOf(prompt)).replace(/\r/g, "");
    const firstNewline = body.indexOf("\n");
    return firstNewline >= 0 ? body.slice(firstNewline + 1) : "";
  }

  /** Runs a check through the guest agent on serial 1, away from the learner's console. */
  async runCheck(command: string, opts: { timeoutS?: number } = {}): Promise<AgentResult> {
    if (this._state !== "running") throw new Error(`${this.name} is ${this._state}, not running`);
    if (!this.agent) throw new Error(`${this.name}'s guest has no agent`);
    await this.agent.waitReady();
    return this.agent.run(command, opts);
  }

  private newAgent(): AgentClient {
    return new AgentClient({
      send: (bytes) => this.post({ type: "serial", port: 1, bytes }),
      onBytes: (listener) => {
        this.agentListeners.add(listener);
        return () => this.agentListeners.delete(listener);
      },
    });
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.dropRequests(`${this.name} was deleted`);
    this.agent?.dispose();
    this.agent = undefined;
    this.endWorker();
    this.setState("stopped");
    this.events.clear();
    this.log.destroy();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.deps.createWorker(this.name);
    worker.onmessage = (event: MessageEvent<WorkerToHost>) => this.onMessage(event.data);
    worker.onerror = (event) => this.fail(new Error(event.message || "the VM worker failed"));
    this.worker = worker;
    if (this.deps.yieldMode === "helper-worker" && this.deps.createYieldHelper) {
      const channel = new MessageChannel();
      this.yieldHelper = this.deps.createYieldHelper(this.name);
      this.yieldHelper.postMessage(channel.port1, [channel.port1]);
      worker.postMessage({ type: "yield-port", port: channel.port2 } satisfies HostToWorker, [
        channel.port2,
      ]);
    }
    return worker;
  }

  private endWorker(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.yieldHelper?.terminate();
    this.yieldHelper = undefined;
  }

  private post(message: HostToWorker, transfer: Transferable[] = []): void {
    this.worker?.postMessage(message, transfer);
  }

  private onMessage(msg: WorkerToHost): void {
    switch (msg.type) {
      case "booting":
        if (this._state !== "booting") this.stats.bootBegan();
        this.setState("booting");
        break;
      case "running":
        if (this._state === "paused")
          this.setState(this.stats.current.bootMs === undefined ? "booting" : "running");
        break;
      case "ready":
        this.stats.ready();
        if (this._state === "booting") {
          this.setState("running");
          if (this.renameAfterRestore) void this.applyHostname();
        }
        if (this.bootedFromState) this.events.emit("diskReplaced", undefined);
        this.bootedFromState = false;
        this.events.emit("stats", this.stats.current);
        break;
      case "paused":
        if (this._state === "running" || this._state === "booting") this.setState("paused");
        break;
      case "stopped":
        this.dropRequests(`${this.name} was powered off`);
        this.agent?.dispose();
        this.agent = undefined;
        this.stats.stopped();
        this.events.emit("stats", this.stats.current);
        this.setState("stopped");
        break;
      case "crashed":
        this.setState("crashed");
        this.events.emit("message", `${this.name} crashed: ${msg.reason}. Reset or power it off.`);
        break;
      case "error":
        this.fail(new Error(msg.message));
        break;
      case "serial":
        if (msg.port === 0) this.onConsole(msg.bytes);
        else for (const l of this.agentListeners) l(msg.bytes);
        break;
      case "screen":
        this.screen = msg.rows;
        this.events.emit("screen", msg.rows);
        break;
      case "stats":
        this.onSample(msg.sample);
        break;
      case "frame":
        this.events.emit("frame", msg.frame);
        break;
      case "state-saved":
      case "state-restored":
      case "disk-read":
      case "disk-changes":
        this.settle(msg.id, msg);
        break;
      case "disk-dirty":
        this.events.emit("diskDirty", undefined);
        break;
      case "disk-flush":
        this.events.emit("diskFlush", undefined);
        break;
      case "request-failed":
        this.settle(msg.id, new Error(msg.message));
        break;
    }
  }

  private onConsole(bytes: Uint8Array): void {
    this.log.append(bytes);
    this.events.emit("serial", bytes);
  }

  private onSample(sample: StatsSample): void {
    const counting = sample.running && (this._state === "running" || this._state === "booting");
    this.events.emit("stats", this.stats.sample(sample, counting, this.netCounters?.()));
  }

  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.dropRequests(`${this.name} stopped: ${message}`);
    this.agent?.dispose();
    this.agent = undefined;
    this.endWorker();
    this.setState("stopped");
    this.events.emit("message", `${this.name} could not run: ${message}`);
  }

  private setState(state: VmState): void {
    if (this._state === state) return;
    this._state = state;
    // A boot held by a pause goes on (Resume) or sees that it was overtaken (Power off, Reset).
    const held = this.holdBoot;
    this.holdBoot = undefined;
    held?.();
    this.events.emit("state", state);
  }
}
