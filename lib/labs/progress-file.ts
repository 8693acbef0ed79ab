import { z } from "../zod";
import { PROGRESS_KEY, PROGRESS_VERSION } from "./progress";
import type { Progress } from "./progress";
import { formatFieldPath } from "../field-path";

/**
 * The learner's progress as a file they can carry to another browser: a small versioned JSON
 * envelope around the stored record. Reading one never throws; every failure says what is wrong.
 */

export const PROGRESS_FILE_FORMAT = "virtualization-labs-progress";
export const PROGRESS_FILE_VERSION = 1;
/** Far above any real course (a few KB); anything bigger is not a progress file. */
export const PROGRESS_FILE_MAX_BYTES = 256 * 1024;

export interface ProgressFile {
  format: typeof PROGRESS_FILE_FORMAT;
  version: typeof PROGRESS_FILE_VERSION;
  exportedAt: string;
  progress: Progress;
}

/**
 * The stored record's shape, spelled out for files so an error can name the exact field.
 * Kept in step with parseProgress (lib/labs/progress.ts), which the tests check.
 */
const PROGRESS_KEY_RULE = "a key must read <lesson>/<lab or quiz id>, in lowercase kebab-case";
const progressKey = z.string().max(200).regex(PROGRESS_KEY, PROGRESS_KEY_RULE);
/**
 * JSON.parse keeps a "__proto__" key as data, but a zod record drops it without a word: refuse it
 * first, so that a file is never taken minus that entry.
 */
const noProtoKey = z.unknown().superRefine((value, context) => {
  if (typeof value === "object" && value !== null && Object.hasOwn(value, "__proto__"))
    context.addIssue({ code: "custom", path: ["__proto__"], message: PROGRESS_KEY_RULE });
});

export const progressSchema = z
  .object({
    version: z.literal(PROGRESS_VERSION),
    steps: noProtoKey.pipe(z.record(progressKey, z.array(z.string().max(100)).max(100))),
    quizzes: noProtoKey.pipe(z.record(progressKey, z.boolean())),
    updatedAt: z.number().int().nonnegative(),
  })
  .strict();

const envelopeSchema = z.object({
  format: z.literal(PROGRESS_FILE_FORMAT),
  version: z.literal(PROGRESS_FILE_VERSION),
  exportedAt: z.iso.datetime(),
  progress: progressSchema,
});

export type ProgressFileResult = { ok: true; file: ProgressFile } | { ok: false; error: string };

export function toProgressFile(progress: Progress, now: Date): ProgressFile {
  return {
    format: PROGRESS_FILE_FORMAT,
    version: PROGRESS_FILE_VERSION,
    exportedAt: now.toISOString(),
    progress,
  };
}

export function serializeProgressFile(progress: Progress, now: Date): string {
  return `${JSON.stringify(toProgressFile(progress, now), null, 2)}\n`;
}

export function progressFileName(now: Date): string {
  return `virtualization-labs-progress-${now.toISOString().slice(0, 10)}.json`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / (1024 * 1024)).toFixed(1)} MB`
    : `${Math.ceil(bytes / 1024)} KB`;
}

function describePath(path: PropertyKey[]): string {
  return path.length > 0 ? formatFieldPath(path) : "the top level";
}

/** Checks a file's size before reading it, so a huge file is refused without loading it. */
export function checkProgressFileSize(bytes: number): string | null {
  if (bytes === 0) return "The file is empty.";
  if (bytes > PROGRESS_FILE_MAX_BYTES) {
    return `The file is too large (${formatBytes(bytes)}): a progress file is at most ${formatBytes(PROGRESS_FILE_MAX_BYTES)}.`;
  }
  return null;
}

/** True when the text opens more brackets (or a string) than it closes: cut off, not mistyped. */
function endsEarly(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "{" || char === "[") depth++;
    else if (char === "}" || char === "]") depth--;
  }
  return inString || depth > 0;
}

export function parseProgressFile(text: string): ProgressFileResult {
  const sizeError = checkProgressFileSize(new TextEncoder().encode(text).length);
  if (sizeError) return { ok: false, error: sizeError };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      error: endsEarly(text)
        ? "The file is truncated: it ends before the progress data is complete."
        : `The file is not valid JSON (${(error as Error).message}).`,
    };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return { ok: false, error: "This is not a Virtualization Labs progress file." };
  }
  const record = data as Record<string, unknown>;
  if (record.format !== PROGRESS_FILE_FORMAT) {
    return {
      ok: false,
      error: `This is not a Virtualization Labs progress file ("format" should be "${PROGRESS_FILE_FORMAT}").`,
    };
  }
  if (record.version !== PROGRESS_FILE_VERSION) {
    const version = typeof record.version === "number" ? record.version : undefined;
    return {
      ok: false,
      error:
        version !== undefined && version > PROGRESS_FILE_VERSION
          ? `This file was made by a newer version of the site (file version ${version}); this site reads version ${PROGRESS_FILE_VERSION}.`
          : `This file has an unknown version (${JSON.stringify(record.version ?? null)}); this site reads version ${PROGRESS_FILE_VERSION}.`,
    };
  }
  const parsed = envelopeSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return {
      ok: false,
      error: `The file's data is invalid at ${describePath(issue.path)}: ${issue.message}.`,
    };
  }
  return { ok: true, file: parsed.data as ProgressFile };
}

/** Both records together: every step done in either, every quiz passed in either. */
export function mergeProgress(current: Progress, incoming: Progress, now: number): Progress {
  const steps: Record<string, string[]> = { ...current.steps };
  for (const [labKey, done] of Object.entries(incoming.steps)) {
    const union = [...(steps[labKey] ?? [])];
    for (const step of done) if (!union.includes(step)) union.push(step);
    steps[labKey] = union.slice(0, 100);
  }
  const quizzes: Record<string, boolean> = { ...current.quizzes };
  for (const [quizKey, passed] of Object.entries(incoming.quizzes)) {
    quizzes[quizKey] = quizzes[quizKey] === true || passed;
  }
  return { version: PROGRESS_VERSION, steps, quizzes, updatedAt: now };
}

export function replaceProgress(incoming: Progress, now: number): Progress {
  return { ...incoming, version: PROGRESS_VERSION, updatedAt: now };
}

export interface ProgressSummary {
  steps: number;
  labs: number;
  quizzesPassed: number;
}

export function summarizeProgress(progress: Progress): ProgressSummary {
  const labs = Object.values(progress.steps).filter((steps) => steps.length > 0);
  return {
    steps: labs.reduce((sum, steps) => sum + steps.length, 0),
    labs: labs.length,
    quizzesPassed: Object.values(progress.quizzes).filter(Boolean).length,
  };
}

export function describeSummary(summary: ProgressSummary): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return `${plural(summary.steps, "lab step")} done in ${plural(summary.labs, "lab")}, ${plural(summary.quizzesPassed, "quiz question")} answered correctly`;
}
