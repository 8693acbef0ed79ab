/**
 * A disk image cut into fixed-size chunks: all-zero chunks are not stored, the others are known
 * by their SHA-256 so that a save rewrites only what changed and a load can prove what it read.
 */
import { DISK_CHUNK_BYTES, isAllZero } from "../emulator/disk-changes";
import { sha256Hex as sha256OfBytes } from "./sha256";

/** The worker notes changes in these same chunks (lib/emulator/disk-changes). */
export const CHUNK_BYTES = DISK_CHUNK_BYTES;

export function chunkCount(sizeBytes: number, chunkBytes = CHUNK_BYTES): number {
  return Math.ceil(sizeBytes / chunkBytes);
}

export function chunkView(
  bytes: ArrayBuffer,
  index: number,
  chunkBytes = CHUNK_BYTES,
): Uint8Array<ArrayBuffer> {
  const start = index * chunkBytes;
  return new Uint8Array(bytes, start, Math.min(chunkBytes, bytes.byteLength - start));
}

/** SHA-256 (hex) of a chunk or a whole buffer; works outside secure contexts too. */
export function sha256Hex(bytes: Uint8Array | ArrayBuffer): Promise<string> {
  return sha256OfBytes(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
}

/** SHA-256 of every chunk, null where the chunk is all zero. */
export async function chunkHashes(
  bytes: ArrayBuffer,
  chunkBytes = CHUNK_BYTES,
): Promise<(string | null)[]> {
  const hashes: (string | null)[] = [];
  for (let i = 0; i < chunkCount(bytes.byteLength, chunkBytes); i++) {
    const view = chunkView(bytes, i, chunkBytes);
    hashes.push(isAllZero(view) ? null : await sha256Hex(view));
  }
  return hashes;
}

/** A PC disk whose first sector ends in 55 AA has a boot sector (an installed system). */
export function hasBootSector(bytes: ArrayBuffer): boolean {
  if (bytes.byteLength < 512) return false;
  const sector = new Uint8Array(bytes, 0, 512);
  return sector[510] === 0x55 && sector[511] === 0xaa;
}
