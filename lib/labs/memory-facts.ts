import type { VmMachine } from "../emulator/vm-machine";
import type { VmFacts } from "./facts";

const PAGES_PER_MB = 256;

type MemoryFact = "held-mb" | "used-mb" | "balloon-mb" | "shared-pages";

/**
 * Adds a machine's memory facts to its `host:` facts, read from its host's memory board (zeros
 * until the first reading). They are getters: only a check that reads one makes the board scan
 * (for a while after, memory-board.ts `demand`), so a lab without memory checks costs nothing
 * and one with them gets fresh figures without a Memory panel open.
 */
export function withMemoryFacts<T extends object>(
  facts: T,
  machine: VmMachine,
): T & Pick<VmFacts, MemoryFact> {
  const read = () => machine.memoryBoard?.demand().vms.get(machine.id);
  const getters: Record<MemoryFact, () => number> = {
    "held-mb": () => Math.round((read()?.heldPages ?? 0) / PAGES_PER_MB),
    "used-mb": () => Math.round((read()?.usedPages ?? 0) / PAGES_PER_MB),
    "balloon-mb": () => read()?.balloon.sizeMb ?? 0,
    "shared-pages": () => read()?.sharedWithOthers ?? 0,
  };
  for (const [name, get] of Object.entries(getters))
    Object.defineProperty(facts, name, { get, enumerable: true });
  return facts as T & Pick<VmFacts, MemoryFact>;
}
