import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Index of kernel modules by name, read from a kernel package's lib/modules/<version>/. */
export function indexModules(moduleDir: string): Map<string, string> {
  const index = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".ko")) index.set(name.slice(0, -3).replace(/-/g, "_"), path);
    }
  };
  walk(moduleDir);
  return index;
}

/** The `depends=` field of a module's .modinfo section; the build has no depmod. */
export function moduleDepends(path: string): string[] {
  const text = readFileSync(path).toString("latin1");
  const m = /\0depends=([^\0]*)\0/.exec(text);
  return (m?.[1] ?? "").split(",").filter(Boolean).map((d) => d.replace(/-/g, "_"));
}

/** Modules and their dependencies in an order insmod can load them. */
export function resolveModules(index: Map<string, string>, wanted: readonly string[]): { name: string; path: string }[] {
  const ordered: { name: string; path: string }[] = [];
  const seen = new Set<string>();
  const visit = (raw: string): void => {
    const name = raw.replace(/-/g, "_");
    if (seen.has(name)) return;
    seen.add(name);
    const path = index.get(name);
    if (!path) throw new Error(`kernel module ${raw} not found`);
    for (const dep of moduleDepends(path)) visit(dep);
    ordered.push({ name, path });
  };
  for (const w of wanted) visit(w);
  return ordered;
}
