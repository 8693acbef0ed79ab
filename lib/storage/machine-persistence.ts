import { Emitter } from "../emulator/emitter";
import type { VmSnapshot } from "../emulator/snapshots";
import { vmConfigInput } from "../emulator/vm-config";
import type { VmHost } from "../emulator/vm-host";
import type { VmMachine } from "../emulator/vm-machine";
import type { VmRecord } from "./machine-records";
import {
  DamagedRecordError,
  type DiskSaveResult,
  type MachineStore,
  type StorageProblem,
} from "./machine-store";

/**
 * Keeps a page's VMs in a MachineStore: brings stored VMs back (stopped), records creations and
 * deletions, saves a VM's disk once its writes go quiet and when it stops, and keeps its
 * snapshots. Only the playground uses this; labs make their own machines.
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

export interface DiskSaved extends DiskSaveResult {
  vmId: string;
  vmName: string;
  ms: number;
  sizeBytes: number;
}

export interface PersistenceOptions {
  /** Save this long after the last disk write (ms). */
  quietMs?: number;
}

interface Tracked {
  machine: VmMachine;
  /** Every store operation for this VM, in order: at most one save in flight. */
  chain: Promise<void>;
  dirty: boolean;
  saveQueued: boolean;
  saving: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  lastWrites: number;
  snapshotIds: Set<string>;
  unsubscribe: (() => void)[];
}

export class MachinePersistence {
  readonly events = new Emitter<PersistenceEvents>();
  private readonly tracked = new Map<string, Tracked>();
  private readonly problemList: StorageProblem[] = [];
  private readonly quietMs: number;
  private readonly createdAt = new Map<string, number>();
  private stopHost: (() => void) | undefined;
  private disposed = false;

  constructor(
    private readonly host: VmHost,
    readonly store: MachineStore,
    options: PersistenceOptions = {},
  ) {
    this.quietMs = options.quietMs ?? 2000;
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
      const made = await this.host.create(vmConfigInput(record.config), {
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
      const address = made.machine.network?.address ?? null;
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

  /** "pending" while a VM's disk has writes not stored yet (or a save is running). */
  diskStatus(vmId: string): "saved" | "pending" {
    const t = this.tracked.get(vmId);
    return t && (t.dirty || t.saveQueued || t.saving) ? "pending" : "saved";
  }

  /** Saves every VM with unsaved disk writes now (before the page goes away, for instance). */
  flush(): Promise<void> {
    for (const t of this.tracked.values()) if (t.dirty) this.queueSave(t);
    return Promise.all([...this.tracked.values()].map((t) => t.chain)).then(() => undefined);
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
      dirty: false,
      saveQueued: false,
      saving: false,
      timer: undefined,
      lastWrites: 0,
      snapshotIds: new Set(from.snapshots.map((s) => s.id)),
      unsubscribe: [],
    };
    this.tracked.set(machine.id, t);
    if (!from.known) {
      this.enqueue(t, () => this.store.putVm(this.recordOf(machine)), "storing");
      // An imported disk (or a blank one) is stored from the start.
      if (machine.config.disk.kind === "blank") this.queueSave(t);
      for (const s of machine.snapshots.all) this.snapshotAdded(t, s);
    }
    machine.loadDisk = async () => {
      try {
        return await this.store.loadDisk(machine.id, machine.name);
      } catch (error) {
        // Already in quarantine: say so in the storage section too (the panel shows the error).
        if (error instanceof DamagedRecordError)
          this.report([{ what: error.what, reason: error.reason }]);
        throw error;
      }
    };
    t.unsubscribe.push(
      machine.events.on("stats", (stats) => {
        if (stats.diskWriteBytes === t.lastWrites) return;
        t.lastWrites = stats.diskWriteBytes;
        this.markDirty(t);
      }),
      machine.events.on("diskReplaced", () => this.markDirty(t)),
      machine.events.on("state", (state) => {
        // Always on stop: writes of the last second have not reached the stats yet.
        if (state !== "stopped") return;
        if (t.timer) clearTimeout(t.timer);
        t.timer = undefined;
        this.queueSave(t);
      }),
      machine.snapshots.events.on("change", (all) => this.snapshotsChanged(t, all)),
    );
    return t;
  }

  private untrack(t: Tracked): void {
    if (t.timer) clearTimeout(t.timer);
    t.timer = undefined;
    t.unsubscribe.splice(0).forEach((off) => off());
    if (t.machine.loadDisk) t.machine.loadDisk = undefined;
  }

  private recordOf(machine: VmMachine): VmRecord {
    const createdAt = this.createdAt.get(machine.id) ?? Date.now();
    this.createdAt.set(machine.id, createdAt);
    return {
      schema: 3,
      id: machine.id,
      config: machine.config,
      mac: machine.network?.mac ?? "02:76:6c:00:00:00",
      address: machine.network?.address ?? null,
      createdAt,
      diskInstalled: false,
    };
  }

  private markDirty(t: Tracked): void {
    if (machineDiskless(t.machine)) return;
    if (!t.dirty) {
      t.dirty = true;
      this.events.emit("status", t.machine.id);
    }
    if (t.timer) clearTimeout(t.timer);
    t.timer = setTimeout(() => {
      t.timer = undefined;
      if (t.dirty) this.queueSave(t);
    }, this.quietMs);
  }

  private queueSave(t: Tracked): void {
    if (t.saveQueued || machineDiskless(t.machine)) return;
    t.saveQueued = true;
    this.events.emit("status", t.machine.id);
    this.enqueue(
      t,
      async () => {
        t.saveQueued = false;
        // Writes after this point make it dirty again and schedule the next save.
        t.dirty = false;
        t.saving = true;
        const startedAt = performance.now();
        try {
          const bytes = await t.machine.readDisk();
          if (!bytes || !this.tracked.has(t.machine.id)) return;
          const result = await this.store.saveDisk(t.machine.id, bytes);
          this.events.emit("saved", {
            ...result,
            vmId: t.machine.id,
            vmName: t.machine.name,
            ms: performance.now() - startedAt,
            sizeBytes: bytes.byteLength,
          });
        } catch (error) {
          if (this.tracked.has(t.machine.id)) t.dirty = true;
          throw error;
        } finally {
          t.saving = false;
          this.events.emit("status", t.machine.id);
        }
      },
      "saving the disk of",
    );
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
