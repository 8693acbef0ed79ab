import { readdirSync, readFileSync } from "node:fs";
import type { Engine } from "../../scripts/lib/browsers";

/**
 * What a browser engine holds, seen by the operating system: the proportional set size (PSS:
 * shared pages split between the processes that share them) summed over the engine's processes
 * under this bench. The same measure for every engine, whatever the page may ask itself.
 */
/** The engine's first process; its helper processes (renderers, GPU, network) are its descendants. */
const ENGINE_ROOT: Record<Engine, string> = {
  chromium: "chromium",
  firefox: "firefox-esr",
  webkit: "MiniBrowser",
};

function children(): Map<number, number[]> {
  const tree = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      tree.set(parent, [...(tree.get(parent) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  return tree;
}

function pssKib(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

/** The processes that run pages (and their workers): renderers, content processes. */
const PAGE_PROCESS = /--type=renderer|-contentproc .*-isForBrowser|WebKitWebProcess/;

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/**
 * PSS in MiB of the engine (its first process under this one, and all below it) and of its page
 * processes alone (what a tab costs, without the browser's own processes).
 */
export function engineMemoryMb(engine: Engine): { engineMb: number; pageMb: number } {
  const tree = children();
  const below = (pid: number): number[] => [
    pid,
    ...(tree.get(pid) ?? []).flatMap((child) => below(child)),
  ];
  const mine = below(process.pid);
  const root = mine.find((pid) => comm(pid) === ENGINE_ROOT[engine]);
  if (root === undefined) throw new Error(`no ${ENGINE_ROOT[engine]} process under this bench`);
  const pids = below(root);
  const mib = (list: number[]) =>
    Math.round(list.reduce((sum, pid) => sum + pssKib(pid), 0) / 1024);
  return {
    engineMb: mib(pids),
    pageMb: mib(pids.filter((pid) => PAGE_PROCESS.test(cmdline(pid)))),
  };
}
