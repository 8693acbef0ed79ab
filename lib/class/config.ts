/**
 * The class API's settings, from the environment (README, "Run a live class"). A wrong value
 * stops the server with a message naming the variable, rather than running with a guess.
 */
import type { DbOptions } from "./db";

type Environment = Record<string, string | undefined>;

export interface ClassApiOptions extends DbOptions {
  /** When set, creating a class needs `Authorization: Bearer <createKey>`. */
  createKey?: string;
  retentionDays: number;
  maxLearnersPerClass: number;
  /** Requests a minute (and burst) per bearer token and per client address. */
  ratePerToken: number;
  ratePerAddress: number;
  /** Take the client's address from X-Forwarded-For (behind a load balancer). */
  trustProxy: boolean;
  maxStreams: number;
  /** How long changes to one class are gathered before its view is sent to the streams. */
  coalesceMs: number;
  heartbeatMs: number;
  /** Headers every answer carries (the site's security headers). */
  headers: Record<string, string>;
}

export const DEFAULT_OPTIONS: Omit<ClassApiOptions, "databaseUrl" | "dataDir" | "createKey"> = {
  retentionDays: 30,
  maxLearnersPerClass: 500,
  ratePerToken: 240,
  ratePerAddress: 6000,
  trustProxy: false,
  maxStreams: 2000,
  coalesceMs: 100,
  heartbeatMs: 15_000,
  headers: {},
};

function positiveInteger(env: Environment, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a whole number above 0, not "${text}"`);
  }
  return value;
}

export function classApiOptionsFromEnv(
  env: Environment = process.env,
  headers: Record<string, string> = {},
): ClassApiOptions {
  if (env.DATABASE_URL && !/^postgres(ql)?:\/\//.test(env.DATABASE_URL)) {
    throw new Error("DATABASE_URL must start with postgres:// or postgresql://");
  }
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.CLASS_DATA_DIR || "data",
    createKey: env.CLASS_CREATE_KEY || undefined,
    retentionDays: positiveInteger(env, "CLASS_RETENTION_DAYS", DEFAULT_OPTIONS.retentionDays),
    maxLearnersPerClass: positiveInteger(
      env,
      "CLASS_MAX_LEARNERS",
      DEFAULT_OPTIONS.maxLearnersPerClass,
    ),
    ratePerToken: positiveInteger(env, "CLASS_RATE_PER_TOKEN", DEFAULT_OPTIONS.ratePerToken),
    ratePerAddress: positiveInteger(env, "CLASS_RATE_PER_ADDRESS", DEFAULT_OPTIONS.ratePerAddress),
    trustProxy: env.CLASS_TRUST_PROXY === "1",
    maxStreams: DEFAULT_OPTIONS.maxStreams,
    coalesceMs: DEFAULT_OPTIONS.coalesceMs,
    heartbeatMs: DEFAULT_OPTIONS.heartbeatMs,
    headers,
  };
}
