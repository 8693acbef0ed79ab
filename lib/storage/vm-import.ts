import { snapshotFits } from "@/lib/emulator/snapshots";
import { machineFor } from "@/lib/emulator/v86-options";
import { diskMb } from "@/lib/emulator/vm-config";
import type { CreateRefusal, VmHost } from "@/lib/emulator/vm-host";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import { formatBytes } from "@/lib/format-bytes";
import { importedVmName, padToWholeMib, readVmFile, type VmFileContents } from "./vm-file";

export type VmImported = { ok: true; text: string; ms: number } | { ok: false; text: string };

type ImportHost = Pick<VmHost, "manifest" | "create" | "machines">;

/**
 * "Import a disk or snapshot": a disk becomes a new VM that boots from it; a snapshot becomes a
 * new VM restored from it, or joins `target`'s snapshots when that VM can restore it. Nothing is
 * created unless the whole file checks out. Never throws: a refusal is `<file name>: <reason>`.
 */
export async function importVmFile(
  host: ImportHost,
  file: Blob & { name: string },
  target?: VmMachine,
): Promise<VmImported> {
  const startedAt = performance.now();
  try {
    const manifest = await host.manifest();
    const read = await readVmFile(file, { v86Version: manifest.v86_version });
    if (!read.ok) return { ok: false, text: `${file.name}: ${read.error}` };
    const done = await importContents(host, read.file, file.name, target);
    return done.ok
      ? { ok: true, text: done.text, ms: performance.now() - startedAt }
      : { ok: false, text: `${file.name}: ${done.error}` };
  } catch (error) {
    return { ok: false, text: `${file.name}: ${(error as Error).message}` };
  }
}

type Imported = { ok: true; text: string } | { ok: false; error: string };

async function importContents(
  host: ImportHost,
  file: VmFileContents,
  fileName: string,
  target: VmMachine | undefined,
): Promise<Imported> {
  const names = host.machines.map((m) => m.name);
  if (file.kind === "disk") {
    const disk = padToWholeMib(file.disk);
    const name = importedVmName(fileName, file.metadata.name, names);
    const made = await host.create(
      { name, memoryMb: "128", boot: "disk", disk: "blank", diskSizeMb: "", network: "none" },
      { diskBytes: disk },
    );
    if (!made.ok) return { ok: false, error: refusalText(made) };
    return {
      ok: true,
      text: `Created ${name} with the ${formatBytes(file.metadata.diskBytes)} disk from the file; Start boots it from that disk.`,
    };
  }

  const snapshot = file.snapshot;
  const vm = file.metadata.vm;
  if (target) {
    const fits = snapshotFits(snapshot, {
      v86Version: snapshot.v86Version,
      machine: machineFor(target.config.memoryMb, target.config.nic),
    });
    if (!fits.ok) return { ok: false, error: `It cannot go to ${target.name}: ${fits.error}.` };
    const targetDiskMb = diskMb(target.config);
    if (targetDiskMb !== vm.diskMb)
      return {
        ok: false,
        error: `It cannot go to ${target.name}: the snapshot holds ${vm.diskMb ? `a ${vm.diskMb} MB disk` : "no disk"}, ${target.name} has ${targetDiskMb ? `a ${targetDiskMb} MB disk` : "none"}.`,
      };
    const taken = target.snapshots.all.some((s) => s.name === snapshot.name);
    const added = { ...snapshot, name: taken ? target.snapshots.nextName() : snapshot.name };
    target.snapshots.add(added);
    return { ok: true, text: `Added ${added.name} to ${target.name}'s snapshots.` };
  }

  const name = importedVmName(fileName, snapshot.vmName, names);
  const made = await host.create({
    name,
    memoryMb: String(snapshot.machine.memory_mb),
    boot: snapshot.profile,
    disk: vm.diskMb > 0 ? "blank" : "none",
    diskSizeMb: String(vm.diskMb || ""),
    network: vm.network,
    // The snapshot restores only on the network card it was taken with.
    nic: snapshot.machine.net_device,
  });
  if (!made.ok) return { ok: false, error: refusalText(made) };
  made.machine.snapshots.add(snapshot);
  void made.machine.start({ state: snapshot });
  return { ok: true, text: `Started ${name} from ${snapshot.vmName}'s snapshot ${snapshot.name}.` };
}

/** Why the host made no VM, in one sentence. */
export function refusalText(made: CreateRefusal): string {
  return `No VM was created: ${made.budget ?? Object.values(made.errors).join(" ")}`;
}
