/**
 * A VM's console output as text (the last `limit` characters), with positions that stay valid
 * after old text is dropped, and waits for text to appear. The guest writes UTF-8, as the live
 * terminal reads it: a console drawn again from this text shows what the live one showed.
 */
export class ConsoleLog {
  private text = "";
  private dropped = 0;
  private readonly waiters = new Set<() => void>();
  /** Streaming: a character split between two chunks is decoded when its last byte comes. */
  private readonly decoder = new TextDecoder();

  constructor(private readonly limit = 512 * 1024) {}

  get current(): string {
    return this.text;
  }
  /** Position in the whole stream, for waitFor({ from }). */
  get length(): number {
    return this.dropped + this.text.length;
  }

  append(bytes: Uint8Array): void {
    this.text += this.decoder.decode(bytes, { stream: true });
    if (this.text.length > this.limit) {
      let cut = this.text.length - this.limit / 2;
      // Never keep the second half of a surrogate pair (an emoji) without its first.
      if (isLowSurrogate(this.text.charCodeAt(cut))) cut++;
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

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
