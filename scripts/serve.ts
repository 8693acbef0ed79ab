/**
 * `npm start`: the production site with its security headers. Next's own request handler serves
 * the build on a private loopback port; this server passes every request to it and adds the
 * headers on the way back. An HTML page is read whole the first time (pages are prerendered, so
 * nothing streams anyway) and gets a Content-Security-Policy listing the sha256 of each of its
 * inline scripts; from then on its policy is known by its ETag and the page passes straight
 * through. Everything else is passed through as it arrives, with the policy for files; the
 * folders that hold only files (scripts, the emulator, guest images) are answered by Next
 * directly, without the second hop.
 *
 * The live class's API (lib/class/api.ts) answers `/api/` in this server, before Next.
 *
 * `tsx scripts/serve.ts [--port N] [--hostname H]`; PORT works too (default 3000). NEXT_DIST_DIR
 * picks the build folder, as for `next start`.
 */
import { createServer, request as httpRequest, Agent } from "node:http";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { startClassApi } from "../lib/class/api";
import { classApiOptionsFromEnv } from "../lib/class/config";
import {
  ISOLATION_HEADERS,
  SECURITY_HEADERS as ALL_SECURITY_HEADERS,
  contentSecurityPolicy,
  inlineScriptHashes,
} from "./lib/csp";
import { log } from "./lib/run";

/**
 * SERVE_WITHOUT_ISOLATION=1 leaves out the cross-origin isolation headers: only the bench uses it,
 * to measure VMs on a page without SharedArrayBuffer (and so without the CPU scheduler).
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> =
  process.env.SERVE_WITHOUT_ISOLATION === "1"
    ? Object.fromEntries(
        Object.entries(ALL_SECURITY_HEADERS).filter(([name]) => !(name in ISOLATION_HEADERS)),
      )
    : ALL_SECURITY_HEADERS;

/** Browsers post what the policy blocked here; the server logs it (the page never sees it). */
const REPORT_PATH = "/_csp-report";
const REPORTS_LOGGED_PER_MINUTE = 20;
const FILE_POLICY = contentSecurityPolicy([], { reportUri: REPORT_PATH });
/**
 * Page policies by the page's ETag: an ETag names one body, so a page seen before is passed
 * through as it streams, with the policy worked out the first time. Bounded for safety.
 */
const policyByEtag = new Map<string, string>();
const MAX_REMEMBERED = 2000;

function rememberPolicy(etag: string | undefined, policy: string): void {
  if (!etag) return;
  if (policyByEtag.size >= MAX_REMEMBERED) policyByEtag.clear();
  policyByEtag.set(etag, policy);
}

/** Folders of files only (scripts, styles, the emulator, guest images), never of pages. */
const FILE_ONLY_PATH = /^\/(_next\/static|v86|images)\//;

/** Hop-by-hop headers belong to one connection and are not passed on. */
const HOP_BY_HOP = ["connection", "keep-alive", "transfer-encoding", "upgrade"];

function decode(body: Buffer, encoding: string | undefined): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case undefined:
    case "":
    case "identity":
      return body;
    case "gzip":
      return gunzipSync(body);
    case "br":
      return brotliDecompressSync(body);
    case "deflate":
      return inflateSync(body);
    default:
      throw new Error(`cannot read an HTML page sent with Content-Encoding: ${encoding}`);
  }
}

function passOnHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out = { ...headers };
  for (const name of HOP_BY_HOP) delete out[name];
  return out;
}

function isHtml(response: IncomingMessage): boolean {
  return /^text\/html\b/i.test(response.headers["content-type"] ?? "");
}

/** Next answers 500 for a path such as /labs/%ZZ; the mistake is the address's, so it gets a 400. */
function hasMalformedEscape(url: string | undefined): boolean {
  try {
    decodeURIComponent(new URL(url ?? "/", "http://localhost").pathname);
    return false;
  } catch {
    return true;
  }
}

/** Sends Next's answer to the client with the security headers added. */
function relay(
  request: IncomingMessage,
  upstream: IncomingMessage,
  response: ServerResponse,
): void {
  // Next broke off the answer half way: the client must not take it for a whole one.
  upstream.on("error", () => response.destroy());
  const status = upstream.statusCode ?? 502;
  const headers = passOnHeaders(upstream.headers);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers[name.toLowerCase()] = value;
  // A 304 updates the headers the browser stored with the page: a policy here would replace
  // the page's own (with its hashes), so it carries none. A HEAD for a page not seen yet has no
  // body to hash: it gets the policy for files, which allows no inline script at all.
  const hasBody = status !== 304 && status !== 204 && request.method !== "HEAD";
  const known = upstream.headers.etag ? policyByEtag.get(upstream.headers.etag) : undefined;
  if (!hasBody || !isHtml(upstream) || known) {
    if (status !== 304) headers["content-security-policy"] = known ?? FILE_POLICY;
    response.writeHead(status, upstream.statusMessage, headers);
    upstream.pipe(response);
    return;
  }
  const chunks: Buffer[] = [];
  upstream.on("data", (chunk: Buffer) => chunks.push(chunk));
  upstream.on("end", () => {
    const body = Buffer.concat(chunks);
    let policy: string;
    try {
      const html = decode(body, upstream.headers["content-encoding"]).toString("utf8");
      policy = contentSecurityPolicy(inlineScriptHashes(html), { reportUri: REPORT_PATH });
    } catch (error) {
      console.error(`${request.url}: ${(error as Error).message}`);
      response.writeHead(500, { "content-type": "text/plain" }).end("could not prepare the page");
      return;
    }
    rememberPolicy(upstream.headers.etag, policy);
    headers["content-security-policy"] = policy;
    headers["content-length"] = String(body.length);
    response.writeHead(status, upstream.statusMessage, headers);
    response.end(body);
  });
}

