/**
 * What a learner does in a lab, as DOM events on the document: a step started or done, a check
 * that failed after the learner typed, a request for help (a hint or the solution), a crashed
 * machine, a quiz answered. The page dispatches them whether or not anyone listens; a live class
 * (components/workshop/class-member.client.tsx) forwards them to the class while joined.
 */
export const LAB_ACTIVITY_EVENT = "vlabs:lab-activity";

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

export function reportLabActivity(activity: Omit<LabActivity, "at">): void {
  if (typeof document === "undefined") return;
  const detail: LabActivity = { ...activity, at: Date.now() };
  document.dispatchEvent(new CustomEvent(LAB_ACTIVITY_EVENT, { detail }));
}
