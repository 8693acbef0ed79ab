/**
 * The learner's outbox (IndexedDB, here fake-indexeddb) against a real class API on PGlite:
 * events queued while the server cannot be reached are delivered once it can, each stored once,
 * and a class that is gone stops the sender without dropping what is queued.
 */
import "fake-indexeddb/auto";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { ClassApiError } from "@/lib/class/client";
import type { ClassEvent } from "@/lib/class/contract";
import {
  CLASS_DB_NAME,
  ClassStore,
  EventSender,
  newEventId,
  type SendState,
} from "@/lib/class/outbox";
import {
  call,
  classWithLearner,
  event,
  serveApi,
  tempDataDir,
  type RunningApi,
} from "./class-helpers";

const dataDir = tempDataDir();
let server: RunningApi;
beforeAll(async () => {
  server = await serveApi({ dataDir, databaseUrl: undefined });
});
afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(CLASS_DB_NAME);
    request.onsuccess = request.onerror = request.onblocked = resolve;
  });
});

/** Posts like lib/class/client.ts does, to whatever `target.url` is at the time. */
function sender(target: { url: string }) {
  return async (code: string, token: string, events: ClassEvent[]) => {
    const answer = await call(target.url, "POST", `/api/classes/${code}/events`, {
      token,
      body: { events },
    });
    if (answer.status !== 200) throw new ClassApiError(answer.status, answer.json?.error ?? "");
  };
}

function until(states: SendState[], kind: SendState["kind"]) {
  return expect.poll(() => states.at(-1)?.kind, { timeout: 10_000 }).toBe(kind);
}

it("keeps events through an unreachable server and delivers each once when it answers", async () => {
  const { code, token, learnerId, instructorToken } = await classWithLearner(server.url);
  const member = { code, token, learnerId, name: "Ada", joinedAt: Date.now() };
  let store = await ClassStore.open();
  await store.setMembership(member);
  const queued = Array.from({ length: 120 }, (_, n) => ({
    ...event({ step: `s-${n}` }),
    learnerId,
  }));
  for (const item of queued) await store.enqueue(item);

  // A reload: a new connection finds the membership and the queue.
  store.close();
  store = await ClassStore.open();
  expect(await store.membership()).toEqual(member);
  expect(await store.count(learnerId)).toBe(120);

  const target = { url: "http://127.0.0.1:9" }; // nothing listens there: offline
  const states: SendState[] = [];
  const outbox = new EventSender(store, member, sender(target), (state) => states.push(state));
  outbox.kick();
  await until(states, "waiting");
  expect(await store.count(learnerId)).toBe(120);

  target.url = server.url; // back online: the retry delivers
  await until(states, "idle");
  expect(await store.count(learnerId)).toBe(0);
  const view = await call(server.url, "GET", `/api/classes/${code}`, { token: instructorToken });
  expect(view.json.totals.events).toBe(120);

  // The same events again (a 200 lost on the way): stored once all the same.
  for (const item of queued) await store.enqueue(item);
  outbox.kick();
  await expect.poll(() => store.count(learnerId)).toBe(0);
  const again = await call(server.url, "GET", `/api/classes/${code}`, { token: instructorToken });
  expect(again.json.totals.events).toBe(120);
  outbox.stop();
  store.close();
});

it("stops when the class is gone and keeps what is queued", async () => {
  const { code, token, learnerId, instructorToken } = await classWithLearner(server.url);
  await call(server.url, "DELETE", `/api/classes/${code}`, { token: instructorToken });
  const store = await ClassStore.open();
  const member = { code, token, learnerId, name: "Ada", joinedAt: Date.now() };
  await store.enqueue({ ...event(), learnerId });
  const states: SendState[] = [];
  const outbox = new EventSender(store, member, sender({ url: server.url }), (state) =>
    states.push(state),
  );
  outbox.kick();
  await until(states, "gone");
  expect(await store.count(learnerId)).toBe(1);
  await store.removeLearner(learnerId);
  expect(await store.count(learnerId)).toBe(0);
  store.close();
});

it("makes version 4 UUIDs the server accepts", () => {
  const ids = new Set(Array.from({ length: 100 }, newEventId));
  expect(ids.size).toBe(100);
  for (const id of ids)
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