let reportsThisMinute = 0;
setInterval(() => (reportsThisMinute = 0), 60_000).unref();

/** Logs one violation report (the CSP report format), a bounded number a minute. */
function logViolationReport(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  let size = 0;
  request.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size <= 64 * 1024) chunks.push(chunk);
  });
  request.on("end", () => {
    response.writeHead(204).end();
    if (++reportsThisMinute > REPORTS_LOGGED_PER_MINUTE) return;
    try {
      const report = JSON.parse(Buffer.concat(chunks).toString("utf8"))["csp-report"] ?? {};
      const field = (name: string) => String(report[name] ?? "").slice(0, 200);
      const where = `${field("source-file") || field("document-uri")}:${field("line-number")}`;
      console.error(
        `Content-Security-Policy violation on ${field("document-uri")}: ${field("effective-directive")} blocked ${field("blocked-uri") || "inline"} at ${where}`,
      );
    } catch {
      console.error("Content-Security-Policy violation report that is not JSON");
    }
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", short: "p" },
      hostname: { type: "string", short: "H" },
    },
  });
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`not a port: ${values.port ?? process.env.PORT}`);
    process.exit(1);
  }

  // Next reads NODE_ENV when it loads; a custom server has to set it first.
  (process.env as Record<string, string>).NODE_ENV = "production";
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: process.cwd(), hostname: "127.0.0.1" });
  await app.prepare();
  const handle = app.getRequestHandler();
  // The live class's API (docs/class-api.md) answers /api/ itself, with the files' headers.
  const apiHeaders = { ...SECURITY_HEADERS, "content-security-policy": FILE_POLICY };
  const classApi = await startClassApi(classApiOptionsFromEnv(process.env, apiHeaders)).catch(
    (error: Error) => {
      console.error(`The live class API could not start: ${error.message}`);
      process.exit(1);
    },
  );

  const inner = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => inner.listen(0, "127.0.0.1", resolve));
  const innerPort = (inner.address() as AddressInfo).port;
  // Idle connections to Next stay open: Next closing one just as it is reused would fail a request.
  inner.keepAliveTimeout = 0;
  const agent = new Agent({ keepAlive: true });

  /** Passes a request to Next; a GET or HEAD whose reused connection was closed is sent again. */
  function forward(request: IncomingMessage, response: ServerResponse, retry = true): void {
    let clientGone = false;
    const idempotent = request.method === "GET" || request.method === "HEAD";
    const upstream = httpRequest(
      {
        host: "127.0.0.1",
        port: innerPort,
        method: request.method,
        path: request.url,
        headers: passOnHeaders(request.headers),
        agent,
      },
      (answer) => relay(request, answer, response),
    );
    upstream.on("error", (error) => {
      // Cancelled by the client (a prefetch the page no longer needs): nothing went wrong.
      if (clientGone) return;
      if (retry && idempotent && upstream.reusedSocket && !response.headersSent) {
        forward(request, response, false);
        return;
      }
      console.error(`${request.url}: ${error.message}`);
      if (!response.headersSent) response.writeHead(502).end();
      else response.destroy();
    });
    // The client went away before the answer was complete: stop Next's work on it too.
    const onClose = () => {
      if (response.writableFinished) return;
      clientGone = true;
      upstream.destroy();
    };
    response.once("close", onClose);
    upstream.once("close", () => response.off("close", onClose));
    if (idempotent) upstream.end();
    else request.pipe(upstream);
  }

  const outer = createServer((request, response) => {
    if (request.method === "POST" && request.url === REPORT_PATH) {
      logViolationReport(request, response);
      return;
    }
    if (hasMalformedEscape(request.url)) {
      response
        .writeHead(400, {
          ...SECURITY_HEADERS,
          "content-security-policy": FILE_POLICY,
          "content-type": "text/plain; charset=utf-8",
        })
        .end("Bad request: the address has a malformed %-escape.\n");
      return;
    }
    if (classApi.handles(request.url)) return classApi.handle(request, response);
    if (FILE_ONLY_PATH.test(request.url ?? "")) {
      // Never a page: Next answers directly, saving the second copy of large files.
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
      response.setHeader("content-security-policy", FILE_POLICY);
      void handle(request, response);
      return;
    }
    forward(request, response);
  });
  outer.listen(port, values.hostname, () => {
    const { port: actual } = outer.address() as AddressInfo;
    log(`serving the production build on http://${values.hostname ?? "localhost"}:${actual}`);
  });
  const stop = () => {
    outer.close();
    inner.close();
    agent.destroy();
    void Promise.allSettled([app.close(), classApi.close()]).finally(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

await main();
