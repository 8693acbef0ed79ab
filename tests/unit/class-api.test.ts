/**
 * The class API over HTTP (docs/class-api.md), on PGlite and on a real Postgres: what each
 * endpoint answers, idempotent event batches, tokens, limits, and bad input of every kind.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTempPostgres, type TempPostgres } from "@/scripts/lib/postgres";
import {
  call,
  classWithLearner,
  event,
  serveApi,
  tempDataDir,
  waitForStreamEvent,
  type RunningApi,
} from "./class-helpers";

let postgres: TempPostgres;
beforeAll(async () => {
  postgres = await startTempPostgres();
});
afterAll(() => postgres?.stop());

// One PGlite folder for the file, opened by one server at a time: a new folder costs an initdb.
const dataDir = tempDataDir();
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const engines = [
  { name: "pglite", settings: () => ({ dataDir }) },
  { name: "postgres", settings: () => ({ databaseUrl: postgres.database("api_postgres") }) },
] as const;

describe.each(engines)("class API on $name", ({ name, settings }) => {
  let server: RunningApi;
  let url: string;
  beforeAll(async () => {
    server = await serveApi({ dataDir: undefined, databaseUrl: undefined, ...settings() });
    url = server.url;
  });
  afterAll(() => server?.close());

  it("says which database it runs on", async () => {
    expect((await call(url, "GET", "/api/health")).json).toEqual({ ok: true, database: name });
  });

  it("creates a class, lets a learner join and records a step", async () => {
    const created = await call(url, "POST", "/api/classes", { body: { title: "Morning" } });
    expect(created.status).toBe(201);
    expect(created.json.code).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
    const { code, instructorToken } = created.json;
    const joined = await call(url, "POST", `/api/classes/${code.toLowerCase()}/join`, {
      body: { name: "  Ada  " },
    });
    expect(joined.status).toBe(201);
    const sent = await call(url, "POST", `/api/classes/${code}/events`, {
      token: joined.json.token,
      body: { events: [event({ step: "boot" })] },
    });
    expect(sent).toMatchObject({ status: 200, json: { accepted: 1, duplicates: 0 } });
    const view = await call(url, "GET", `/api/classes/${code}`, { token: instructorToken });
    expect(view.status).toBe(200);
    expect(view.json.title).toBe("Morning");
    expect(view.json.learners).toMatchObject([
      { id: joined.json.learnerId, name: "Ada", step: "boot", stepsDone: 1, stuck: false },
    ]);
  });

  it("counts a retried batch once", async () => {
    const { code, token, instructorToken } = await classWithLearner(url);
    const batch = { events: [event(), event({ step: "two" }), event({ kind: "stuck" })] };
    const first = await call(url, "POST", `/api/classes/${code}/events`, { token, body: batch });
    const again = await call(url, "POST", `/api/classes/${code}/events`, { token, body: batch });
    expect(first.json).toEqual({ accepted: 3, duplicates: 0 });
    expect(again.json).toEqual({ accepted: 3, duplicates: 3 });
    const view = await call(url, "GET", `/api/classes/${code}`, { token: instructorToken });
    expect(view.json.totals.events).toBe(3);
  });

  it("answers tokens: none 401, someone else's 403", async () => {
    const a = await classWithLearner(url);
    const b = await classWithLearner(url);
    const events = { events: [event()] };
    const path = `/api/classes/${a.code}`;
    const none = await call(url, "POST", `${path}/events`, { body: events });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe("Bearer");
    expect(none.json.error).toMatch(/learner's token/);
    for (const token of [b.token, a.instructorToken, "not-a-token"]) {
      expect((await call(url, "POST", `${path}/events`, { token, body: events })).status).toBe(403);
    }
    for (const [method, sub] of [
      ["GET", ""],
      ["DELETE", ""],
      ["GET", "/stream"],
      ["GET", "/export"],
      ["POST", "/broadcast"],
    ] as const) {
      const body = { message: "hi" };
      expect((await call(url, method, `${path}${sub}`, { body })).status, sub).toBe(401);
      for (const token of [a.token, b.instructorToken]) {
        expect((await call(url, method, `${path}${sub}`, { token, body })).status, sub).toBe(403);
      }
    }
    expect((await call(url, "GET", `${path}/learner-stream`, { token: b.token })).status).toBe(403);
  });

  it("answers an unknown class 404 on every endpoint", async () => {
    const { token, instructorToken } = await classWithLearner(url);
    for (const [method, sub] of [
      ["GET", ""],
      ["DELETE", ""],
      ["POST", "/join"],
      ["POST", "/events"],
      ["GET", "/stream"],
      ["GET", "/learner-stream"],
      ["POST", "/broadcast"],
      ["GET", "/export"],
    ] as const) {
      for (const code of ["ZZZZZZ", "not-a-code"]) {
        const answer = await call(url, method, `/api/classes/${code}${sub}`, {
          token: sub.includes("learner") || sub === "/events" ? token : instructorToken,
          body: { name: "x", message: "x", events: [event()] },
        });
        expect(answer.status, `${method} ${sub}`).toBe(404);
        expect(answer.json.error).toMatch(/no class/);
      }
    }
    expect((await call(url, "GET", "/api/nothing")).status).toBe(404);
    expect((await call(url, "PUT", "/api/classes")).status).toBe(405);
  });

  it("refuses bad bodies with 400 and the field at fault", async () => {
    const { code, token, instructorToken } = await classWithLearner(url);
    const cases: [string, string, { raw?: string; body?: unknown }, RegExp, string?][] = [
      ["/api/classes", "", { raw: "{not json" }, /not JSON/],
      ["/api/classes", "", { body: { title: "" } }, /title is empty/],
      ["/api/classes", "", { body: {} }, /title must be text/],
      [`/api/classes/${code}/join`, "", { body: { name: "x".repeat(61) } }, /longer than 60/],
      [`/api/classes/${code}/join`, "", { body: { name: "Ada\u0007" } }, /control characters/],
      [`/api/classes/${code}/join`, "", { body: { name: "Ada\nBob" } }, /control characters/],
      [`/api/classes/${code}/join`, "", { body: [] }, /.+/],
      [`/api/classes/${code}/events`, token, { body: { events: [] } }, /events is empty/],
      [
        `/api/classes/${code}/events`,
        token,
        { body: { events: [event({ id: "1" })] } },
        /events\[0\]\.id: id must be a UUID/,
      ],
      [
        `/api/classes/${code}/events`,
        token,
        { body: { events: [event({ kind: "won" as never })] } },
        /kind must be one of/,
      ],
      [
        `/api/classes/${code}/events`,
        token,
        { body: { events: [event({ at: "yesterday" })] } },
        /at must be an ISO 8601/,
      ],
      [
        `/api/classes/${code}/events`,
        token,
        { body: { events: [event({ lesson: "../etc" })] } },
        /lesson must be kebab-case/,
      ],
      [
        `/api/classes/${code}/events`,
        token,
        { body: { events: Array.from({ length: 101 }, () => event()) } },
        /at most 100/,
      ],
      [`/api/classes/${code}/broadcast`, instructorToken, { body: {} }, /give a message/],
      [
        `/api/classes/${code}/broadcast`,
        instructorToken,
        { body: { goTo: "Lesson 3" } },
        /goTo must be kebab-case/,
      ],
    ];
    for (const [path, auth, body, message] of cases) {
      const answer = await call(url, "POST", path, { ...body, token: auth || undefined });
      expect(answer.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(answer.json.error, path).toMatch(message);
    }
  });

  it("refuses a body over 64 KiB with 413", async () => {
    const { code, token } = await classWithLearner(url);
    const raw = JSON.stringify({ events: [event()], padding: "x".repeat(70_000) });
    const answer = await call(url, "POST", `/api/classes/${code}/events`, { token, raw });
    expect(answer.status).toBe(413);
    expect(answer.json.error).toMatch(/64 KiB/);
  });

  it("stores a name with HTML as the text it is", async () => {
    const { code, instructorToken } = await classWithLearner(url, "<img src=x onerror=alert(1)>");
    const view = await call(url, "GET", `/api/classes/${code}`, { token: instructorToken });
    expect(view.json.learners[0].name).toBe("<img src=x onerror=alert(1)>");
    expect(view.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("streams a learner's step to the instructor, and a broadcast to the learner", async () => {
    const { code, token, instructorToken } = await classWithLearner(url);
    const seen = waitForStreamEvent(
      url,
      `/api/classes/${code}/stream`,
      instructorToken,
      (kind, view) => kind === "class" && view.learners[0]?.step === "streamed",
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const sentAt = Date.now();
    await call(url, "POST", `/api/classes/${code}/events`, {
      token,
      body: { events: [event({ step: "streamed" })] },
    });
    expect((await seen).at - sentAt).toBeLessThan(1000);

    const heard = waitForStreamEvent(
      url,
      `/api/classes/${code}/learner-stream`,
      token,
      (kind, data) => kind === "broadcast" && data.goTo === "networking",
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const sent = await call(url, "POST", `/api/classes/${code}/broadcast`, {
      token: instructorToken,
      body: { message: "Everyone to networking", goTo: "networking" },
    });
    expect(sent.status).toBe(201);
    expect((await heard).data).toMatchObject({
      message: "Everyone to networking",
      id: sent.json.id,
    });
  });

  it("exports progress as CSV that a spreadsheet reads as text", async () => {
    const { code, token, instructorToken } = await classWithLearner(url, '=HYPERLINK("x")');
    await call(url, "POST", `/api/classes/${code}/events`, { token, body: { events: [event()] } });
    const csv = await call(url, "GET", `/api/classes/${code}/export`, { token: instructorToken });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split("\r\n");
    expect(lines[0]).toBe("learner,learner_id,lesson,step,kind,at,received_at");
    expect(lines[1]).toMatch(/^"'=HYPERLINK\(""x""\)",[0-9a-f-]{36},first-vm,boot,step-done,/);
  });

  it("deletes a class: it is gone for everyone, streams are told", async () => {
    const { code, token, instructorToken } = await classWithLearner(url);
    // A learner who just posted (the server remembers the token for a while) is refused too.
    const before = await call(url, "POST", `/api/classes/${code}/events`, {
      token,
      body: { events: [event()] },
    });
    expect(before.status).toBe(200);
    const told = waitForStreamEvent(
      url,
      `/api/classes/${code}/learner-stream`,
      token,
      (kind) => kind === "deleted",
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const deleted = await call(url, "DELETE", `/api/classes/${code}`, { token: instructorToken });
    expect(deleted).toMatchObject({ status: 200, json: { deleted: true } });
    await told;
    expect(
      (await call(url, "GET", `/api/classes/${code}`, { token: instructorToken })).status,
    ).toBe(404);
    const events = { events: [event()] };
    expect(
      (await call(url, "POST", `/api/classes/${code}/events`, { token, body: events })).status,
    ).toBe(404);
  });
});

describe("class API settings", () => {
  it("needs the creation key when CLASS_CREATE_KEY is set", { timeout: 60_000 }, async () => {
    const server = await serveApi({ dataDir, databaseUrl: undefined, createKey: "s3cret-key" });
    try {
      const body = { title: "Hosted" };
      expect((await call(server.url, "POST", "/api/classes", { body })).status).toBe(401);
      expect(
        (await call(server.url, "POST", "/api/classes", { body, token: "wrong" })).status,
      ).toBe(403);
      const ok = await call(server.url, "POST", "/api/classes", { body, token: "s3cret-key" });
      expect(ok.status).toBe(201);
    } finally {
      await server.close();
    }
  });

  it(
    "answers 429 with Retry-After past the limits per token and per address",
    { timeout: 60_000 },
    async () => {
      const server = await serveApi({
        dataDir,
        databaseUrl: undefined,
        ratePerToken: 3,
        ratePerAddress: 8,
      });
      try {
        const { code, token } = await classWithLearner(server.url);
        const send = () =>
          call(server.url, "POST", `/api/classes/${code}/events`, {
            token,
            body: { events: [event()] },
          });
        const statuses = [];
        for (let i = 0; i < 4; i++) statuses.push((await send()).status);
        expect(statuses).toEqual([200, 200, 200, 429]);
        const limited = await send();
        expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        expect(limited.json.error).toMatch(/too many requests/);
        // The address has used 2 (create, join) + 5: the next two requests spend the rest.
        const join = () =>
          call(server.url, "POST", `/api/classes/${code}/join`, { body: { name: "B" } });
        expect((await join()).status).toBe(201);
        expect((await join()).status).toBe(429);
      } finally {
        await server.close();
      }
    },
  );
});

describe("class API on Postgres when its LISTEN connection is cut", () => {
  it("catches up on what was said meanwhile: the view and the latest broadcast", async () => {
    const databaseUrl = postgres.database("api_relisten");
    const server = await serveApi({ dataDir: undefined, databaseUrl });
    try {
      const { code, token, instructorToken } = await classWithLearner(server.url);
      const heard = waitForStreamEvent(
        server.url,
        `/api/classes/${code}/learner-stream`,
        token,
        (kind, data) => kind === "broadcast" && data.message === "during the gap",
        10_000,
      );
      const seen = waitForStreamEvent(
        server.url,
        `/api/classes/${code}/stream`,
        instructorToken,
        (kind, view) => kind === "class" && view.learners[0]?.step === "in-the-gap",
        10_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      await server.api.db.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND datname = current_database()",
      );
      // Said while no connection listens (it is made again after 1 s): these NOTIFYs are lost.
      await call(server.url, "POST", `/api/classes/${code}/broadcast`, {
        token: instructorToken,
        body: { message: "during the gap" },
      });
      await call(server.url, "POST", `/api/classes/${code}/events`, {
        token,
        body: { events: [event({ step: "in-the-gap" })] },
      });
      await Promise.all([heard, seen]);
    } finally {
      await server.close();
    }
  }, 60_000);
});
