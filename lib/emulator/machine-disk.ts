import {
  DISK_CHUNK_BYTES,
  changesOf,
  type DiskChanges,
  type DiskChangesRequest,
} from "./disk-changes";
import type { WorkerLink } from "./worker-link";

/**
 * A VM's hard disk as the page sees it: the bytes it starts with (an imported disk), where a
 * stored disk comes from (attached by whoever keeps disks, the playground's browser storage),
 * and reads of the disk or of its changed chunks, from the worker when one runs it.
 */

/** Where a VM's disk is kept between page loads. */
export interface DiskSource {
  /** The stored disk's bytes, undefined when none is stored (a new worker then starts blank). */
  load(): Promise<ArrayBuffer | undefined>;
}

export class MachineDisk {
  /** The disk's first contents (imported or stored bytes); handed to the first worker. */
  private seed: ArrayBuffer | undefined;
  private source: DiskSource | undefined;

  constructor(
    private readonly name: string,
    /** 0 for a VM without a disk. */
    readonly sizeBytes: number,
    seed?: ArrayBuffer,
  ) {
    if (seed && seed.byteLength !== sizeBytes)
      throw new Error(
        `${name}'s disk is ${sizeBytes} bytes but ${seed.byteLength} bytes were given`,
      );
    this.seed = seed;
  }

  /**
   * From now on a new worker starts from what `source` loads instead of a blank disk. Returns
   * the detach: after it, new workers start blank again (unless another source is attached).
   */
  attach(source: DiskSource): () => void {
    this.source = source;
    return () => {
      if (this.source === source) this.source = undefined;
    };
  }

  /** What a new worker starts with (the seed once, then the stored disk); undefined: blank. */
  async takeSeed(): Promise<ArrayBuffer | undefined> {
    if (this.sizeBytes === 0) return undefined;
    const seed = this.seed;
    this.seed = undefined;
    const disk = seed ?? (await this.source?.load());
    return disk?.byteLength === this.sizeBytes ? disk : undefined;
  }

  /** A boot that was overtaken gives back what takeSeed() handed it. */
  keepSeed(disk: ArrayBuffer | undefined): void {
    this.seed ??= disk;
  }

  /** A copy of the disk as it is now; undefined when the VM has no disk. */
  async read(link: WorkerLink): Promise<ArrayBuffer | undefined> {
    if (this.sizeBytes === 0) return undefined;
    if (link.open) {
      const reply = await link.request((id) => ({ type: "read-disk", id }));
      if (reply.type !== "disk-read") throw new Error(`unexpected answer ${reply.type}`);
      if (reply.data) return reply.data;
    }
    return this.bytesWithoutWorker();
  }

  /** Chunks changed since the last call, taken at one instant (every chunk when `full`). */
  async readChanges(
    link: WorkerLink,
    request: DiskChangesRequest,
  ): Promise<DiskChanges | undefined> {
    if (this.sizeBytes === 0) return undefined;
    if (link.open) {
      const reply = await link.request((id) => ({ type: "read-disk-changes", id, ...request }));
      if (reply.type !== "disk-changes") throw new Error(`unexpected answer ${reply.type}`);
      if (reply.changes) return reply.changes;
    }
    // Unchanged since it was stored, unless it is still a seed nothing has stored yet.
    if (!request.full && !this.seed)
      return { sizeBytes: this.sizeBytes, chunkBytes: DISK_CHUNK_BYTES, full: false, chunks: [] };
    return changesOf(await this.bytesWithoutWorker(), true, []);
  }

  /** No worker has run this disk: it is still its seed, or what is stored, or blank. */
  private async bytesWithoutWorker(): Promise<ArrayBuffer> {
    if (this.seed) return this.seed.slice(0);
    return (await this.source?.load()) ?? new ArrayBuffer(this.sizeBytes);
  }
}
