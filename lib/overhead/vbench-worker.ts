/// <reference lib="webworker" />
import type { HostBenchReply, HostBenchRequest } from "./host-protocol";

/**
 * Runs the WebAssembly build of vbench off the page thread: one untimed warm-up run (so the
 * browser's optimizing compiler has seen the code, as v86's JIT has seen the guest's), then timed
 * runs. Every run must give the same checksum.
 */

const scope = self as unknown as DedicatedWorkerGlobalScope;

async function run(req: HostBenchRequest): Promise<HostBenchReply> {
  const res = await fetch(req.wasmUrl);
  if (!res.ok) throw new Error(`could not download the benchmark (HTTP ${res.status})`);
  const { instance } = await WebAssembly.instantiate(await res.arrayBuffer());
  const vbench = instance.exports.vbench;
  if (typeof vbench !== "function") throw new Error("the benchmark module exports no vbench()");
  const call = vbench as (sizeKib: number, rounds: number) => number;
  const first = call(req.sizeKib, req.rounds) >>> 0;
  if (first === 0) throw new Error(`the benchmark refused size ${req.sizeKib} KiB x ${req.rounds}`);
  const timesMs: number[] = [];
  for (let i = 0; i < req.repeats; i++) {
    const t0 = performance.now();
    const sum = call(req.sizeKib, req.rounds) >>> 0;
    timesMs.push(performance.now() - t0);
    if (sum !== first) throw new Error("the benchmark gave different checksums on the host");
  }
  return { type: "done", checksum: first, timesMs };
}

scope.onmessage = (event: MessageEvent<HostBenchRequest>) => {
  run(event.data).then(
    (reply) => scope.postMessage(reply),
    (error: unknown) =>
      scope.postMessage({
        type: "error",
        message: error instanceof Error ? error.message : String(error),
      } satisfies HostBenchReply),
  );
};
