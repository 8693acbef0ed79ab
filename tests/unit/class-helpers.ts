/** Shared by the class tests: a class API in this process or in a child process, and requests. */
/* eslint-disable @typescript-eslint/no-explicit-any -- answers are read as loose JSON and asserted field by field */
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { startClassApi, type ClassApi } from "@/lib/class/api";
import type { ClassApiOptions } from "@/lib/class/config";
import type { ClassEvent } from "@/lib/class/contract";
import { readEventStream } from "@/lib/class/sse";

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), "vlabs-class-"));
}

export interface RunningApi {
  url: string;
  api: ClassApi;
  close(): Promise<void>;
}

/** The API on a loopback port in this process. */
export async function serveApi(
  settings: Partial<ClassApiOptions> & Pick<ClassApiOptions, "dataDir" | "databaseUrl">,
): Promise<RunningApi> {
  const api = await startClassApi(settings);
  const server = createServer((request, response) => api.handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    api,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await api.close();
    },
  };
}

export interface ApiProcess {
  url: string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** scripts/class-api.ts as a child process (one that a test can SIGKILL). */
export async function spawnApi(env: Record<string, string>): Promise<ApiProcess> {
  const child = spawn("npx", ["tsx", "scripts/class-api.ts", "--port", "0"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  const port = await new Promise<number>((resolve, reject) => {
    let text = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening on (\d+)/.exec(text);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`class API exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    kill: (signal) =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        // npx runs tsx runs node: the signal goes to the whole group of them.
        process.kill(-child.pid!, signal);
      }),
  };
}

export async function call(
  url: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string } = {},
): Promise<{ status: number; json: any; text: string; headers: Headers }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const hasBody = method !== "GET" && method !== "HEAD";
  const json = options.body === undefined ? undefined : JSON.stringify(options.body);
  const body = hasBody ? (options.raw ?? json) : undefined;
  const response = await fetch(`${url}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, json: parsed, text, headers: response.headers };
}

export function event(overrides: Partial<ClassEvent> = {}): ClassEvent {
  return {
    id: randomUUID(),
    lesson: "first-vm",
    step: "boot",
    kind: "step-done",
    at: new Date().toISOString(),
    ...overrides,
  };
}

/** A class with one learner: codes and tokens. */
export async function classWithLearner(url: string, name = "Ada") {
  const created = await call(url, "POST", "/api/classes", { body: { title: "Test class" } });
  const { code, instructorToken } = created.json as { code: string; instructorToken: string };
  const joined = await call(url, "POST", `/api/classes/${code}/join`, { body: { name } });
  const { learnerId, token } = joined.json as { learnerId: string; token: string };
  return { code, instructorToken, learnerId, token };
}

/** Reads server-sent events from `path` until `until` returns true for one; resolves with it. */
export async function waitForStreamEvent(
  url: string,
  path: string,
  token: string,
  until: (event: string, data: any) => boolean,
  timeoutMs = 5000,
): Promise<{ event: string; data: any; at: number }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(`${url}${path}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    if (!response.ok) throw new Error(`stream answered ${response.status}`);
    for await (const { event, data } of readEventStream(response.body!)) {
      const parsed = JSON.parse(data);
      if (until(event, parsed)) return { event, data: parsed, at: Date.now() };
    }
    throw new Error("the stream ended");
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
