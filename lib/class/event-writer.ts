/**
 * Group commit for event batches. While one write runs, the batches that arrive wait; the next
 * write stores all of them in one transaction (one insert, one commit). Each request still gets
 * its answer only after the commit that holds its events. With 200 learners posting at once this
 * turns 200 commits into a handful, which matters most on PGlite, where every statement runs in
 * turn on the server's one thread. Server side only.
 */
import type { ClassEvent } from "./contract";
import type { ClassDb } from "./db";
import { storeEventBatches, type EventBatch } from "./queries";

interface Request extends EventBatch {
  resolve(result: { accepted: number; duplicates: number }): void;
  reject(error: unknown): void;
}

/** At most this many requests' events in one statement (100 events each at the most). */
const MAX_GROUP = 50;

export class EventWriter {
  private readonly waiting: Request[] = [];
  private writing = false;

  constructor(private readonly db: ClassDb) {}

  /**
   * Stores a learner's batch; an event whose id the learner sent before is left as it is.
   * Resolves after the commit, with how many were there already.
   */
  add(
    learnerId: string,
    code: string,
    events: readonly ClassEvent[],
  ): Promise<{ accepted: number; duplicates: number }> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ learnerId, code, events, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0, MAX_GROUP);
        try {
          this.settle(group, await storeEventBatches(this.db, group));
        } catch (error) {
          if (group.length === 1) group[0]!.reject(error);
          // One bad request (its class deleted meanwhile) must not fail the others: each alone.
          else for (const request of group) await this.writeAlone(request);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async writeAlone(request: Request): Promise<void> {
    try {
      this.settle([request], await storeEventBatches(this.db, [request]));
    } catch (error) {
      request.reject(error);
    }
  }

  /** Answers each request: an event stored by this write counts for the first request that had it. */
  private settle(group: readonly Request[], fresh: Set<string>): void {
    for (const request of group) {
      let duplicates = 0;
      for (const event of request.events) {
        const key = `${request.learnerId}/${event.id}`;
        if (fresh.delete(key)) continue;
        duplicates++;
      }
      request.resolve({ accepted: request.events.length, duplicates });
    }
  }
}
