/**
 * The class API's answers that are not one JSON body: the instructor's and the learner's event
 * streams, and the CSV export. Server side only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ClassDb } from "./db";
import { csvField, openEventStream } from "./http";
import type { ClassLive } from "./live";
import * as queries from "./queries";

export interface AnswerContext {
  db: ClassDb;
  live: ClassLive;
  /** Headers every answer carries. */
  headers: Record<string, string>;
  heartbeatMs: number;
}

export async function instructorStream(
  { db, live, headers, heartbeatMs }: AnswerContext,
  code: string,
  response: ServerResponse,
) {
  let unwatch = () => {};
  const send = openEventStream(response, headers, heartbeatMs, () => unwatch());
  const onView = (view: Awaited<ReturnType<typeof queries.classView>>) => {
    if (view) return send("class", view);
    send("deleted", { code });
    response.end();
  };
  // Watch first, then read: a change between the two is sent again rather than missed.
  unwatch = live.watchView(code, onView);
  onView(await queries.classView(db, code));
}

export async function learnerStream(
  { db, live, headers, heartbeatMs }: AnswerContext,
  request: IncomingMessage,
  code: string,
  response: ServerResponse,
) {
  let unwatch = () => {};
  const send = openEventStream(response, headers, heartbeatMs, () => unwatch());
  let lastSent = Number(request.headers["last-event-id"] ?? NaN);
  unwatch = live.watchBroadcasts(code, (broadcast) => {
    if (!broadcast) {
      send("deleted", { code });
      response.end();
    } else if (!(broadcast.id <= lastSent)) {
      lastSent = broadcast.id;
      send("broadcast", broadcast, broadcast.id);
    }
  });
  // A reconnecting learner gets what it missed; a new one the latest broadcast only.
  const missed = Number.isInteger(lastSent)
    ? await queries.broadcastsAfter(db, code, lastSent)
    : [await queries.latestBroadcast(db, code)].filter((broadcast) => broadcast !== null);
  for (const broadcast of missed) {
    if (broadcast.id <= lastSent) continue;
    lastSent = broadcast.id;
    send("broadcast", broadcast, broadcast.id);
  }
}

export async function exportCsv(
  { db, headers }: AnswerContext,
  code: string,
  response: ServerResponse,
) {
  const rows = await queries.exportEvents(db, code);
  const lines = ["learner,learner_id,lesson,step,kind,at,received_at"];
  for (const row of rows) {
    const fields = [row.learner, row.learnerId, row.lesson, row.step, row.kind];
    const times = [row.at, row.receivedAt].map((time) => new Date(time).toISOString());
    lines.push([...fields, ...times].map(csvField).join(","));
  }
  response.writeHead(200, {
    ...headers,
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="class-${code}.csv"`,
    "cache-control": "no-store",
  });
  response.end(lines.join("\r\n") + "\r\n");
}
