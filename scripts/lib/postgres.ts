/**
 * A throwaway Postgres server for tests and the bench: Debian's `postgresql` package (installed
 * with apt when missing, as scripts/lib/chromium.ts does for Chromium), a new cluster in a
 * temporary folder, listening on a free loopback port only. Postgres refuses to run as root, so
 * as root its commands run as the `postgres` user the package creates.
 */
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { log } from "./run";

export interface TempPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** A URL for another database on the same server, created if missing. */
  database(name: string): string;
  stop(): void;
}

function binDir(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : null;
}

/** Installs Debian's postgresql when its programs are missing; resolves to their folder. */
export function ensurePostgres(): string {
  const found = binDir();
  if (found) return found;
  log("PostgreSQL is missing: installing Debian's postgresql package with apt");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  try {
    execFileSync("apt-get", ["update"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "postgresql"], {
      stdio: "inherit",
      env,
    });
  } catch {
    // Reported below with what to do.
  }
  const installed = binDir();
  if (!installed) {
    throw new Error(
      "Could not install PostgreSQL. The class database tests need Debian's postgresql package:\n" +
        "  run 'apt-get update && apt-get install -y postgresql' as root.",
    );
  }
  return installed;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a new Postgres cluster. Tests run it with fsync off (it is thrown away afterwards); the
 * bench with `durable`, so its commits cost what they cost on a real server.
 */
export async function startTempPostgres({ durable = false } = {}): Promise<TempPostgres> {
  const bin = ensurePostgres();
  const dir = mkdtempSync(join(tmpdir(), "vlabs-pg-"));
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const id = (flag: string) =>
      Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }));
    chownSync(dir, id("-u"), id("-g"));
  }
  const run = (program: string, args: string[]) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", join(bin, program), ...args], {
          stdio: "pipe",
        })
      : execFileSync(join(bin, program), args, { stdio: "pipe" });
  const data = join(dir, "data");
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=${durable ? "on" : "off"}`;
  run("pg_ctl", ["-D", data, "-o", settings, "-l", join(dir, "log"), "-w", "start"]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const psql = (sql: string) =>
    execFileSync(join(bin, "psql"), ["-q", "-X", "-v", "ON_ERROR_STOP=1", url, "-c", sql], {
      stdio: "pipe",
    });
  const created = new Set<string>();
  return {
    url,
    port,
    database(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a database name: ${name}`);
      if (!created.has(name)) psql(`CREATE DATABASE ${name}`);
      created.add(name);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop() {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
