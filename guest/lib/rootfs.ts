import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, realpathSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { NewcEntry } from "./newc";

/** Adds a folder of recipe files (guest/rootfs/<part>/) to the archive, keeping exec bits. */
export function addTree(entries: NewcEntry[], srcRoot: string, dstPrefix = ""): void {
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = join(dstPrefix, relative(srcRoot, path));
      const st = statSync(path);
      if (st.isDirectory()) {
        entries.push({ kind: "dir", path: rel });
        walk(path);
      } else {
        entries.push({
          kind: "file",
          path: rel,
          data: readFileSync(path),
          mode: st.mode & 0o111 ? 0o755 : 0o644,
        });
      }
    }
  };
  walk(srcRoot);
}

function busyboxApplets(busybox: string, fallbackList: string): string[] {
  const res = spawnSync(busybox, ["--list-full"], { encoding: "utf8" });
  const text = res.status === 0 ? res.stdout : readFileSync(fallbackList, "utf8");
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
}

export interface BaseRootfsInput {
  busybox: string;
  appletFallback: string;
}

/** The skeleton every guest shares: folders, device nodes, busybox and its applet links. */
export function baseRootfs(input: BaseRootfsInput): NewcEntry[] {
  const entries: NewcEntry[] = [];
  for (const d of [
    "bin",
    "sbin",
    "usr",
    "usr/bin",
    "usr/sbin",
    "etc",
    "proc",
    "sys",
    "dev",
    "tmp",
    "root",
    "run",
    "mnt",
    "lib",
  ]) {
    entries.push({
      kind: "dir",
      path: d,
      mode: d === "tmp" ? 0o1777 : d === "root" ? 0o700 : 0o755,
    });
  }
  entries.push({ kind: "chardev", path: "dev/console", major: 5, minor: 1 });
  entries.push({ kind: "chardev", path: "dev/null", major: 1, minor: 3, mode: 0o666 });
  entries.push({
    kind: "file",
    path: "bin/busybox",
    data: readFileSync(input.busybox),
    mode: 0o755,
  });
  for (const applet of busyboxApplets(input.busybox, input.appletFallback)) {
    if (applet === "bin/busybox" || applet === "linuxrc") continue;
    const depth = applet.split("/").length - 1;
    entries.push({ kind: "symlink", path: applet, target: `${"../".repeat(depth)}bin/busybox` });
  }
  return entries;
}

export function textFile(path: string, text: string, mode = 0o644): NewcEntry {
  return { kind: "file", path, data: new TextEncoder().encode(text), mode };
}

export function hostFile(path: string, src: string, mode = 0o644): NewcEntry {
  return { kind: "file", path, data: readFileSync(realpathSync(src)), mode };
}

/** Later files win; a folder stays where it first appeared so that it precedes its contents. */
export function dedupe(entries: readonly NewcEntry[]): NewcEntry[] {
  const keep = new Map<string, number>();
  entries.forEach((e, i) => {
    if (e.kind !== "dir" || !keep.has(e.path)) keep.set(e.path, i);
  });
  return entries.filter((e, i) => keep.get(e.path) === i);
}

/** What a 32-bit little-endian ELF file asks the dynamic loader for (empty for static files). */
export function elfDependencies(data: Uint8Array): { interpreter?: string; needed: string[] } {
  const isElf32 =
    data.length >= 52 &&
    data[0] === 0x7f &&
    data[1] === 0x45 &&
    data[2] === 0x4c &&
    data[3] === 0x46 &&
    data[4] === 1 &&
    data[5] === 1;
  if (!isElf32) return { needed: [] };
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const u16 = (o: number): number => view.getUint16(o, true);
  const u32 = (o: number): number => view.getUint32(o, true);
  const cString = (o: number): string => {
    let end = o;
    while (end < data.length && data[end] !== 0) end++;
    return new TextDecoder().decode(data.subarray(o, end));
  };
  const phoff = u32(28);
  const phentsize = u16(42);
  const phnum = u16(44);
  const loads: { vaddr: number; offset: number; filesz: number }[] = [];
  let dynamic: { offset: number; size: number } | undefined;
  let interpreter: string | undefined;
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    const type = u32(ph);
    if (type === 1) loads.push({ offset: u32(ph + 4), vaddr: u32(ph + 8), filesz: u32(ph + 16) });
    if (type === 2) dynamic = { offset: u32(ph + 4), size: u32(ph + 16) };
    if (type === 3) interpreter = cString(u32(ph + 4));
  }
  if (!dynamic) return { interpreter, needed: [] };
  const toOffset = (vaddr: number): number => {
    const seg = loads.find((l) => vaddr >= l.vaddr && vaddr < l.vaddr + l.filesz);
    if (!seg) throw new Error(`ELF address 0x${vaddr.toString(16)} is in no loaded segment`);
    return vaddr - seg.vaddr + seg.offset;
  };
  const neededAt: number[] = [];
  let strtab = 0;
  for (let o = dynamic.offset; o + 8 <= dynamic.offset + dynamic.size; o += 8) {
    const tag = u32(o);
    if (tag === 0) break;
    if (tag === 1) neededAt.push(u32(o + 4)); // DT_NEEDED
    if (tag === 5) strtab = toOffset(u32(o + 4)); // DT_STRTAB
  }
  return { interpreter, needed: neededAt.map((n) => cString(strtab + n)) };
}

/** Library folders the i386 loader searches without an ld.so.cache (Debian's multiarch layout). */
const LIBRARY_DIRS = ["lib/i386-linux-gnu", "usr/lib/i386-linux-gnu", "lib", "usr/lib"];

/**
 * Every dynamically linked program and library in the archive with a loader or library the
 * archive lacks, as "path: needs soname" lines (empty when the archive is self-sufficient).
 */
export function missingLibraries(entries: readonly NewcEntry[]): string[] {
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const resolves = (path: string): boolean => {
    let p = path;
    for (let i = 0; i < 8; i++) {
      const e = byPath.get(p);
      if (!e) return false;
      if (e.kind !== "symlink") return e.kind === "file";
      p = e.target.startsWith("/")
        ? e.target.slice(1)
        : [...p.split("/").slice(0, -1), e.target].join("/");
      p = p
        .split("/")
        .reduce<string[]>(
          (acc, part) => (part === ".." ? acc.slice(0, -1) : part === "." ? acc : [...acc, part]),
          [],
        )
        .join("/");
    }
    return false;
  };
  const missing: string[] = [];
  for (const e of entries) {
    if (e.kind !== "file") continue;
    const deps = elfDependencies(e.data);
    if (deps.interpreter && !resolves(deps.interpreter.replace(/^\//, "")))
      missing.push(`${e.path}: needs ${deps.interpreter}`);
    for (const soname of deps.needed) {
      if (!LIBRARY_DIRS.some((d) => resolves(`${d}/${soname}`)))
        missing.push(`${e.path}: needs ${soname}`);
    }
  }
  return missing;
}
