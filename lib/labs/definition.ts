import { z } from "../zod";
import { CheckSyntaxError, machinesOf, parseCheck } from "./checks";
import type { Check } from "./checks";
import { parseActions } from "./actions";
import type { SolutionAction } from "./actions";
import { attribute, element, flag, idAttribute, afterFields } from "./elements";
import { FORM_FIELDS } from "./machine-limits";
import { cloneProblem, createMachineSchema, machineSchema } from "./machine-schemas";
import type { MachineDefinition } from "./machine-schemas";
import { validateQuiz } from "./quiz";

export { MACHINE_NAME } from "./elements";
export type { RawElement } from "./elements";
export { KNOWN_PROFILES, createMachineSchema, machineSchema } from "./machine-schemas";
export type { MachineDefinition, ProfileName } from "./machine-schemas";

/*
 * The schemas of a lesson's labs and quizzes. The content pipeline (lib/content) reads the
 * elements from the MDX tree and validates them here once, at build time; the browser receives
 * the definitions these schemas return and never checks them again. Over 300 lines because the
 * schemas of a lab's elements (Machine, CreateMachine, Step, Solution, Command) and the rules
 * between them belong together: each rule reads the others' validated output.
 */

export interface StepDefinition {
  id: string;
  title: string;
  vm?: string;
  check: Check;
  checkSource: string;
  actions: SolutionAction[];
}

export interface LabDefinition {
  id: string;
  title: string;
  /** Steps turn done one after another: a check counts once the steps before it are done. */
  ordered?: true;
  machines: MachineDefinition[];
  steps: StepDefinition[];
}

export interface QuizDefinition {
  id: string;
  multiple: boolean;
  /** Indexes of the correct choices, in document order. */
  correctChoices: number[];
}

function parsed<T>(parse: (source: string) => T, prefix: string) {
  return (source: string, context: z.RefinementCtx): T => {
    try {
      return parse(source);
    } catch (error) {
      if (!(error instanceof CheckSyntaxError)) throw error;
      context.addIssue({ code: "custom", message: `${prefix}${error.message}` });
      return z.NEVER;
    }
  };
}

const solutionSchema = element(
  { do: attribute("is required").transform(parsed(parseActions, "")) },
  {},
);

const stepSchema = element(
  {
    id: idAttribute,
    title: attribute("is required"),
    check: attribute(
      'a step needs a check (check="guest: ...", "host: ..." or "console <vm>: /.../")',
    ).transform((source, context) => ({
      source,
      check: parsed(parseCheck, "malformed check: ")(source, context),
    })),
    vm: z.string().trim().optional(),
  },
  {
    Solution: z.array(solutionSchema).length(1, 'a step has exactly one <Solution do="...">'),
  },
);

const labElement = element(
  { id: idAttribute, title: attribute("is required"), ordered: flag.optional() },
  {
    Machine: z.array(machineSchema),
    CreateMachine: z.array(createMachineSchema).default([]),
    Step: z.array(stepSchema).min(1, "a lab has at least one <Step>"),
    Command: z.array(element({ vm: z.string().trim().optional() }, {})),
  },
);

