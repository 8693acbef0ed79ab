/**
 * The class database's schema, as numbered migrations run in order, each once, for PGlite and
 * Postgres alike. Several servers may start at once on one Postgres: an advisory lock held by the
 * migrating transaction makes the others wait and then find nothing left to do.
 */
import type { ClassDb } from "./db";

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "classes, learners, events, broadcasts",
    statements: [
      `CREATE TABLE classes (
        code text PRIMARY KEY,
        title text NOT NULL,
        instructor_token_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`,
      `CREATE INDEX classes_expires_at ON classes (expires_at)`,
      `CREATE TABLE learners (
        id uuid PRIMARY KEY,
        class_code text NOT NULL REFERENCES classes (code) ON DELETE CASCADE,
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        joined_at timestamptz NOT NULL DEFAULT now(),
        last_seen timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX learners_class ON learners (class_code)`,
      // Event ids are the learner's own: two learners' ids never collide with each other.
      `CREATE TABLE events (
        learner_id uuid NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
        id uuid NOT NULL,
        class_code text NOT NULL REFERENCES classes (code) ON DELETE CASCADE,
        lesson text NOT NULL,
        step text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('step-started', 'step-done', 'check-failed', 'stuck',
          'vm-crashed', 'quiz-answered')),
        at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (learner_id, id)
      )`,
      `CREATE INDEX events_class ON events (class_code, learner_id, lesson, step)`,
      `CREATE TABLE broadcasts (
        id bigserial PRIMARY KEY,
        class_code text NOT NULL REFERENCES classes (code) ON DELETE CASCADE,
        message text,
        go_to text,
        sent_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX broadcasts_class ON broadcasts (class_code, id)`,
    ],
  },
];

/** Any fixed number: the advisory lock's key, shared by every server on one database. */
const MIGRATION_LOCK = 2020_0020;

/** Brings the schema up to date; returns the versions it applied. */
export async function migrate(
  db: ClassDb,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await tx.query(`CREATE TABLE IF NOT EXISTS class_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set(
      (await tx.query<{ version: number }>("SELECT version FROM class_migrations")).map(
        (row) => row.version,
      ),
    );
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query("INSERT INTO class_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}
