import { Emitter } from "../emulator/emitter";
import { CloudStore, type CloudKey, type StoredCloudRecord } from "../storage/cloud-store";
import { holdStorageLock } from "../storage/playground-storage";
import type { Cloud } from "./cloud";
import { recordsOf, sortCloudRecords } from "./cloud-records";

/**
 * Keeps a console's cloud in this browser's IndexedDB (lib/storage/cloud-store.ts) under a scope
 * (`cloud-page`, or a lab's key): what was kept comes back when the console opens (records that
 * fail their checks are set aside in quarantine and named in a notice), and every change is
 * written shortly after, only the records that changed (an image's snapshot once).
 */

export type KeepingStatus = "off" | "saving" | "saved" | "failed";

export interface CloudKeeping {
  status: KeepingStatus;
  /** Why it is off or failed; what a load set aside. */
  message: string;
  /** Records set aside when the console opened, in words. */
  setAside: string[];
  restored: number;
}

interface KeepingEvents extends Record<string, unknown> {
  change: CloudKeeping;
}

const SAVE_DELAY_MS = 150;

export class CloudPersistence {
  readonly events = new Emitter<KeepingEvents>();
  private state: CloudKeeping;
  /** What each stored key holds as written (images: their id, the snapshot never changes). */
  private readonly written = new Map<string, string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private saving: Promise<void> | undefined;
  private again = false;
  private stopFollowing: () => void = () => {};

  private constructor(
    private readonly cloud: Cloud,
    private readonly scope: string,
    private readonly store: CloudStore | undefined,
    private readonly release: () => void,
    initial: CloudKeeping,
  ) {
    this.state = initial;
  }

  get keeping(): CloudKeeping {
    return this.state;
  }

  /**
   * Puts the scope's kept cloud back on `cloud` (which has no instances yet) and keeps it from
   * then on. Never fails: without IndexedDB or with another tab holding the scope it keeps
   * nothing and says why.
   */
  static async open(
    cloud: Cloud,
    scope: string,
    options: { openStore?: () => Promise<CloudStore>; locks?: LockManager } = {},
  ): Promise<CloudPersistence> {
    const off = (message: string) =>
      new CloudPersistence(cloud, scope, undefined, () => {}, {
        status: "off",
        message,
        setAside: [],
        restored: 0,
      });
    if (!options.openStore && typeof indexedDB === "undefined")
      return off("Not kept: this browser has no IndexedDB.");
    const release = await holdStorageLock(options.locks, 300, `vlabs-cloud:${scope}`);
    if (!release)
      return off("Not kept: another tab of this site keeps this cloud. Close it and reload.");
    try {
      const store = await (options.openStore ?? (() => CloudStore.open()))();
      const { state, moves } = sortCloudRecords(await store.load(scope));
      await store.quarantine(moves);
      cloud.restore(state);
      const persistence = new CloudPersistence(cloud, scope, store, release, {
        status: "saved",
        message: "",
        setAside: moves.map((m) => `${m.what}: ${m.reason}`),
        restored: state.instances.length + state.images.length + state.scaling.length,
      });
      for (const record of recordsOf(scope, cloud.keptState()))
        persistence.written.set(keyText(record.key), signature(record));
      persistence.stopFollowing = cloud.events.on("change", () => persistence.schedule());
      return persistence;
    } catch (error) {
      release();
      return off(`Not kept: this browser's storage failed (${String(error)}).`);
    }
  }

  /** Writes what changed now (a page being left). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.save();
  }

  /** Stops keeping (before the console's cloud is torn down, which must not be stored). */
  dispose(): void {
    this.stopFollowing();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.store?.close();
    this.release();
    this.events.clear();
  }

  private schedule(): void {
    if (!this.store || this.timer) return;
    // Said at once: a change not written yet is not kept.
    if (this.state.status !== "saving") this.set({ ...this.state, status: "saving" });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, SAVE_DELAY_MS);
  }

  private async save(): Promise<void> {
    if (!this.store) return;
    if (this.saving) {
      this.again = true;
      return this.saving;
    }
    this.saving = this.write(this.store);
    try {
      await this.saving;
    } finally {
      this.saving = undefined;
    }
    if (this.again) {
      this.again = false;
      await this.save();
    }
  }

  private async write(store: CloudStore): Promise<void> {
    const records = recordsOf(this.scope, this.cloud.keptState());
    const now = new Map(records.map((r) => [keyText(r.key), r]));
    const puts = records.filter((r) => this.written.get(keyText(r.key)) !== signature(r));
    const deletes: CloudKey[] = [...this.written.keys()]
      .filter((key) => !now.has(key))
      .map((key) => JSON.parse(key) as CloudKey);
    try {
      await store.apply(puts, deletes);
      for (const key of deletes) this.written.delete(JSON.stringify(key));
      for (const record of puts) this.written.set(keyText(record.key), signature(record));
      // Saved only when no change came meanwhile (the next save writes that one).
      if (!this.timer && !this.again) this.set({ ...this.state, status: "saved", message: "" });
    } catch (error) {
      this.set({
        ...this.state,
        status: "failed",
        message: `The last change is not kept: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }

  private set(state: CloudKeeping): void {
    this.state = state;
    this.events.emit("change", state);
  }
}

function keyText(key: CloudKey): string {
  return JSON.stringify(key);
}

/**
 * What a record holds, to write only what changed: an image never changes once made, a saved
 * machine only with a new Stop (a new snapshot id).
 */
function signature(record: StoredCloudRecord): string {
  if (record.key[1] === "image") return record.key[2];
  if (record.key[1] === "stopped")
    return (record.value as { snapshot: { id: string } }).snapshot.id;
  return JSON.stringify(record.value);
}
