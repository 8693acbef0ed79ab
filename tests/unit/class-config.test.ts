import { expect, it } from "vitest";
import { classApiOptionsFromEnv } from "@/lib/class/config";

it("reads the class settings from the environment, with defaults", () => {
  expect(classApiOptionsFromEnv({})).toMatchObject({
    databaseUrl: undefined,
    dataDir: "data",
    createKey: undefined,
    retentionDays: 30,
    maxLearnersPerClass: 500,
    trustProxy: false,
  });
  expect(
    classApiOptionsFromEnv({
      DATABASE_URL: "postgres://vlabs@db/vlabs",
      CLASS_DATA_DIR: "/srv/class",
      CLASS_CREATE_KEY: "key",
      CLASS_RETENTION_DAYS: "7",
      CLASS_TRUST_PROXY: "1",
    }),
  ).toMatchObject({
    databaseUrl: "postgres://vlabs@db/vlabs",
    dataDir: "/srv/class",
    createKey: "key",
    retentionDays: 7,
    trustProxy: true,
  });
});

it("refuses a wrong setting by its name instead of guessing", () => {
  expect(() => classApiOptionsFromEnv({ CLASS_RETENTION_DAYS: "a month" })).toThrow(
    'CLASS_RETENTION_DAYS must be a whole number above 0, not "a month"',
  );
  expect(() => classApiOptionsFromEnv({ CLASS_MAX_LEARNERS: "0" })).toThrow(/CLASS_MAX_LEARNERS/);
  expect(() => classApiOptionsFromEnv({ DATABASE_URL: "mysql://db" })).toThrow(
    /DATABASE_URL must start with postgres/,
  );
});
