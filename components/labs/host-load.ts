"use client";

/**
 * Loads the host: busy-loop workers that compete with the VMs' workers for the processor, the way
 * other programs on a host OS compete with a hosted (Type 2) hypervisor. One controller per page.
 */
const workers: Worker[] = [];
const listeners = new Set<() => void>();

function notify(): void {
  listeners.forEach((listener) => listener());
}

export function hostLoadWorkers(): number {
  return workers.length;
}

export function startHostLoad(count = Math.max(1, navigator.hardwareConcurrency || 2)): void {
  while (workers.length < count) {
    workers.push(
      new Worker(new URL("./host-load.worker.ts", import.meta.url), { name: "host load" }),
    );
  }
  notify();
}

export function stopHostLoad(): void {
  for (const worker of workers.splice(0)) worker.terminate();
  notify();
}

export function onHostLoadChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
