import { EMULATOR_OVERHEAD_MB, vmCostMb } from "../emulator/memory-budget";
import type { PageMemory } from "./record";

/**
 * What the page holds for a VM. Chromium can measure a page's memory, workers included, with
 * performance.measureUserAgentSpecificMemory(), but only on a cross-origin isolated page (COOP +
 * COEP headers), which this site is not by default. Without it, the figure is the runtime's own
 * model: the guest's memory plus the emulator's overhead per VM (lib/emulator/memory-budget.ts).
 */

interface MemoryMeasurement {
  bytes: number;
}
type MeasureFn = () => Promise<MemoryMeasurement>;

/** The API resolves at the browser's next garbage collection, which may take many seconds. */
const MEASURE_TIMEOUT_MS = 8000;

export async function pageMemory(
  guestMemoryMb: number,
  scope: typeof globalThis = globalThis,
): Promise<PageMemory> {
  const measure = (
    scope.performance as Performance & { measureUserAgentSpecificMemory?: MeasureFn }
  ).measureUserAgentSpecificMemory;
  if (typeof measure === "function" && scope.crossOriginIsolated) {
    try {
      const result = await Promise.race([
        measure.call(scope.performance),
        new Promise<undefined>((resolve) =>
          setTimeout(() => resolve(undefined), MEASURE_TIMEOUT_MS),
        ),
      ]);
      if (result && Number.isFinite(result.bytes)) {
        return { mb: Math.round(result.bytes / (1024 * 1024)), source: "measured" };
      }
    } catch {
      // Not allowed here after all: fall through to the estimate.
    }
  }
  return { mb: vmCostMb(guestMemoryMb, 0), source: "estimate" };
}

/** Where a page memory figure comes from, to print after it. */
export function describePageMemory(memory: PageMemory): string {
  return memory.source === "measured"
    ? "the whole page, every VM and worker, measured by the browser"
    : `estimated for this VM: guest memory + ${EMULATOR_OVERHEAD_MB} MB emulator overhead; this page cannot ask the browser to measure it`;
}
