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
        entries.push({ kind: "file", path: rel, data: readFileSync(path), mode: st.mode & 0o111 ? 0o755 : 0o644 });
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
  for (const d of ["bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "proc", "sys", "dev", "tmp", "root", "run", "mnt", "lib"]) {
    entries.push({ kind: "dir", path: d, mode: d === "tmp" ? 0o1777 : d === "root" ? 0o700 : 0o755 });
  }
  entries.push({ kind: "chardev", path: "dev/console", major: 5, minor: 1 });
  entries.push({ kind: "chardev", path: "dev/null", major: 1, minor: 3, mode: 0o666 });
  entries.push({ kind: "file", path: "bin/busybox", data: readFileSync(input.busybox), mode: 0o755 });
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
