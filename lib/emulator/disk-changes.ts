/**
 * Which parts of a VM's hard disk changed since the page last took them. The VM's worker notes
 * every write v86 makes to the disk buffer, by 1 MiB chunk, and hands the page copies of just
 * those chunks, taken between two emulator slices: one instant of the disk, so a save costs what
 * changed, not the size of the disk.
 */

export const DISK_CHUNK_BYTES = 1024 * 1024;

/** What the page asks for: every chunk (no stored copy to build on), or the changed ones plus some. */
export interface DiskChangesRequest {
  full: boolean;
  /** Chunks to send even when unchanged since the last take (a save of them failed). */
  include: readonly number[];
}

export interface DiskChunk {
  index: number;
  /** A copy of the chunk's bytes; null when the chunk is all zero. */
  data: ArrayBuffer | null;
}

export interface DiskChanges {
  sizeBytes: number;
  chunkBytes: number;
  /** Every chunk of the disk is listed. */
  full: boolean;
  chunks: DiskChunk[];
}

export function isAllZero(view: Uint8Array): boolean {
  // Word-wise where aligned: a 256 MiB disk is scanned in well under a second.
  const words = Math.floor(view.byteLength / 4);
  if (view.byteOffset % 4 === 0) {
    const w = new Uint32Array(view.buffer, view.byteOffset, words);
    for (let i = 0; i < words; i++) if (w[i] !== 0) return false;
    for (let i = words * 4; i < view.byteLength; i++) if (view[i] !== 0) return false;
    return true;
  }
  for (let i = 0; i < view.byteLength; i++) if (view[i] !== 0) return false;
  return true;
}

/** Copies of the given chunks of a disk (all of them when full), zero chunks as null. */
export function changesOf(
  disk: ArrayBuffer,
  full: boolean,
  indices: Iterable<number>,
  chunkBytes = DISK_CHUNK_BYTES,
): DiskChanges {
  const count = Math.ceil(disk.byteLength / chunkBytes);
  const wanted = full ? Array.from({ length: count }, (_, i) => i) : [...new Set(indices)];
  const chunks: DiskChunk[] = [];
  for (const index of wanted.sort((a, b) => a - b)) {
    if (!Number.isInteger(index) || index < 0 || index >= count) continue;
    const start = index * chunkBytes;
    const view = new Uint8Array(disk, start, Math.min(chunkBytes, disk.byteLength - start));
    chunks.push({ index, data: isAllZero(view) ? null : view.slice().buffer });
  }
  return { sizeBytes: disk.byteLength, chunkBytes, full, chunks };
}

/** The worker's record of changed chunks since the last take. */
export class DiskChangeTracker {
  private readonly dirty = new Set<number>();

  constructor(private readonly chunkBytes = DISK_CHUNK_BYTES) {}

  get changedChunks(): number {
    return this.dirty.size;
  }

  /** Notes a write of `length` bytes at `start`; true when the disk was clean until now. */
  noteWrite(start: number, length: number): boolean {
    if (length <= 0) return false;
    const wasClean = this.dirty.size === 0;
    const last = Math.floor((start + length - 1) / this.chunkBytes);
    for (let i = Math.floor(start / this.chunkBytes); i <= last; i++) this.dirty.add(i);
    return wasClean;
  }

  /** The changed chunks (and any asked for) as they are now; the record starts again empty. */
  take(disk: ArrayBuffer, request: DiskChangesRequest): DiskChanges {
    const changes = changesOf(
      disk,
      request.full,
      [...this.dirty, ...request.include],
      this.chunkBytes,
    );
    this.dirty.clear();
    return changes;
  }
}
