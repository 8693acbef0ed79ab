/**
 * A controller's periodic rounds (health checks, replacements, balancer targets): every
 * `periodMs` once started, and never two at once: a round asked for while one runs is skipped.
 */
export class Rounds {
  private timer: ReturnType<typeof setInterval> | undefined;
  private busy = false;

  constructor(
    private readonly periodMs: number,
    private readonly body: () => Promise<void>,
  ) {}

  /** Starts the periodic rounds (nothing when they run already). */
  start(): void {
    this.timer ??= setInterval(() => void this.run(), this.periodMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round now, unless one is running. */
  async run(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.body();
    } finally {
      this.busy = false;
    }
  }
}
