/**
 * What a learner does in a lab: a step started or done, a check that failed after the learner
 * typed, a request for help (a hint or the solution), a crashed machine, a quiz answered. The
 * page reports it whether or not anyone listens; a live class
 * (components/workshop/class-member.client.tsx) forwards it while joined. That code loads only in
 * a browser that joined a class, after the page: what happened before it listens waits in a
 * short backlog, so a lab's first "step started" is not lost.
 */
export const LAB_ACTIVITY_KINDS = [
  "step-started",
  "step-done",
  "check-failed",
  "stuck",
  "vm-crashed",
  "quiz-answered",
] as const;

export type LabActivityKind = (typeof LAB_ACTIVITY_KINDS)[number];

export interface LabActivity {
  /** The lesson's slug. */
  lesson: string;
  /** The step's id (a quiz's id for quiz-answered). */
  step: string;
  kind: LabActivityKind;
  /** When it happened (ms since the epoch). */
  at: number;
}

const BACKLOG_LIMIT = 200;
const backlog: LabActivity[] = [];
let listener: ((activity: LabActivity) => void) | null = null;

export function reportLabActivity(activity: Omit<LabActivity, "at">): void {
  const reported: LabActivity = { ...activity, at: Date.now() };
  if (listener) return listener(reported);
  backlog.push(reported);
  if (backlog.length > BACKLOG_LIMIT) backlog.shift();
}

/** Takes the page's activity from now on, after what is waiting in the backlog. One listener. */
export function listenToLabActivity(next: (activity: LabActivity) => void): () => void {
  listener = next;
  for (const activity of backlog.splice(0)) next(activity);
  return () => {
    if (listener === next) listener = null;
  };
}
