import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

/**
 * A plain static file server, like the simplest static host: files from `root` under `basePath`,
 * folder URLs served from index.html, redirects to add the trailing slash, 404.html otherwise.
 * No caching headers, no rewrites: what works here works on any static host.
 */

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

export function serveStatic(root: string, basePath: string, port = 0): Promise<StaticServer> {
  const overrides = new Map<string, string>();
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
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
    let size = fileAt(file);
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
