import type { QuarantineSummary } from "@/lib/storage/machine-store";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm";
import { formatBytes } from "./format";

/** "Set aside (quarantine)": stored records that could not be used, to download or delete. */
export function QuarantineList({
  entries,
  onDownload,
  onDelete,
}: {
  entries: readonly QuarantineSummary[];
  onDownload: (id: number) => void;
  onDelete: (id: number) => Promise<void> | void;
}) {
  if (entries.length === 0) return null;
  return (
    <div className="grid gap-2">
      <h3 className="font-semibold">Set aside (quarantine)</h3>
      <p className="text-slate-700 dark:text-slate-300">
        These records could not be used. Nothing was thrown away: download one to keep it, or delete
        it.
      </p>
      <ul className="grid gap-1" aria-label="Quarantined records">
        {entries.map((q) => (
          <li
            key={q.id}
            data-quarantined={q.what}
            className="flex flex-wrap items-center gap-2 border-b border-slate-200 py-1 dark:border-slate-800"
          >
            <span>
              <span className="font-medium">{q.what}</span>: {q.reason} (
              {new Date(q.quarantinedAt).toLocaleString()}, {formatBytes(q.bytes)})
            </span>
            <Button aria-label={`Download ${q.what}`} onClick={() => onDownload(q.id)}>
              Download
            </Button>
            <ConfirmButton
              label="Delete"
              ariaLabel={`Delete ${q.what}`}
              question={`Delete the quarantined ${q.what} for good?`}
              onConfirm={() => onDelete(q.id)}
            />
          </li>
        ))}
      </ul>
    </div>
  );
}
