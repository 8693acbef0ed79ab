import type { VmHost } from "@/lib/emulator/vm-host";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import { downloadBlob } from "@/lib/download";
import { Emitter } from "@/lib/emulator/emitter";
import type { DiskSaved, MachinePersistence } from "./machine-persistence";
import type { QuarantineSummary, StorageProblem, StorageUsage, VmUsage } from "./machine-store";
import { quarantineFileName, quarantineJson } from "./quarantine-file";
import type { SaveFile } from "./save-file";

/**
 * The playground's "Browser storage" section without React: the figures it shows (what each VM
 * keeps, the quarantine, the browser's estimate, the last save) kept current from the
 * persistence's events, and one method per thing the learner can do there.
 */

export interface StorageEstimate {
  usage?: number;
  quota?: number;
  persisted?: boolean;
}

export interface StorageOverviewState {
  usage?: StorageUsage;
  quarantine: readonly QuarantineSummary[];
  estimate: StorageEstimate;
  problems: readonly StorageProblem[];
  lastSave?: DiskSaved;
  slowest?: DiskSaved;
  /** What the last action did, in a sentence. */
  note?: string;
  /** Counts disk status changes, so a view of `diskStatus()` draws again. */
  statusVersion: number;
}

/** The part of navigator.storage the overview uses. */
export type BrowserStorage = Pick<StorageManager, "estimate" | "persisted" | "persist">;

export interface StorageOverviewOptions {
  /** navigator.storage by default; absent where the browser has none. */
  browserStorage?: BrowserStorage;
  save?: SaveFile;
  /** Several changes in a row (a save, then a snapshot) refresh the figures once. */
  refreshDelayMs?: number;
}

/** One row of "Stored VMs": a VM's stored bytes, its name, and whether it is on the page. */
export interface StorageRow extends VmUsage {
  name: string;
  /** On this page and not stopped: its disk cannot be deleted. */
  running: boolean;
}

/** The rows worth showing: VMs stored, holding bytes, or on the page. */
export function storageRows(
  usage: StorageUsage | undefined,
  machines: readonly Pick<VmMachine, "id" | "name" | "state">[],
): StorageRow[] {
  return (usage?.vms ?? []).flatMap((u) => {
    const machine = machines.find((m) => m.id === u.vmId);
    if (!u.stored && u.diskBytes + u.snapshotBytes === 0 && !machine) return [];
    return [
      {
        ...u,
        name: machine?.name ?? `${u.vmId} (not on this page)`,
        running: machine !== undefined && machine.state !== "stopped",
      },
    ];
  });
}

export class StorageOverview {
  private state: StorageOverviewState;
  private readonly changes = new Emitter<{ change: StorageOverviewState }>();
  private readonly offs: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly browserStorage: BrowserStorage | undefined;
  private readonly save: SaveFile;
  private readonly refreshDelayMs: number;
  private running = false;

  constructor(
    private readonly persistence: MachinePersistence,
    private readonly host: Pick<VmHost, "machines" | "delete">,
    options: StorageOverviewOptions = {},
  ) {
    this.browserStorage =
      "browserStorage" in options
        ? options.browserStorage
        : typeof navigator === "undefined"
          ? undefined
          : navigator.storage;
    this.save = options.save ?? downloadBlob;
    this.refreshDelayMs = options.refreshDelayMs ?? 300;
    this.state = { quarantine: [], estimate: {}, problems: persistence.problems, statusVersion: 0 };
  }

  /**
   * Follows the persistence's events and reads the figures soon; returns `stop`. Starting again
   * after a stop works (a component mounted twice).
   */
  start(): () => void {
    this.stop();
    this.running = true;
    const events = this.persistence.events;
    this.offs.push(
      events.on("changed", () => this.refreshSoon()),
      events.on("problems", (problems) => {
        this.set({ problems });
        this.refreshSoon();
      }),
      events.on("saved", (saved) => {
        const slowest = this.state.slowest;
        this.set({ lastSave: saved, slowest: slowest && slowest.ms >= saved.ms ? slowest : saved });
      }),
      events.on("status", () => this.set({ statusVersion: this.state.statusVersion + 1 })),
    );
    this.refreshSoon();
    return () => this.stop();
  }

  get current(): StorageOverviewState {
    return this.state;
  }

  /** Calls `listener` after every change; returns the function that stops it. */
  subscribe(listener: () => void): () => void {
    return this.changes.on("change", listener);
  }

  diskStatus(vmId: string) {
    return this.persistence.diskStatus(vmId);
  }

  /** Reads the figures again now. */
  async refresh(): Promise<void> {
    const store = this.persistence.store;
    const [usage, quarantine] = await Promise.all([store.usage(), store.quarantined()]);
    this.set({ usage, quarantine });
    const s = this.browserStorage;
    if (s?.estimate) {
      const e = await s.estimate();
      const persisted = await s.persisted?.();
      this.set({ estimate: { usage: e.usage, quota: e.quota, persisted } });
    }
  }

  async forgetDisk(row: Pick<StorageRow, "vmId" | "name">): Promise<void> {
    await this.persistence.forgetDisk(row.vmId);
    this.set({ note: `Deleted ${row.name}'s stored disk.` });
  }

  async forgetSnapshots(row: Pick<StorageRow, "vmId" | "name">): Promise<void> {
    await this.persistence.forgetSnapshots(row.vmId);
    this.set({ note: `Deleted ${row.name}'s snapshots.` });
  }

  /** Asks the browser to keep this site's storage when it runs short of space. */
  async askToKeep(): Promise<boolean> {
    const granted = (await this.browserStorage?.persist()) ?? false;
    this.set({
      estimate: { ...this.state.estimate, persisted: granted },
      note: granted
        ? "The browser will keep this site's storage when it runs short of space."
        : "The browser did not agree to keep this site's storage; it may clear it when short of space.",
    });
    return granted;
  }

  /** Deletes the page's VMs and everything stored for the playground. */
  async deleteEverything(): Promise<void> {
    for (const m of [...this.host.machines]) await this.host.delete(m);
    await this.persistence.flush();
    await this.persistence.store.clearAll();
    await this.refresh();
    this.set({ note: "Deleted everything stored for the playground." });
  }

  /** Saves a quarantined record as a JSON file, to keep it. */
  async downloadQuarantined(id: number): Promise<void> {
    const entry = await this.persistence.store.quarantineEntry(id);
    if (!entry) return;
    this.save(
      new Blob([quarantineJson(entry)], { type: "application/json" }),
      quarantineFileName({ ...entry, id }),
    );
  }

  async deleteQuarantined(id: number): Promise<void> {
    await this.persistence.store.deleteQuarantined(id);
    await this.refresh();
  }

  /** Stops following the events; actions still work, figures stay as they were. */
  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.offs.splice(0).forEach((off) => off());
  }

  private refreshSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh().catch(() => {}), this.refreshDelayMs);
  }

  private set(change: Partial<StorageOverviewState>): void {
    this.state = { ...this.state, ...change };
    this.changes.emit("change", this.state);
  }
}
