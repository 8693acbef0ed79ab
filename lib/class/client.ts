/**
 * The browser's side of the class API (docs/class-api.md): one function per endpoint, and the
 * streams read with fetch (an EventSource cannot send the bearer token). Runs in the page.
 */
import { withBasePath } from "../site";
import type {
  ApiError,
  Broadcast,
  ClassEvent,
  ClassView,
  CreatedClass,
  JoinedClass,
} from "./contract";
import { readEventStream } from "./sse";

export class ClassApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Seconds the server asked to wait (429). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }

  /** The class or the token is gone for good (deleted, expired, never valid): stop trying. */
  get gone(): boolean {
    return this.status === 401 || this.status === 403 || this.status === 404;
  }
}

/** No server answered like the class API does (a static copy of the site, or offline). */
export class NoClassServerError extends Error {}

async function request<T>(
  path: string,
  options: { method?: string; token?: string; body?: unknown } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(withBasePath(`/api${path}`), {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: "no-store",
    });
  } catch {
    throw new NoClassServerError("the class server cannot be reached (offline?)");
  }
  const isJson = /^application\/json/.test(response.headers.get("content-type") ?? "");
  if (!isJson) {
    throw new NoClassServerError(`this site has no class server (answer ${response.status})`);
  }
  const body = (await response.json()) as T | ApiError;
  if (!response.ok) {
    const retry = Number(response.headers.get("retry-after"));
    throw new ClassApiError(
      response.status,
      (body as ApiError).error ?? `the class server answered ${response.status}`,
      Number.isFinite(retry) && retry > 0 ? retry : undefined,
    );
  }
  return body as T;
}

const at = (code: string) => `/classes/${encodeURIComponent(code)}`;

export const classApi = {
  health: () => request<{ ok: boolean; database: string }>("/health"),
  create: (title: string, createKey?: string) =>
    request<CreatedClass>("/classes", { method: "POST", body: { title }, token: createKey }),
  join: (code: string, name: string) =>
    request<JoinedClass>(`${at(code)}/join`, { method: "POST", body: { name } }),
  sendEvents: (code: string, token: string, events: ClassEvent[]) =>
    request<{ accepted: number; duplicates: number }>(`${at(code)}/events`, {
      method: "POST",
      token,
      body: { events },
    }),
  view: (code: string, token: string) => request<ClassView>(at(code), { token }),
  broadcast: (code: string, token: string, body: { message?: string; goTo?: string }) =>
    request<Broadcast>(`${at(code)}/broadcast`, { method: "POST", token, body }),
  remove: (code: string, token: string) =>
    request<{ deleted: boolean }>(at(code), { method: "DELETE", token }),
  async exportCsv(code: string, token: string): Promise<Blob> {
    const response = await fetch(withBasePath(`/api${at(code)}/export`), {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new ClassApiError(response.status, "the export failed");
    return response.blob();
  },
};

export interface StreamHandlers {
  onEvent(name: string, data: unknown, id?: string): void;
  /** Connected (true) or waiting to reconnect (false). */
  onConnection?(connected: boolean): void;
  /** The class or token is gone (404/401/403): the stream stops. */
  onGone?(error: ClassApiError): void;
}

/**
 * Reads a class stream until `signal` aborts, reconnecting after a dropped connection (1 s, then
 * longer, at most 15 s) and sending Last-Event-ID so nothing said meanwhile is missed.
 */
export async function followStream(
  path: "stream" | "learner-stream",
  code: string,
  token: string,
  handlers: StreamHandlers,
  signal: AbortSignal,
): Promise<void> {
  let lastId: string | undefined;
  let delay = 1000;
  while (!signal.aborted) {
    try {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (lastId) headers["last-event-id"] = lastId;
      const response = await fetch(withBasePath(`/api${at(code)}/${path}`), { headers, signal });
      if (!response.ok || !response.body) {
        const error = new ClassApiError(response.status, `the stream answered ${response.status}`);
        if (error.gone) {
          handlers.onGone?.(error);
          return;
        }
        throw error;
      }
      handlers.onConnection?.(true);
      delay = 1000;
      for await (const { event, data, id } of readEventStream(response.body)) {
        if (id) lastId = id;
        handlers.onEvent(event, JSON.parse(data), id);
      }
    } catch {
      if (signal.aborted) return;
    }
    handlers.onConnection?.(false);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 15_000);
  }
}
