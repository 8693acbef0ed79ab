import type { AgentResult } from "../guest-agent/client";
import { guestHostname, planBoot, profileNameOf, type StartOptions } from "./boot-plan";
import { prepareBoot } from "./boot-request";
import { ConsoleSizer, type ConsoleSize } from "./console-size";
import type { DiskChanges, DiskChangesRequest } from "./disk-changes";
import { Emitter } from "./emitter";
import { GuestIo } from "./guest-io";
import { MachineDisk, type DiskSource } from "./machine-disk";
import { saveSnapshot } from "./machine-snapshots";
import { stateReached } from "./state-reached";
import { getProfile } from "./manifest";
import type { BalloonState } from "./balloon-rules";
import type { MemoryBoard } from "./memory-board";
import type { MemoryScan } from "./memory-scan";
import { hintFreePages, scanVmMemory, vmBalloon } from "./vm-memory";
import { getSharedFile, listSharedFiles, putSharedFile, type SharedEntry } from "./shared-folder";
import { SnapshotList, snapshotFits, type VmSnapshot } from "./snapshots";
import { machineFor } from "./v86-options";
import { diskBytes, type VmConfig } from "./vm-config";
import { randomMac, VmNetwork } from "./vm-network";
import type { MachineDeps, MachineOptions, VmEvents, VmState } from "./vm-machine-types";
import { VmStatsTracker, type VmStats } from "./vm-stats";
import { DEFAULT_CPU_SETTINGS, type CpuSettings } from "./cpu-policy";
import type { CpuSeat } from "./cpu-scheduler";
import { WorkerLink, type WorkerLinkOptions } from "./worker-link";
import type { StatsSample } from "./worker-protocol";

/** A restored state loads in a second or two; a minute means something went wrong. */
const RESTORE_TIMEOUT_MS = 60_000;
type WorkerMessage = Parameters<WorkerLinkOptions["onMessage"]>[0];

export type { VmStats } from "./vm-stats";
export type {
  MachineDeps,
  MachineOptions,
  NetworkAttachment,
  VmEvents,
  VmState,
} from "./vm-machine-types";
export type { DiskSource } from "./machine-disk";
export type { WorkerFactory } from "./worker-link";

/**
 * One virtual machine as the page sees it, and the only owner of what runs it. This class is
 * the VM's state machine (booting, running, paused, stopped, crashed, decided from the worker's
 * messages) and the public face the panels and the lab engine use; its parts live beside it:
 * WorkerLink (worker-link.ts: the worker, its messages, ending a run), GuestIo (guest-io.ts:
 * console, screen, guest agent), MachineDisk (machine-disk.ts), VmNetwork (vm-network.ts),
 * boot-request.ts and machine-snapshots.ts.
 *
 * Over 300 lines on purpose: the state machine is one switch over the worker's messages plus
 * the transitions the learner asks for, and each public method is the one place that says in
 * which states it may act; split further, the states would be read in two files.
 */

export class VmMachine {
  readonly events = new Emitter<VmEvents>();
  /** Snapshots the learner took of this VM. */
  readonly snapshots = new SnapshotList();
  /** The VM's network card on the page (MAC, addresses, switch port). */
  readonly network: VmNetwork;
  private note = "";
  private _state: VmState = "stopped";
  private readonly link: WorkerLink;
  private readonly disk: MachineDisk;
  private readonly stats: VmStatsTracker;
  private readonly io: GuestIo;
  private readonly consoleSize = new ConsoleSizer((command) =>
    this.runCheck(command, { timeoutS: 5 }),
  );
  private destroyed = false;
  /** Its row on the CPU scheduler's board, from creation to deletion. */
  private readonly cpuSeat: CpuSeat | undefined;
  private cpuSettingsNow: CpuSettings = DEFAULT_CPU_SETTINGS;
  private renameAfterRestore = false;
  private balloonInRun = false;
  private bootedFromState = false;
  /** How the VM was last started: Reset starts it that way again. */
  private lastStart: StartOptions = {};
  /** Counts starts, so a boot overtaken by a Reset while it awaited stops there. */
  private startCount = 0;
  /** The current start has reached the worker; before that, Pause and Power off act here. */
  private bootPosted = false;
  /**
   * Pre-warmed: its boot snapshot is loaded in its worker, stopped ("loading" until the worker
   * says so), so that Start only resumes it.
   */
  private warm: "loading" | "ready" | "starting" | undefined;
  /** The pre-warming boot reached the worker (its "prepared" is on its way). */
  private warmPosted = false;
  /** A boot paused before it reached the worker waits here for Resume (or Power off). */
  private holdBoot: (() => void) | undefined;

