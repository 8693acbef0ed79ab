/**
 * The live class's HTTP API (docs/class-api.md) as a node:http handler. `npm start` routes
 * `/api/` here from its front server (scripts/serve.ts); `scripts/class-api.ts` serves it alone
 * (tests, the bench). It lives outside Next so the static export stays a static export, and so
 * its streams and limits are plain Node. Server side only.
 */
import { timingSafeEqual, createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ClassApiOptions } from "./config";
import { DEFAULT_OPTIONS } from "./config";
import {
  broadcastBody,
  CODE_PATTERN,
  createClassBody,
  eventsBody,
  joinBody,
  MAX_BODY_BYTES,
} from "./contract";
import { openClassDb, type ClassDb } from "./db";
import { bearerToken, clientAddress, HttpError, readBody, sendJson } from "./http";
import { EventWriter } from "./event-writer";
import { exportCsv, instructorStream, learnerStream } from "./answers";
import { ClassLive } from "./live";
import { migrate } from "./migrations";
import * as queries from "./queries";
import { RateLimiter } from "./rate-limit";

export interface ClassApi {
  readonly db: ClassDb;
  /** True for the paths this API answers (everything under /api/). */
  handles(url: string | undefined): boolean;
  handle(request: IncomingMessage, response: ServerResponse): void;
  close(): Promise<void>;
}

const SWEEP_MS = 60 * 60 * 1000;

const LEARNER_CACHE_MS = 10_000;
const FOREIGN_KEY_VIOLATION = "23503";
const LEARNER_CACHE_SIZE = 10_000;

const noClass = (code: string) =>
  new HttpError(404, `there is no class ${code} (or it has expired)`);

