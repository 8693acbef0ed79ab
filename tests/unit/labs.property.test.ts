import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseActions } from "@/lib/labs/actions";
import type { SolutionAction } from "@/lib/labs/actions";
import {
  CheckSyntaxError,
  COMPARISONS,
  LAB_FACTS,
  parseCheck,
  VM_FACTS,
  VM_STATES,
} from "@/lib/labs/checks";
import type { Check } from "@/lib/labs/checks";
import { KNOWN_PROFILES, labSchema, machineSchema } from "@/lib/labs/definition";
import type { RawElement } from "@/lib/labs/definition";

type RawAttributes = Record<string, string>;
import { evaluateQuiz, isTruthyAttribute, validateQuiz } from "@/lib/labs/quiz";
import { MEMORY_MAX_MB, MIN_MEMORY_MB } from "@/lib/emulator/vm-config";
import { hostileNumber, hostileString, hostileValue, protoKey, RUNS } from "./hostile";

/** Runs `parse`; a throw must be the parser's own error with a message, never a crash. */
function refusalOf<T>(parse: () => T, errorType: new (...args: never[]) => Error): string | T {
  try {
    return parse();
  } catch (error) {
    expect(error).toBeInstanceOf(errorType);
    expect((error as Error).message.length).toBeGreaterThan(5);
    return (error as Error).message;
  }
}

const vmName = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/);
const flags = fc.subarray(["i", "m", "s", "u"]).map((f) => f.join(""));
const regexBody = fc.constantFrom("root@\\w+", "ok-42", "^\\$ $", "a|b", "[0-9]+ packets");

/** Checks as the grammar allows them, with their source text. */
const validCheck: fc.Arbitrary<{ source: string; check: Check }> = fc.oneof(
  fc
    .string({ minLength: 1 })
    .filter((command) => command.trim().length > 0)
    .map((command) => ({
      source: `guest: ${command}`,
      check: { kind: "guest" as const, command: command.trim() },
    })),
  fc
    .tuple(fc.constantFrom(...LAB_FACTS), fc.constantFrom(...COMPARISONS), fc.integer())
    .map(([fact, op, value]) => ({
      source: `host: ${fact} ${op} ${value}`,
      check: { kind: "host" as const, fact, op, value },
    })),
  fc
    .tuple(
      fc.constantFrom(...VM_FACTS.filter((fact) => fact !== "state")),
      vmName,
      fc.constantFrom(...COMPARISONS),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    )
    .map(([fact, vm, op, value]) => ({
      source: `host: ${fact}:${vm} ${op} ${value}`,
      check: { kind: "host" as const, fact, vm, op, value: value === 0 ? 0 : value },
    })),
  fc
    .tuple(
      vmName,
      fc.constantFrom("==", "!=") as fc.Arbitrary<"==" | "!=">,
      fc.constantFrom(...VM_STATES),
    )
    .map(([vm, op, value]) => ({
      source: `host: state:${vm} ${op} ${value}`,
      check: { kind: "host" as const, fact: "state" as const, vm, op, value },
    })),
  fc.tuple(vmName, regexBody, flags).map(([vm, body, f]) => ({
    source: `console ${vm}: /${body}/${f}`,
    check: { kind: "console" as const, vm, pattern: new RegExp(body, f) },
  })),
);

const anyCheckText = fc.oneof(
  hostileString,
  validCheck.map((valid) => valid.source),
  fc
    .tuple(fc.constantFrom("guest:", "host:", "console ", "console vm:"), hostileString)
    .map(([head, tail]) => head + tail),
  fc
    .tuple(fc.constantFrom(...LAB_FACTS, ...VM_FACTS), hostileNumber, protoKey)
    .map(([fact, n, key]) => `host: ${fact}:${key} > ${n}`),
  fc.tuple(vmName, hostileString, hostileString).map(([vm, a, b]) => `console ${vm}: /${a}/${b}`),
);