  constructor(
    readonly id: string,
    readonly config: VmConfig,
    private readonly deps: MachineDeps,
    options: MachineOptions = {},
  ) {
    this.stats = new VmStatsTracker(config.memoryMb);
    this.io = new GuestIo(config.name, (message) => this.link.post(message));
    this.disk = new MachineDisk(config.name, diskBytes(config), options.diskBytes);
    this.cpuSeat = deps.cpu?.seat();
    this.link = new WorkerLink({
      name: config.name,
      createWorker: deps.createWorker,
      createYieldHelper: deps.createYieldHelper,
      yieldMode: deps.yieldMode,
      cpuSeat: this.cpuSeat,
      connectSwitch: options.network?.port && (() => options.network!.port!.connect()),
      onMessage: (message) => this.onMessage(message),
      onError: (error) => this.fail(error),
    });
    const { mac, port, address, switch: onSwitch } = options.network ?? { mac: randomMac() };
    // Last: the network card listens to this machine's events and reads its state.
    this.network = new VmNetwork(this, mac, port, address, onSwitch);
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
    return this.io.screenRows;
  }
  /** Everything the guest printed on its console so far (the last 512 KB). */
  get consoleText(): string {
    return this.io.consoleText;
  }
  /** Position in the whole console stream, for waitForOutput({ from }). */
  get consoleLength(): number {
    return this.io.consoleLength;
  }
  /** The host's view of the page's VMs' memory, when the VM lives on a host that keeps one. */
  get memoryBoard(): MemoryBoard | undefined {
    return this.deps.memory;
  }
  /** Whether the emulator running now has the memory balloon (not if restored from an older state). */
  get balloonNow(): boolean {
    return this.balloonInRun;
  }
  /** How the last start booted and why, for the panel. */
  get bootNote(): string {
    return this.note;
  }
  get profileName(): string {
    return profileNameOf(this.config);
  }

  async start(options: StartOptions = {}): Promise<void> {
    if (this.destroyed) throw new Error(`${this.name} was deleted`);
    if (this._state !== "stopped" && this._state !== "crashed") return;
    const warm = this._state === "stopped" && isPlainStart(options) ? this.warm : undefined;
    this.warm = undefined;
    this.lastStart = options;
    this.startCount++;
    this.bootPosted = false;
    this.stats.restart();
    this.setState("booting");
    if (warm === "ready") return this.resumeWarm();
    // Still loading in the worker: resume it the moment it is ready rather than boot afresh.
    if (warm === "loading" && this.warmPosted) {
      this.warm = "starting";
      return;
    }
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
    const plan = planBoot(this.config, this.hostname, this.deps.manifest, options);
    this.note = plan.note;
    const { request, transfer } = await prepareBoot(this.config, plan, options, this.deps);
    if (overtaken()) return;
    this.renameAfterRestore = plan.renameAfterRestore;
    this.bootedFromState = Boolean(options.state);
    // A new worker has no disk yet: it starts from the seed or the stored disk.
    const diskImage = this.link.open ? undefined : await this.disk.takeSeed();
    // Paused while downloading: the boot waits here until Resume, or ends with Power off.
    if (this._state === "paused" && !overtaken())
      await new Promise<void>((resolve) => (this.holdBoot = resolve));
    if (overtaken()) {
      this.disk.keepSeed(diskImage);
      return;
    }
    this.link.start();
    // A snapshot was taken with the agent already running: it will not say hello again.
    const agent = this.io.newAgent(
      Boolean(plan.profile.agent),
      plan.fromSnapshot && !plan.renameBeforePrompt,
    );
    if (diskImage) transfer.push(diskImage);
    this.bootPosted = true;
    this.balloonInRun = request.options.virtio_balloon === true;
    this.link.post({ ...request, diskImage }, transfer);
    // From the boot snapshot: renamed before its first prompt, which it is then asked for.
    if (plan.renameBeforePrompt)
      void this.io.renameThenPrompt(agent, this.hostname, () => this._state === "booting");
  }

