import { validate, z } from "../zod";
import { YIELD_MODES, type YieldMode } from "./worker-protocol";

/**
 * Options a page takes from its address. Only the bench uses them: `?yield=<mode>` on
 * /playground picks how v86 yields, `?cpu=off` runs without the CPU scheduler and `?cpu=<n>`
 * starts it with n cores for VMs (docs/vm-runtime.md); anything else is ignored, not an error.
 */

const yieldParam = z.object({ yield: z.enum(YIELD_MODES) });

/** The yield mode `?yield=` asks for, or undefined (absent or not a mode this runtime has). */
export function yieldModeFromSearch(search: string): YieldMode | undefined {
  const asked = validate(yieldParam, { yield: new URLSearchParams(search).get("yield") });
  return asked.ok ? asked.value.yield : undefined;
}

const cpuParam = z.object({
  cpu: z.union([z.literal("off"), z.coerce.number().int().min(1).max(8)]),
});

/** `?cpu=off` (false), `?cpu=<1-8>` (cores for VMs), or undefined (absent or not valid). */
export function cpuCoresFromSearch(search: string): number | false | undefined {
  const asked = validate(cpuParam, { cpu: new URLSearchParams(search).get("cpu") });
  if (!asked.ok) return undefined;
  return asked.value.cpu === "off" ? false : asked.value.cpu;
}
