/** Workload sizes the panel offers; the same numbers go to the wasm and to the guest binary. */

export interface BenchSize {
  id: "small" | "medium" | "large";
  label: string;
  sizeKib: number;
  rounds: number;
}

export const BENCH_SIZES: readonly BenchSize[] = [
  { id: "small", label: "Small (256 KiB x 20 rounds)", sizeKib: 256, rounds: 20 },
  { id: "medium", label: "Medium (1 MiB x 20 rounds)", sizeKib: 1024, rounds: 20 },
  { id: "large", label: "Large (4 MiB x 20 rounds)", sizeKib: 4096, rounds: 20 },
];

/** Limits compiled into vbench.c (VB_MAX_KIB, VB_MAX_ROUNDS). */
export const VBENCH_MAX_KIB = 4096;
export const VBENCH_MAX_ROUNDS = 100_000;

/** Timed runs on each side; the median is reported. One untimed warm-up run comes first on the host. */
export const HOST_REPEATS = 5;
export const GUEST_REPEATS = 3;

export function findSize(id: string): BenchSize | undefined {
  return BENCH_SIZES.find((s) => s.id === id);
}

export function validParams(sizeKib: number, rounds: number): boolean {
  return (
    Number.isInteger(sizeKib) &&
    Number.isInteger(rounds) &&
    sizeKib >= 1 &&
    sizeKib <= VBENCH_MAX_KIB &&
    rounds >= 1 &&
    rounds <= VBENCH_MAX_ROUNDS
  );
}
