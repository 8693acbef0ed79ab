import {
  AGENT_DEFAULT_TIMEOUT_S,
  AgentResponseParser,
  encodePing,
  encodeRequest,
  outputText,
  type AgentMessage,
} from "./protocol";

/** How the client reaches the guest's second serial port; the caller owns the emulator. */
export interface AgentTransport {
  send(bytes: Uint8Array): void;
  /** Subscribes to bytes from the guest; returns the unsubscribe function. */
  onBytes(listener: (bytes: Uint8Array) => void): () => void;
}

export interface AgentResult {
  status: number;
  output: string;
  rawOutput: Uint8Array;
  truncated: boolean;
}

export class AgentError extends Error {}

interface ReadyWaiter {
  ready: () => void;
  abandon: (error: AgentError) => void;
}

interface Pending {
  resolve: (r: AgentResult) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Runs check commands through the guest agent. One client per guest; call dispose() when done. */
export class AgentClient {
  private readonly parser = new AgentResponseParser();
  private readonly pending = new Map<string, Pending>();
  private readonly unsubscribe: () => void;
  private readonly readyWaiters = new Set<ReadyWaiter>();
  private nextId = 1;
  private ready = false;

  constructor(private readonly transport: AgentTransport) {
    this.unsubscribe = transport.onBytes((bytes) => this.onMessages(this.parser.push(bytes)));
  }

  /**
   * Resolves when the agent has said hello or answered a ping. Pings go out every 200 ms (a ping
   * sent before the emulator runs is lost), so a client attached after the hello, or after a
   * snapshot restore, finds the agent within a fraction of a second.
   */
  waitReady(timeoutMs = 30_000): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const ping = (): void => this.transport.send(encodePing(`p${this.nextId++}`));
      const pinger = setInterval(ping, 200);
      const settle = (error?: AgentError): void => {
        clearInterval(pinger);
        clearTimeout(timer);
        this.readyWaiters.delete(waiter);
        if (error) reject(error);
        else resolve();
      };
      const waiter: ReadyWaiter = { ready: () => settle(), abandon: settle };
      const timer = setTimeout(
        () => settle(new AgentError(`guest agent did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.readyWaiters.add(waiter);
      ping();
    });
  }

  /** Marks the agent ready without a hello (after restoring a snapshot taken with it running). */
  assumeReady(): void {
    this.setReady();
  }

  run(command: string, opts: { timeoutS?: number } = {}): Promise<AgentResult> {
    const timeoutS = opts.timeoutS ?? AGENT_DEFAULT_TIMEOUT_S;
    const id = `c${this.nextId++}`;
    return new Promise((resolve, reject) => {
      // The guest kills the command at timeoutS; the host waits a little longer for the answer.
      const timer = setTimeout(
        () => {
          this.pending.delete(id);
          reject(
            new AgentError(`guest agent gave no answer to request ${id} within ${timeoutS + 5} s`),
          );
        },
        (timeoutS + 5) * 1000,
      );
      this.pending.set(id, { resolve, reject, timer });
      this.transport.send(encodeRequest({ id, command, timeoutS }));
    });
  }

  /** Stops listening, and rejects what still waits (pings stop with it). */
  dispose(): void {
    this.unsubscribe();
    for (const w of [...this.readyWaiters])
      w.abandon(new AgentError("agent client disposed before the agent answered"));
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new AgentError(`agent client disposed before request ${id} was answered`));
    }
    this.pending.clear();
  }

  private setReady(): void {
    this.ready = true;
    for (const w of [...this.readyWaiters]) w.ready();
  }

  private onMessages(messages: AgentMessage[]): void {
    for (const m of messages) {
      if (m.type === "hello" || m.type === "pong") this.setReady();
      if (m.type !== "result" && m.type !== "error") continue;
      const p = this.pending.get(m.id);
      if (!p) continue;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.type === "error")
        p.reject(new AgentError(`guest agent refused request ${m.id}: ${m.reason}`));
      else
        p.resolve({
          status: m.status,
          output: outputText(m.output),
          rawOutput: m.output,
          truncated: m.truncated,
        });
    }
  }
}
