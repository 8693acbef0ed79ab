/**
 * Live updates for open streams. Every server LISTENs on one channel; a committed change anywhere
 * (this server or another on the same Postgres) arrives as a NOTIFY naming the class and the
 * learner. Changes are coalesced per class: at most every `coalesceMs`, the rows of the learners
 * that changed are read again, the class's view is rebuilt from the rows kept in memory, and it
 * goes to all of the class's instructor streams. A burst of 200 learners costs a few small
 * queries, not a read of the whole class each time. Server side only.
 */
import type { Broadcast, ClassView } from "./contract";
import { RESYNC, type ClassDb } from "./db";
import {
  broadcastsAfter,
  classRows,
  latestBroadcast,
  CLASS_CHANNEL,
  type ClassRecord,
} from "./queries";
import { buildClassView, type LearnerRow, type StepRow } from "./view";

type ViewWatcher = (view: ClassView | null) => void;
type BroadcastWatcher = (broadcast: Broadcast | null) => void;

/** A watched class: its rows as last read, the learners changed since, and the send schedule. */
interface Pending {
  timer?: ReturnType<typeof setTimeout>;
  running: boolean;
  again: boolean;
  changed: Set<string>;
  /** How long the last view took to read and send: a big class under load waits longer between views. */
  costMs: number;
  rows?: { found: ClassRecord; learners: Map<string, LearnerRow>; steps: Map<string, StepRow[]> };
}

export class ClassLive {
  private readonly viewWatchers = new Map<string, Set<ViewWatcher>>();
  private readonly broadcastWatchers = new Map<string, Set<BroadcastWatcher>>();
  private readonly pending = new Map<string, Pending>();
  private readonly forgetters = new Set<(code: string | null) => void>();
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
    const remove = add(this.viewWatchers, code, watcher);
    return () => {
      remove();
      const pending = this.pending.get(code);
      if (this.viewWatchers.has(code) || !pending || pending.running) return;
      clearTimeout(pending.timer);
      this.pending.delete(code);
    };
  }

  /** Told when a class is deleted on any server (null: maybe any class, after a reconnect). */
  onForget(listener: (code: string | null) => void): void {
    this.forgetters.add(listener);
  }

  watchBroadcasts(code: string, watcher: BroadcastWatcher): () => void {
    return add(this.broadcastWatchers, code, watcher);
  }

  private onNotify(payload: string): void {
    if (payload === RESYNC) {
      for (const forget of this.forgetters) forget(null);
      for (const code of this.viewWatchers.keys()) this.scheduleView(code, "all");
      // A broadcast sent while this server was not listening: the latest one, if new to a stream.
      for (const code of this.broadcastWatchers.keys()) void this.sendBroadcast(code);
      return;
    }
    const [kind, code = "", id] = payload.split(":");
    if (kind === "change") this.scheduleView(code, id ? [id] : "all");
    else if (kind === "broadcast") void this.sendBroadcast(code, Number(id));
    else if (kind === "deleted") {
      for (const forget of this.forgetters) forget(code);
      for (const watcher of this.viewWatchers.get(code) ?? []) watcher(null);
      for (const watcher of this.broadcastWatchers.get(code) ?? []) watcher(null);
    }
  }

  /** Sends the class's view soon; `change` says which learners changed ("all": read everything). */
  private scheduleView(code: string, change: string[] | "all" = []): void {
    if (!this.viewWatchers.get(code)?.size || this.closed) return;
    const pending = this.pending.get(code) ?? {
      running: false,
      again: false,
      changed: new Set(),
      costMs: 0,
    };
    this.pending.set(code, pending);
    if (change === "all") pending.rows = undefined;
    else for (const id of change) pending.changed.add(id);
    if (pending.running) {
      pending.again = true;
      return;
    }
    // The stream's work stays under about a third of the server's time, and views under 1 s apart.
    const wait = Math.max(this.coalesceMs, Math.min(1000 - pending.costMs, 2 * pending.costMs));
    pending.timer ??= setTimeout(() => void this.sendView(code, pending), wait);
  }

  private async sendView(code: string, pending: Pending): Promise<void> {
    pending.timer = undefined;
    pending.running = true;
    const started = performance.now();
    const changed = [...pending.changed];
    pending.changed.clear();
    try {
      const rows = await classRows(this.db, code, pending.rows ? changed : undefined);
      if (!rows) {
        for (const watcher of this.viewWatchers.get(code) ?? []) watcher(null);
        return;
      }
      const kept = pending.rows ?? { found: rows.found, learners: new Map(), steps: new Map() };
      kept.found = rows.found;
      for (const id of changed) kept.steps.delete(id);
      for (const learner of rows.learners) kept.learners.set(learner.id, learner);
      for (const step of rows.steps) {
        kept.steps.set(step.learnerId, [...(kept.steps.get(step.learnerId) ?? []), step]);
      }
      pending.rows = kept;
      const learners = [...kept.learners.values()].sort(
        (a, b) =>
          new Date(a.joinedAt).getTime() - new Date(b.joinedAt).getTime() ||
          a.id.localeCompare(b.id),
      );
      const view = buildClassView(kept.found, learners, [...kept.steps.values()].flat());
      for (const watcher of this.viewWatchers.get(code) ?? []) watcher(view);
      pending.costMs = performance.now() - started;
    } catch (error) {
      // Read everything again next time rather than trust rows half updated.
      pending.rows = undefined;
      console.error(`class ${code}: could not read the live view: ${(error as Error).message}`);
    } finally {
      pending.running = false;
      if (!this.viewWatchers.get(code)?.size) this.pending.delete(code);
      else if (pending.again || pending.changed.size > 0) {
        pending.again = false;
        this.scheduleView(code);
      }
    }
  }

  /** Sends broadcast `id` (or the latest) to the class's learner streams; each skips one it had. */
  private async sendBroadcast(code: string, id?: number): Promise<void> {
    if (!this.broadcastWatchers.get(code)?.size) return;
    if (id !== undefined && !Number.isInteger(id)) return;
    try {
      const broadcast =
        id === undefined
          ? await latestBroadcast(this.db, code)
          : (await broadcastsAfter(this.db, code, id - 1, 1))[0];
      if (!broadcast) return;
      for (const watcher of this.broadcastWatchers.get(code) ?? []) watcher(broadcast);
    } catch (error) {
      console.error(`class ${code}: could not read a broadcast: ${(error as Error).message}`);
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