  /**
   * Gets a stopped VM ready to start fast: downloads its images, makes its worker and loads its
   * boot snapshot there without running it. Only for a plain start from the profile's boot
   * snapshot (no disk of its own, no learner snapshot); anything else starts as before.
   */
  prewarm(): void {
    if (this.destroyed || this._state !== "stopped" || this.warm || this.link.open) return;
    const plan = planBoot(this.config, this.hostname, this.deps.manifest, {});
    if (!plan.fromSnapshot) return;
    this.warm = "loading";
    this.warmPosted = false;
    const start = this.startCount;
    void (async () => {
      const { request, transfer } = await prepareBoot(this.config, plan, {}, this.deps);
      if (this.destroyed || start !== this.startCount || this._state !== "stopped") return;
      const diskImage = await this.disk.takeSeed();
      if (this.destroyed || start !== this.startCount || this._state !== "stopped") {
        this.disk.keepSeed(diskImage);
        return;
      }
      this.link.start();
      if (diskImage) transfer.push(diskImage);
      this.balloonInRun = request.options.virtio_balloon === true;
      this.warmPosted = true;
      this.link.post({ ...request, diskImage, prepareOnly: true }, transfer);
    })().catch(() => {
      // Nothing lost: Start then boots the usual way.
      if (this.warm === "loading") this.warm = undefined;
    });
  }

  /** Start of a pre-warmed VM: what boot() does after posting, with a resume instead. */
  private resumeWarm(): void {
    const plan = planBoot(this.config, this.hostname, this.deps.manifest, {});
    this.note = plan.note;
    this.renameAfterRestore = plan.renameAfterRestore;
    this.bootedFromState = false;
    const agent = this.io.newAgent(
      Boolean(plan.profile.agent),
      plan.fromSnapshot && !plan.renameBeforePrompt,
    );
    this.bootPosted = true;
    this.link.post({ type: "resume" });
    if (plan.renameBeforePrompt)
      void this.io.renameThenPrompt(agent, this.hostname, () => this._state === "booting");
  }

  /** The VM's name as a guest hostname (letters, digits and dashes). */
  get hostname(): string {
    return guestHostname(this.name);
  }

  /** Before the boot reaches the worker (images still downloading), the boot waits for Resume. */
  pause(): void {
    if (this._state === "booting" && !this.bootPosted) this.setState("paused");
    else if (this._state === "running" || this._state === "booting")
      this.link.post({ type: "pause" });
  }
  resume(): void {
    if (this._state !== "paused") return;
    if (this.bootPosted) this.link.post({ type: "resume" });
    else if (this.warm === "ready") {
      this.warm = undefined;
      this.setState("booting");
      this.resumeWarm();
    } else this.setState("booting");
  }
  /**
   * Reboots the VM the way it was last started; its disk stays as it is. Not v86's own reset:
   * that jumps back into memory the running kernel has overwritten (a cold-booted guest faults,
   * one restored from a snapshot has no kernel left to boot), so the worker boots it afresh.
   */
  reset(): void {
    if (this._state === "stopped" || this.destroyed) return;
    this.endRun(`${this.name} was reset`, { keepWorker: true });
    this.setState("stopped");
    void this.start(this.lastStart);
  }
  powerOff(): void {
    if (this._state === "stopped") return;
    // The boot has not reached the worker (its images are downloading): it ends here. (An
    // emulator a crash left in the worker is destroyed by the next boot, as after a crash.)
    if (!this.bootPosted) this.setState("stopped");
    else this.link.post({ type: "power-off" });
  }

  /** Types text on the guest's console (serial 0), as the learner's keyboard does. */
  sendText(text: string): void {
    this.io.sendText(text);
  }
  /** PS/2 set-1 scancodes for the screen view (BIOS menus, bare-metal programs). */
  sendScancodes(codes: number[]): void {
    this.io.sendScancodes(codes);
  }

  /** The console shows `size` now: the guest is told (through its agent) once it runs. */
  resizeConsole(size: ConsoleSize): void {
    this.consoleSize.set(size);
  }

  /** Puts a file in the guest's shared folder (/root/shared) as `name`, replacing one of that name. */
  async putSharedFile(name: string, data: ArrayBuffer): Promise<void> {
    this.mustRun("put a file in its shared folder");
    return putSharedFile(this.link, name, data);
  }
  /** The bytes of a file in the shared folder, by the parts of its path inside the folder. */
  async getSharedFile(path: string[]): Promise<Uint8Array> {
    this.mustRun("read its shared folder");
    return getSharedFile(this.link, path);
  }
  async listSharedFiles(): Promise<{ entries: SharedEntry[]; usedBytes: number }> {
    this.mustRun("list its shared folder");
    return listSharedFiles(this.link);
  }