describe("lab checks, against hostile text", () => {
  it("parse or refuse with a CheckSyntaxError, never anything else", () => {
    fc.assert(
      fc.property(anyCheckText, (text) => {
        refusalOf(() => parseCheck(text), CheckSyntaxError);
      }),
      RUNS,
    );
  });

  it("read back what the grammar allows", () => {
    fc.assert(
      fc.property(validCheck, ({ source, check }) => {
        const parsed = parseCheck(source);
        if (check.kind === "console" && parsed.kind === "console") {
          expect(parsed.vm).toBe(check.vm);
          expect(parsed.pattern.source).toBe(check.pattern.source);
          expect(parsed.pattern.flags).toBe(check.pattern.flags);
        } else expect(parsed).toEqual(check);
      }),
      RUNS,
    );
  });

  it("refuse numbers that are not finite, naming them", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LAB_FACTS),
        fc.constantFrom("NaN", "Infinity", "-Infinity", "1e999", "abc"),
        (fact, value) => {
          expect(() => parseCheck(`host: ${fact} > ${value}`)).toThrow(
            new CheckSyntaxError(`"${value}" in "${fact} > ${value}" is not a number`),
          );
        },
      ),
    );
  });
});

const validAction: fc.Arbitrary<{ source: string; action: SolutionAction }> = fc.oneof(
  fc
    .tuple(
      vmName,
      fc.stringMatching(/^[a-z0-9 ./|>-]{1,30}$/).filter((t) => t.trim() !== ""),
    )
    .map(([vm, text]) => ({
      source: `type ${vm}: ${text}`,
      action: { kind: "type" as const, vm, text: text.trim() },
    })),
  fc
    .tuple(vmName, fc.constantFrom("Start", "Power off", "Snapshot", "Cold boot"))
    .map(([vm, button]) => ({
      source: `click ${vm} ${button}`,
      action: { kind: "click" as const, vm, button },
    })),
);

describe("solution actions, against hostile text", () => {
  it("parse or refuse with a CheckSyntaxError, never anything else", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          hostileString,
          fc.array(validAction.map((a) => a.source)).map((list) => list.join("; ")),
          fc
            .tuple(fc.constantFrom("type vm:", "click ", "wait vm "), hostileString)
            .map(([a, b]) => a + b),
          fc.constant(";".repeat(10_000)),
          fc.constant(`type vm: ${'"'.repeat(5_001)}`),
        ),
        (text) => {
          refusalOf(() => parseActions(text), CheckSyntaxError);
        },
      ),
      RUNS,
    );
  });

  it("read back a list of valid actions in order", () => {
    fc.assert(
      fc.property(fc.array(validAction, { minLength: 1, maxLength: 5 }), (actions) => {
        expect(parseActions(actions.map((a) => a.source).join("; "))).toEqual(
          actions.map((a) => a.action),
        );
      }),
      RUNS,
    );
  });
});

/** Attribute bags as MDX gives them, with prototype keys and hostile values mixed in. */
const attributes = (plausible: Record<string, fc.Arbitrary<string>>) =>
  fc
    .tuple(
      fc.record(plausible, { requiredKeys: [] }),
      fc.dictionary(fc.oneof(protoKey, fc.string()), hostileString, { maxKeys: 3 }),
    )
    .map(([known, extra]) => {
      const bag: RawAttributes = {};
      for (const [key, value] of Object.entries({ ...extra, ...known }))
        Object.defineProperty(bag, key, { value, enumerable: true, writable: true });
      return bag;
    });

const machineAttributes = attributes({
  name: fc.oneof(vmName, hostileString),
  profile: fc.oneof(fc.constantFrom(...KNOWN_PROFILES), hostileString),
  memory: fc.oneof(
    fc.integer({ min: -1, max: 1024 }).map(String),
    fc.constantFrom("0x80", "1e2", " 128 ", "128.0", "+128", "", "١٢٨"),
    hostileString,
  ),
  network: fc.oneof(fc.constantFrom("none", "switch"), hostileString),
  autostart: fc.oneof(fc.constantFrom("true", "false"), hostileString),
});

const element = (tag: string, line: number, attributes: RawAttributes): RawElement => ({
  tag,
  line,
  attributes,
  children: {},
});

