/**
 * Worker side: watches v86's first IDE disk for writes and cache flushes. v86 has no event that
 * says where a write landed or that the guest flushed, so two methods it calls for every write
 * and every ATA command are wrapped: the disk buffer's `set` and the IDE interface's
 * `ata_command` (v86 keeps these names in its build). v86 seals its IDE interfaces, so a method
 * is wrapped on the object's prototype when the object itself takes no new property; the
 * wrapper then acts only for the watched object.
 */
import type { DiskChangeTracker } from "./disk-changes";

/** ATA FLUSH CACHE and FLUSH CACHE EXT: what `sync`, fsync and ext4's journal commits send. */
const ATA_FLUSH_COMMANDS = new Set([0xe7, 0xea]);

type WriteFn = (start: number, data: Uint8Array, done: () => void) => void;

export interface IdeDisk {
  buffer?: { buffer?: ArrayBuffer; set?: WriteFn };
  ata_command?(command: number): void;
  /** v86 builds the IDENTIFY DEVICE answer (256 little-endian words) in `data`. */
  create_identify_packet?(): void;
  data?: Uint8Array;
  is_atapi?: boolean;
}

/** IDENTIFY DEVICE words 82 (supported) and 85 (enabled): bit 5, volatile write cache. */
const WRITE_CACHE_BYTES = [82 * 2, 85 * 2];
const WRITE_CACHE_BIT = 1 << 5;

type Method = (...args: never[]) => unknown;
/** Per prototype and method name: the after-hooks of the objects watched through it. */
const prototypeHooks = new WeakMap<
  object,
  Map<string, WeakMap<object, (args: unknown[]) => void>>
>();
const watchedWrites = new WeakSet<object>();
const watchedCommands = new WeakSet<object>();

/** Runs `after(args)` after every call of `object[name]`; false when there is no such method. */
function afterCalls(object: object, name: string, after: (args: unknown[]) => void): boolean {
  const target = object as Record<string, unknown>;
  const original = target[name];
  if (typeof original !== "function") return false;
  if (Object.isExtensible(object) || Object.hasOwn(object, name)) {
    try {
      target[name] = function (this: unknown, ...args: unknown[]) {
        const result = (original as Method).apply(this, args as never[]);
        after(args);
        return result;
      };
      return true;
    } catch {
      // A sealed object with a read-only own method: fall through to its prototype.
    }
  }
  const proto = Object.getPrototypeOf(object) as Record<string, unknown> | null;
  if (!proto || typeof proto[name] !== "function") return false;
  let byName = prototypeHooks.get(proto);
  if (!byName) prototypeHooks.set(proto, (byName = new Map()));
  let hooks = byName.get(name);
  if (!hooks) {
    const shared = (hooks = new WeakMap());
    const inherited = proto[name] as Method;
    proto[name] = function (this: object, ...args: unknown[]) {
      const result = inherited.apply(this, args as never[]);
      shared.get(this)?.(args);
      return result;
    };
    byName.set(name, shared);
  }
  hooks.set(object, after);
  return true;
}

/**
 * Notes every write in `tracker`; `onDirty` runs when a clean disk gets its first write,
 * `onFlush` on every flush command. True when both are watched (also when they already were).
 *
 * The disk also tells the guest it has a volatile write cache, which is true of it: a write lands
 * in the page's memory and is stored in the browser later. v86 says none by default, and Linux
 * then never sends FLUSH CACHE; told there is one, it flushes on `sync`, `fsync` and every ext4
 * journal commit, which is when the page stores the disk. (A guest restored from a snapshot keeps
 * what it learned when it booted.)
 */
export function watchDisk(
  disk: IdeDisk | undefined,
  tracker: DiskChangeTracker,
  onDirty: () => void,
  onFlush: () => void,
): boolean {
  const buffer = disk?.buffer;
  if (!disk || !buffer) return false;
  if (
    !watchedWrites.has(buffer) &&
    afterCalls(buffer, "set", (args) => {
      const [start, data] = args as [number, Uint8Array];
      if (tracker.noteWrite(start, data.byteLength)) onDirty();
    })
  )
    watchedWrites.add(buffer);
  if (
    !watchedCommands.has(disk) &&
    afterCalls(disk, "ata_command", (args) => {
      if (ATA_FLUSH_COMMANDS.has(args[0] as number)) onFlush();
    })
  ) {
    watchedCommands.add(disk);
    afterCalls(disk, "create_identify_packet", () => {
      if (disk.is_atapi || !disk.data) return;
      for (const at of WRITE_CACHE_BYTES) disk.data[at]! |= WRITE_CACHE_BIT;
    });
  }
  return watchedWrites.has(buffer) && watchedCommands.has(disk);
}
