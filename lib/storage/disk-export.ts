import { stateReached } from "@/lib/emulator/state-reached";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import { formatBytes } from "@/lib/format-bytes";
import { encodeDiskFile, vmFileName } from "./vm-file";
import { saveParts, type SaveFile } from "./save-file";

export type DiskExported =
  | { ok: true; text: string; fileName: string; diskBytes: number; fileBytes: number; ms: number }
  | { ok: false; text: string };

export interface DiskExportOptions {
  /** What the export is doing now ("Copying web1's disk…"), for the panel. */
  onProgress?: (text: string) => void;
  save?: SaveFile;
  /** How long to wait for a running VM to pause before copying anyway. */
  pauseTimeoutMs?: number;
}

type ExportableMachine = Pick<
  VmMachine,
  "name" | "state" | "events" | "pause" | "resume" | "readDisk"
>;

/**
 * "Export disk": copies a VM's disk (pausing a running guest for the copy, resuming it after),
 * gzips it into a `.vlabs-disk` file and saves it. Never throws: a failure is the result's text.
 */
export async function exportDisk(
  machine: ExportableMachine,
  { onProgress, save, pauseTimeoutMs = 5_000 }: DiskExportOptions = {},
): Promise<DiskExported> {
  onProgress?.(`Copying ${machine.name}'s disk…`);
  const startedAt = performance.now();
  // The copy is one piece of the disk at one instant; pausing keeps the guest from writing
  // while the copy is made. Data the guest still holds in memory is not on the disk yet.
  const pausedHere = machine.state === "running" || machine.state === "booting";
  if (pausedHere) {
    machine.pause();
    // Resume is only heard once the page knows the VM is paused.
    await stateReached(machine, "paused", pauseTimeoutMs);
  }
  let resumed = !pausedHere;
  const resume = () => {
    if (!resumed) machine.resume();
    resumed = true;
  };
  try {
    const disk = await machine.readDisk();
    resume();
    if (!disk) throw new Error(`${machine.name} has no disk`);
    onProgress?.(`Compressing ${formatBytes(disk.byteLength)}…`);
    const parts = await encodeDiskFile({ name: machine.name, disk, exportedAt: new Date() });
    const fileName = vmFileName("disk", machine.name);
    const fileBytes = saveParts(parts, fileName, save);
    const ms = performance.now() - startedAt;
    return {
      ok: true,
      text: `Exported ${fileName}: ${formatBytes(disk.byteLength)} disk, ${formatBytes(fileBytes)} file, in ${Math.round(ms)} ms.`,
      fileName,
      diskBytes: disk.byteLength,
      fileBytes,
      ms,
    };
  } catch (error) {
    resume();
    return { ok: false, text: `The disk was not exported: ${(error as Error).message}` };
  }
}
