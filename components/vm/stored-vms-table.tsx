import type { SaveState } from "@/lib/storage/save-scheduler";
import type { StorageRow } from "@/lib/storage/storage-overview";
import { ConfirmButton } from "@/components/ui/confirm";
import { formatBytes } from "./format";

export interface StoredVmsTableProps {
  rows: readonly StorageRow[];
  totalBytes: number | undefined;
  quarantineBytes: number;
  diskState: (vmId: string) => SaveState;
  onForgetDisk: (row: StorageRow) => Promise<void> | void;
  onForgetSnapshots: (row: StorageRow) => Promise<void> | void;
}

/** "Stored VMs": each VM's stored disk and snapshots, with a way to delete either. */
export function StoredVmsTable({
  rows,
  totalBytes,
  quarantineBytes,
  diskState,
  onForgetDisk,
  onForgetSnapshots,
}: StoredVmsTableProps) {
  return (
    <table className="w-full text-left" aria-label="Stored VMs">
      <thead>
        <tr className="border-b border-slate-200 dark:border-slate-800">
          <th scope="col" className="py-1 pr-2">
            VM
          </th>
          <th scope="col" className="py-1 pr-2">
            Disk
          </th>
          <th scope="col" className="py-1 pr-2">
            Snapshots
          </th>
          <th scope="col" className="py-1">
            Free space
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const state = diskState(row.vmId);
          return (
            <tr
              key={row.vmId}
              data-vm-storage={row.name}
              data-stored={row.stored}
              data-installed={row.installed}
              data-disk-state={state}
              data-disk-bytes={row.diskBytes}
              data-snapshot-bytes={row.snapshotBytes}
              className="border-b border-slate-100 dark:border-slate-900"
            >
              <th scope="row" className="py-1 pr-2 font-normal">
                {row.name}
              </th>
              <td className="py-1 pr-2">
                {formatBytes(row.diskBytes)}
                {row.installed ? ", installed system" : ""}
                {state === "saved" ? "" : " (saving soon)"}
              </td>
              <td className="py-1 pr-2">{formatBytes(row.snapshotBytes)}</td>
              <td className="flex flex-wrap gap-2 py-1">
                <ConfirmButton
                  label="Delete disk"
                  ariaLabel={`Delete the stored disk of ${row.name}`}
                  question={`Delete ${row.name}'s stored disk? After a reload it starts with a blank disk.`}
                  disabled={row.diskBytes === 0 || row.running}
                  onConfirm={() => onForgetDisk(row)}
                />
                <ConfirmButton
                  label="Delete snapshots"
                  ariaLabel={`Delete the stored snapshots of ${row.name}`}
                  question={`Delete ${row.name}'s snapshots?`}
                  disabled={row.snapshotBytes === 0}
                  onConfirm={() => onForgetSnapshots(row)}
                />
              </td>
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" className="py-1 pr-2 text-left">
            Total
          </th>
          <td colSpan={3} className="py-1" data-stat="storage-total-bytes" data-bytes={totalBytes}>
            {totalBytes === undefined ? "…" : formatBytes(totalBytes)}
            {totalBytes !== undefined &&
              quarantineBytes > 0 &&
              ` (quarantine ${formatBytes(quarantineBytes)})`}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
