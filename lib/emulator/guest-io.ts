import { AgentClient, type AgentResult } from "../guest-agent/client";
import { ConsoleLog } from "./console-log";
import type { HostToWorker } from "./worker-protocol";

/**
 * What passes between the page and a running guest besides the emulator's own state: the
 * console on serial 0 (typed text, the log of what it printed), the text screen and keys, and
 * the guest agent on serial 1. VmMachine decides when these may be used; this holds them.
 */

export class GuestIo {
  private readonly log = new ConsoleLog();
  private screen: string[] = [];
  private agent: AgentClient | undefined;
  private readonly agentListeners = new Set<(bytes: Uint8Array) => void>();
  /** Someone typed on the console since renameRunning() began. */
  private typed = false;

  constructor(
    private readonly name: string,
    private readonly post: (message: HostToWorker) => void,
  ) {}

  get screenRows(): string[] {
    return this.screen;
  }
  /** Everything the guest printed on its console so far (the last 512 KB). */
  get consoleText(): string {
    return this.log.current;
  }
  /** Position in the whole console stream, for waitForOutput({ from }). */
  get consoleLength(): number {
    return this.log.length;
  }
  get hasAgent(): boolean {
    return this.agent !== undefined;
  }

  /** Types text on the guest's console (serial 0). */
  sendText(text: string): void {
    this.typed = true;
    this.post({ type: "serial", port: 0, bytes: new TextEncoder().encode(text) });
  }
  /** PS/2 set-1 scancodes for the screen view. */
  sendScancodes(codes: number[]): void {
    this.post({ type: "scancodes", codes });
  }

  /** Bytes the guest wrote on a serial port: the console's go to its log, the agent's to it. */
  received(port: 0 | 1, bytes: Uint8Array): void {
    if (port === 0) this.log.append(bytes);
    else for (const listener of this.agentListeners) listener(bytes);
  }
  showScreen(rows: string[]): void {
    this.screen = rows;
  }

  /**
   * A new boot's agent (none when the guest has none). One restored from a snapshot that was
   * taken with the agent running will not say hello again: it is assumed ready.
   */
  newAgent(present: boolean, assumeReady: boolean): AgentClient | undefined {
    this.agent?.dispose();
    this.agent = present
      ? new AgentClient({
          send: (bytes) => this.post({ type: "serial", port: 1, bytes }),
          onBytes: (listener) => {
            this.agentListeners.add(listener);
            return () => this.agentListeners.delete(listener);
          },
        })
      : undefined;
    if (assumeReady) this.agent?.assumeReady();
    return this.agent;
  }
  /** Whether `agent` is still this guest's (no boot or end of run came since). */
  isCurrent(agent: AgentClient | undefined): boolean {
    return agent === this.agent;
  }
  /** Stops the agent: whatever waits on it is rejected. */
  endAgent(): void {
    this.agent?.dispose();
    this.agent = undefined;
  }

  /** Resolves with console text from `from` once it matches. */
  waitForOutput(
    pattern: string | RegExp,
    opts: { from?: number; timeoutMs?: number } = {},
  ): Promise<string> {
    return this.log.waitFor(pattern, { ...opts, what: this.name });
  }

  /** Types a command and resolves with what it printed before the next `prompt`. */
  async runCommand(
    command: string,
    prompt: string,
    opts: { timeoutMs?: number } = {},
  ): Promise<string> {
    const from = this.consoleLength;
    this.sendText(`${command}\n`);
    const out = await this.waitForOutput(prompt, { from, timeoutMs: opts.timeoutMs });
    const body = out.slice(0, out.lastIndexOf(prompt)).replace(/\r/g, "");
    const firstNewline = body.indexOf("\n");
    return firstNewline >= 0 ? body.slice(firstNewline + 1) : "";
  }

  /** Runs a command through the guest agent once it is ready. */
  async runCheck(command: string, opts: { timeoutS?: number } = {}): Promise<AgentResult> {
    if (!this.agent) throw new Error(`${this.name}'s guest has no agent`);
    await this.agent.waitReady();
    return this.agent.run(command, opts);
  }

  /**
   * Renames a guest restored from the boot snapshot through the agent it booted with, then asks
   * for its first prompt (renamed or not) while `booting()` holds and no new boot came.
   */
  async renameThenPrompt(
    agent: AgentClient | undefined,
    hostname: string,
    booting: () => boolean,
  ): Promise<void> {
    try {
      await agent?.waitReady(10_000);
      await agent?.run(`hostname ${hostname}`, { timeoutS: 5 });
    } catch {
      // The guest keeps the snapshot's name; it still gets its prompt below.
    }
    if (booting() && this.isCurrent(agent)) this.sendText("\n");
  }

  /**
   * Renames a running guest (a clone), then asks for a fresh prompt showing the name, unless
   * someone has typed in the meantime (an Enter then would split their command).
   */
  async renameRunning(hostname: string, running: () => boolean): Promise<void> {
    this.typed = false;
    try {
      await this.runCheck(`hostname ${hostname}`, { timeoutS: 5 });
      if (!this.typed && running()) this.sendText("\n");
    } catch {
      // The clone keeps its original's name; nothing else depends on it.
    }
  }

  destroy(): void {
    this.endAgent();
    this.log.destroy();
  }
}
