/**
 * Live updates for open streams. Every server LISTENs on one channel; a committed change anywhere
 * (this server or another on the same Postgres) arrives as a NOTIFY naming the class. Changes are
 * coalesced per class: one view is read and sent to all of the class's instructor streams at most
 * every `coalesceMs`, however many learners post at once. Server side only.
 */
import type { Broadcast, ClassView } from "./contract";
import type { ClassDb } from "./db";
import { broadcastsAfter, classView, CLASS_CHANNEL } from "./queries";

type ViewWatcher = (view: ClassView | null) => void;
type BroadcastWatcher = (broadcast: Broadcast | null) => void;

interface Pending {
  timer?: ReturnType<typeof setTimeout>;
  running: boolean;
  again: boolean;
}

export class ClassLive {
  private readonly viewWatchers = new Map<string, Set<ViewWatcher>>();
  private readonly broadcastWatchers = new Map<string, Set<BroadcastWatcher>>();
  private readonly pending = new Map<string, Pending>();
  private stopListening?: () => Promise<void>;
  private closed = false;

  constructor(
    private readonly db: ClassDb,
    private readonly coalesceMs = 100,
  ) {}

  async start(): Promise<void> {
    this.stopListening = await this.db.listen(CLASS_CHANNEL, (payload) => this.onNotify(payload));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.pending.values()) clearTimeout(pending.timer);
    this.pending.clear();
    await this.stopListening?.();
  }

  /** How many streams are open, of both kinds. */
  get streams(): number {
    let count = 0;
    for (const set of this.viewWatchers.values()) count += set.size;
    for (const set of this.broadcastWatchers.values()) count += set.size;
    return count;
  }

  watchView(code: string, watcher: ViewWatcher): () => void {
    return add(this.viewWatchers, code, watcher);
  }

  watchBroadcasts(code: string, watcher: BroadcastWatcher): () => void {
    return add(this.broadcastWatchers, code, watcher);
  }

  private onNotify(payload: string): void {
    const [kind, code = "", id] = payload.split(":");
    if (kind === "change") this.scheduleView(code);
    else if (kind === "broadcast") void this.sendBroadcast(code, Number(id));
    else if (kind === "deleted") {
      for (const watcher of this.viewWatchers.get(code) ?? []) watcher(null);
      for (const watcher of this.broadcastWatchers.get(code) ?? []) watcher(null);
    }
  }

  private scheduleView(code: string): void {
    if (!this.viewWatchers.get(code)?.size || this.closed) return;
    const pending = this.pending.get(code) ?? { running: false, again: false };
    this.pending.set(code, pending);
    if (pending.running) {
      pending.again = true;
      return;
    }
    pending.timer ??= setTimeout(() => void this.sendView(code, pending), this.coalesceMs);
  }

  private async sendView(code: string, pending: Pending): Promise<void> {
    pending.timer = undefined;
    pending.running = true;
    try {
      const view = await classView(this.db, code);
      for (const watcher of this.viewWatchers.get(code) ?? []) watcher(view);
    } catch (error) {
      console.error(`class ${code}: could not read the live view: ${(error as Error).message}`);
    } finally {
      pending.running = false;
      this.pending.delete(code);
      if (pending.again) this.scheduleView(code);
    }
  }

  private async sendBroadcast(code: string, id: number): Promise<void> {
    if (!this.broadcastWatchers.get(code)?.size || !Number.isInteger(id)) return;
    try {
      const [broadcast] = await broadcastsAfter(this.db, code, id - 1, 1);
      if (!broadcast) return;
      for (const watcher of this.broadcastWatchers.get(code) ?? []) watcher(broadcast);
    } catch (error) {
      console.error(`class ${code}: could not read broadcast ${id}: ${(error as Error).message}`);
    }
  }
}

function add<T>(map: Map<string, Set<T>>, code: string, watcher: T): () => void {
  const set = map.get(code) ?? new Set<T>();
  set.add(watcher);
  map.set(code, set);
  return () => {
    set.delete(watcher);
    if (set.size === 0) map.delete(code);
  };
}
