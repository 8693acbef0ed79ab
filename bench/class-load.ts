/**
 * `npm run loadtest` (and the bench's "class" section): a live class under load on loopback.
 * 200 learners join one class and send 20 events each in batches of 5, all at once, while the
 * instructor's stream is open. Reports the POST latency and the time from an event's POST to
 * the instructor's stream showing it (p50, p95, max), then proves 0 events lost and 0 counted
 * twice (every batch is sent once more; the class must still hold exactly 4000 events).
 *
 * The class API runs as its own process (scripts/class-api.ts), on PGlite in a temporary folder,
 * or on a throwaway Postgres with --engine=postgres. Bounded: it gives up after 120 s.
 * Two rounds on one server: the first meets it just started, the second warm (a new class).
 * Options: --engine=pglite|postgres --learners=200 --events=20 --batch=5 --rounds=2
 */
import { spawn } from "node:child_process";
import { Agent, request } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { randomUUID } from "node:crypto";
import { readEventStream } from "../lib/class/sse";
import { startTempPostgres } from "../scripts/lib/postgres";

const { values } = parseArgs({
  options: {
    engine: { type: "string", default: "pglite" },
    learners: { type: "string", default: "200" },
    events: { type: "string", default: "20" },
    batch: { type: "string", default: "5" },
    rounds: { type: "string", default: "2" },
  },
});
const LEARNERS = Number(values.learners);
const EVENTS = Number(values.events);
const BATCH = Number(values.batch);
const ROUNDS = Number(values.rounds);
const DEADLINE = Date.now() + 120_000;
const POST_BUDGET_MS = 100;
const STREAM_BUDGET_MS = 1000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function summary(label: string, samples: number[], budget: number): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const p95 = percentile(sorted, 95);
  const figures = `p50 ${percentile(sorted, 50).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms (n=${sorted.length})`;
  return `${label.padEnd(34)} ${figures}; budget p95 <= ${budget} ms: ${p95 <= budget ? "ok" : "OVER"}`;
}

