import { describe, expect, it } from "vitest";
import { extractActivities } from "@/lib/content/activities";
import { ContentError } from "@/lib/content/errors";

const LAB = (
  steps: string,
  machines = `<Machine name="alpha" profile="live" memory="128" />`,
) => `---
title: x
---

# Lesson

<Lab id="demo" title="Demo lab">
  ${machines}

  <Step id="start" title="Start it" check="host: state:alpha == running">
    Press **Start**.
    <Hint>It is the first button.</Hint>
    <Solution do="click alpha Start">Click Start.</Solution>
  </Step>
  ${steps}
</Lab>

<Quiz id="q1" question="Which?">
  <Choice correct feedback="Yes">A</Choice>
  <Choice feedback="No">B</Choice>
</Quiz>
`;

describe("lab definitions in a lesson", () => {
  it("extracts machines, steps with parsed checks and actions, and quiz ids", () => {
    const { labs, quizzes } = extractActivities(
      "l.mdx",
      LAB(
        `<Step id="note" title="Write" check="guest: test -f /root/n"><Solution do="type alpha: touch /root/n" /></Step>`,
      ),
    );
    expect(quizzes).toEqual([{ id: "q1", multiple: false, correctChoices: [0] }]);
    expect(labs).toHaveLength(1);
    const lab = labs[0]!;
    expect(lab.machines).toEqual([
      { name: "alpha", profile: "live", memoryMb: 128, network: "none", autostart: false },
    ]);
    expect(lab.steps.map((step) => step.id)).toEqual(["start", "note"]);
    expect(lab.steps[1]).toMatchObject({
      vm: "alpha",
      check: { kind: "guest", command: "test -f /root/n" },
    });
    expect(lab.steps[1]!.actions).toEqual([{ kind: "type", vm: "alpha", text: "touch /root/n" }]);
  });

  it.each([
    [
      "an unknown profile",
      LAB("", `<Machine name="alpha" profile="windows" />`),
      /unknown profile "windows"/,
    ],
    [
      "a step without a check",
      LAB(`<Step id="x" title="X"><Solution do="click alpha Start" /></Step>`),
      /<Step id="x"> field "check": a step needs a check/,
    ],
    [
      "a malformed check",
      LAB(
        `<Step id="x" title="X" check="host: running"><Solution do="click alpha Start" /></Step>`,
      ),
      /<Step id="x"> field "check": malformed check/,
    ],
    [
      "a check on an unknown machine",
      LAB(
        `<Step id="x" title="X" check="console beta: /x/"><Solution do="click alpha Start" /></Step>`,
      ),
      /field "check": no machine named "beta"/,
    ],
    [
      "a step without a solution",
      LAB(`<Step id="x" title="X" check="host: running > 0" />`),
      /<Step id="x"> a step has exactly one <Solution/,
    ],
    [
      "a bad solution action",
      LAB(`<Step id="x" title="X" check="host: running > 0"><Solution do="jump" /></Step>`),
      /<Solution> field "do": "jump" is not an action/,
    ],
    [
      "a duplicate step id",
      LAB(
        `<Step id="start" title="X" check="host: running > 0"><Solution do="click alpha Start" /></Step>`,
      ),
      /step id "start" is used twice/,
    ],
    [
      "an address off the switch's network",
      LAB("", `<Machine name="alpha" profile="live" network="switch" address="10.0.1.5" />`),
      /field "address": "10\.0\.1\.5" must be one of 10\.0\.0\.1 to 10\.0\.0\.254/,
    ],
    [
      "an address on a machine without a network",
      LAB("", `<Machine name="alpha" profile="live" address="10.0.0.5" />`),
      /an address needs network="switch"/,
    ],
    [
      "two machines with one address",
      LAB(
        "",
        `<Machine name="alpha" profile="live" network="switch" address="10.0.0.5" />` +
          `<Machine name="beta" profile="live" network="switch" address="10.0.0.5" />`,
      ),
      /machine address "10\.0\.0\.5" is used twice/,
    ],
    [
      "memory out of range",
      LAB("", `<Machine name="alpha" profile="live" memory="4096" />`),
      /field "memory": "4096" must be a whole number of MiB/,
    ],
    [
      "an expression attribute",
      LAB("", `<Machine name="alpha" profile="live" memory={64} />`),
      /<Machine> field "memory": must be a plain string/,
    ],
    ["a lab without machines", LAB("", ""), /at least one <Machine>/],
  ])("refuses %s, naming the file", (_, source, message) => {
    let error: unknown;
    try {
      extractActivities("content/labs/09-bad.mdx", source);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ContentError);
    expect((error as Error).message).toMatch(/^content\/labs\/09-bad\.mdx:\d+: </);
    expect((error as Error).message).toMatch(message);
  });

  it("refuses one address pinned in two labs of a lesson (they share the page's switch)", () => {
    const lab = (id: string, name: string) =>
      `<Lab id="${id}" title="T"><Machine name="${name}" profile="live" network="switch" address="10.0.0.4" />` +
      `<Step id="s" title="S" check="host: running > 0"><Solution do="click ${name} Start" /></Step></Lab>`;
    expect(() =>
      extractActivities("c.mdx", `# L\n\n${lab("one", "alpha")}\n\n${lab("two", "beta")}\n`),
    ).toThrowError(/address "10\.0\.0\.4" is pinned by two machines of this lesson/);
  });

  it("keeps a machine's pinned address on the switch", () => {
    const { labs } = extractActivities(
      "a.mdx",
      LAB("", `<Machine name="alpha" profile="live" network="switch" address="10.0.0.9" />`),
    );
    expect(labs[0]!.machines[0]).toMatchObject({ network: "switch", address: "10.0.0.9" });
  });

  it("requires vm on guest checks and commands when a lab has several machines", () => {
    const two = `<Machine name="alpha" profile="live" /><Machine name="beta" profile="live" />`;
    expect(() =>
      extractActivities(
        "a.mdx",
        LAB(
          `<Step id="x" title="X" check="guest: true"><Solution do="click alpha Start" /></Step>`,
          two,
        ),
      ),
    ).toThrowError(/needs vm="<machine>"/);
    expect(() => extractActivities("a.mdx", LAB(`<Command>ls</Command>`, two))).toThrowError(
      /<Command> needs vm=/,
    );
  });

  it("refuses quizzes without a correct answer or feedback", () => {
    const noCorrect = `<Quiz id="q" question="Q?"><Choice feedback="a">A</Choice><Choice feedback="b">B</Choice></Quiz>`;
    const noFeedback = `<Quiz id="q" question="Q?"><Choice correct>A</Choice><Choice feedback="b">B</Choice></Quiz>`;
    expect(() => extractActivities("a.mdx", noCorrect)).toThrowError(/no correct choice/);
    expect(() => extractActivities("a.mdx", noFeedback)).toThrowError(/needs feedback/);
  });

  it("names the file, the line and the attribute, and reports every problem at once", () => {
    const source = LAB(
      "",
      `<Machine name="alpha" profile="live" memroy="128" />\n<Machine name="beta" profile="live" memory="64" />`,
    );
    let error: unknown;
    try {
      extractActivities("content/labs/09-bad.mdx", source);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ContentError);
    expect((error as ContentError).problems).toEqual([
      expect.objectContaining({ line: 8, field: "memroy", element: '<Machine name="alpha">' }),
      expect.objectContaining({ line: 9, field: "memory", element: '<Machine name="beta">' }),
    ]);
    expect((error as Error).message.split("\n")).toEqual([
      'content/labs/09-bad.mdx:8: <Machine name="alpha"> field "memroy": is not an attribute of <Machine> (it takes name, profile, memory, network, address, autostart, from)',
      'content/labs/09-bad.mdx:9: <Machine name="beta"> field "memory": "64" must be a whole number of MiB from 80 to 512 for a live guest',
    ]);
  });

  it("refuses a glossary term that does not exist and a lab inside a paragraph", () => {
    expect(() => extractActivities("a.mdx", `A <Term id="nope">word</Term>.\n`)).toThrowError(
      /^a\.mdx:1: <Term> field "id": "nope" is not in the glossary/,
    );
    expect(() => extractActivities("a.mdx", `Text <Lab id="x" title="X"></Lab>\n`)).toThrowError(
      /^a\.mdx:1: <Lab> must stand on its own lines/,
    );
  });

  it("gives the browser plain data: patterns as source and flags, no RegExp", () => {
    const { labs } = extractActivities(
      "a.mdx",
      LAB(
        `<Step id="w" title="W" check="console alpha: /ready/i"><Solution do="wait alpha /#/" /></Step>`,
      ),
    );
    const step = labs[0]!.steps[1]!;
    expect(step.check).toEqual({
      kind: "console",
      vm: "alpha",
      pattern: { source: "ready", flags: "i" },
    });
    expect(JSON.parse(JSON.stringify(labs))).toEqual(labs);
  });
});
