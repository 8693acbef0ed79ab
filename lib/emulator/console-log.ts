/**
 * A VM's console output as text (the last `limit` characters), with positions that stay valid
 * after old text is dropped, and waits for text to appear.
 */
export class ConsoleLog {
  private text = "";
  private dropped = 0;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly limit = 512 * 1024) {}

  get current(): string {
    return this.text;
  }
  /** Position in the whole stream, for waitFor({ from }). */
  get length(): number {
    return this.dropped + this.text.length;
  }

  append(bytes: Uint8Array): void {
    this.text += latin1(bytes);
    if (this.text.length > this.limit) {
      const cut = this.text.length - this.limit / 2;
      this.text = this.text.slice(cut);
      this.dropped += cut;
    }
    for (const w of [...this.waiters]) w();
  }

  /** Resolves with the text from `from` on once it matches; `what` names the VM in the error. */
  waitFor(
    pattern: string | RegExp,
    opts: { from?: number; timeoutMs?: number; what?: string } = {},
  ): Promise<string> {
    const timeoutMs = opts.timeoutMs ?? 15_000;
    const since = (): string => this.text.slice(Math.max(0, (opts.from ?? 0) - this.dropped));
    const matches = (): boolean =>
      typeof pattern === "string" ? since().includes(pattern) : pattern.test(since());
    return new Promise((resolve, reject) => {
      if (matches()) return resolve(since());
      const check = (): void => {
        if (!matches()) return;
        done();
        resolve(since());
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`${opts.what ?? "console"}: no ${String(pattern)} within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  destroy(): void {
    this.waiters.clear();
  }
}

/** Arguments per String.fromCharCode call, well under engines' argument limits. */
const LATIN1_BATCH = 8192;

/**
 * Bytes as one flat string, a character per byte. Adding them a character at a time builds a
 * rope of one-character pieces that costs about 30 bytes of heap per byte of console output.
 */
function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += LATIN1_BATCH)
    text += String.fromCharCode(...bytes.subarray(i, i + LATIN1_BATCH));
  return text;
}
