import { readFileSync } from "node:fs";
import type { HostToWorker, WorkerToHost } from "@/lib/emulator/worker-protocol";
import { VmHost } from "@/lib/emulator/vm-host";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import { machineFor } from "@/lib/emulator/v86-options";
import type { VmSnapshot } from "@/lib/emulator/snapshots";

/**
 * A VmHost on fakes, for tests of the page's side of a VM: fetch serves the real image list and
 * small stand-ins for the files (guest images wait for `releaseImages()` when held), and each
 * VM's worker is a FakeWorker that records what the page posts and answers as a test tells it.
 */

const manifestText = readFileSync(
  new URL("../../public/images/manifest.json", import.meta.url),
  "utf8",
);
export const manifest = JSON.parse(manifestText) as { v86_version: string };

/** The smallest valid wasm module: WebAssembly.compile accepts it. */
const EMPTY_WASM = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);

export class FakeWorker {
  onmessage: ((event: MessageEvent<WorkerToHost>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  readonly posted: HostToWorker[] = [];
  terminated = false;
  postMessage(message: HostToWorker): void {
    this.posted.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  /** A message from the worker to the page. */
  say(message: WorkerToHost): void {
    this.onmessage?.({ data: message } as MessageEvent<WorkerToHost>);
  }
  get boots() {
    return this.posted.filter((m) => m.type === "boot");
  }
}

export interface FakeSite {
  host: VmHost;
  workers: FakeWorker[];
  /** Paths fetched, in order (/images/vmlinuz, /v86/v86.wasm...). */
  fetched: string[];
  releaseImages(): void;
}

export function fakeSite(options: { holdImages?: boolean } = {}): FakeSite {
  const fetched: string[] = [];
  let release!: () => void;
  const imagesReleased = options.holdImages
    ? new Promise<void>((resolve) => (release = resolve))
    : Promise.resolve();
  const fetchStub = async (url: string | URL): Promise<Response> => {
    const path = new URL(String(url)).pathname;
    fetched.push(path);
    if (path === "/images/manifest.json") return new Response(manifestText);
    if (path === "/v86/v86.wasm") return new Response(EMPTY_WASM);
    if (path.startsWith("/images/")) await imagesReleased;
    return new Response(new Uint8Array(16));
  };
  globalThis.fetch = fetchStub as typeof fetch;
  const workers: FakeWorker[] = [];
  const host = new VmHost({
    site: { url: (path) => `http://site.test${path}` },
    budgetMb: 1024,
    createWorker: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker as unknown as Worker;
    },
  });
  return { host, workers, fetched, releaseImages: () => release() };
}

/** A snapshot of a 128 MB live VM, as takeSnapshot() makes one. */
export function liveSnapshot(vmName: string): VmSnapshot {
  return {
    id: `${vmName}-s1`,
    name: "snap-1",
    vmName,
    profile: "live",
    createdAt: 1,
    rawBytes: 64,
    format: "raw",
    data: new ArrayBuffer(64),
    v86Version: manifest.v86_version,
    machine: machineFor(128),
    prompt: "root@live:~# ",
    takeMs: 1,
  };
}

/** Lets queued promise callbacks and timers run. */
export const settle = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

/** A live VM made through the host's form checks (no disk and no network unless asked). */
export async function createMachine(
  site: FakeSite,
  input: { name: string; network?: string; disk?: string },
): Promise<VmMachine> {
  const made = await site.host.create({
    name: input.name,
    memoryMb: "128",
    boot: "live",
    disk: input.disk ?? "none",
    diskSizeMb: input.disk === "blank" ? "1" : "",
    network: input.network ?? "none",
  });
  if (!made.ok) throw new Error(JSON.stringify(made.errors));
  return made.machine;
}
