import type { RunRecord } from "@/lib/overhead/record";
import { formatMs, formatRatio, formatSize, formatTime } from "./format";
import { Button } from "@/components/ui/button";

/** Earlier runs, newest first, so that runs with 1 and with several VMs can be compared. */
export function OverheadHistory({
  records,
  notice,
  onClear,
  disabled,
  headingLevel,
}: {
  records: readonly RunRecord[];
  notice?: string;
  onClear: () => void;
  disabled: boolean;
  headingLevel: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? "h3" : "h4";
  return (
    <div className="grid gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Heading className="font-semibold">Earlier runs</Heading>
        {records.length > 0 && (
          <Button size="sm" onClick={onClear} disabled={disabled}>
            Clear results
          </Button>
        )}
      </div>
      {notice && <p className="text-sm text-amber-800 dark:text-amber-300">{notice}</p>}
      {records.length === 0 ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          No runs yet. Run the benchmark with one VM running, then start more VMs and run it again.
        </p>
      ) : (
        <div
          className="overflow-x-auto"
          tabIndex={0}
          role="region"
          aria-label="Earlier benchmark runs"
        >
          <table className="w-full min-w-[40rem] border-collapse text-left text-sm tabular-nums">
            <caption className="sr-only">Earlier benchmark runs, newest first</caption>
            <thead>
              <tr className="border-b border-slate-300 dark:border-slate-700">
                <th scope="col" className="py-1 pr-3 font-medium">
                  When
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  VM
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  Workload
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  VMs running
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  At once
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  Host
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  Guest
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  Slowdown
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  MIPS
                </th>
                <th scope="col" className="py-1 font-medium">
                  Checksums
                </th>
              </tr>
            </thead>
            <tbody>
              {[...records].reverse().map((r) => (
                <tr key={r.id} className="border-b border-slate-200 dark:border-slate-800">
                  <th scope="row" className="py-1 pr-3 font-normal">
                    {formatTime(r.at)}
                  </th>
                  <td className="py-1 pr-3">{r.vm}</td>
                  <td className="py-1 pr-3">{formatSize(r.sizeKib, r.rounds)}</td>
                  <td className="py-1 pr-3">{r.vmsRunning}</td>
                  <td className="py-1 pr-3">{r.together}</td>
                  <td className="py-1 pr-3">{formatMs(r.hostMs)}</td>
                  <td className="py-1 pr-3">{formatMs(r.guestMs)}</td>
                  <td className="py-1 pr-3">{formatRatio(r.ratio)}</td>
                  <td className="py-1 pr-3">{r.mips ?? "–"}</td>
                  <td className="py-1">{r.checksumsMatch ? "match" : "differ"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
