/**
 * Watches a console byte stream for text that spans chunk boundaries (a kernel panic, a prompt).
 */
export class TextWatch {
  private tail = "";

  constructor(
    private readonly needle: string,
    private readonly onMatch: () => void,
  ) {}

  push(text: string): boolean {
    const hay = this.tail + text;
    const found = hay.includes(this.needle);
    // slice(-0) would keep everything: a needle of one character or none needs no tail at all.
    const keep = this.needle.length - 1;
    this.tail = keep > 0 ? hay.slice(-keep) : "";
    if (found) this.onMatch();
    return found;
  }
}

export const KERNEL_PANIC_TEXT = "Kernel panic";
