/** Messages between the page and the benchmark worker (vbench-worker.ts). */

export interface HostBenchRequest {
  wasmUrl: string;
  sizeKib: number;
  rounds: number;
  repeats: number;
}

export type HostBenchReply =
  { type: "done"; checksum: number; timesMs: number[] } | { type: "error"; message: string };
