/**
 * The live class's HTTP contract (docs/class-api.md): request bodies as Zod schemas and the
 * shapes the server answers with. Shared by the server (lib/class/api.ts) and the browser
 * (lib/class/client.ts); it imports nothing that only one of them has.
 */
import { LAB_ACTIVITY_KINDS } from "../labs/activity";
import { z } from "../zod";

/** The lab engine's activity kinds (lib/labs/activity.ts) are the events a class takes. */
export const EVENT_KINDS = LAB_ACTIVITY_KINDS;
export type ClassEventKind = (typeof EVENT_KINDS)[number];

import { MAX_EVENTS_PER_BATCH, MAX_MESSAGE_CHARS, MAX_NAME_CHARS, MAX_TITLE_CHARS } from "./limits";

export * from "./limits";

// C0 and C1 control characters (a newline included): a name is one line of plain text.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function oneLine(what: string, max: number) {
  return z
    .string({ error: `${what} must be text` })
    .transform((text) => text.trim())
    .pipe(
      z
        .string()
        .min(1, `${what} is empty`)
        .max(max, `${what} is longer than ${max} characters`)
        .refine((text) => !CONTROL.test(text), `${what} has control characters`),
    );
}

const slug = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .max(100, `${what} is longer than 100 characters`)
    .regex(SLUG, `${what} must be kebab-case (a-z, 0-9, -)`);

export const createClassBody = z.object({ title: oneLine("title", MAX_TITLE_CHARS) });

export const joinBody = z.object({ name: oneLine("name", MAX_NAME_CHARS) });

export const classEvent = z.object({
  id: z.uuid({ error: "id must be a UUID" }),
  lesson: slug("lesson"),
  step: slug("step"),
  kind: z.enum(EVENT_KINDS, { error: `kind must be one of ${EVENT_KINDS.join(", ")}` }),
  at: z.iso.datetime({ offset: true, error: "at must be an ISO 8601 date and time" }),
});
export type ClassEvent = z.infer<typeof classEvent>;

export const eventsBody = z.object({
  events: z
    .array(classEvent, { error: "events must be a list" })
    .min(1, "events is empty")
    .max(MAX_EVENTS_PER_BATCH, `at most ${MAX_EVENTS_PER_BATCH} events in one batch`),
});

export const broadcastBody = z
  .object({
    message: oneLine("message", MAX_MESSAGE_CHARS).optional(),
    goTo: slug("goTo").optional(),
  })
  .refine((body) => body.message !== undefined || body.goTo !== undefined, {
    message: "give a message, a lesson to go to (goTo), or both",
  });

export interface CreatedClass {
  code: string;
  instructorToken: string;
}

export interface JoinedClass {
  learnerId: string;
  token: string;
}

/** One learner's state on one step (lesson/step). */
export interface StepCell {
  lesson: string;
  step: string;
  done: boolean;
  failedChecks: number;
  stuck: boolean;
  crashes: number;
}

export interface LearnerView {
  id: string;
  name: string;
  joinedAt: string;
  lastSeen: string;
  lesson: string | null;
  step: string | null;
  stepsDone: number;
  /** Stuck on a step not done since. */
  stuck: boolean;
  crashes: number;
  failedChecks: number;
  steps: StepCell[];
}

export interface StepTotals {
  lesson: string;
  step: string;
  done: number;
  inProgress: number;
  stuck: number;
  failedChecks: number;
}

export interface ClassView {
  code: string;
  title: string;
  createdAt: string;
  expiresAt: string;
  learners: LearnerView[];
  totals: {
    learners: number;
    events: number;
    stepsDone: number;
    stuck: number;
    crashes: number;
    steps: StepTotals[];
  };
}

export interface Broadcast {
  id: number;
  message: string | null;
  goTo: string | null;
  sentAt: string;
}

export interface ApiError {
  error: string;
  issues?: { where: string; message: string }[];
}
