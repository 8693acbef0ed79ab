import { describe, expect, it } from "vitest";
import { ContentError } from "@/lib/content/frontmatter";
import { extractActivities } from "@/lib/content/lab-extract";

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
    const { labs, quizIds } = extractActivities(
      "l.mdx",
      LAB(
        `<Step id="note" title="Write" check="guest: test -f /root/n"><Solution do="type alpha: touch /root/n" /></Step>`,
      ),
    );
    expect(quizIds).toEqual(["q1"]);
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
      /step "x": a step needs a check/,
    ],
    [
      "a malformed check",
      LAB(
        `<Step id="x" title="X" check="host: running"><Solution do="click alpha Start" /></Step>`,
      ),
      /malformed check/,
    ],
    [
      "a check on an unknown machine",
      LAB(
        `<Step id="x" title="X" check="console beta: /x/"><Solution do="click alpha Start" /></Step>`,
      ),
      /no machine named "beta"/,
    ],
    [
      "a step without a solution",
      LAB(`<Step id="x" title="X" check="host: running > 0" />`),
      /exactly one <Solution/,
    ],
    [
      "a bad solution action",
      LAB(`<Step id="x" title="X" check="host: running > 0"><Solution do="jump" /></Step>`),
      /not an action/,
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
      /address "10\.0\.1\.5" must be one of 10\.0\.0\.1 to 10\.0\.0\.254/,
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
      /memory "4096"/,
    ],
    [
      "an expression attribute",
      LAB("", `<Machine name="alpha" profile="live" memory={64} />`),
      /must be a plain string/,
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
    expect((error as Error).message).toMatch(/^content\/labs\/09-bad\.mdx: line \d+/);
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
    const noCorrect = `<Quiz id="q"><Choice feedback="a">A</Choice><Choice feedback="b">B</Choice></Quiz>`;
    const noFeedback = `<Quiz id="q"><Choice correct>A</Choice><Choice feedback="b">B</Choice></Quiz>`;
    expect(() => extractActivities("a.mdx", noCorrect)).toThrowError(/no correct <Choice>/);
    expect(() => extractActivities("a.mdx", noFeedback)).toThrowError(/needs feedback/);
  });
});
