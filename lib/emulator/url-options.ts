import { validate, z } from "../zod";
import { YIELD_MODES, type YieldMode } from "./worker-protocol";

/**
 * Options a page takes from its address. Only the bench uses one: `?yield=<mode>` on
 * /playground picks how v86 yields (docs/vm-runtime.md); anything else is ignored, not an error.
 */

const yieldParam = z.object({ yield: z.enum(YIELD_MODES) });

/** The yield mode `?yield=` asks for, or undefined (absent or not a mode this runtime has). */
export function yieldModeFromSearch(search: string): YieldMode | undefined {
  const asked = validate(yieldParam, { yield: new URLSearchParams(search).get("yield") });
  return asked.ok ? asked.value.yield : undefined;
}
