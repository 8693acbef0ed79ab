/**
 * The class API as separate server processes: a server killed (SIGKILL) while learners send
 * loses nothing it acknowledged, and two servers on one Postgres fan live changes out to each
 * other's streams through LISTEN/NOTIFY.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTempPostgres, type TempPostgres } from "@/scripts/lib/postgres";
import type { ClassEvent } from "@/lib/class/contract";
import {
  call,
  classWithLearner,
  event,
  spawnApi,
  tempDataDir,
  waitForStreamEvent,
} from "./class-helpers";

describe("a server killed while learners send", () => {
  const dataDir = tempDataDir();
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("keeps every acknowledged event once, and takes the rest when learners retry", async () => {
    let server = await spawnApi({ CLASS_DATA_DIR: dataDir });
    const created = await call(server.url, "POST", "/api/classes", { body: { title: "Crash" } });
    const { code, instructorToken } = created.json;
    const learners = await Promise.all(
      Array.from({ length: 10 }, async (_, index) => {
        const joined = await call(server.url, "POST", `/api/classes/${code}/join`, {
          body: { name: `L${index}` },
        });
        const events = Array.from({ length: 40 }, (_, n) => event({ step: `s-${n}` }));
        return { token: joined.json.token as string, events, acked: new Set<string>() };
      }),
    );
    // Each learner sends its events in batches of 4, one batch at a time, as its queue does.
    let killed = false;
    const sendAll = (url: string) =>
      Promise.all(
        learners.map(async (learner) => {
          for (let start = 0; start < learner.events.length; start += 4) {
            const batch = learner.events.slice(start, start + 4);
            if (batch.every((e) => learner.acked.has(e.id))) continue;
            try {
              const answer = await call(url, "POST", `/api/classes/${code}/events`, {
                token: learner.token,
                body: { events: batch },
              });
              if (answer.status === 200) batch.forEach((e: ClassEvent) => learner.acked.add(e.id));
            } catch {
              if (!killed) throw new Error("a request failed before the kill");
              return; // The server is gone: the rest stays queued.
            }
          }
        }),
      );
    const sending = sendAll(server.url);
    // Kill it once part of the events are in.
    while (learners.reduce((sum, l) => sum + l.acked.size, 0) < 100) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    killed = true;
    await server.kill("SIGKILL");
    await sending;
    const ackedBefore = learners.reduce((sum, l) => sum + l.acked.size, 0);
    expect(ackedBefore).toBeGreaterThanOrEqual(100);
    expect(ackedBefore).toBeLessThan(400);

    server = await spawnApi({ CLASS_DATA_DIR: dataDir });
    try {
      const rows = async () => {
        const csv = await call(server.url, "GET", `/api/classes/${code}/export`, {
          token: instructorToken,
        });
        return csv.text
          .trim()
          .split("\r\n")
          .slice(1)
          .map((line) => line.split(","));
      };
      const afterRestart = await rows();
      const stored = new Set(afterRestart.map(([name, , , step]) => `${name}/${step}`));
      expect(stored.size, "no event twice").toBe(afterRestart.length);
      learners.forEach((learner, index) => {
        for (const e of learner.events.filter((candidate) => learner.acked.has(candidate.id))) {
          expect(stored.has(`L${index}/${e.step}`), `L${index}/${e.step} was acknowledged`).toBe(
            true,
          );
        }
      });

      // The queues deliver the rest (and resend the batch in flight at the kill).
      killed = false;
      await sendAll(server.url);
      const all = await rows();
      expect(all.length).toBe(400);
      expect(new Set(all.map(([name, , , step]) => `${name}/${step}`)).size).toBe(400);
    } finally {
      await server.kill("SIGTERM");
    }
  }, 120_000);
});

describe("two servers on one Postgres", () => {
  let postgres: TempPostgres;
  beforeAll(async () => {
    postgres = await startTempPostgres();
  });
  afterAll(() => postgres?.stop());

  it("fan a learner's event on A out to the instructor's stream on B within 1 s", async () => {
    const env = { DATABASE_URL: postgres.database("fanout") };
    const [a, b] = await Promise.all([spawnApi(env), spawnApi(env)]);
    try {
      expect((await call(b.url, "GET", "/api/health")).json).toEqual({
        ok: true,
        database: "postgres",
      });
      const { code, token, instructorToken } = await classWithLearner(a.url);
      const onB = waitForStreamEvent(
        b.url,
        `/api/classes/${code}/stream`,
        instructorToken,
        (kind, view) => kind === "class" && view.learners[0]?.step === "from-a",
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      const sentAt = Date.now();
      const sent = await call(a.url, "POST", `/api/classes/${code}/events`, {
        token,
        body: { events: [event({ step: "from-a" })] },
      });
      expect(sent.status).toBe(200);
      expect((await onB).at - sentAt).toBeLessThan(1000);

      const onA = waitForStreamEvent(
        a.url,
        `/api/classes/${code}/learner-stream`,
        token,
        (kind, data) => kind === "broadcast" && data.message === "from B",
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      await call(b.url, "POST", `/api/classes/${code}/broadcast`, {
        token: instructorToken,
        body: { message: "from B" },
      });
      await onA;
    } finally {
      await Promise.all([a.kill("SIGTERM"), b.kill("SIGTERM")]);
    }
  }, 60_000);
});