  /** The host's view of the VM's RAM: zero and used pages, a key per used page (vm-memory.ts). */
  async scanMemory(): Promise<MemoryScan> {
    this.mustRun("read its memory");
    return scanVmMemory(this.link);
  }
  /** The balloon and the guest's memory figures; with a target (MB), the balloon is set first. */
  async balloon(targetMb?: number): Promise<BalloonState> {
    this.mustRun(targetMb === undefined ? "read its balloon" : "set its balloon");
    return vmBalloon(this.link, this.config.memoryMb, targetMb);
  }
  /** Free page hinting: the guest's free pages are zeroed; resolves with the bytes. */
  async hintFreePages(): Promise<number> {
    this.mustRun("hint its free pages");
    return hintFreePages(this.link);
  }
  private mustRun(what: string): void {
    if (this._state !== "running" && this._state !== "paused")
      throw new Error(`${this.name} is ${this._state}: start it to ${what}`);
  }

  /** Saves the whole machine (memory, CPU, devices) into this VM's snapshot list. */
  async takeSnapshot(): Promise<VmSnapshot> {
    if (this._state !== "running" && this._state !== "paused")
      throw new Error(`${this.name} is ${this._state}: start it before taking a snapshot`);
    const snapshot = await saveSnapshot(
      this.link,
      {
        id: this.id,
        config: this.config,
        profileName: this.profileName,
        nextName: () => this.snapshots.nextName(),
      },
      this.deps.manifest,
    );
    this.snapshots.add(snapshot);
    return snapshot;
  }

  /**
   * Puts this VM back to a snapshot: what happened after it is gone. Resolves, with the ms it
   * took, once the restored guest runs (what is typed then reaches it).
   */
  async restoreSnapshot(snapshot: VmSnapshot): Promise<number> {
    const fits = snapshotFits(snapshot, {
      v86Version: this.deps.manifest.v86_version,
      machine: machineFor(this.config.memoryMb, this.config.nic),
    });
    if (!fits.ok) throw new Error(`${snapshot.name} does not fit ${this.name}: ${fits.error}`);
    const startedAt = performance.now();
    // Always in a fresh emulator (in the same worker), as Reset starts a VM: loaded into the
    // running one, the guest's clock stood still afterwards (its time stamp counter, set back to
    // the snapshot's, stopped advancing: `sleep 1` never ended, nor did `ping -W`). A fresh
    // emulator also takes a state saved with other devices (from before the balloon).
    if (this._state !== "stopped") {
      this.endRun(`${this.name} was put back to ${snapshot.name}`, { keepWorker: true });
      this.setState("stopped");
    }
    await this.start({ state: snapshot });
    if (!(await stateReached(this, "running", RESTORE_TIMEOUT_MS)))
      throw new Error(
        `${this.name} did not run again from ${snapshot.name} (it is ${this._state})`,
      );
    return performance.now() - startedAt;
  }

  /**
   * A copy of the VM's hard disk as it is now (running, paused or stopped); undefined when the VM
   * has no disk.
   */
  readDisk(): Promise<ArrayBuffer | undefined> {
    return this.disk.read(this.link);
  }

  /**
   * Copies of the disk's chunks that changed since the last call, all taken at one instant (or
   * every chunk, when `full`). Undefined when the VM has no disk.
   */
  readDiskChanges(request: DiskChangesRequest): Promise<DiskChanges | undefined> {
    return this.disk.readChanges(this.link, request);
  }

  /**
   * Whoever keeps this VM's disk elsewhere (the playground's browser storage) attaches it here:
   * a new worker then starts from what it loads instead of a blank disk. Returns the detach.
   */
  attachDiskSource(source: DiskSource): () => void {
    return this.disk.attach(source);
  }

  /** Resolves with console text from `from` once it matches. */
  waitForOutput(
    pattern: string | RegExp,
    opts: { from?: number; timeoutMs?: number } = {},
  ): Promise<string> {
    return this.io.waitForOutput(pattern, opts);
  }

  /** Types a command on the console and resolves with what it printed before the next prompt. */
  runCommand(command: string, opts: { timeoutMs?: number } = {}): Promise<string> {
    const prompt = getProfile(this.deps.manifest, this.profileName).ready_text;
    return this.io.runCommand(command, prompt, opts);
  }

