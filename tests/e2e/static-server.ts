import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

/**
 * A plain static file server, like the simplest static host: files from `root` under `basePath`,
 * folder URLs served from index.html, redirects to add the trailing slash, 404.html otherwise.
 * No caching headers, no rewrites: what works here works on any static host. With
 * `hostHeaders`, it also sends the headers of the export's `_headers` file, as Netlify and
 * Cloudflare Pages do (and, like them, does not serve that file).
 */

interface HeaderRule {
  pattern: RegExp;
  headers: [string, string][];
}

/** Rules of a `_headers` file: a URL pattern (`*` matches anything), then indented headers. */
function readHeaderRules(file: string): HeaderRule[] {
  const rules: HeaderRule[] = [];
  for (const [index, line] of readFileSync(file, "utf8").split("\n").entries()) {
    if (!line.trim() || line.trim().startsWith("#")) continue;
    if (!/^\s/.test(line)) {
      const pattern = line
        .trim()
        .split("*")
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*");
      rules.push({ pattern: new RegExp(`^${pattern}$`), headers: [] });
      continue;
    }
    const header = /^\s+([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
    const rule = rules.at(-1);
    if (!header || !rule) throw new Error(`${file}:${index + 1}: not a header of a rule: ${line}`);
    rule.headers.push([header[1]!, header[2]!]);
  }
  return rules;
}

/** The headers every matching rule gives a URL; a header given twice has its values joined. */
function headersFor(rules: HeaderRule[], pathname: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const rule of rules) {
    if (!rule.pattern.test(pathname)) continue;
    for (const [name, value] of rule.headers) {
      const key = name.toLowerCase();
      headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
    }
  }
  return headers;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".xml": "application/xml",
  ".wasm": "application/wasm",
  ".woff2": "font/woff2",
};

export interface StaticServer {
  origin: string;
  /** Serves `body` at `pathname` instead of the file (null: the file again), e.g. a new deploy. */
  override(pathname: string, body: string | null): void;
  close(): Promise<void>;
}

function fileAt(file: string): number | null {
  try {
    const stat = statSync(file);
    return stat.isFile() ? stat.size : null;
  } catch {
    return null;
  }
}

export function serveStatic(
  root: string,
  basePath: string,
  port = 0,
  options: { hostHeaders?: boolean } = {},
): Promise<StaticServer> {
  const overrides = new Map<string, string>();
  const headersFile = path.join(root, "_headers");
  const rules = options.hostHeaders && existsSync(headersFile) ? readHeaderRules(headersFile) : [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    for (const [name, value] of Object.entries(headersFor(rules, url.pathname))) {
      response.setHeader(name, value);
    }
    const override = overrides.get(url.pathname);
    if (override !== undefined) {
      response.writeHead(200, {
        "Content-Type": TYPES[path.extname(url.pathname)] ?? "text/plain",
      });
      response.end(override);
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      response.writeHead(400).end();
      return;
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405).end();
      return;
    }
    if (pathname === basePath) {
      response.writeHead(301, { Location: `${basePath}/` }).end();
      return;
    }
    if (!pathname.startsWith(`${basePath}/`) || pathname.includes("\0")) {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
      return;
    }
    const relative = path.normalize(pathname.slice(basePath.length)).replace(/^(\.\.[/\\])+/, "");
    let file = path.join(root, relative);
    if (!file.startsWith(root)) {
      response.writeHead(403).end();
      return;
    }
    if (pathname.endsWith("/")) file = path.join(file, "index.html");
    else if (fileAt(file) === null && fileAt(path.join(file, "index.html")) !== null) {
      response.writeHead(301, { Location: `${pathname}/${url.search}` }).end();
      return;
    }
    let size = rules.length > 0 && file === headersFile ? null : fileAt(file);
    let status = 200;
    if (size === null) {
      file = path.join(root, "404.html");
      size = fileAt(file);
      status = 404;
      if (size === null) {
        response.writeHead(404).end();
        return;
      }
    }
    response.writeHead(status, {
      "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream",
      "Content-Length": size,
    });
    if (request.method === "HEAD") response.end();
    else createReadStream(file).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve({
        origin: `http://127.0.0.1:${actual}`,
        override: (pathname, body) => {
          if (body === null) overrides.delete(pathname);
          else overrides.set(pathname, body);
        },
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
