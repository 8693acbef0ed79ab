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
    this.tail = hay.slice(-Math.max(0, this.needle.length - 1));
    if (found) this.onMatch();
    return found;
  }
}

export const KERNEL_PANIC_TEXT = "Kernel panic";
