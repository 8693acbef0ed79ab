/**
 * Small HTTP helpers for the class API on node:http: JSON bodies with a size limit, JSON answers
 * and errors, bearer tokens. Server side only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { validate, type z } from "../zod";
import type { ApiError } from "./contract";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues?: ApiError["issues"],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "content-length": String(Buffer.byteLength(text)),
  });
  response.end(text);
}

/** Reads a JSON body of at most `maxBytes` and checks it with `schema`. */
export async function readBody<S extends z.ZodType>(
  request: IncomingMessage,
  schema: S,
  maxBytes: number,
): Promise<z.output<S>> {
  const tooLarge = () =>
    new HttpError(413, `the body is larger than ${maxBytes / 1024} KiB`, undefined, {
      connection: "close",
    });
  if (Number(request.headers["content-length"] ?? 0) > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "the body is not JSON");
  }
  const checked = validate(schema, value);
  if (!checked.ok) {
    const issues = checked.issues.map(({ where, message }) => ({ where, message }));
    const [first] = issues;
    const message = first?.where ? `${first.where}: ${first.message}` : first?.message;
    throw new HttpError(400, message ?? "the body is not valid", issues);
  }
  return checked.value;
}

/** The token of `Authorization: Bearer <token>`, or null. */
export function bearerToken(request: IncomingMessage): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "");
  return match?.[1] ?? null;
}

export function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  const forwarded = request.headers["x-forwarded-for"];
  if (trustProxy && typeof forwarded === "string" && forwarded.trim()) {
    return forwarded.split(",")[0]!.trim();
  }
  return request.socket.remoteAddress ?? "unknown";
}

/** Opens a server-sent events stream; returns a writer for its events. */
export function openEventStream(
  response: ServerResponse,
  headers: Record<string, string>,
  heartbeatMs: number,
  onClose: () => void,
): (event: string, data: unknown, id?: number) => void {
  response.writeHead(200, {
    ...headers,
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    "x-accel-buffering": "no",
  });
  response.write("retry: 2000\n\n");
  // A comment now and then keeps proxies from closing an idle stream.
  const heartbeat = setInterval(() => response.write(": ping\n\n"), heartbeatMs);
  response.once("close", () => {
    clearInterval(heartbeat);
    onClose();
  });
  return (event, data, id) => {
    if (response.writableEnded) return;
    const idLine = id === undefined ? "" : `id: ${id}\n`;
    response.write(`event: ${event}\n${idLine}data: ${JSON.stringify(data)}\n\n`);
  };
}

/** One CSV field: quoted when needed, and never read as a formula by a spreadsheet. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
