/**
 * Lab checks: one line of text in a lesson, parsed into a typed check. The grammar is documented
 * in docs/authoring-labs.md; parse errors say what is wrong so the build can name the lesson.
 */

export const VM_STATES = ["booting", "running", "paused", "stopped", "crashed"] as const;
export type VmStateName = (typeof VM_STATES)[number];

export const COMPARISONS = ["==", "!=", ">=", "<=", ">", "<"] as const;
export type Comparison = (typeof COMPARISONS)[number];

export const LAB_FACTS = ["running", "machines", "crashed", "snapshots", "host-load"] as const;
export const VM_FACTS = [
  "state",
  "rx",
  "tx",
  "mips",
  "disk-write",
  "disk-read",
  "uptime",
  // The host's view of its memory and its balloon (lib/emulator/memory-board.ts).
  "held-mb",
  "used-mb",
  "balloon-mb",
  "shared-pages",
] as const;
export type LabFact = (typeof LAB_FACTS)[number];
export type VmFact = (typeof VM_FACTS)[number];

/**
 * A regular expression as plain data, so a validated lab can travel from the build to the browser
 * (a RegExp cannot cross to a client component); `toRegExp` makes the expression where it is used.
 */
export interface Pattern {
  source: string;
  flags: string;
}

export function toRegExp(pattern: Pattern): RegExp {
  return new RegExp(pattern.source, pattern.flags);
}

export type Check =
  | { kind: "guest"; command: string }
  | { kind: "host"; fact: LabFact; op: Comparison; value: number }
  | { kind: "host"; fact: VmFact; vm: string; op: Comparison; value: number | VmStateName }
  | { kind: "console"; vm: string; pattern: Pattern };

export class CheckSyntaxError extends Error {
  name = "CheckSyntaxError";
}

const VM_NAME = /^[a-z][a-z0-9-]{0,15}$/;
const HOST_CHECK = /^([a-z-]+)(?::([a-z0-9-]+))?\s*(==|!=|>=|<=|>|<)\s*(\S+)$/;

export function parseCheck(source: string): Check {
  const text = source.trim();
  const guest = /^guest:\s*(.+)$/s.exec(text);
  if (guest) return { kind: "guest", command: guest[1]!.trim() };
  const host = /^host:\s*(.+)$/.exec(text);
  if (host) return parseHostCheck(host[1]!.trim());
  const console = /^console\s+(\S+):\s*(.+)$/.exec(text);
  if (console)
    return { kind: "console", vm: vmName(console[1]!), pattern: parseRegex(console[2]!.trim()) };
  throw new CheckSyntaxError(
    `"${text}" is not a check: start it with "guest:", "host:" or "console <vm>:"`,
  );
}

function parseHostCheck(expression: string): Check {
  const match = HOST_CHECK.exec(expression);
  if (!match) {
    throw new CheckSyntaxError(
      `"host: ${expression}" should read "<fact> <op> <value>", e.g. "running >= 2"`,
    );
  }
  const [, fact, vm, op, raw] = match as unknown as [
    string,
    string,
    string | undefined,
    Comparison,
    string,
  ];
  if (vm === undefined) {
    if (!(LAB_FACTS as readonly string[]).includes(fact)) {
      throw new CheckSyntaxError(
        `unknown host fact "${fact}": use one of ${LAB_FACTS.join(", ")}, or ${VM_FACTS.join(", ")} with ":<vm>"`,
      );
    }
    return { kind: "host", fact: fact as LabFact, op, value: number(raw, expression) };
  }
  if (!(VM_FACTS as readonly string[]).includes(fact)) {
    throw new CheckSyntaxError(`unknown machine fact "${fact}": use one of ${VM_FACTS.join(", ")}`);
  }
  if (fact === "state") {
    if (!(VM_STATES as readonly string[]).includes(raw)) {
      throw new CheckSyntaxError(
        `"${raw}" is not a machine state: use one of ${VM_STATES.join(", ")}`,
      );
    }
    if (op !== "==" && op !== "!=")
      throw new CheckSyntaxError(`a state can only be compared with == or !=`);
    return { kind: "host", fact: "state", vm: vmName(vm), op, value: raw as VmStateName };
  }
  return { kind: "host", fact: fact as VmFact, vm: vmName(vm), op, value: number(raw, expression) };
}

function vmName(name: string): string {
  if (!VM_NAME.test(name)) throw new CheckSyntaxError(`"${name}" is not a machine name`);
  return name;
}

function number(raw: string, expression: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value))
    throw new CheckSyntaxError(`"${raw}" in "${expression}" is not a number`);
  return value;
}

export function parseRegex(source: string): Pattern {
  const match = /^\/(.+)\/([a-z]*)$/s.exec(source);
  if (!match) throw new CheckSyntaxError(`"${source}" is not a /regex/`);
  if (!/^[imsu]*$/.test(match[2]!))
    throw new CheckSyntaxError(`regex flags "${match[2]}" are not allowed (use i, m, s, u)`);
  try {
    const { source: body, flags } = new RegExp(match[1]!, match[2]);
    return { source: body, flags };
  } catch (error) {
    throw new CheckSyntaxError(`"${source}" is not a valid regex: ${(error as Error).message}`);
  }
}

export function compare(
  actual: number | string,
  op: Comparison,
  expected: number | string,
): boolean {
  switch (op) {
    case "==":
      return actual === expected;
    case "!=":
      return actual !== expected;
    case ">=":
      return actual >= expected;
    case "<=":
      return actual <= expected;
    case ">":
      return actual > expected;
    case "<":
      return actual < expected;
  }
}

/** Machine names a check refers to, for validating it against the lab's machines. */
export function machinesOf(check: Check): string[] {
  return "vm" in check ? [check.vm] : [];
}