export const labSchema = labElement.pipe(
  afterFields(labElement)
    .superRefine(({ children }, context) => {
      const issue = (path: PropertyKey[], message: string) =>
        context.addIssue({ code: "custom", path: ["children", ...path], message });
      if (children.Machine.length + children.CreateMachine.length === 0)
        issue(["Machine"], "a lab declares at least one <Machine> or <CreateMachine>");
      const machines = [...children.Machine, ...children.CreateMachine];
      const names = new Set(machines.map((machine) => machine.name));
      const declared = children.Machine.length;
      const at = (index: number) =>
        index < declared ? ["Machine", index] : ["CreateMachine", index - declared];
      children.Machine.forEach((machine, index) => {
        const problem = cloneProblem(machine, machines);
        if (problem) issue(["Machine", index, "attributes", "from"], problem);
      });
      duplicates(machines.map((machine) => machine.name)).forEach((index) =>
        issue(
          [...at(index), "attributes", "name"],
          `machine name "${machines[index]!.name}" is used twice`,
        ),
      );
      duplicates(machines.map((machine) => machine.address)).forEach((index) =>
        issue(
          [...at(index), "attributes", "address"],
          `machine address "${machines[index]!.address}" is used twice`,
        ),
      );
      const steps = children.Step;
      duplicates(steps.map((step) => step.attributes.id)).forEach((index) =>
        issue(
          ["Step", index, "attributes", "id"],
          `step id "${steps[index]!.attributes.id}" is used twice`,
        ),
      );
      steps.forEach((step, index) => {
        const { check } = step.attributes.check;
        const vm = step.attributes.vm;
        if (check.kind === "guest" && !vm && names.size > 1) {
          issue(
            ["Step", index, "attributes", "vm"],
            'a guest check needs vm="<machine>" when the lab has several machines',
          );
        }
        if (vm && !names.has(vm))
          issue(["Step", index, "attributes", "vm"], `no machine named "${vm}" in this lab`);
        for (const name of machinesOf(check)) {
          if (!names.has(name))
            issue(["Step", index, "attributes", "check"], `no machine named "${name}" in this lab`);
        }
        for (const action of step.children.Solution[0]!.attributes.do) {
          const problem =
            action.kind === "fill"
              ? fillProblem(action.field, children.CreateMachine.length > 0)
              : action.vm && !names.has(action.vm)
                ? `no machine named "${action.vm}" in this lab`
                : undefined;
          if (problem)
            issue(["Step", index, "children", "Solution", 0, "attributes", "do"], problem);
        }
      });
      children.Command.forEach((command, index) => {
        const vm = command.attributes.vm;
        if (vm ? !names.has(vm) : names.size > 1) {
          issue(
            ["Command", index, "attributes", "vm"],
            `<Command> needs vm="<machine>" naming one of ${[...names].join(", ")}`,
          );
        }
      });
    })
    .transform(({ attributes, children }): LabDefinition => {
      const machines = [...children.Machine, ...children.CreateMachine];
      const only = machines.length === 1 ? machines[0]!.name : undefined;
      return {
        id: attributes.id,
        title: attributes.title,
        ...(attributes.ordered === "true" && { ordered: true as const }),
        machines,
        steps: children.Step.map((step) => {
          const { id, title, check, vm } = step.attributes;
          return {
            id,
            title,
            vm: vm || (check.check.kind === "guest" ? only : undefined),
            check: check.check,
            checkSource: check.source,
            actions: step.children.Solution[0]!.attributes.do,
          };
        }),
      };
    }),
);

const quizElement = element(
  {
    id: idAttribute,
    question: attribute("is required"),
    multiple: flag.optional(),
  },
  {
    Choice: z.array(
      element(
        { correct: flag.optional(), feedback: attribute('every <Choice> needs feedback="..."') },
        {},
      ),
    ),
  },
);

export const quizSchema = quizElement.pipe(
  afterFields(quizElement)
    .superRefine(({ attributes, children }, context) => {
      const choices = children.Choice.map((choice) => ({
        correct: choice.attributes.correct === "true",
        feedback: choice.attributes.feedback,
      }));
      for (const message of validateQuiz(attributes.id, choices, attributes.multiple === "true")) {
        context.addIssue({ code: "custom", path: ["children", "Choice"], message });
      }
    })
    .transform(({ attributes, children }): QuizDefinition => ({
      id: attributes.id,
      multiple: attributes.multiple === "true",
      correctChoices: children.Choice.flatMap((choice, index) =>
        choice.attributes.correct === "true" ? [index] : [],
      ),
    })),
);

/** Why a solution cannot fill this field: the lab has no create form, or the form no such field. */
function fillProblem(field: string, hasForm: boolean): string | undefined {
  if (!hasForm) return `"fill ${field}: ..." needs a <CreateMachine> in this lab`;
  if (!(FORM_FIELDS as readonly string[]).includes(field))
    return `the create form has no field "${field}": use one of ${FORM_FIELDS.join(", ")}`;
  return undefined;
}

/** Indexes of values seen before (the second and later copies), skipping undefined. */
function duplicates(values: Array<string | undefined>): number[] {
  const seen = new Set<string>();
  return values.flatMap((value, index) => {
    if (value === undefined) return [];
    if (seen.has(value)) return [index];
    seen.add(value);
    return [];
  });
}
