import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { ClassView, LearnerView, StepCell } from "@/lib/class/contract";

export const SORTS = {
  stuck: "Stuck first",
  name: "Name",
  most: "Most steps done",
  least: "Fewest steps done",
  seen: "Last seen",
} as const;
export type SortKey = keyof typeof SORTS;

/** Who needs the instructor first: stuck, then a crashed VM, then failed checks, then the slowest. */
function needsHelp(a: LearnerView, b: LearnerView): number {
  return (
    Number(b.stuck) - Number(a.stuck) ||
    b.crashes - a.crashes ||
    b.failedChecks - a.failedChecks ||
    a.stepsDone - b.stepsDone
  );
}

export function sortLearners(learners: readonly LearnerView[], sort: SortKey): LearnerView[] {
  const byName = (a: LearnerView, b: LearnerView) => a.name.localeCompare(b.name);
  const compare: Record<SortKey, (a: LearnerView, b: LearnerView) => number> = {
    stuck: (a, b) => needsHelp(a, b) || byName(a, b),
    name: byName,
    most: (a, b) => b.stepsDone - a.stepsDone || byName(a, b),
    least: (a, b) => a.stepsDone - b.stepsDone || byName(a, b),
    seen: (a, b) => b.lastSeen.localeCompare(a.lastSeen) || byName(a, b),
  };
  return [...learners].sort(compare[sort]);
}

type CellState = "done" | "stuck" | "crashed" | "failed" | "in-progress" | "not-started";

function cellState(cell: StepCell | undefined): CellState {
  if (!cell) return "not-started";
  if (cell.done) return "done";
  if (cell.stuck) return "stuck";
  if (cell.crashes > 0) return "crashed";
  if (cell.failedChecks > 0) return "failed";
  return "in-progress";
}

const CELL: Record<CellState, { label: string; tone: BadgeTone; mark: string }> = {
  done: { label: "done", tone: "success", mark: "✓" },
  stuck: { label: "stuck", tone: "danger", mark: "!" },
  crashed: { label: "VM crashed", tone: "danger", mark: "✕" },
  failed: { label: "failed check", tone: "warning", mark: "×" },
  "in-progress": { label: "in progress", tone: "info", mark: "…" },
  "not-started": { label: "not started", tone: "muted", mark: "" },
};

function learnerStatus(learner: LearnerView): { label: string; tone: BadgeTone } {
  if (learner.stuck) return { label: "Stuck", tone: "danger" };
  if (learner.crashes > 0) return { label: `VM crashed ×${learner.crashes}`, tone: "danger" };
  if (learner.failedChecks > 0)
    return { label: `Failed checks ×${learner.failedChecks}`, tone: "warning" };
  return { label: "Working", tone: "neutral" };
}

const time = (iso: string) =>
  new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** The class as a table: a row per learner, a column per step, counts per step at the top. */
export function ClassGrid({ view, sort }: { view: ClassView; sort: SortKey }) {
  const steps = view.totals.steps;
  const learners = sortLearners(view.learners, sort);
  if (learners.length === 0) {
    return <p className="text-slate-700 dark:text-slate-300">No one has joined yet.</p>;
  }
  return (
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Learners by step">
      <table className="min-w-full border-collapse text-sm">
        <caption className="sr-only">
          Each learner&apos;s state on each step, sorted by {SORTS[sort].toLowerCase()}
        </caption>
        <thead>
          <tr className="border-b border-slate-300 text-left dark:border-slate-700">
            {["Learner", "Now on", "Done", "Status"].map((label) => (
              <th key={label} scope="col" className="py-2 pr-3">
                {label}
              </th>
            ))}
            {steps.map((step) => (
              <th
                key={`${step.lesson}/${step.step}`}
                scope="col"
                className="px-1 py-2 align-bottom font-normal"
              >
                <span className="block font-mono text-xs">{step.step}</span>
                <span className="block text-xs text-slate-600 dark:text-slate-400">
                  {step.done}/{view.totals.learners} done
                  {step.stuck ? `, ${step.stuck} stuck` : ""}
                </span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {learners.map((learner) => {
            const status = learnerStatus(learner);
            const cells = new Map(
              learner.steps.map((cell) => [`${cell.lesson}/${cell.step}`, cell]),
            );
            return (
              <tr
                key={learner.id}
                data-learner={learner.name}
                className="border-b border-slate-200 dark:border-slate-800"
              >
                <th scope="row" className="py-2 pr-3 text-left font-medium">
                  {learner.name}
                  <span className="block text-xs font-normal text-slate-600 dark:text-slate-400">
                    seen {time(learner.lastSeen)}
                  </span>
                </th>
                <td className="py-2 pr-3 font-mono text-xs">
                  {learner.step ? `${learner.lesson} / ${learner.step}` : "—"}
                </td>
                <td className="py-2 pr-3" data-steps-done={learner.stepsDone}>
                  {learner.stepsDone}
                </td>
                <td className="py-2 pr-3">
                  <Badge tone={status.tone} size="sm">
                    {status.label}
                  </Badge>
                </td>
                {steps.map((step) => {
                  const key = `${step.lesson}/${step.step}`;
                  const state = cellState(cells.get(key));
                  const { label, tone, mark } = CELL[state];
                  return (
                    <td key={key} className="px-1 py-2 text-center" data-cell-state={state}>
                      {state === "not-started" ? (
                        <span className="sr-only">{label}</span>
                      ) : (
                        <Badge tone={tone} size="sm" title={label}>
                          <span aria-hidden="true">{mark}</span>
                          <span className="sr-only">{label}</span>
                        </Badge>
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
