/**
 * The class database's migrations and queries, on both engines it runs on: PGlite in a temporary
 * folder and a real Postgres (Debian's, started for this file on a loopback port).
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openClassDb, RESYNC, type ClassDb } from "@/lib/class/db";
import { EventWriter } from "@/lib/class/event-writer";
import { migrate, MIGRATIONS } from "@/lib/class/migrations";
import * as queries from "@/lib/class/queries";
import { startTempPostgres, type TempPostgres } from "@/scripts/lib/postgres";
import { event, tempDataDir } from "./class-helpers";

let postgres: TempPostgres;
beforeAll(async () => {
  postgres = await startTempPostgres();
});
afterAll(() => postgres?.stop());

const engines = [
  {
    name: "pglite",
    open: async () => {
      const dataDir = tempDataDir();
      const db = await openClassDb({ dataDir });
      return { db, cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
    },
  },
  {
    name: "postgres",
    open: async (label: string) => ({
      db: await openClassDb({ databaseUrl: postgres.database(label) }),
      cleanup: () => {},
    }),
  },
] as const;

describe.each(engines)("class database on $name", ({ name, open }) => {
  let db: ClassDb;
  let cleanup: () => void;
  beforeAll(async () => {
    ({ db, cleanup } = await open(`db_${name}`));
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
    cleanup();
  });

  it("reports its engine and applies each migration once", async () => {
    expect(db.kind).toBe(name);
    expect(await migrate(db)).toEqual([]);
    const rows = await db.query<{ version: number }>("SELECT version FROM class_migrations");
    expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it("stores a retried batch once and counts the duplicates", async () => {
    const created = await queries.createClass(db, "Retry", 30);
    const joined = await queries.joinClass(db, created.code, "Ada", 10);
    if (joined === "full") throw new Error("full");
    const batch = [event(), event({ step: "login" })];
    expect(await queries.addEvents(db, joined.learnerId, created.code, batch)).toEqual({
      accepted: 2,
      duplicates: 0,
    });
    const retried = [...batch, event({ step: "shell" })];
    expect(await queries.addEvents(db, joined.learnerId, created.code, retried)).toEqual({
      accepted: 3,
      duplicates: 2,
    });
    const view = await queries.classView(db, created.code);
    expect(view?.totals.events).toBe(3);
    expect(view?.learners[0]?.stepsDone).toBe(3);
  });

  it("writes concurrent batches together, each answered for its own events", async () => {
    const writer = new EventWriter(db);
    const { code } = await queries.createClass(db, "Group", 30);
    const gone = await queries.createClass(db, "Gone soon", 30);
    const ada = await queries.joinClass(db, code, "Ada", 10);
    const bob = await queries.joinClass(db, code, "Bob", 10);
    const eve = await queries.joinClass(db, gone.code, "Eve", 10);
    if (ada === "full" || bob === "full" || eve === "full") throw new Error("full");
    await queries.deleteClass(db, gone.code);
    const shared = event({ step: "shared" });
    const answers = await Promise.allSettled([
      writer.add(ada.learnerId, code, [event(), shared]),
      writer.add(ada.learnerId, code, [shared, event({ step: "two" })]),
      writer.add(bob.learnerId, code, [event(), event(), event()]),
      writer.add(eve.learnerId, gone.code, [event()]),
    ]);
    expect(answers.slice(0, 3)).toEqual([
      { status: "fulfilled", value: { accepted: 2, duplicates: 0 } },
      { status: "fulfilled", value: { accepted: 2, duplicates: 1 } },
      { status: "fulfilled", value: { accepted: 3, duplicates: 0 } },
    ]);
    expect(answers[3]).toMatchObject({ status: "rejected", reason: { code: "23503" } });
    expect((await queries.classView(db, code))?.totals.events).toBe(6);
  });

  it("keeps one learner's event ids apart from another's", async () => {
    const { code } = await queries.createClass(db, "Ids", 30);
    const ada = await queries.joinClass(db, code, "Ada", 10);
    const bob = await queries.joinClass(db, code, "Bob", 10);
    if (ada === "full" || bob === "full") throw new Error("full");
    const shared = event();
    await queries.addEvents(db, ada.learnerId, code, [shared]);
    expect(await queries.addEvents(db, bob.learnerId, code, [shared])).toEqual({
      accepted: 1,
      duplicates: 0,
    });
    expect((await queries.classView(db, code))?.totals.events).toBe(2);
  });

  it("puts together who is where, who is stuck, and totals per step", async () => {
    const { code } = await queries.createClass(db, "View", 30);
    const ada = await queries.joinClass(db, code, "Ada", 10);
    const bob = await queries.joinClass(db, code, "Bob", 10);
    if (ada === "full" || bob === "full") throw new Error("full");
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, s)).toISOString();
    await queries.addEvents(db, ada.learnerId, code, [
      event({ step: "boot", kind: "step-started", at: t(0) }),
      event({ step: "boot", kind: "step-done", at: t(1) }),
      event({ step: "login", kind: "step-started", at: t(2) }),
      event({ step: "login", kind: "check-failed", at: t(3) }),
      event({ step: "login", kind: "stuck", at: t(4) }),
    ]);
    await queries.addEvents(db, bob.learnerId, code, [
      event({ step: "boot", kind: "stuck", at: t(0) }),
      event({ step: "boot", kind: "vm-crashed", at: t(1) }),
      event({ step: "boot", kind: "step-done", at: t(5) }),
    ]);
    const view = (await queries.classView(db, code))!;
    const [a, b] = view.learners;
    expect(a).toMatchObject({ name: "Ada", lesson: "first-vm", step: "login", stepsDone: 1 });
    expect(a).toMatchObject({ stuck: true, failedChecks: 1, crashes: 0 });
    expect(b).toMatchObject({ name: "Bob", step: "boot", stepsDone: 1, stuck: false, crashes: 1 });
    expect(view.totals).toMatchObject({
      learners: 2,
      events: 8,
      stepsDone: 2,
      stuck: 1,
      crashes: 1,
    });
    expect(view.totals.steps).toEqual([
      { lesson: "first-vm", step: "boot", done: 2, inProgress: 0, stuck: 0, failedChecks: 0 },
      { lesson: "first-vm", step: "login", done: 0, inProgress: 1, stuck: 1, failedChecks: 1 },
    ]);
  });

  it("refuses a learner past the class's limit", async () => {
    const { code } = await queries.createClass(db, "Small", 30);
    expect(await queries.joinClass(db, code, "One", 1)).not.toBe("full");
    expect(await queries.joinClass(db, code, "Two", 1)).toBe("full");
  });

  it("deletes a class with everything about it", async () => {
    const { code } = await queries.createClass(db, "Gone", 30);
    const ada = await queries.joinClass(db, code, "Ada", 10);
    if (ada === "full") throw new Error("full");
    await queries.addEvents(db, ada.learnerId, code, [event()]);
    await queries.addBroadcast(db, code, "hello", null);
    expect(await queries.deleteClass(db, code)).toBe(true);
    for (const table of ["classes", "learners", "events", "broadcasts"]) {
      const column = table === "classes" ? "code" : "class_code";
      const [row] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`,
        [code],
      );
      expect(row?.n, table).toBe(0);
    }
    expect(await queries.deleteClass(db, code)).toBe(false);
  });

  it("forgets expired classes and deletes them in the sweep", async () => {
    const { code } = await queries.createClass(db, "Old", 30);
    await db.query("UPDATE classes SET expires_at = now() - interval '1 second' WHERE code = $1", [
      code,
    ]);
    expect(await queries.findClass(db, code)).toBeNull();
    expect(await queries.deleteExpired(db)).toBeGreaterThanOrEqual(1);
    expect(await db.query("SELECT code FROM classes WHERE code = $1", [code])).toEqual([]);
  });

  it("sends a NOTIFY only when its transaction commits", async () => {
    const payloads: string[] = [];
    const stop = await db.listen(queries.CLASS_CHANNEL, (payload) => payloads.push(payload));
    const { code } = await queries.createClass(db, "Notify", 30);
    await expect(
      db.transaction(async (tx) => {
        await tx.query("SELECT pg_notify($1, $2)", [queries.CLASS_CHANNEL, "change:ROLLED"]);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    const learner = await queries.joinClass(db, code, "Ada", 10);
    if (learner === "full") throw new Error("full");
    await expect.poll(() => payloads).toContain(`change:${code}:${learner.learnerId}`);
    expect(payloads).not.toContain("change:ROLLED");
    await stop();
  });
});

describe("migrations on one Postgres from several servers at once", () => {
  it("run once, the others wait and find nothing to do", async () => {
    const url = postgres.database("db_concurrent");
    const dbs = await Promise.all([1, 2, 3].map(() => openClassDb({ databaseUrl: url })));
    const applied = await Promise.all(dbs.map((db) => migrate(db)));
    expect(applied.flat()).toEqual(MIGRATIONS.map((m) => m.version));
    await Promise.all(dbs.map((db) => db.close()));
  });
});

describe("LISTEN on Postgres", () => {
  it("comes back after its connection is cut, says so, and hears changes again", async () => {
    const db = await openClassDb({ databaseUrl: postgres.database("db_relisten") });
    await migrate(db);
    const payloads: string[] = [];
    const stop = await db.listen(queries.CLASS_CHANNEL, (payload) => payloads.push(payload));
    await db.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND datname = current_database()",
    );
    await expect.poll(() => payloads, { timeout: 10_000 }).toContain(RESYNC);
    await db.query("SELECT pg_notify($1, 'change:AFTER')", [queries.CLASS_CHANNEL]);
    await expect.poll(() => payloads).toContain("change:AFTER");
    await stop();
    await db.close();
  });
});

describe("PGlite's folder", () => {
  it("is refused to a second server while the first holds it", async () => {
    const dataDir = tempDataDir();
    const first = await openClassDb({ dataDir });
    await expect(openClassDb({ dataDir })).rejects.toThrow(/used by another server/);
    await first.close();
    const again = await openClassDb({ dataDir });
    await again.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
});
