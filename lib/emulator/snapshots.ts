import { Emitter } from "./emitter";
import type { MachineConfig, SnapshotInfo } from "./manifest";
import { checkSnapshotCompat, type CompatResult } from "./snapshot-compat";

/**
 * Snapshots a learner takes of a running VM: v86's saved state, compressed in the VM's worker,
 * kept by the page in each VM's SnapshotList (and, on the playground, stored in IndexedDB by
 * MachineStore.putSnapshot, lib/storage/machine-store.ts).
 */

/** How `data` is stored: v86 restores zstd itself; gzip and raw are undone by the worker. */
export type StateFormat = "gzip" | "zstd" | "raw";

export interface VmSnapshot {
  id: string;
  /** "snap-1", "snap-2"... per VM. */
  name: string;
  /** Name of the VM it was taken of (clones are named after it). */
  vmName: string;
  /** Boot profile of the VM (live, installer...), for a clone's config. */
  profile: string;
  /** Date.now() when taken. */
  createdAt: number;
  rawBytes: number;
  format: StateFormat;
  data: ArrayBuffer;
  v86Version: string;
  machine: MachineConfig;
  /** The guest's prompt text, so a restore knows what "ready" looks like. */
  prompt: string;
  /** ms spent saving and compressing in the worker. */
  takeMs: number;
}

export interface SnapshotListEvents extends Record<string, unknown> {
  change: readonly VmSnapshot[];
}

export class SnapshotList {
  readonly events = new Emitter<SnapshotListEvents>();
  private items: VmSnapshot[] = [];
  private counter = 0;

  get all(): readonly VmSnapshot[] {
    return this.items;
  }

  nextName(): string {
    return `snap-${++this.counter}`;
  }

  add(snapshot: VmSnapshot): void {
    this.items = [...this.items, snapshot];
    const n = Number(/^snap-(\d+)$/.exec(snapshot.name)?.[1] ?? 0);
    if (n > this.counter) this.counter = n;
    this.events.emit("change", this.items);
  }

  remove(id: string): void {
    const next = this.items.filter((s) => s.id !== id);
    if (next.length === this.items.length) return;
    this.items = next;
    this.events.emit("change", this.items);
  }

  find(id: string): VmSnapshot | undefined {
    return this.items.find((s) => s.id === id);
  }
}

/** Whether a snapshot fits a machine, with the reason when it does not. */
export function snapshotFits(
  snapshot: VmSnapshot,
  requested: { v86Version: string; machine: MachineConfig },
): CompatResult {
  const info: SnapshotInfo = {
    file: snapshot.name,
    raw_bytes: snapshot.rawBytes,
    v86_version: snapshot.v86Version,
    machine: snapshot.machine,
    prompt: snapshot.prompt,
  };
  const result = checkSnapshotCompat(info, requested);
  // The shared message suggests a cold boot, which is the boot snapshot's fallback, not ours.
  return result.ok
    ? result
    : { ok: false, error: result.error.replace(/; start with a cold boot instead$/, "") };
}

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

export function detectStateFormat(data: ArrayBuffer): StateFormat {
  const head = new Uint8Array(data, 0, Math.min(4, data.byteLength));
  if (GZIP_MAGIC.every((b, i) => head[i] === b)) return "gzip";
  if (ZSTD_MAGIC.every((b, i) => head[i] === b)) return "zstd";
  return "raw";
}

async function pipe(
  data: ArrayBuffer,
  transform: CompressionStream | DecompressionStream,
): Promise<ArrayBuffer> {
  const stream = new Blob([data]).stream().pipeThrough(transform);
  return new Response(stream).arrayBuffer();
}

/** gzip with the platform's CompressionStream (Chromium, Firefox, Safari 16.4+, Node 18+). */
export async function compressState(
  raw: ArrayBuffer,
): Promise<{ data: ArrayBuffer; format: StateFormat }> {
  if (typeof CompressionStream === "undefined") return { data: raw, format: "raw" };
  return { data: await pipe(raw, new CompressionStream("gzip")), format: "gzip" };
}

/** Undoes gzip; zstd and raw pass through (v86 reads zstd itself when booting from a state). */
export async function decompressState(data: ArrayBuffer): Promise<ArrayBuffer> {
  if (detectStateFormat(data) !== "gzip") return data;
  return pipe(data, new DecompressionStream("gzip"));
}
