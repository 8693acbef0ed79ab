import type { HostBenchReply, HostBenchRequest } from "./host-protocol";

/** Runs vbench.wasm in a fresh worker (so the page stays responsive) and ends the worker after. */

export interface HostRun {
  checksum: number;
  timesMs: number[];
}

export type HostRunner = (request: HostBenchRequest) => Promise<HostRun>;

export function defaultWorker(): Worker {
  return new Worker(new URL("./vbench-worker.ts", import.meta.url), {
    type: "module",
    name: "vbench",
  });
}

export function workerHostRunner(
  createWorker: () => Worker = defaultWorker,
  timeoutMs = 120_000,
): HostRunner {
  return (request) =>
    new Promise<HostRun>((resolve, reject) => {
      const worker = createWorker();
      const finish = () => {
        clearTimeout(timer);
        worker.terminate();
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`the host run did not finish within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      worker.onmessage = (event: MessageEvent<HostBenchReply>) => {
        finish();
        const reply = event.data;
        if (reply.type === "done") resolve({ checksum: reply.checksum, timesMs: reply.timesMs });
        else reject(new Error(reply.message));
      };
      worker.onerror = (event) => {
        finish();
        reject(new Error(event.message || "the benchmark worker failed"));
      };
      worker.postMessage(request);
    });
}
