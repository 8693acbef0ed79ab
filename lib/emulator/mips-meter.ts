/**
 * Guest speed from v86's instruction counter, a 32-bit value that wraps about every 4.3 billion
 * instructions (every ~15 s at 300 MIPS): sampled once a second, the difference modulo 2^32 is
 * the instructions run in between.
 */

const U32 = 0x1_0000_0000;

/** Instructions between two counter readings, assuming at most one wrap in between. */
export function counterDelta(previous: number, current: number): number {
  return (((current - previous) % U32) + U32) % U32;
}

export interface MipsReading {
  /** Millions of instructions per second over the last interval. */
  now: number;
  /** Over all the time the guest ran (pauses excluded). */
  average: number;
  totalInstructions: number;
}

export class MipsMeter {
  private last: { t: number; counter: number } | undefined;
  private total = 0;
  private runningMs = 0;
  private current = 0;

  /** `running` false means the interval was spent paused or stopped and must not count. */
  sample(tMs: number, counter: number, running = true): MipsReading {
    if (this.last && running) {
      const dt = tMs - this.last.t;
      const delta = counterDelta(this.last.counter, counter);
      if (dt > 0) {
        this.total += delta;
        this.runningMs += dt;
        this.current = delta / dt / 1000;
      }
    } else if (!running) {
      this.current = 0;
    }
    this.last = { t: tMs, counter };
    return this.reading();
  }

  /** Forget the last reading (after a restart the counter starts over). */
  resetBaseline(): void {
    this.last = undefined;
    this.current = 0;
  }

  reading(): MipsReading {
    return {
      now: this.current,
      average: this.runningMs > 0 ? this.total / this.runningMs / 1000 : 0,
      totalInstructions: this.total,
    };
  }
}
