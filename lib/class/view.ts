/**
 * The instructor's view of a class, put together from two queries' rows: the learners with their
 * latest step, and one row per learner and step with what happened there.
 */
import type { ClassView, LearnerView, StepCell, StepTotals } from "./contract";

export interface LearnerRow {
  id: string;
  name: string;
  joinedAt: Date;
  lastSeen: Date;
  lesson: string | null;
  step: string | null;
}

export interface StepRow {
  learnerId: string;
  lesson: string;
  step: string;
  done: boolean;
  failedChecks: number;
  crashes: number;
  stuckAt: Date | null;
  doneAt: Date | null;
  firstAt: Date;
  events: number;
}

const iso = (date: Date | string) => new Date(date).toISOString();
const stepKey = (row: { lesson: string; step: string }) => `${row.lesson}/${row.step}`;

/** Stuck on a step: said so, and not done since. */
function isStuck(row: StepRow): boolean {
  if (!row.stuckAt) return false;
  return !row.doneAt || new Date(row.doneAt) < new Date(row.stuckAt);
}

export function buildClassView(
  found: { code: string; title: string; createdAt: Date; expiresAt: Date },
  learnerRows: LearnerRow[],
  stepRows: StepRow[],
): ClassView {
  const cellsByLearner = new Map<string, StepCell[]>();
  const totals = new Map<string, StepTotals & { firstAt: number }>();
  let events = 0;
  for (const row of stepRows) {
    events += row.events;
    const cell: StepCell = {
      lesson: row.lesson,
      step: row.step,
      done: row.done,
      failedChecks: row.failedChecks,
      stuck: isStuck(row),
      crashes: row.crashes,
    };
    const cells = cellsByLearner.get(row.learnerId) ?? [];
    cells.push(cell);
    cellsByLearner.set(row.learnerId, cells);
    const firstAt = new Date(row.firstAt).getTime();
    const total = totals.get(stepKey(row)) ?? {
      lesson: row.lesson,
      step: row.step,
      done: 0,
      inProgress: 0,
      stuck: 0,
      failedChecks: 0,
      firstAt,
    };
    total.firstAt = Math.min(total.firstAt, firstAt);
    if (cell.done) total.done++;
    else total.inProgress++;
    if (cell.stuck) total.stuck++;
    if (!cell.done && cell.failedChecks > 0) total.failedChecks++;
    totals.set(stepKey(row), total);
  }
  // Steps in the order the class first reached them: the course's order, as lived.
  const steps = [...totals.values()].sort((a, b) => a.firstAt - b.firstAt);
  const order = new Map(steps.map((step, index) => [stepKey(step), index]));
  const learners: LearnerView[] = learnerRows.map((row) => {
    const cells = (cellsByLearner.get(row.id) ?? []).sort(
      (a, b) => order.get(stepKey(a))! - order.get(stepKey(b))!,
    );
    return {
      id: row.id,
      name: row.name,
      joinedAt: iso(row.joinedAt),
      lastSeen: iso(row.lastSeen),
      lesson: row.lesson,
      step: row.step,
      stepsDone: cells.filter((cell) => cell.done).length,
      stuck: cells.some((cell) => cell.stuck),
      crashes: cells.reduce((sum, cell) => sum + cell.crashes, 0),
      failedChecks: cells
        .filter((cell) => !cell.done)
        .reduce((sum, cell) => sum + cell.failedChecks, 0),
      steps: cells,
    };
  });
  return {
    code: found.code,
    title: found.title,
    createdAt: iso(found.createdAt),
    expiresAt: iso(found.expiresAt),
    learners,
    totals: {
      learners: learners.length,
      events,
      stepsDone: learners.reduce((sum, learner) => sum + learner.stepsDone, 0),
      stuck: learners.filter((learner) => learner.stuck).length,
      crashes: learners.reduce((sum, learner) => sum + learner.crashes, 0),
      steps: steps.map(({ firstAt: _firstAt, ...step }) => step),
    },
  };
}
