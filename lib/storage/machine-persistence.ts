import { Emitter } from "../emulator/emitter";
import type { VmSnapshot } from "../emulator/snapshots";
import type { VmHost } from "../emulator/vm-host";
import type { VmMachine } from "../emulator/vm-machine";
import type { VmRecord } from "./machine-records";
import {
  DamagedRecordError,
  NeedsFullSaveError,
  type DiskSaveResult,
  type MachineStore,
  type StorageProblem,
} from "./machine-store";
import { SaveScheduler, type SaveState } from "./save-scheduler";

/**
 * Keeps a page's VMs in a MachineStore: brings stored VMs back (stopped), records creations and
 * deletions, saves a VM's disk (see SaveScheduler for when) and keeps its snapshots. Only the
 * playground uses this; labs make their own machines.
 *
 * The promise: after a power cut (a killed tab or browser), a stored disk is exactly the disk as
 * it was at one instant, at most maxWaitMs plus one save's duration before the cut. Each save
 * takes the chunks changed since the previous one from the VM's worker at one instant and stores
 * them with the new manifest in one IndexedDB transaction; chunks of a save that failed go into
 * the next one.
 *
 * Over 300 lines on purpose: each VM's record, disk and snapshots go through one queue of store
 * operations (`chain`), so that a save never overtakes a delete; split by kind of record, the
 * queue and the state it guards (storedBase, needFull, unstored) would be shared across files.
 * When a save happens is SaveScheduler's (save-scheduler.ts), the transaction MachineStore's.
 */

export interface PersistenceEvents extends Record<string, unknown> {
  /** Records that could not be used (already moved to quarantine), or saves that failed. */
  problems: readonly StorageProblem[];
  /** A disk save finished. */
  saved: DiskSaved;
  /** Something stored changed (for usage figures). */
  changed: void;
  /** A VM's diskStatus() changed. */
  status: string;
}

export interface DiskStatus {
  state: SaveState;
  /** performance.now() of the last save that finished, in this page. */
  savedAt: number | undefined;
}

export interface DiskSaved extends DiskSaveResult {
  vmId: string;
  vmName: string;
  ms: number;
  sizeBytes: number;
}

export interface PersistenceOptions {
  /** Save this long after the last disk write (ms)... */
  quietMs?: number;
  /** ...but no later than this after the first write not yet stored (ms). */
  maxWaitMs?: number;
}

interface Tracked {
  machine: VmMachine;
  /** Every store operation for this VM, in order: at most one save in flight. */
  chain: Promise<void>;
  saves: SaveScheduler;
  /** The store holds a disk that the worker's record of changes builds on. */
  storedBase: boolean;
  /** The next save must list every chunk (a snapshot replaced the disk, a read was lost). */
  needFull: boolean;
  /** Chunks taken from the worker whose save failed: the next save sends them again. */
  unstored: Set<number>;
  lastWrites: number;
  lastFailure: string | undefined;
  snapshotIds: Set<string>;
  unsubscribe: (() => void)[];
}

export class MachinePersistence {
  readonly events = new Emitter<PersistenceEvents>();
  private readonly tracked = new Map<string, Tracked>();
  private readonly problemList: StorageProblem[] = [];
  private readonly quietMs: number;
  private readonly maxWaitMs: number;
  private readonly createdAt = new Map<string, number>();
  private stopHost: (() => void) | undefined;
  private disposed = false;

  constructor(
    private readonly host: VmHost,
    readonly store: MachineStore,
    options: PersistenceOptions = {},
  ) {
    this.quietMs = options.quietMs ?? 1000;
    this.maxWaitMs = options.maxWaitMs ?? 2000;
  }

  get problems(): readonly StorageProblem[] {
    return this.problemList;
  }

  /** Puts the stored VMs back on the host (stopped), then follows the host's changes. */
  async restore(): Promise<{ restored: number; ms: number }> {
    const startedAt = performance.now();
    const manifest = await this.host.manifest();
    const loaded = await this.store.loadAll({ v86Version: manifest.v86_version });
    this.report(loaded.problems);
    let restored = 0;
    for (const stored of loaded.machines) {
      const { record } = stored;
      // The record's config passed its checks when it was read: it is not checked again.
      const made = await this.host.add(record.config, {
        id: record.id,
        mac: record.mac,
        address: record.address ?? undefined,
      });
      if (!made.ok) {
        this.report([
          {
            what: `VM ${record.config.name}`,
            reason: `kept in storage but not opened: ${made.budget ?? Object.values(made.errors).join(" ")}`,
          },
        ]);
        continue;
      }
      this.createdAt.set(record.id, record.createdAt);
      for (const snapshot of stored.snapshots) made.machine.snapshots.add(snapshot);
      const t = this.track(made.machine, { known: true, snapshots: stored.snapshots });
      const address = made.machine.network.address ?? null;
      // A record from before addresses, or one whose address another VM took first.
      if (address !== record.address)
        this.enqueue(t, () => this.store.putVm({ ...record, address }), "storing");
      restored++;
    }
    if (this.disposed) return { restored, ms: performance.now() - startedAt };
    this.stopHost = this.host.events.on("machines", (list) => this.follow(list));
    this.follow(this.host.machines);
    return { restored, ms: performance.now() - startedAt };
  }

