/**
 * A page-level memory budget: every VM reserves its guest memory, its in-memory disk and the
 * emulator's own overhead; a VM that would go over is refused with a reason.
 */

/** Emulator code, JIT caches and worker heap per VM, measured roughly in Chromium's task manager. */
export const EMULATOR_OVERHEAD_MB = 32;
export const BUDGET_CAP_MB = 1024;
export const BUDGET_FLOOR_MB = 256;

/** A quarter of the device's memory (navigator.deviceMemory, in GB, rounded by the browser), capped. */
export function pageBudgetMb(deviceMemoryGb: number | undefined): number {
  const gb =
    deviceMemoryGb && Number.isFinite(deviceMemoryGb) && deviceMemoryGb > 0 ? deviceMemoryGb : 4;
  return Math.max(BUDGET_FLOOR_MB, Math.min(BUDGET_CAP_MB, Math.floor((gb * 1024) / 4)));
}

export function vmCostMb(memoryMb: number, diskMb: number): number {
  return memoryMb + diskMb + EMULATOR_OVERHEAD_MB;
}

export type BudgetCheck = { ok: true } | { ok: false; reason: string };

export function checkBudget(
  request: { name: string; memoryMb: number; diskMb: number },
  usedMb: number,
  budgetMb: number,
): BudgetCheck {
  const cost = vmCostMb(request.memoryMb, request.diskMb);
  const free = Math.max(0, budgetMb - usedMb);
  if (cost <= free) return { ok: true };
  const parts = [`${request.memoryMb} MB guest memory`];
  if (request.diskMb > 0) parts.push(`${request.diskMb} MB disk`);
  parts.push(`${EMULATOR_OVERHEAD_MB} MB emulator`);
  return {
    ok: false,
    reason:
      `Not enough memory left on this page: "${request.name}" needs ${cost} MB (${parts.join(" + ")}) ` +
      `but only ${free} MB of the page's ${budgetMb} MB budget is free. ` +
      `Lower its memory, or delete a VM you no longer need.`,
  };
}