const rawLab: fc.Arbitrary<RawElement> = fc
  .record({
    attributes: attributes({
      id: fc.oneof(fc.stringMatching(/^[a-z0-9]+(-[a-z0-9]+)*$/), hostileString),
      title: hostileString,
    }),
    machines: fc.array(machineAttributes, { maxLength: 3 }),
    steps: fc.array(
      fc.record({
        attributes: attributes({
          id: fc.oneof(fc.stringMatching(/^[a-z0-9]+$/), hostileString),
          title: hostileString,
          check: fc.oneof(
            anyCheckText,
            validCheck.map((c) => c.source),
          ),
          vm: fc.oneof(vmName, hostileString),
        }),
        solution: fc.option(
          attributes({
            do: fc.oneof(
              hostileString,
              validAction.map((a) => a.source),
            ),
          }),
          { nil: undefined },
        ),
        solutions: fc.nat({ max: 3 }),
      }),
      { maxLength: 4 },
    ),
  })
  .map(({ attributes, machines, steps }) => ({
    ...element("Lab", 7, attributes),
    children: {
      Machine: machines.map((machine, index) => element("Machine", 8 + index, machine)),
      Step: steps.map((step, index) => ({
        ...element("Step", 20 + index, step.attributes),
        children: {
          Solution: Array.from({ length: step.solutions }, () =>
            element("Solution", 21 + index, step.solution ?? {}),
          ),
        },
      })),
      Command: [],
    },
  }));

describe("lab definitions, against hostile attributes", () => {
  it("validate or refuse with issues that each say which element and attribute", () => {
    fc.assert(
      fc.property(rawLab, (raw) => {
        const result = labSchema.safeParse(raw);
        if (result.success) return;
        for (const issue of result.error.issues) {
          expect(typeof issue.message).toBe("string");
          expect(issue.path[0] === "attributes" || issue.path[0] === "children").toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("take a machine's memory only as written digits within the profile's range", () => {
    fc.assert(
      fc.property(machineAttributes, (attributes) => {
        const parsed = machineSchema.safeParse(element("Machine", 1, attributes));
        if (!parsed.success || parsed.data.memoryMb === undefined) return;
        const result = parsed.data;
        expect(String(result.memoryMb)).toBe(attributes.memory!.trim());
        expect(result.memoryMb).toBeGreaterThanOrEqual(MIN_MEMORY_MB[result.profile]);
        expect(result.memoryMb).toBeLessThanOrEqual(MEMORY_MAX_MB);
      }),
      RUNS,
    );
  });
});

describe("quizzes, against hostile answers", () => {
  const choices = fc.array(fc.record({ correct: fc.boolean(), feedback: hostileString }), {
    maxLength: 6,
  });
  const picks = fc.array(fc.oneof(fc.integer({ min: -2, max: 8 }), hostileNumber), {
    maxLength: 10,
  });

  it("evaluate any picks without throwing; only real, whole indexes count", () => {
    fc.assert(
      fc.property(choices, picks, fc.boolean(), (list, picked, multiple) => {
        const verdict = evaluateQuiz(list, picked, multiple);
        const real = new Set(
          picked.filter((i) => Number.isInteger(i) && i >= 0 && i < list.length),
        );
        for (const index of [...verdict.wrongPicks, ...verdict.missed]) {
          expect(Number.isInteger(index) && index >= 0 && index < list.length).toBe(true);
        }
        if (verdict.correct) {
          expect(real.size).toBeGreaterThan(0);
          for (const index of real) expect(list[index]!.correct).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("validate any definition with sentences, never a throw", () => {
    fc.assert(
      fc.property(hostileString, choices, fc.boolean(), (id, list, multiple) => {
        for (const problem of validateQuiz(id, list, multiple)) expect(problem).toMatch(/^quiz /);
      }),
      RUNS,
    );
  });

  it("read any attribute value as a flag without throwing", () => {
    fc.assert(
      fc.property(hostileValue, (value) => {
        expect(typeof isTruthyAttribute(value)).toBe("boolean");
      }),
      RUNS,
    );
  });
});