  /** Runs a check through the guest agent on serial 1, away from the learner's console. */
  async runCheck(command: string, opts: { timeoutS?: number } = {}): Promise<AgentResult> {
    if (this._state !== "running") throw new Error(`${this.name} is ${this._state}, not running`);
    return this.io.runCheck(command, opts);
  }

  /** Its CPU shares, limit and reservation (checked against the others by the host). */
  get cpuSettings(): CpuSettings {
    return this.cpuSettingsNow;
  }

  /** True when the page's CPU scheduler runs this VM (a cross-origin isolated page). */
  get cpuScheduled(): boolean {
    return this.cpuSeat !== undefined;
  }

  /** Sets its CPU shares, limit and reservation; call through VmHost.configureCpu(), which checks. */
  applyCpuSettings(settings: CpuSettings): void {
    this.cpuSettingsNow = settings;
    if (this.cpuSeat) this.deps.cpu?.configure(this.cpuSeat.slot, settings);
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.network.dispose();
    this.endRun(`${this.name} was deleted`);
    if (this.cpuSeat) this.deps.cpu?.release(this.cpuSeat.slot);
    this.setState("stopped");
    this.events.clear();
    this.io.destroy();
  }

  /**
   * The one way a run ends: requests waiting on the worker fail with `why`, the guest agent
   * goes, and the worker with its emulator is terminated unless it stays for the next boot.
   */
  private endRun(why: string, { keepWorker = false } = {}): void {
    // Whatever the worker had prepared goes with this run.
    this.warm = undefined;
    this.warmPosted = false;
    if (keepWorker) this.link.fail(why);
    else {
      this.link.end(why);
      // A worker ended mid-slice cannot say it stopped.
      if (this.cpuSeat) this.deps.cpu?.vacate(this.cpuSeat.slot);
    }
    this.io.endAgent();
  }

  private onMessage(msg: WorkerMessage): void {
    switch (msg.type) {
      case "prepared":
        if (this.warm === "loading") this.warm = "ready";
        else if (this.warm === "starting") {
          // Paused or powered off meanwhile: Resume or the next Start takes it from here.
          this.warm = this._state === "booting" ? undefined : "ready";
          if (this._state === "booting") this.resumeWarm();
        }
        break;
      case "booting":
        // A pre-warming boot is not one the learner sees.
        if (this.warm === "loading" || this.warm === "starting") break;
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
          // A clone is renamed once it runs, its prompt shown again unless someone typed.
          if (this.renameAfterRestore)
            void this.io.renameRunning(this.hostname, () => this._state === "running");
          this.renameAfterRestore = false;
        }
        this.consoleSize.guestChanged();
        if (this.bootedFromState) this.events.emit("diskReplaced", undefined);
        this.bootedFromState = false;
        this.events.emit("stats", this.stats.current);
        break;
      case "paused":
        if (this._state === "running" || this._state === "booting") this.setState("paused");
        break;
      case "stopped":
        this.endRun(`${this.name} was powered off`, { keepWorker: true });
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
        this.io.received(msg.port, msg.bytes);
        if (msg.port === 0) this.events.emit("serial", msg.bytes);
        break;
      case "screen":
        this.io.showScreen(msg.rows);
        this.events.emit("screen", msg.rows);
        break;
      case "stats":
        this.onSample(msg.sample);
        break;
      case "disk-dirty":
        this.events.emit("diskDirty", undefined);
        break;
      case "disk-flush":
        this.events.emit("diskFlush", undefined);
        break;
    }
  }

  private onSample(sample: StatsSample): void {
    const counting = sample.running && (this._state === "running" || this._state === "booting");
    // On the switch, the port's counters replace the NIC's.
    const port = this.network.port?.counters;
    const net = port && { rxPackets: port.rxPackets, txPackets: port.txPackets };
    // Run and ready counts and the time they were read at, all from the worker.
    const cpu =
      this.cpuSeat && sample.cpuTicks
        ? this.deps.cpu?.share(this.cpuSeat.slot, sample.t, sample.cpuTicks)
        : undefined;
    this.events.emit("stats", this.stats.sample(sample, counting, net, cpu));
  }

  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    // A failed pre-warming nobody asked for: Start will boot the usual way.
    const quiet = this.warm === "loading" && this._state === "stopped";
    this.endRun(`${this.name} stopped: ${message}`);
    if (quiet) return;
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

/** A start with nothing asked of it: from the profile's boot snapshot if it has one. */
function isPlainStart(options: StartOptions): boolean {
  return Object.values(options).every((value) => value === undefined || value === false);
}
