/**
 * One database interface over the two engines the class runs on: PGlite (Postgres compiled to
 * WebAssembly, embedded, its data in a folder) by default, and a Postgres server through `pg`
 * when DATABASE_URL is set. The SQL is the same for both; only connecting, transactions and
 * LISTEN differ. Server side only.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import type { Pool, PoolClient, Client } from "pg";

export type DatabaseKind = "pglite" | "postgres";

export interface Queryable {
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export interface ClassDb extends Queryable {
  readonly kind: DatabaseKind;
  /** Runs `body` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(body: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Calls `onPayload` for each NOTIFY on `channel`, from any connection or server instance. After
   * a lost connection to Postgres is made again it calls `onPayload(RESYNC)`: what was notified
   * in between is unknown, so listeners read again what they show.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export const RESYNC = "resync";

export interface DbOptions {
  /** postgres://... : a Postgres server; otherwise PGlite in `dataDir`. */
  databaseUrl?: string;
  dataDir?: string;
}

export async function openClassDb(options: DbOptions): Promise<ClassDb> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPglite(resolve(options.dataDir ?? "data"));
}

/**
 * PGlite is one Postgres in this process: two processes on one folder would corrupt it. A lock
 * file with the owner's pid refuses a second server while the first lives (a killed server's
 * stale lock is taken over).
 */
function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const lockPath = join(dir, "server.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(lockPath, "utf8"));
      if (owner && isAlive(owner)) {
        throw new Error(
          `${dir} is used by another server (pid ${owner}). One PGlite folder serves one process: ` +
            "set CLASS_DATA_DIR to another folder, or DATABASE_URL to share a Postgres server.",
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`could not lock ${lockPath}`);
}

/** A running process; a killed one no parent has reaped yet (a zombie, in a container) is not. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return true; // No /proc (not Linux): the signal check is all there is.
  }
}

async function openPglite(dataDir: string): Promise<ClassDb> {
  const unlock = lockDataDir(dataDir);
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    const db: PGlite = await PGlite.create(join(dataDir, "pgdata"));
    const wrap = (target: PGlite | Transaction): Queryable => ({
      async query<Row>(sql: string, params?: unknown[]) {
        return (await target.query<Row>(sql, params)).rows;
      },
    });
    return {
      kind: "pglite",
      ...wrap(db),
      transaction: (body) => db.transaction((tx) => body(wrap(tx))),
      async listen(channel, onPayload) {
        const stop = await db.listen(channel, onPayload);
        return () => stop();
      },
      async close() {
        try {
          await db.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

async function openPostgres(url: string): Promise<ClassDb> {
  const pg = await import("pg");
  const pool: Pool = new pg.default.Pool({ connectionString: url, max: 10 });
  // An idle client's error (the server restarted) must not end the process; the pool replaces it.
  pool.on("error", (error) => console.error(`class database: ${error.message}`));
  await pool.query("SELECT 1");
  const stopListeners = new Set<() => Promise<void>>();
  const wrap = (target: Pool | PoolClient): Queryable => ({
    async query<Row>(sql: string, params?: unknown[]) {
      return (await target.query(sql, params)).rows as Row[];
    },
  });
  return {
    kind: "postgres",
    ...wrap(pool),
    async transaction(body) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await body(wrap(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onPayload) {
      let client: Client | undefined;
      let stopped = false;
      const connect = async () => {
        const next = new pg.default.Client({ connectionString: url });
        next.on("error", (error) => console.error(`class database (LISTEN): ${error.message}`));
        next.on("notification", (message) => {
          if (message.channel === channel) onPayload(message.payload ?? "");
        });
        // The server restarted or the network dropped: listen again, then say so.
        next.on("end", () => {
          // Only the connection in use: a failed attempt is retried by reconnect itself.
          if (!stopped && client === next) setTimeout(() => void reconnect(), 1000);
        });
        await next.connect();
        await next.query(`LISTEN ${quoteIdentifier(channel)}`);
        client = next;
      };
      const reconnect = async () => {
        if (stopped) return;
        try {
          await connect();
          onPayload(RESYNC);
        } catch (error) {
          console.error(`class database (LISTEN): ${(error as Error).message}; trying again`);
          setTimeout(() => void reconnect(), 2000);
        }
      };
      await connect();
      const stop = async () => {
        stopped = true;
        stopListeners.delete(stop);
        await client?.end();
      };
      stopListeners.add(stop);
      return stop;
    },
    async close() {
      await Promise.allSettled([...stopListeners].map((stop) => stop()));
      await pool.end();
    },
  };
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
