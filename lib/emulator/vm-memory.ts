import { checkBalloonTarget, type BalloonState } from "./balloon-rules";
import type { MemoryScan } from "./memory-scan";
import type { WorkerLink } from "./worker-link";

/**
 * A running VM's memory as the page asks its worker for it (memory-probe.ts does the work
 * there): the host's scan of its RAM, and its balloon. A balloon target is checked here first,
 * so a wrong one is refused where it was asked for.
 */

export async function scanVmMemory(link: WorkerLink): Promise<MemoryScan> {
  const reply = await link.request((id) => ({ type: "scan-memory", id }));
  if (reply.type !== "memory-scanned") throw new Error(`unexpected answer ${reply.type}`);
  return reply.scan;
}

export async function vmBalloon(
  link: WorkerLink,
  memoryMb: number,
  targetMb?: number,
): Promise<BalloonState> {
  if (targetMb !== undefined) {
    const check = checkBalloonTarget(targetMb, memoryMb);
    if (!check.ok) throw new Error(check.error);
  }
  const reply = await link.request((id) => ({ type: "balloon", id, targetMb }));
  if (reply.type !== "balloon-read") throw new Error(`unexpected answer ${reply.type}`);
  return reply.balloon;
}

export async function hintFreePages(link: WorkerLink): Promise<number> {
  const reply = await link.request((id) => ({ type: "hint-free-pages", id }));
  if (reply.type !== "free-pages-hinted") throw new Error(`unexpected answer ${reply.type}`);
  return reply.bytes;
}
