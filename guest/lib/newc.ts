/**
 * A writer for the cpio "newc" format that Linux unpacks as an initramfs, so the build
 * needs no cpio binary and produces byte-identical archives (fixed mtimes, uid 0).
 */
export type NewcEntry =
  | { kind: "dir"; path: string; mode?: number }
  | { kind: "file"; path: string; data: Uint8Array; mode?: number }
  | { kind: "symlink"; path: string; target: string }
  | { kind: "chardev"; path: string; major: number; minor: number; mode?: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

function hex8(n: number): string {
  return n.toString(16).padStart(8, "0");
}

function pad4(n: number): number {
  return (4 - (n % 4)) % 4;
}

function header(
  ino: number,
  mode: number,
  size: number,
  nameSize: number,
  rdev: { major: number; minor: number } = { major: 0, minor: 0 },
): string {
  return (
    "070701" +
    hex8(ino) +
    hex8(mode) +
    hex8(0) + // uid
    hex8(0) + // gid
    hex8(mode & S_IFDIR ? 2 : 1) +
    hex8(0) + // mtime: fixed for reproducible archives
    hex8(size) +
    hex8(0) +
    hex8(0) +
    hex8(rdev.major) +
    hex8(rdev.minor) +
    hex8(nameSize) +
    hex8(0)
  );
}

export function writeNewc(entries: readonly NewcEntry[]): Uint8Array {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const push = (bytes: Uint8Array): void => {
    chunks.push(bytes);
    offset += bytes.length;
  };
  const align = (): void => {
    const p = pad4(offset);
    if (p) push(new Uint8Array(p));
  };
  const record = (
    ino: number,
    mode: number,
    name: string,
    data: Uint8Array,
    rdev?: { major: number; minor: number },
  ): void => {
    const nameBytes = enc.encode(`${name}\0`);
    push(enc.encode(header(ino, mode, data.length, nameBytes.length, rdev)));
    push(nameBytes);
    align();
    if (data.length) push(data);
    align();
  };

  let ino = 1;
  for (const e of entries) {
    const path = e.path.replace(/^\/+/, "");
    switch (e.kind) {
      case "dir":
        record(ino++, S_IFDIR | (e.mode ?? 0o755), path, new Uint8Array());
        break;
      case "file":
        record(ino++, S_IFREG | (e.mode ?? 0o644), path, e.data);
        break;
      case "symlink":
        record(ino++, S_IFLNK | 0o777, path, enc.encode(e.target));
        break;
      case "chardev":
        record(ino++, S_IFCHR | (e.mode ?? 0o600), path, new Uint8Array(), e);
        break;
    }
  }
  record(0, 0, "TRAILER!!!", new Uint8Array());
  const out = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
