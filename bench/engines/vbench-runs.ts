import { readFileSync } from "node:fs";
import { join } from "node:path";
import { IMAGES_DIR } from "../../guest/node-vm";
import { parseManifest } from "../../lib/emulator/manifest";

/** The workload: vbench over 1024 KiB, 100 rounds. */
export const VBENCH_ARGS = ["1024", "100"];

/**
 * One shell line that runs vbench `runs` times and prints only its times, then a sentinel
 * (computed by the shell, so the echoed command never matches it).
 */
export function vbenchCommand(runs: number): string {
  return `for i in $(seq ${runs}); do vbench -t ${VBENCH_ARGS.join(" ")} | grep time_us; done; echo vb-done-$((1+1))`;
}

/** Every run's time in ms from vbench's `time_us=N` lines. */
export function vbenchTimes(output: string): number[] {
  return [...output.matchAll(/time_us=(\d+)/g)].map((m) => Number(m[1]) / 1000);
}

export interface LiveProfile {
  memoryMb: number;
  bzimage: string;
  initrd: string;
  cmdline: string;
  readyText: string;
}

export function liveProfile(): LiveProfile {
  const parsed = parseManifest(JSON.parse(readFileSync(join(IMAGES_DIR, "manifest.json"), "utf8")));
  if (!parsed.ok) throw new Error(parsed.error);
  const live = parsed.manifest.profiles.live;
  if (!live?.bzimage || !live.initrd || live.cmdline === undefined || !live.ready_text)
    throw new Error("the manifest's live profile has no kernel, initrd, cmdline or ready text");
  return {
    memoryMb: live.memory_mb,
    bzimage: live.bzimage,
    initrd: live.initrd,
    cmdline: live.cmdline,
    readyText: live.ready_text,
  };
}
