/**
 * Zod for this project: import `z` from here, not from "zod". Without `jitless`, Zod probes
 * whether `new Function` works the first time it parses an object; the site's
 * Content-Security-Policy forbids eval, so the probe is blocked and the browser reports a
 * violation. Jitless parsing is the same validation without generated code.
 *
 * Every check of outside data (a form, a URL parameter, a stored record, an imported file) is a
 * schema parsed with validate() below, and its problems come back as ValidationIssues; each
 * place then words them for its reader (a field's message, a record's quarantine reason, a
 * file's refusal).
 */
import { z } from "zod";
import { formatFieldPath } from "./field-path";

z.config({ jitless: true });

export { z };

/** One problem a schema found. */
export interface ValidationIssue {
  /** Where, as a reader follows it (`config.disk.sizeMb`, `chunks[3]`); "" for the value itself. */
  where: string;
  /** The path as keys, for code that sorts issues by field. */
  path: readonly PropertyKey[];
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** What a built-in check (a type, a format, a range) says when its schema gives no message. */
export type DefaultMessage = (found: { where: string; input: unknown }) => string;

/**
 * Parses `value` with `schema`. Messages the schema states are kept; the others are Zod's, or
 * `defaultMessage`'s when given (one wording for a whole family of checks).
 */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  defaultMessage?: DefaultMessage,
): Validated<z.output<S>> {
  const parsed = schema.safeParse(
    value,
    defaultMessage && {
      error: (issue) =>
        defaultMessage({ where: formatFieldPath(issue.path ?? []), input: issue.input }),
    },
  );
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({
      where: formatFieldPath(issue.path),
      path: issue.path,
      message: issue.message,
    })),
  };
}
