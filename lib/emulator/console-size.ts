/**
 * The guest learns its console's size (rows and columns) the way a serial line allows: the
 * host's guest agent sets it on the console's tty with stty, and the kernel signals the
 * console's foreground programs (SIGWINCH) so that vi, top and the shell redraw to fit.
 */

export interface ConsoleSize {
  cols: number;
  rows: number;
}

const LIMIT = 999;

function whole(n: number): number {
  return Math.min(LIMIT, Math.max(1, Math.round(Number.isFinite(n) ? n : 1)));
}

/** The command the agent runs in the guest for `size`. */
export function sttyCommand(size: ConsoleSize): string {
  return `stty -F /dev/ttyS0 rows ${whole(size.rows)} cols ${whole(size.cols)}`;
}

/**
 * Keeps the guest told of the latest size: one command at a time, the newest size wins, and
 * nothing is sent twice. A command that fails (the guest stopped, it has no agent) is tried
 * again on the next size or the next boot (guestChanged()).
 */
export class ConsoleSizer {
  private wanted: string | undefined;
  private applied: string | undefined;
  private sending = false;

  constructor(private readonly apply: (command: string) => Promise<unknown>) {}

  set(size: ConsoleSize): void {
    this.wanted = sttyCommand(size);
    void this.send();
  }

  /** A new boot or a restored state: the guest's tty has whatever size it had then. */
  guestChanged(): void {
    this.applied = undefined;
    void this.send();
  }

  private async send(): Promise<void> {
    while (!this.sending && this.wanted !== undefined && this.wanted !== this.applied) {
      const command = this.wanted;
      this.sending = true;
      try {
        await this.apply(command);
        this.applied = command;
      } catch {
        // Not running, or no agent: guestChanged() or the next size tries again.
        return;
      } finally {
        this.sending = false;
      }
    }
  }
}
