/** What the learner has done, as stored. Keys are `<lesson slug>/<lab or quiz id>`. */
export const PROGRESS_VERSION = 1;

export interface Progress {
  version: typeof PROGRESS_VERSION;
  steps: Record<string, string[]>;
  quizzes: Record<string, boolean>;
  updatedAt: number;
}

const MAX_KEY = 200;
/**
 * `<lesson slug>/<lab or quiz id>`, both kebab-case. Anything else (`__proto__`, `toString`) is not
 * a key this site writes, and would clash with an object's own machinery when merged.
 */
export const PROGRESS_KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_STEP_ID = 100;
const MAX_STEPS = 100;

/** A plain object: a Map, Date or typed array from a damaged store is not a record. */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Checks a stored or imported record by hand: this runs on every lesson page, where a schema
 * library would cost more script than the rest of the lab engine.
 */
export function parseProgress(value: unknown): Progress | null {
  if (!isRecord(value) || value.version !== PROGRESS_VERSION) return null;
  const keys = Object.keys(value);
  if (keys.length !== 4 || !["steps", "quizzes", "updatedAt"].every((key) => keys.includes(key)))
    return null;
  const { steps, quizzes, updatedAt } = value;
  if (typeof updatedAt !== "number" || !Number.isSafeInteger(updatedAt) || updatedAt < 0)
    return null;
  if (!isRecord(steps) || !isRecord(quizzes)) return null;
  for (const [key, ids] of Object.entries(steps)) {
    if (key.length > MAX_KEY || !PROGRESS_KEY.test(key)) return null;
    if (!Array.isArray(ids) || ids.length > MAX_STEPS) return null;
    // Array.from turns holes into undefined: `every` alone skips the holes of a sparse array.
    if (!Array.from(ids).every((id) => typeof id === "string" && id.length <= MAX_STEP_ID))
      return null;
  }
  for (const [key, passed] of Object.entries(quizzes)) {
    if (key.length > MAX_KEY || !PROGRESS_KEY.test(key) || typeof passed !== "boolean") return null;
  }
  return {
    version: PROGRESS_VERSION,
    steps: steps as Record<string, string[]>,
    quizzes: quizzes as Record<string, boolean>,
    updatedAt,
  };
}

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
