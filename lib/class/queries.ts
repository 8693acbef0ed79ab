/**
 * Every read and write of the class database, one function per use. Writes that others watch
 * send a NOTIFY in their transaction, so it is delivered (to every server on the database) only
 * once the change is committed. Server side only.
 */
import { createHash, randomBytes, randomInt, randomUUID } from "node:crypto";
import { CODE_ALPHABET } from "./contract";
import type { Broadcast, ClassEvent, ClassView, CreatedClass, JoinedClass } from "./contract";
import type { ClassDb, Queryable } from "./db";
import { buildClassView } from "./view";
import type { LearnerRow, StepRow } from "./view";

/**
 * The channel every server LISTENs on. Payloads: `change:CODE:LEARNER` (a learner joined or sent
 * events), `broadcast:CODE:ID`, `deleted:CODE`.
 */
export const CLASS_CHANNEL = "vlabs_class";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function newToken(): string {
  return randomBytes(32).toString("base64url");
}

function newCode(): string {
  let code = "";
  for (let i = 0; i < 6; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

async function notify(tx: Queryable, payload: string): Promise<void> {
  await tx.query("SELECT pg_notify($1, $2)", [CLASS_CHANNEL, payload]);
}

export interface ClassRecord {
  code: string;
  title: string;
  instructorTokenHash: string;
  createdAt: Date;
  expiresAt: Date;
}

export async function createClass(
  db: ClassDb,
  title: string,
  retentionDays: number,
): Promise<CreatedClass> {
  const instructorToken = newToken();
  // 31^6 codes: a clash is rare, and the primary key catches it; another code is drawn.
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = newCode();
    const rows = await db.query<{ code: string }>(
      `INSERT INTO classes (code, title, instructor_token_hash, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(days => $4))
       ON CONFLICT (code) DO NOTHING RETURNING code`,
      [code, title, hashToken(instructorToken), retentionDays],
    );
    if (rows.length === 1) return { code, instructorToken };
  }
  throw new Error("could not find a free class code");
}

/** The class, unless it does not exist or has expired. */
export async function findClass(db: Queryable, code: string): Promise<ClassRecord | null> {
  const rows = await db.query<ClassRecord>(
    `SELECT code, title, instructor_token_hash AS "instructorTokenHash",
            created_at AS "createdAt", expires_at AS "expiresAt"
     FROM classes WHERE code = $1 AND expires_at > now()`,
    [code],
  );
  return rows[0] ?? null;
}

export async function joinClass(
  db: ClassDb,
  code: string,
  name: string,
  maxLearners: number,
): Promise<JoinedClass | "full"> {
  const token = newToken();
  const learnerId = randomUUID();
  return db.transaction(async (tx) => {
    // Serializes joins to one class, so the count below stays true until the insert.
    await tx.query("SELECT code FROM classes WHERE code = $1 FOR UPDATE", [code]);
    const [counted] = await tx.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM learners WHERE class_code = $1",
      [code],
    );
    if ((counted?.count ?? 0) >= maxLearners) return "full";
    await tx.query(
      "INSERT INTO learners (id, class_code, name, token_hash) VALUES ($1, $2, $3, $4)",
      [learnerId, code, name, hashToken(token)],
    );
    await notify(tx, `change:${code}:${learnerId}`);
    return { learnerId, token };
  });
}

/**
 * In one query: whether the class exists (and has not expired), and the learner whose token this
 * is, if that learner is in this class.
 */
export async function learnerInClass(
  db: Queryable,
  code: string,
  token: string,
): Promise<{ classFound: boolean; learnerId: string | null }> {
  const rows = await db.query<{ learnerId: string | null }>(
    `SELECT l.id AS "learnerId" FROM classes c
     LEFT JOIN learners l ON l.class_code = c.code AND l.token_hash = $2
     WHERE c.code = $1 AND c.expires_at > now()`,
    [code, hashToken(token)],
  );
  return { classFound: rows.length > 0, learnerId: rows[0]?.learnerId ?? null };
}

export interface EventBatch {
  learnerId: string;
  code: string;
  events: readonly ClassEvent[];
}

/**
 * Stores learners' event batches in one transaction, with their last-seen times and a NOTIFY per
 * learner, and resolves after the commit with the `learner/id` keys stored for the first time.
 * An event whose id the learner sent before is left as it is: a retried batch never counts twice.
 */
export async function storeEventBatches(
  db: ClassDb,
  batches: readonly EventBatch[],
): Promise<Set<string>> {
  const rows = batches.flatMap(({ learnerId, code, events }) =>
    events.map((event) => ({ ...event, learner_id: learnerId, class_code: code })),
  );
  const payloads = [...new Set(batches.map((b) => `change:${b.code}:${b.learnerId}`))];
  return db.transaction(async (tx) => {
    const inserted = await tx.query<{ key: string }>(
      `WITH batch AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS e(learner_id uuid, class_code text,
           id uuid, lesson text, step text, kind text, at timestamptz)
       ), inserted AS (
         INSERT INTO events (learner_id, id, class_code, lesson, step, kind, at)
         SELECT learner_id, id, class_code, lesson, step, kind, at FROM batch
         ON CONFLICT (learner_id, id) DO NOTHING
         RETURNING learner_id, id
       ), seen AS (
         UPDATE learners SET last_seen = now()
         WHERE id IN (SELECT learner_id FROM batch) RETURNING 1
       )
       SELECT learner_id || '/' || id AS key FROM inserted`,
      [JSON.stringify(rows)],
    );
    await tx.query("SELECT pg_notify($1, payload) FROM jsonb_array_elements_text($2) payload", [
      CLASS_CHANNEL,
      JSON.stringify(payloads),
    ]);
    return new Set(inserted.map((row) => row.key));
  });
}

