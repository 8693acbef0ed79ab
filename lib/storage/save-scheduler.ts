/**
 * When to save one VM's disk. A save starts once the writes pause for `quietMs`, but never later
 * than `maxWaitMs` after the first write it has not stored (a guest that writes without pause is
 * still saved every `maxWaitMs`), and at once when asked (the guest flushed, the VM stopped, the
 * page is going away). One save at a time: what is written during a save waits for the next one.
 * A failed save is tried again, later each time, up to a minute apart.
 */

export type SaveState = "saved" | "unsaved" | "saving";

export interface SaveSchedulerOptions {
  quietMs: number;
  maxWaitMs: number;
  /** One save of everything written so far; rejects when nothing was stored. */
  save: () => Promise<void>;
  /** The state, savedAt or the pending work changed. */
  onChange?: () => void;
  now?: () => number;
}

const MAX_RETRY_MS = 60_000;

export class SaveScheduler {
  private dirty = false;
  private urgent = false;
  private dirtySince: number | undefined;
  private lastWriteAt = 0;
  private running: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private retryAt = 0;
  private disposed = false;
  private lastSavedAt: number | undefined;
  private readonly now: () => number;

  constructor(private readonly options: SaveSchedulerOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  get state(): SaveState {
    if (this.running) return "saving";
    return this.dirty ? "unsaved" : "saved";
  }

  /** When the last save finished (the scheduler's clock, performance.now() by default). */
  get savedAt(): number | undefined {
    return this.lastSavedAt;
  }

  /** Consecutive failed saves. */
  get failedSaves(): number {
    return this.failures;
  }

  /** The disk was written just now. */
  wrote(): void {
    if (this.disposed) return;
    const now = this.now();
    this.lastWriteAt = now;
    this.markDirty(now);
    this.arm();
  }

  /** Save as soon as the save in flight (if any) is done, whether or not a write was seen. */
  flush(): void {
    if (this.disposed) return;
    this.markDirty(this.now());
    this.urgent = true;
    this.arm();
  }

  /** Resolves once no save runs and none is due (a flush() before it makes one due at once). */
  async settled(): Promise<void> {
    while (this.running || (this.urgent && this.dirty && !this.disposed)) {
      await (this.running ?? new Promise((r) => setTimeout(r, 0)));
    }
  }

  /** No save starts after this; a save already running finishes. */
  dispose(): void {
    this.disposed = true;
    this.clearTimer();
  }

  private markDirty(now: number): void {
    const changed = !this.dirty;
    this.dirty = true;
    this.dirtySince ??= now;
    if (changed) this.options.onChange?.();
  }

  private arm(): void {
    this.clearTimer();
    if (this.disposed || this.running || !this.dirty) return;
    const now = this.now();
    let due = this.urgent
      ? now
      : Math.min(
          this.lastWriteAt + this.options.quietMs,
          this.dirtySince! + this.options.maxWaitMs,
        );
    if (!this.urgent) due = Math.max(due, this.retryAt);
    if (due <= now) this.run();
    else this.timer = setTimeout(() => this.run(), due - now);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private run(): void {
    this.timer = undefined;
    if (this.disposed || this.running || !this.dirty) return;
    const since = this.dirtySince;
    this.dirty = false;
    this.urgent = false;
    this.dirtySince = undefined;
    this.running = this.options
      .save()
      .then(
        () => {
          this.failures = 0;
          this.retryAt = 0;
          this.lastSavedAt = this.now();
        },
        () => {
          this.failures++;
          this.retryAt =
            this.now() + Math.min(this.options.maxWaitMs * 2 ** this.failures, MAX_RETRY_MS);
          this.dirty = true;
          this.dirtySince = Math.min(since ?? this.now(), this.dirtySince ?? Infinity);
        },
      )
      .finally(() => {
        this.running = undefined;
        this.options.onChange?.();
        this.arm();
      });
    this.options.onChange?.();
  }
}