  /** Whether a VM's disk has writes not stored yet, a save running, or when it was last saved. */
  diskStatus(vmId: string): DiskStatus {
    const t = this.tracked.get(vmId);
    // A VM without a disk never has a save due.
    return { state: t?.saves.state ?? "saved", savedAt: t?.saves.savedAt };
  }

  /** True while some VM's disk has writes not stored yet or a save runs. */
  get savePending(): boolean {
    return [...this.tracked.values()].some((t) => t.saves.state !== "saved");
  }

  /** Saves every VM with unsaved disk writes now (before the page goes away, for instance). */
  async flush(): Promise<void> {
    const all = [...this.tracked.values()];
    for (const t of all) if (t.saves.state === "unsaved") t.saves.flush();
    await Promise.all(all.map((t) => t.saves.settled()));
    await Promise.all(all.map((t) => t.chain));
  }

  /** Deletes a VM's stored disk (the VM stays; its next start begins with a blank disk). */
  async forgetDisk(vmId: string): Promise<void> {
    await this.store.deleteDisk(vmId);
    this.events.emit("changed", undefined);
  }

  /** Deletes a VM's stored snapshots (and takes them off its list). */
  async forgetSnapshots(vmId: string): Promise<void> {
    const t = this.tracked.get(vmId);
    if (t) {
      for (const s of [...t.machine.snapshots.all]) t.machine.snapshots.remove(s.id);
      await t.chain;
    }
    await this.store.deleteSnapshotsOf(vmId);
    this.events.emit("changed", undefined);
  }

  dispose(): void {
    this.disposed = true;
    this.stopHost?.();
    for (const t of this.tracked.values()) this.untrack(t);
    this.tracked.clear();
    this.events.clear();
  }

  private follow(list: readonly VmMachine[]): void {
    const ids = new Set(list.map((m) => m.id));
    for (const t of [...this.tracked.values()])
      if (!ids.has(t.machine.id)) {
        this.untrack(t);
        this.tracked.delete(t.machine.id);
        this.enqueue(t, () => this.store.deleteVm(t.machine.id), "deleting");
      }
    for (const machine of list)
      if (!this.tracked.has(machine.id)) this.track(machine, { known: false, snapshots: [] });
  }

  private track(machine: VmMachine, from: { known: boolean; snapshots: VmSnapshot[] }): Tracked {
    const t: Tracked = {
      machine,
      chain: Promise.resolve(),
      saves: new SaveScheduler({
        quietMs: this.quietMs,
        maxWaitMs: this.maxWaitMs,
        save: () => this.save(t),
        onChange: () => this.events.emit("status", machine.id),
      }),
      storedBase: false,
      needFull: false,
      unstored: new Set(),
      lastWrites: 0,
      lastFailure: undefined,
      snapshotIds: new Set(from.snapshots.map((s) => s.id)),
      unsubscribe: [],
    };
    this.tracked.set(machine.id, t);
    if (!from.known) {
      this.enqueue(t, () => this.store.putVm(this.recordOf(machine)), "storing");
      // An imported disk (or a blank one) is stored from the start.
      if (!machineDiskless(machine)) t.saves.flush();
      for (const s of machine.snapshots.all) this.snapshotAdded(t, s);
    }
    t.unsubscribe.push(
      machine.snapshots.events.on("change", (all) => this.snapshotsChanged(t, all)),
    );
    if (!machineDiskless(machine)) t.unsubscribe.push(...this.followDisk(t));
    return t;
  }