/** One learner's batch (see storeEventBatches). */
export async function addEvents(
  db: ClassDb,
  learnerId: string,
  code: string,
  events: readonly ClassEvent[],
): Promise<{ accepted: number; duplicates: number }> {
  const fresh = await storeEventBatches(db, [{ learnerId, code, events }]);
  return { accepted: events.length, duplicates: events.length - fresh.size };
}

export async function classView(db: Queryable, code: string): Promise<ClassView | null> {
  const rows = await classRows(db, code);
  return rows && buildClassView(rows.found, rows.learners, rows.steps);
}

export interface ClassRows {
  found: ClassRecord;
  learners: LearnerRow[];
  steps: StepRow[];
}

/**
 * What the class view is made of: its learners with their latest step, and a row per learner and
 * step. With `learnerIds`, only those learners' rows (a live view updates the ones that changed).
 */
export async function classRows(
  db: Queryable,
  code: string,
  learnerIds?: readonly string[],
): Promise<ClassRows | null> {
  const found = await findClass(db, code);
  if (!found) return null;
  const only = learnerIds ? JSON.stringify(learnerIds) : null;
  const learners = await db.query<LearnerRow>(
    `SELECT l.id, l.name, l.joined_at AS "joinedAt", l.last_seen AS "lastSeen",
            latest.lesson, latest.step
     FROM learners l
     LEFT JOIN LATERAL (
       SELECT lesson, step FROM events e WHERE e.learner_id = l.id
       ORDER BY e.at DESC, e.received_at DESC LIMIT 1
     ) latest ON true
     WHERE l.class_code = $1
       AND ($2::jsonb IS NULL OR l.id IN (SELECT jsonb_array_elements_text($2::jsonb)::uuid))
     ORDER BY l.joined_at, l.id`,
    [code, only],
  );
  const steps = await db.query<StepRow>(
    `SELECT learner_id AS "learnerId", lesson, step,
            bool_or(kind IN ('step-done', 'quiz-answered')) AS done,
            (count(*) FILTER (WHERE kind = 'check-failed'))::int AS "failedChecks",
            (count(*) FILTER (WHERE kind = 'vm-crashed'))::int AS crashes,
            max(at) FILTER (WHERE kind = 'stuck') AS "stuckAt",
            max(at) FILTER (WHERE kind IN ('step-done', 'quiz-answered')) AS "doneAt",
            min(at) AS "firstAt",
            count(*)::int AS events
     FROM events WHERE class_code = $1
       AND ($2::jsonb IS NULL OR learner_id IN (SELECT jsonb_array_elements_text($2::jsonb)::uuid))
     GROUP BY learner_id, lesson, step`,
    [code, only],
  );
  return { found, learners, steps };
}

export async function addBroadcast(
  db: ClassDb,
  code: string,
  message: string | null,
  goTo: string | null,
): Promise<Broadcast> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<Broadcast>(
      `INSERT INTO broadcasts (class_code, message, go_to) VALUES ($1, $2, $3)
       RETURNING id::int AS id, message, go_to AS "goTo", sent_at AS "sentAt"`,
      [code, message, goTo],
    );
    if (!row) throw new Error("the broadcast was not stored");
    await notify(tx, `broadcast:${code}:${row.id}`);
    return { ...row, sentAt: new Date(row.sentAt).toISOString() };
  });
}

/** The class's broadcasts after `afterId` (oldest first), at most `limit`. */
export async function broadcastsAfter(
  db: Queryable,
  code: string,
  afterId: number,
  limit = 20,
): Promise<Broadcast[]> {
  const rows = await db.query<Broadcast>(
    `SELECT id::int AS id, message, go_to AS "goTo", sent_at AS "sentAt"
     FROM broadcasts WHERE class_code = $1 AND id > $2 ORDER BY id LIMIT $3`,
    [code, afterId, limit],
  );
  return rows.map((row) => ({ ...row, sentAt: new Date(row.sentAt).toISOString() }));
}

export async function latestBroadcast(db: Queryable, code: string): Promise<Broadcast | null> {
  const rows = await db.query<{ id: number }>(
    "SELECT id::int AS id FROM broadcasts WHERE class_code = $1 ORDER BY id DESC LIMIT 1",
    [code],
  );
  const [latest] = rows;
  if (!latest) return null;
  return (await broadcastsAfter(db, code, latest.id - 1, 1))[0] ?? null;
}

export interface ExportRow {
  learner: string;
  learnerId: string;
  lesson: string;
  step: string;
  kind: string;
  at: Date;
  receivedAt: Date;
}

export async function exportEvents(db: Queryable, code: string): Promise<ExportRow[]> {
  return db.query<ExportRow>(
    `SELECT l.name AS learner, l.id AS "learnerId", e.lesson, e.step, e.kind, e.at,
            e.received_at AS "receivedAt"
     FROM events e JOIN learners l ON l.id = e.learner_id
     WHERE e.class_code = $1
     ORDER BY l.joined_at, l.id, e.at, e.received_at`,
    [code],
  );
}

/** Deletes the class and, by cascade, its learners, events and broadcasts. */
export async function deleteClass(db: ClassDb, code: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx.query("DELETE FROM classes WHERE code = $1 RETURNING code", [code]);
    if (rows.length > 0) await notify(tx, `deleted:${code}`);
    return rows.length > 0;
  });
}

/** Deletes every class past its expiry; resolves to how many. */
export async function deleteExpired(db: ClassDb): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ code: string }>(
      "DELETE FROM classes WHERE expires_at <= now() RETURNING code",
    );
    for (const { code } of rows) await notify(tx, `deleted:${code}`);
    return rows.length;
  });
}
