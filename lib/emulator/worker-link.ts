import type { CpuSeat } from "./cpu-scheduler";
import type { SwitchLine } from "./page-switch";
import type { HostToWorker, WorkerToHost, YieldMode } from "./worker-protocol";

/**
 * The page's line to one VM's Web Worker: makes the worker (and the yield helper beside it),
 * posts messages, pairs each request with its answer, and ends it all in one call. The only
 * owner of both workers.
 */

export type WorkerFactory = (name: string) => Worker;

/** Answers to a request: they carry the request's id and go to whoever asked, not to onMessage. */
export type WorkerReply = Extract<
  WorkerToHost,
  {
    type:
      | "state-saved"
      | "disk-read"
      | "disk-changes"
      | "file-put"
      | "file-got"
      | "files-listed"
      | "memory-scanned"
      | "balloon-read"
      | "free-pages-hinted";
  }
>;

export interface WorkerLinkOptions {
  /** The VM's name, for the workers' names and error messages. */
  name: string;
  createWorker: WorkerFactory;
  /** The yield helper of helper-worker mode, made by the page beside the VM's worker. */
  createYieldHelper?: WorkerFactory;
  yieldMode: YieldMode;
  /** The VM's row on the CPU scheduler's board; with it the worker needs no yield helper. */
  cpuSeat?: CpuSeat;
  /** A line to the switch for each new worker, when the VM is on the switch. */
  connectSwitch?: () => SwitchLine;
  /** Every message that is not an answer to a request. */
  onMessage: (message: Exclude<WorkerToHost, WorkerReply | { type: "request-failed" }>) => void;
  /** The worker failed on its own (a script error); the link is still up until end(). */
  onError: (error: Error) => void;
}

export class WorkerLink {
  private worker: Worker | undefined;
  private yieldHelper: Worker | undefined;
  private readonly requests = new Map<number, (reply: WorkerReply | Error) => void>();
  private nextRequest = 1;

  constructor(private readonly options: WorkerLinkOptions) {}

  /** A worker is up (made by open(), not yet ended). */
  get open(): boolean {
    return this.worker !== undefined;
  }

  /** Ids go up with every request; a snapshot's id uses the next one to stay unique. */
  get requestCount(): number {
    return this.nextRequest;
  }

  /** Makes the worker (and its yield helper) unless one is up. */
  start(): void {
    if (this.worker) return;
    const { name, createWorker, createYieldHelper, yieldMode, cpuSeat } = this.options;
    const worker = createWorker(name);
    worker.onmessage = (event: MessageEvent<WorkerToHost>) => this.receive(event.data);
    worker.onerror = (event) =>
      this.options.onError(new Error(event.message || "the VM worker failed"));
    this.worker = worker;
    const net = this.options.connectSwitch?.();
    if (net) worker.postMessage({ type: "net-line", ...net } satisfies HostToWorker, [net.line]);
    if (cpuSeat) {
      worker.postMessage({ type: "cpu-seat", ...cpuSeat } satisfies HostToWorker);
    } else if (yieldMode === "helper-worker" && createYieldHelper) {
      const channel = new MessageChannel();
      this.yieldHelper = createYieldHelper(name);
      this.yieldHelper.postMessage(channel.port1, [channel.port1]);
      worker.postMessage({ type: "yield-port", port: channel.port2 } satisfies HostToWorker, [
        channel.port2,
      ]);
    }
  }

  /** Posts to the worker; nothing happens while none is up. */
  post(message: HostToWorker, transfer: Transferable[] = []): void {
    this.worker?.postMessage(message, transfer);
  }

  /** Posts a request and resolves with its answer (rejects with the worker's failure or fail()). */
  request(
    build: (id: number) => HostToWorker,
    transfer: Transferable[] = [],
  ): Promise<WorkerReply> {
    if (!this.worker) return Promise.reject(new Error(`${this.options.name} is not running`));
    const id = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.requests.set(id, (reply) => (reply instanceof Error ? reject(reply) : resolve(reply)));
      this.post(build(id), transfer);
    });
  }

  /** Every request still waiting is rejected with `why`; the worker stays. */
  fail(why: string): void {
    for (const id of [...this.requests.keys()]) this.settle(id, new Error(why));
  }

  /** Requests rejected with `why`, then both workers terminated: a later start() makes new ones. */
  end(why: string): void {
    this.fail(why);
    this.worker?.terminate();
    this.worker = undefined;
    this.yieldHelper?.terminate();
    this.yieldHelper = undefined;
  }

  private receive(message: WorkerToHost): void {
    switch (message.type) {
      case "state-saved":
      case "disk-read":
      case "disk-changes":
      case "file-put":
      case "file-got":
      case "files-listed":
      case "memory-scanned":
      case "balloon-read":
      case "free-pages-hinted":
        this.settle(message.id, message);
        break;
      case "request-failed":
        this.settle(message.id, new Error(message.message));
        break;
      default:
        this.options.onMessage(message);
    }
  }

  private settle(id: number, reply: WorkerReply | Error): void {
    const done = this.requests.get(id);
    this.requests.delete(id);
    done?.(reply);
  }
}
