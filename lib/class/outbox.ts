/**
 * The learner's side of a live class, kept in IndexedDB so it survives reloads and offline
 * spells: which class this browser joined (code, name, token), and the events not yet
 * acknowledged by the server. The sender posts them in batches and removes them only after a 200
 * (the server has committed them); a failed post is retried with the same event ids, which the
 * server stores once. Several tabs may send the same events: the ids make that harmless.
 */
import { openDB, type DBSchema, type IDBPDatabase } from "idb";
import type { ClassEvent } from "./contract";
import { ClassApiError } from "./client";

export interface Membership {
  code: string;
  name: string;
  learnerId: string;
  token: string;
  joinedAt: number;
  /** The latest broadcast the learner closed, so it is not shown again. */
  dismissedBroadcast?: number;
}

export interface QueuedEvent extends ClassEvent {
  learnerId: string;
}

interface ClassSchema extends DBSchema {
  membership: { key: "current"; value: Membership };
  outbox: { key: string; value: QueuedEvent; indexes: { learner: string } };
}

export const CLASS_DB_NAME = "vlabs-class";
export const BATCH_SIZE = 50;

export class ClassStore {
  private constructor(private readonly db: IDBPDatabase<ClassSchema>) {}

  static async open(): Promise<ClassStore> {
    const db = await openDB<ClassSchema>(CLASS_DB_NAME, 1, {
      upgrade(database) {
        database.createObjectStore("membership");
        database.createObjectStore("outbox", { keyPath: "id" }).createIndex("learner", "learnerId");
      },
    });
    return new ClassStore(db);
  }

  async membership(): Promise<Membership | null> {
    return (await this.db.get("membership", "current")) ?? null;
  }

  async setMembership(membership: Membership | null): Promise<void> {
    if (membership) await this.db.put("membership", membership, "current");
    else await this.db.delete("membership", "current");
  }

  async enqueue(event: QueuedEvent): Promise<void> {
    await this.db.put("outbox", event);
  }

  /** The learner's oldest unacknowledged events, at most `limit`. */
  async pending(learnerId: string, limit = BATCH_SIZE): Promise<QueuedEvent[]> {
    const events = await this.db.getAllFromIndex("outbox", "learner", learnerId);
    return events.sort((a, b) => a.at.localeCompare(b.at)).slice(0, limit);
  }

  async count(learnerId: string): Promise<number> {
    return this.db.countFromIndex("outbox", "learner", learnerId);
  }

  async remove(ids: readonly string[]): Promise<void> {
    const tx = this.db.transaction("outbox", "readwrite");
    await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
  }

  async removeLearner(learnerId: string): Promise<void> {
    await this.remove(await this.db.getAllKeysFromIndex("outbox", "learner", learnerId));
  }

  close(): void {
    this.db.close();
  }
}

export type SendState =
  | { kind: "idle" }
  | { kind: "sending" }
  | { kind: "waiting"; retryInMs: number; reason: string }
  | { kind: "gone"; reason: string };

export type SendBatch = (code: string, token: string, events: ClassEvent[]) => Promise<unknown>;

/**
 * Posts a member's queued events until none is left. On a network error, a 5xx or a 429 it waits
 * (1 s doubling to 30 s, or the server's Retry-After) and tries the same batch again; on 401, 403
 * or 404 the class is gone and it stops.
 */
export class EventSender {
  private running = false;
  private again = false;
  private timer?: ReturnType<typeof setTimeout>;
  private delay = 1000;
  private stopped = false;

  constructor(
    private readonly store: ClassStore,
    private readonly member: Membership,
    private readonly send: SendBatch,
    private readonly onState: (state: SendState, pending: number) => void = () => {},
  ) {}

  /** Sends now (an event was queued, the browser came back online). */
  kick(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running) this.again = true;
    else void this.flush();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async flush(): Promise<void> {
    this.running = true;
    try {
      for (;;) {
        this.again = false;
        const batch = await this.store.pending(this.member.learnerId);
        if (batch.length === 0 || this.stopped) break;
        this.onState({ kind: "sending" }, await this.store.count(this.member.learnerId));
        const events = batch.map(({ learnerId: _learner, ...event }) => event);
        try {
          await this.send(this.member.code, this.member.token, events);
        } catch (error) {
          // Refused as malformed: no retry can make it pass, and it must not block the rest.
          if (!(error instanceof ClassApiError && error.status === 400)) throw error;
          console.error(`class events refused: ${error.message}`);
        }
        await this.store.remove(batch.map((event) => event.id));
        this.delay = 1000;
      }
      if (!this.stopped) this.onState({ kind: "idle" }, 0);
    } catch (error) {
      this.handleFailure(error);
    } finally {
      this.running = false;
    }
    if (this.again && !this.timer && !this.stopped) void this.flush();
  }

  private handleFailure(error: unknown): void {
    if (error instanceof ClassApiError && error.gone) {
      this.stopped = true;
      this.onState({ kind: "gone", reason: error.message }, 0);
      return;
    }
    const wait =
      error instanceof ClassApiError && error.retryAfter ? error.retryAfter * 1000 : this.delay;
    this.delay = Math.min(this.delay * 2, 30_000);
    void this.store
      .count(this.member.learnerId)
      .then((pending) =>
        this.onState(
          { kind: "waiting", retryInMs: wait, reason: (error as Error).message },
          pending,
        ),
      );
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, wait);
  }
}

/** A version 4 UUID, also where crypto.randomUUID is missing (a page served over plain http). */
export function newEventId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