async function startApi(env: Record<string, string>): Promise<{ url: string; stop(): void }> {
  const child = spawn("npx", ["tsx", "scripts/class-api.ts", "--port", "0"], {
    env: { ...process.env, CLASS_RATE_PER_ADDRESS: "100000", ...env },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  const port = await new Promise<number>((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening on (\d+)/.exec(text);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`class API exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => process.kill(-child.pid!, "SIGTERM") };
}

// node:http with kept-alive connections: fetch's own overhead at 200 concurrent requests would
// be measured along with the server's.
const agent = new Agent({ keepAlive: true, maxSockets: 512 });

function post(url: string, path: string, body: unknown, token?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    const sent = request(`${url}${path}`, { method: "POST", headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const json = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
        if (response.statusCode === 200 || response.statusCode === 201) resolve(json);
        else reject(new Error(`${path}: ${response.statusCode} ${JSON.stringify(json)}`));
      });
    });
    sent.on("error", reject);
    sent.end(JSON.stringify(body));
  });
}

/** Reads the instructor's stream; calls `onView` with each class view. */
async function followStream(
  url: string,
  code: string,
  token: string,
  onView: (view: { learners: { id: string; steps: { step: string }[] }[] }) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await fetch(`${url}/api/classes/${code}/stream`, {
    headers: { authorization: `Bearer ${token}` },
    signal,
  });
  try {
    for await (const { event, data } of readEventStream(response.body!)) {
      if (event === "class") onView(JSON.parse(data));
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}

/** One class: 200 learners join, send their events, then every batch once more. */
async function runRound(url: string, round: number, signal: AbortSignal): Promise<void> {
  const created = await post(url, "/api/classes", { title: "Load" });
  const code = created.code as string;
  const instructorToken = created.instructorToken as string;
  const learners: { id: string; token: string }[] = [];
  for (let start = 0; start < LEARNERS; start += 20) {
    const joined = await Promise.all(
      Array.from({ length: Math.min(20, LEARNERS - start) }, (_, i) =>
        post(url, `/api/classes/${code}/join`, { name: `Learner ${start + i}` }),
      ),
    );
    learners.push(...joined.map((j) => ({ id: j.learnerId as string, token: j.token as string })));
  }

  // When each (learner, step) was posted, and when the stream first showed it.
  const sentAt = new Map<string, number>();
  const streamLatency: number[] = [];
  const seen = new Set<string>();
  void followStream(
    url,
    code,
    instructorToken,
    (view) => {
      const now = Date.now();
      for (const learner of view.learners) {
        for (const cell of learner.steps) {
          const key = `${learner.id}/${cell.step}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const sent = sentAt.get(key);
          if (sent !== undefined) streamLatency.push(now - sent);
        }
      }
    },
    signal,
  );
  await new Promise((resolve) => setTimeout(resolve, 500));

  const postLatency: number[] = [];
  const batches: { token: string; events: unknown[] }[] = [];
  const started = Date.now();
  await Promise.all(
    learners.map(async (learner, index) => {
      // Spread the learners' starts over the first second, as a class that reaches a step.
      await new Promise((resolve) => setTimeout(resolve, (index * 997) % 1000));
      for (let first = 0; first < EVENTS; first += BATCH) {
        const events = Array.from({ length: Math.min(BATCH, EVENTS - first) }, (_, n) => ({
          id: randomUUID(),
          lesson: "load",
          step: `s-${first + n}`,
          kind: "step-done",
          at: new Date().toISOString(),
        }));
        const t0 = Date.now();
        for (const event of events) sentAt.set(`${learner.id}/${event.step}`, t0);
        await post(url, `/api/classes/${code}/events`, { events }, learner.token);
        postLatency.push(Date.now() - t0);
        batches.push({ token: learner.token, events });
        await new Promise((resolve) => setTimeout(resolve, 50 + ((index * 7919 + first) % 200)));
      }
    }),
  );
  const sendSeconds = (Date.now() - started) / 1000;
  const total = LEARNERS * EVENTS;
  while (seen.size < total && Date.now() < DEADLINE) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  // Every batch once more: the class must not count any event twice.
  let duplicates = 0;
  for (let i = 0; i < batches.length; i += 50) {
    const answers = await Promise.all(
      batches
        .slice(i, i + 50)
        .map((batch) =>
          post(url, `/api/classes/${code}/events`, { events: batch.events }, batch.token),
        ),
    );
    duplicates += answers.reduce((sum, answer) => sum + Number(answer.duplicates), 0);
  }
  const view = await fetch(`${url}/api/classes/${code}`, {
    headers: { authorization: `Bearer ${instructorToken}` },
  }).then((response) => response.json() as Promise<{ totals: { events: number } }>);

  const load = loadavg().map((figure) => figure.toFixed(1));
  console.log(
    `engine, round                      ${values.engine}, round ${round} (machine load ${load.join(", ")})`,
  );
  console.log(
    `load                               ${LEARNERS} learners x ${EVENTS} events in batches of ${BATCH}: ${batches.length} POSTs in ${sendSeconds.toFixed(1)} s`,
  );
  console.log(summary("event POST latency", postLatency, POST_BUDGET_MS));
  console.log(summary("event to instructor's stream", streamLatency, STREAM_BUDGET_MS));
  console.log(
    `stored                             ${view.totals.events} of ${total} (lost ${total - Math.min(total, view.totals.events)}); stream showed ${seen.size}`,
  );
  console.log(
    `resent every batch                 ${duplicates} of ${total} recognised as duplicates; stored after: ${view.totals.events} (counted twice: ${view.totals.events - total})`,
  );
  if (view.totals.events !== total || duplicates !== total) process.exitCode = 1;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "vlabs-class-load-"));
  const postgres =
    values.engine === "postgres" ? await startTempPostgres({ durable: true }) : undefined;
  const api = await startApi(
    postgres ? { DATABASE_URL: postgres.database("load") } : { CLASS_DATA_DIR: dataDir },
  );
  const controller = new AbortController();
  try {
    // Round 1 meets a server just started; round 2 the same server, warm, with a new class.
    for (let round = 1; round <= ROUNDS; round++) await runRound(api.url, round, controller.signal);
  } finally {
    controller.abort();
    agent.destroy();
    api.stop();
    postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
