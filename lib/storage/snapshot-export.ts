import type { VmSnapshot } from "@/lib/emulator/snapshots";
import { diskMb } from "@/lib/emulator/vm-config";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import { formatBytes } from "@/lib/format-bytes";
import { encodeSnapshotFile, vmFileName } from "./vm-file";
import { saveParts, type SaveFile } from "./save-file";

export interface SnapshotExported {
  fileName: string;
  fileBytes: number;
  ms: number;
  text: string;
}

/** Saves one of a VM's snapshots as a `.vlabs-snapshot` file (the data as stored, gzip). */
export async function exportSnapshot(
  machine: Pick<VmMachine, "name" | "config">,
  snapshot: VmSnapshot,
  save?: SaveFile,
): Promise<SnapshotExported> {
  const startedAt = performance.now();
  const parts = await encodeSnapshotFile({
    snapshot,
    vm: { diskMb: diskMb(machine.config), network: machine.config.network },
    exportedAt: new Date(),
  });
  const fileName = vmFileName("snapshot", `${machine.name}-${snapshot.name}`);
  const fileBytes = saveParts(parts, fileName, save);
  const ms = performance.now() - startedAt;
  return { fileName, fileBytes, ms, text: `Exported ${fileName} (${formatBytes(fileBytes)}).` };
}