  /** A VM with a disk: where its disk comes from, and what makes a save due. */
  private followDisk(t: Tracked): (() => void)[] {
    return [
      t.machine.attachDiskSource({
        load: async () => {
          try {
            const disk = await this.store.loadDisk(t.machine.id, t.machine.name);
            // The worker that gets these bytes notes its changes against them.
            t.storedBase = disk !== undefined;
            return disk;
          } catch (error) {
            // Already in quarantine: say so in the storage section too (the panel shows the error).
            if (error instanceof DamagedRecordError)
              this.report([{ what: error.what, reason: error.reason }]);
            throw error;
          }
        },
      }),
      t.machine.events.on("stats", (stats) => {
        if (stats.diskWriteBytes === t.lastWrites) return;
        t.lastWrites = stats.diskWriteBytes;
        t.saves.wrote();
      }),
      t.machine.events.on("diskDirty", () => t.saves.wrote()),
      t.machine.events.on("diskReplaced", () => {
        t.needFull = true;
        t.saves.wrote();
      }),
      // The guest was told its writes are durable: store them now.
      t.machine.events.on("diskFlush", () => t.saves.flush()),
      // On stop: what the guest wrote last is stored now, not after the quiet period.
      t.machine.events.on("state", (state) => {
        if (state === "stopped") t.saves.flush();
      }),
    ];
  }

  private untrack(t: Tracked): void {
    t.saves.dispose();
    // Also detaches the disk source: a later worker of this VM starts blank.
    t.unsubscribe.splice(0).forEach((off) => off());
  }

  private recordOf(machine: VmMachine): VmRecord {
    const createdAt = this.createdAt.get(machine.id) ?? Date.now();
    this.createdAt.set(machine.id, createdAt);
    return {
      schema: 3,
      id: machine.id,
      config: machine.config,
      mac: machine.network.mac,
      address: machine.network.address ?? null,
      createdAt,
      diskInstalled: false,
    };
  }

  /** One save: the worker's changes since the last one (plus any unstored), in one transaction. */
  private save(t: Tracked): Promise<void> {
    let failure: unknown;
    this.enqueue(
      t,
      async () => {
        try {
          await this.saveChanges(t);
          t.lastFailure = undefined;
        } catch (error) {
          failure = error ?? new Error("save failed");
          // The same refusal again and again (a full quota) is reported once.
          const reason = error instanceof Error ? error.message : String(error);
          if (reason === t.lastFailure) return;
          t.lastFailure = reason;
          throw error;
        }
      },
      "saving the disk of",
    );
    return t.chain.then(() => {
      if (failure) throw failure;
    });
  }

  private async saveChanges(t: Tracked): Promise<void> {
    if (!this.tracked.has(t.machine.id)) return;
    const startedAt = performance.now();
    const full = t.needFull || !t.storedBase;
    let changes;
    try {
      changes = await t.machine.readDiskChanges({ full, include: [...t.unstored] });
    } catch (error) {
      // The worker may have handed over (and forgotten) changes whose answer was lost.
      t.needFull = true;
      throw error;
    }
    if (!changes || !this.tracked.has(t.machine.id)) return;
    if (changes.full) t.needFull = true;
    for (const c of changes.chunks) t.unstored.add(c.index);
    if (!changes.full && changes.chunks.length === 0) return;
    let result: DiskSaveResult;
    try {
      result = await this.store.saveDiskChanges(t.machine.id, changes);
    } catch (error) {
      if (error instanceof NeedsFullSaveError) {
        t.needFull = true;
        t.saves.flush();
        return;
      }
      throw error;
    }
    t.needFull = false;
    t.storedBase = true;
    t.unstored.clear();
    this.events.emit("saved", {
      ...result,
      vmId: t.machine.id,
      vmName: t.machine.name,
      ms: performance.now() - startedAt,
      sizeBytes: changes.sizeBytes,
    });
  }

  private snapshotsChanged(t: Tracked, all: readonly VmSnapshot[]): void {
    const now = new Set(all.map((s) => s.id));
    for (const s of all) if (!t.snapshotIds.has(s.id)) this.snapshotAdded(t, s);
    for (const id of [...t.snapshotIds])
      if (!now.has(id)) {
        t.snapshotIds.delete(id);
        this.enqueue(t, () => this.store.deleteSnapshot(id), "deleting a snapshot of");
      }
  }

  private snapshotAdded(t: Tracked, snapshot: VmSnapshot): void {
    t.snapshotIds.add(snapshot.id);
    this.enqueue(t, () => this.store.putSnapshot(t.machine.id, snapshot), "storing a snapshot of");
  }

  private enqueue(t: Tracked, work: () => Promise<void>, doing: string): void {
    t.chain = t.chain
      .then(work)
      .then(() => this.events.emit("changed", undefined))
      .catch((error: unknown) => {
        if (this.disposed) return;
        const reason = error instanceof Error ? error.message : String(error);
        this.report([{ what: `VM ${t.machine.name}`, reason: `${doing} it failed: ${reason}` }]);
      });
  }

  private report(problems: readonly StorageProblem[]): void {
    if (problems.length === 0) return;
    this.problemList.push(...problems);
    this.events.emit("problems", [...this.problemList]);
  }
}

function machineDiskless(machine: VmMachine): boolean {
  return machine.config.disk.kind !== "blank";
}