function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export async function startClassApi(
  settings: Partial<ClassApiOptions> & Pick<ClassApiOptions, "dataDir" | "databaseUrl">,
): Promise<ClassApi> {
  const options: ClassApiOptions = { ...DEFAULT_OPTIONS, ...settings };
  const db = await openClassDb(options);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  const live = new ClassLive(db, options.coalesceMs);
  const writer = new EventWriter(db);
  await live.start();
  const byToken = new RateLimiter(options.ratePerToken);
  const byAddress = new RateLimiter(options.ratePerAddress);
  const sweepExpired = () =>
    void queries
      .deleteExpired(db)
      .catch((error) => console.error(`class retention sweep: ${error.message}`));
  sweepExpired();
  const sweep = setInterval(sweepExpired, SWEEP_MS);
  sweep.unref();
  const headers = options.headers;

  function limit(key: string, limiter: RateLimiter): void {
    if (limiter.take(key)) return;
    throw new HttpError(429, "too many requests: wait a moment and try again", undefined, {
      "retry-after": String(limiter.retryAfter(key)),
    });
  }

  /** The bearer token, counted against its rate limit; 401 when there is none. */
  function requireToken(request: IncomingMessage, who: string): string {
    const token = bearerToken(request);
    if (!token) {
      throw new HttpError(401, `this needs the ${who}'s token (Authorization: Bearer ...)`, [], {
        "www-authenticate": "Bearer",
      });
    }
    limit(queries.hashToken(token), byToken);
    return token;
  }

  async function requireClass(code: string) {
    const found = await queries.findClass(db, code);
    if (!found) throw noClass(code);
    return found;
  }

  async function requireInstructor(request: IncomingMessage, code: string) {
    const found = await requireClass(code);
    const token = requireToken(request, "instructor");
    if (!sameSecret(queries.hashToken(token), found.instructorTokenHash)) {
      throw new HttpError(403, "this token is not this class's instructor token");
    }
    return found;
  }

  // Learners' tokens seen lately, so a busy class's event posts cost one query, not two. A
  // deleted class is forgotten at once (NOTIFY, any server); an insert into a class gone since
  // fails on its foreign key, answered 404 below.
  const learnersByToken = new Map<string, { code: string; id: string; until: number }>();
  live.onForget((code) => {
    for (const [hash, learner] of learnersByToken) {
      if (code === null || learner.code === code) learnersByToken.delete(hash);
    }
  });

  async function requireLearner(request: IncomingMessage, code: string) {
    const token = bearerToken(request);
    if (!token) await requireClass(code); // an unknown class is a 404 before a missing token
    const hash = queries.hashToken(requireToken(request, "learner"));
    const known = learnersByToken.get(hash);
    if (known && known.code === code && known.until > Date.now()) return { id: known.id };
    const { classFound, learnerId } = await queries.learnerInClass(db, code, token!);
    if (!classFound) throw noClass(code);
    if (!learnerId) throw new HttpError(403, "this token is not a learner's token in this class");
    if (learnersByToken.size >= LEARNER_CACHE_SIZE) learnersByToken.clear();
    learnersByToken.set(hash, { code, id: learnerId, until: Date.now() + LEARNER_CACHE_MS });
    return { id: learnerId };
  }

  async function createClass(request: IncomingMessage, response: ServerResponse) {
    if (options.createKey) {
      const token = requireToken(request, "site's class-creation key (CLASS_CREATE_KEY)");
      if (!sameSecret(token, options.createKey)) {
        throw new HttpError(403, "this is not the site's class-creation key");
      }
    }
    const { title } = await readBody(request, createClassBody, MAX_BODY_BYTES);
    const created = await queries.createClass(db, title, options.retentionDays);
    sendJson(response, 201, created, headers);
  }

  const streamContext = { db, live, headers, heartbeatMs: options.heartbeatMs };

  function openStreamSlot(): void {
    if (live.streams >= options.maxStreams) {
      throw new HttpError(429, "too many open streams on this server", undefined, {
        "retry-after": "10",
      });
    }
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://localhost");
    const parts = url.pathname.replace(/\/+$/, "").split("/").slice(2);
    const method = request.method ?? "GET";
    const allow = (...methods: string[]) => {
      if (!methods.includes(method)) {
        throw new HttpError(405, `${method} is not allowed here`, undefined, {
          allow: methods.join(", "),
        });
      }
    };
    if (parts.length === 1 && parts[0] === "health") {
      allow("GET", "HEAD");
      return sendJson(response, 200, { ok: true, database: db.kind }, headers);
    }
    if (parts[0] !== "classes" || parts.length > 3) {
      throw new HttpError(404, `no such API path: ${url.pathname}`);
    }
    limit(clientAddress(request, options.trustProxy), byAddress);
    if (parts.length === 1) {
      allow("POST");
      return createClass(request, response);
    }
    const given = parts[1] ?? "";
    const code = given.toUpperCase();
    if (!CODE_PATTERN.test(code)) throw new HttpError(404, `there is no class ${given}`);
    switch (parts[2]) {
      case undefined:
        allow("GET", "DELETE");
        await requireInstructor(request, code);
        if (method === "DELETE") {
          await queries.deleteClass(db, code);
          return sendJson(response, 200, { deleted: true }, headers);
        }
        return sendJson(response, 200, await queries.classView(db, code), headers);
      case "join": {
        allow("POST");
        await requireClass(code);
        const { name } = await readBody(request, joinBody, MAX_BODY_BYTES);
        const joined = await queries.joinClass(db, code, name, options.maxLearnersPerClass);
        if (joined === "full") throw new HttpError(409, `class ${code} is full`);
        return sendJson(response, 201, joined, headers);
      }
      case "events": {
        allow("POST");
        const learner = await requireLearner(request, code);
        const { events } = await readBody(request, eventsBody, MAX_BODY_BYTES);
        const stored = await writer.add(learner.id, code, events).catch((error) => {
          // The class was deleted since its token was checked.
          throw (error as { code?: string }).code === FOREIGN_KEY_VIOLATION ? noClass(code) : error;
        });
        return sendJson(response, 200, stored, headers);
      }
      case "stream":
        allow("GET");
        await requireInstructor(request, code);
        openStreamSlot();
        return instructorStream(streamContext, code, response);
      case "learner-stream":
        allow("GET");
        await requireLearner(request, code);
        openStreamSlot();
        return learnerStream(streamContext, request, code, response);
      case "broadcast": {
        allow("POST");
        await requireInstructor(request, code);
        const { message, goTo } = await readBody(request, broadcastBody, MAX_BODY_BYTES);
        const sent = await queries.addBroadcast(db, code, message ?? null, goTo ?? null);
        return sendJson(response, 201, sent, headers);
      }
      case "export":
        allow("GET");
        await requireInstructor(request, code);
        return exportCsv(streamContext, code, response);
      default:
        throw new HttpError(404, `no such API path: ${url.pathname}`);
    }
  }

  return {
    db,
    handles: (url) => /^\/api(\/|$|\?)/.test(url ?? ""),
    handle(request, response) {
      route(request, response).catch((error: unknown) => {
        if (response.headersSent) {
          response.destroy();
          return;
        }
        if (error instanceof HttpError) {
          const body = error.issues?.length
            ? { error: error.message, issues: error.issues }
            : { error: error.message };
          sendJson(response, error.status, body, { ...headers, ...error.headers });
          // A refused body is not read: the connection closes rather than take it in.
          if (error.status === 413) request.resume();
          return;
        }
        console.error(`${request.method} ${request.url}: ${(error as Error).stack ?? error}`);
        sendJson(response, 500, { error: "the server could not do this; try again" }, headers);
      });
    },
    async close() {
      clearInterval(sweep);
      byToken.stop();
      byAddress.stop();
      await live.close();
      await db.close();
    },
  };
}
