/**
 * The host's view of a VM's memory: its RAM read in 4 KiB pages, as a hypervisor's page
 * scanner sees it. A host provides a page when the guest first writes to it and holds it from
 * then on, even after the guest frees it, until it is given back (ballooned, hinted free, merged);
 * the `held` map records that, one byte per page. A page that is not all zeros is in use, and its
 * content key lets the page find pages identical across VMs (what KSM or transparent page
 * sharing would merge). Pure: the VM's worker runs it on v86's memory, tests on their own bytes.
 */

export const PAGE_BYTES = 4096;
const PAGE_WORDS = PAGE_BYTES / 4;
/** 2^21: the second hash's low 21 bits go under the first's 32, a 53-bit safe integer. */
const LOW_BITS = 0x200000;

export interface MemoryScan {
  /** Pages in the VM's RAM. */
  pages: number;
  /** Pages that are all zeros: never touched, or zeroed since (freed, ballooned, hinted). */
  zeroPages: number;
  /** Pages holding anything else. */
  usedPages: number;
  /** Pages the host has provided and not been given back (with a held map; else usedPages). */
  heldPages: number;
  /** Held pages that are all zeros now: freed in the guest, still the host's. */
  heldZeroPages: number;
  /** One content key per used page (equal keys: identical pages, up to a 1 in 2^53 chance). */
  keys: Float64Array;
  /** How long the scan took, in ms. */
  ms: number;
}

/**
 * Scans `memory` (a whole number of pages; a partial last page counts as a page). Zero pages
 * are told apart by reading each page only until its first non-zero word, or by `isZeroPage`
 * when the memory's owner has a faster test (v86's own, compiled to WebAssembly, which its
 * snapshots use to leave zero pages out); used pages are then hashed into one 53-bit key (two
 * 32-bit hashes, of the even and of the odd words, mixed).
 */
export function scanMemory(
  memory: Uint8Array,
  { isZeroPage, held }: { isZeroPage?: (page: number) => boolean; held?: Uint8Array } = {},
): MemoryScan {
  const startedAt = performance.now();
  // Typed views of 32-bit words need an aligned start; v86's RAM has one, a slice may not.
  if (memory.byteOffset % 4 !== 0) memory = memory.slice();
  const words = new Int32Array(memory.buffer, memory.byteOffset, memory.byteLength >>> 2);
  const pages = Math.ceil(memory.byteLength / PAGE_BYTES);
  const keys = new Float64Array(pages);
  let used = 0;
  let heldZero = 0;
  for (let page = 0; page < pages; page++) {
    const start = page * PAGE_WORDS;
    const end = Math.min(start + PAGE_WORDS, words.length);
    // Bytes after the last whole word belong to the last page.
    const tailUsed = page === pages - 1 && tailBytesUsed(memory, end * 4);
    let zero: boolean;
    if (isZeroPage) zero = isZeroPage(page) && !tailUsed;
    else {
      let w = start;
      while (w < end && words[w] === 0) w++;
      zero = w === end && !tailUsed;
    }
    if (zero) {
      if (held?.[page]) heldZero++;
      continue;
    }
    if (held) held[page] = 1;
    keys[used++] = pageKey(words, start, end, tailUsed ? memory.subarray(end * 4) : undefined);
  }
  return {
    pages,
    zeroPages: pages - used,
    usedPages: used,
    heldPages: held ? used + heldZero : used,
    heldZeroPages: heldZero,
    keys: keys.slice(0, used),
    ms: performance.now() - startedAt,
  };
}

function pageKey(words: Int32Array, start: number, end: number, tail?: Uint8Array): number {
  // Two 32-bit FNV-style hashes, over the even and the odd words (one multiply per word: half
  // the work of hashing every word twice). Each step is a bijection of the hash, so two pages
  // that differ in one word always differ in one of the two.
  let a = 0x811c9dc5 | 0;
  let b = 0x3c6ef372 | 0;
  let i = start;
  for (; i + 1 < end; i += 2) {
    a = Math.imul(a ^ words[i]!, 0x01000193);
    b = Math.imul(b ^ words[i + 1]!, 0x85ebca6b);
  }
  if (i < end) a = Math.imul(a ^ words[i]!, 0x01000193);
  for (const byte of tail ?? []) b = Math.imul(b ^ byte, 0x85ebca6b);
  // Both hashes reach the key's top 32 bits through bijections, so a difference in either shows.
  const top = (a ^ Math.imul(b ^ (b >>> 16), 0x45d9f3b)) >>> 0;
  const low = ((b ^ Math.imul(a ^ (a >>> 16), 0x2c1b3c6d)) >>> 0) % LOW_BITS;
  return top * LOW_BITS + low;
}

/** Gives pages back to the host: a map entry per page, 0 where `zeroNow` says the page is all zeros. */
export function releaseZeroPages(held: Uint8Array, zeroNow: (page: number) => boolean): number {
  let released = 0;
  for (let page = 0; page < held.length; page++)
    if (held[page] && zeroNow(page)) {
      held[page] = 0;
      released++;
    }
  return released;
}

function tailBytesUsed(memory: Uint8Array, from: number): boolean {
  for (let i = from; i < memory.byteLength; i++) if (memory[i] !== 0) return true;
  return false;
}
