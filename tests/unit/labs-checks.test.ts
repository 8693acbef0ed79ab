import { describe, expect, it } from "vitest";
import { parseActions } from "@/lib/labs/actions";
import { CheckSyntaxError, compare, parseCheck, toRegExp } from "@/lib/labs/checks";

describe("parseCheck", () => {
  it("reads guest checks with the whole command", () => {
    expect(parseCheck("guest: test -f /root/a && grep -q x /root/a")).toEqual({
      kind: "guest",
      command: "test -f /root/a && grep -q x /root/a",
    });
  });

  it("reads lab-wide and per-machine host facts", () => {
    expect(parseCheck("host: running >= 2")).toEqual({
      kind: "host",
      fact: "running",
      op: ">=",
      value: 2,
    });
    expect(parseCheck("host: rx:beta > 0")).toEqual({
      kind: "host",
      fact: "rx",
      vm: "beta",
      op: ">",
      value: 0,
    });
    expect(parseCheck("host: state:alpha == crashed")).toEqual({
      kind: "host",
      fact: "state",
      vm: "alpha",
      op: "==",
      value: "crashed",
    });
  });

  it("reads console checks with a regex", () => {
    const check = parseCheck("console alpha: /no such file/i");
    expect(check.kind).toBe("console");
    expect(
      check.kind === "console" && toRegExp(check.pattern).test("cat: No such file or directory"),
    ).toBe(true);
  });

  it.each([
    ["guest test -f x", /not a check/],
    ["host: running", /should read/],
    ["host: speed >= 2", /unknown host fact "speed"/],
    ["host: colour:alpha == 1", /unknown machine fact/],
    ["host: state:alpha == asleep", /not a machine state/],
    ["host: state:alpha > running", /only be compared with == or !=/],
    ["host: running >= many", /not a number/],
    ["console alpha: plain text", /not a \/regex\//],
    ["console alpha: /(unclosed/", /not a valid regex/],
    ["console Alpha: /x/", /not a machine name/],
  ])("refuses %s with a clear message", (source, message) => {
    expect(() => parseCheck(source)).toThrowError(CheckSyntaxError);
    expect(() => parseCheck(source)).toThrowError(message);
  });

  it("compares numbers and states", () => {
    expect(compare(2, ">=", 2)).toBe(true);
    expect(compare(1, ">", 1)).toBe(false);
    expect(compare("running", "!=", "crashed")).toBe(true);
  });
});

describe("parseActions", () => {
  it("reads a list of actions, keeping semicolons inside quotes", () => {
    expect(
      parseActions(
        `click alpha Start; type alpha: echo "a;b" > /root/x; click Create VM; wait alpha /#/`,
      ),
    ).toEqual([
      { kind: "click", vm: "alpha", button: "Start" },
      { kind: "type", vm: "alpha", text: `echo "a;b" > /root/x` },
      { kind: "click", button: "Create VM" },
      { kind: "wait", vm: "alpha", pattern: { source: "#", flags: "" } },
    ]);
  });

  it("refuses unknown or empty actions", () => {
    expect(() => parseActions("press alpha Start")).toThrowError(/not an action/);
    expect(() => parseActions(" ; ")).toThrowError(/at least one action/);
  });
});
