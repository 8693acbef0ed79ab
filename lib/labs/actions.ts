import { CheckSyntaxError, parseRegex } from "./checks";
import type { Pattern } from "./checks";

/**
 * Solution actions (`<Solution do="...">`): what a learner does, written so that the course's
 * end-to-end test and the "Do it for me" button can do it too.
 */

export type SolutionAction =
  | { kind: "type"; vm: string; text: string }
  | { kind: "click"; vm?: string; button: string }
  | { kind: "wait"; vm: string; pattern: Pattern }
  /** Sets a field of the lab's create form, by its label: a typed value or a choice's text. */
  | { kind: "fill"; field: string; value: string };

const VM = "([a-z][a-z0-9-]{0,15})";

export function parseActions(source: string): SolutionAction[] {
  const actions = splitActions(source).map(parseAction);
  if (actions.length === 0)
    throw new CheckSyntaxError(`a solution's "do" lists at least one action`);
  return actions;
}

/** Splits on ";" outside quotes, so a typed command can still contain one inside quotes. */
function splitActions(source: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quote: string | null = null;
  for (const char of source) {
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === ";") {
      parts.push(current);
      current = "";
      continue;
    }
    current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter(Boolean);
}

function parseAction(text: string): SolutionAction {
  let match = new RegExp(`^type\\s+${VM}:\\s*(.+)$`, "s").exec(text);
  if (match) return { kind: "type", vm: match[1]!, text: match[2]! };
  match = new RegExp(`^wait\\s+${VM}\\s+(/.+/[a-z]*)$`).exec(text);
  if (match) return { kind: "wait", vm: match[1]!, pattern: parseRegex(match[2]!) };
  match = new RegExp(`^click\\s+${VM}\\s+([A-Z][A-Za-z0-9 ()-]*)$`).exec(text);
  if (match) return { kind: "click", vm: match[1]!, button: match[2]!.trim() };
  match = /^click\s+([A-Z][A-Za-z0-9 ()-]*)$/.exec(text);
  if (match) return { kind: "click", button: match[1]!.trim() };
  match = /^fill\s+([A-Z][A-Za-z ()]*):\s*(.+)$/.exec(text);
  if (match) return { kind: "fill", field: match[1]!.trim(), value: match[2]!.trim() };
  throw new CheckSyntaxError(
    `"${text}" is not an action: use "type <vm>: <command>", "click <vm> <Button>", "click <Button>", "fill <Field>: <value>" or "wait <vm> /regex/"`,
  );
}
