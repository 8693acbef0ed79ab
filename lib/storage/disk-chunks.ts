/**
 * A disk image cut into fixed-size chunks: all-zero chunks are not stored, the others are known
 * by their SHA-256 so that a load can prove what it read. The worker cuts and copies the chunks
 * (lib/emulator/disk-changes).
 */
import { DISK_CHUNK_BYTES } from "../emulator/disk-changes";
import { sha256Hex as sha256OfBytes } from "./sha256";

/** The worker notes changes in these same chunks (lib/emulator/disk-changes). */
export const CHUNK_BYTES = DISK_CHUNK_BYTES;

export function chunkCount(sizeBytes: number, chunkBytes = CHUNK_BYTES): number {
  return Math.ceil(sizeBytes / chunkBytes);
}

/** SHA-256 (hex) of a chunk or a whole buffer; works outside secure contexts too. */
export function sha256Hex(bytes: Uint8Array | ArrayBuffer): Promise<string> {
  return sha256OfBytes(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
}

/** A PC disk whose first sector ends in 55 AA has a boot sector (an installed system). */
export function hasBootSector(bytes: ArrayBuffer): boolean {
  if (bytes.byteLength < 512) return false;
  const sector = new Uint8Array(bytes, 0, 512);
  return sector[510] === 0x55 && sector[511] === 0xaa;
}
