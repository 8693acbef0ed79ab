import type { Manifest } from "@/lib/emulator/manifest";
import { ensureImages } from "@/guest/images";
import { NodeVm } from "@/guest/node-vm";
import { AgentClient } from "@/lib/guest-agent/client";

/** Builds the images when missing (minutes from scratch), else returns at once. */
export const IMAGES_TIMEOUT_MS = 900_000;

export function loadImages(): Promise<Manifest> {
  return ensureImages((m) => console.log(`[images] ${m}`));
}

export function agentFor(vm: NodeVm): AgentClient {
  return new AgentClient({
    send: (bytes) => vm.sendBytes(1, bytes),
    onBytes: (listener) => vm.onSerialByte(1, (b) => listener(Uint8Array.of(b))),
  });
}
