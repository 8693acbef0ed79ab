import { z } from "../zod";

/*
 * Building blocks of the schemas of a lesson's lab elements (definition.ts, machine-form.ts): an
 * element as the MDX source writes it, required attributes, flags and the "rules after fields" pipe.
 */

/**
 * A component as the MDX source writes it: its tag, its line, its attributes as plain strings
 * (a bare flag such as `correct` reads "true") and the components inside it that matter.
 */
export interface RawElement {
  tag: string;
  line: number;
  attributes: Record<string, string>;
  children: Record<string, RawElement[]>;
}

export const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MACHINE_NAME = /^[a-z][a-z0-9-]{0,15}$/;

export function attribute(required: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? required : undefined) })
    .trim()
    .min(1, required);
}

export const idAttribute = attribute("is required").regex(ID, "must be kebab-case (a-z, 0-9, -)");

export const machineNameAttribute = attribute("is required").regex(
  MACHINE_NAME,
  `must match ${MACHINE_NAME}`,
);

export function element<T extends z.ZodRawShape, C extends z.ZodRawShape>(
  attributes: T,
  children: C,
) {
  return z.object({
    tag: z.string(),
    line: z.number(),
    attributes: z.object(attributes).strict(),
    children: z.object(children),
  });
}

export const flag = z.enum(["true", "false"], { error: 'must be "true" or "false"' });

/**
 * The output of `schema`, for the rules between fields (not named `then`: a module exporting
 * `then` is a thenable, and awaiting its import never ends): piped after it, they run only once every
 * field is valid (a pipe stops at the first failure), so one mistake is not reported twice.
 */
export function afterFields<S extends z.ZodType>(_schema: S) {
  return z.custom<z.output<S>>(() => true);
}
