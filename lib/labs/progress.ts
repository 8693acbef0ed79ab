import { z } from "zod";

/** What the learner has done, as stored. Keys are `<lesson slug>/<lab or quiz id>`. */
export const PROGRESS_VERSION = 1;

export const progressSchema = z
  .object({
    version: z.literal(PROGRESS_VERSION),
    steps: z.record(z.string().max(200), z.array(z.string().max(100)).max(100)),
    quizzes: z.record(z.string().max(200), z.boolean()),
    updatedAt: z.number().int().nonnegative(),
  })
  .strict();

export type Progress = z.infer<typeof progressSchema>;

export function emptyProgress(): Progress {
  return { version: PROGRESS_VERSION, steps: {}, quizzes: {}, updatedAt: 0 };
}

export function withStepDone(
  progress: Progress,
  labKey: string,
  stepId: string,
  now: number,
): Progress {
  const steps = progress.steps[labKey] ?? [];
  if (steps.includes(stepId)) return progress;
  return {
    ...progress,
    steps: { ...progress.steps, [labKey]: [...steps, stepId] },
    updatedAt: now,
  };
}

export function withLabReset(progress: Progress, labKey: string, now: number): Progress {
  const { [labKey]: _removed, ...steps } = progress.steps;
  return { ...progress, steps, updatedAt: now };
}

/** A quiz counts as passed once answered correctly; a later wrong try does not undo it. */
export function withQuizAnswer(
  progress: Progress,
  quizKey: string,
  correct: boolean,
  now: number,
): Progress {
  if (progress.quizzes[quizKey] === true) return progress;
  return { ...progress, quizzes: { ...progress.quizzes, [quizKey]: correct }, updatedAt: now };
}

/** What a lesson asks of the learner, by key. */
export interface LessonRequirements {
  slug: string;
  labs: Array<{ id: string; steps: string[] }>;
  quizIds: string[];
}

export interface LessonProgress {
  stepsDone: number;
  stepsTotal: number;
  quizzesPassed: number;
  quizzesTotal: number;
  complete: boolean;
  started: boolean;
}

export function lessonProgress(progress: Progress, lesson: LessonRequirements): LessonProgress {
  let stepsDone = 0;
  let stepsTotal = 0;
  for (const lab of lesson.labs) {
    const done = new Set(progress.steps[`${lesson.slug}/${lab.id}`] ?? []);
    stepsTotal += lab.steps.length;
    stepsDone += lab.steps.filter((step) => done.has(step)).length;
  }
  const quizzesPassed = lesson.quizIds.filter(
    (id) => progress.quizzes[`${lesson.slug}/${id}`] === true,
  ).length;
  const quizzesTotal = lesson.quizIds.length;
  const anyQuiz = lesson.quizIds.some((id) => `${lesson.slug}/${id}` in progress.quizzes);
  return {
    stepsDone,
    stepsTotal,
    quizzesPassed,
    quizzesTotal,
    complete:
      stepsTotal + quizzesTotal > 0 && stepsDone === stepsTotal && quizzesPassed === quizzesTotal,
    started: stepsDone > 0 || anyQuiz,
  };
}
