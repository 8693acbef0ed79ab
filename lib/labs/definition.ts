import { MEMORY_MAX_MB, MIN_MEMORY_MB } from "../emulator/memory-limits";
import { isSwitchAddress } from "../emulator/switch-addresses";
import { z } from "../zod";
import { CheckSyntaxError, machinesOf, parseCheck } from "./checks";
import type { Check } from "./checks";
import { parseActions } from "./actions";
import type { SolutionAction } from "./actions";
import { validateQuiz } from "./quiz";

/*
 * The schemas of a lesson's labs and quizzes. The content pipeline (lib/content) reads the
 * elements from the MDX tree and validates them here once, at build time; the browser receives
 * the definitions these schemas return and never checks them again. Over 300 lines because the
 * schemas of a lab's elements (Machine, Step, Solution, Command) and the rules between them belong
 * together: each rule reads the others' validated output.
 */

/** Guest profiles a lab may ask for; tests keep this in step with the image recipe's manifest. */
export const KNOWN_PROFILES = ["live", "installer", "baremetal"] as const;
export type ProfileName = (typeof KNOWN_PROFILES)[number];

export const MACHINE_NAME = /^[a-z][a-z0-9-]{0,15}$/;
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface MachineDefinition {
  name: string;
  profile: ProfileName;
  memoryMb?: number;
  network: "none" | "switch";
  /** Its address on the switch, pinned so that the lab's text and checks can name it. */
  address?: string;
  /** Its network card: virtio-net unless the lab asks for an NE2000 (`nic="ne2k"`). */
  nic?: "virtio" | "ne2k";
  autostart: boolean;
}

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
  machines: MachineDefinition[];
  steps: StepDefinition[];
}

export interface QuizDefinition {
  id: string;
  multiple: boolean;
  /** Indexes of the correct choices, in document order. */
  correctChoices: number[];
}

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

function attribute(required: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? required : undefined) })
    .trim()
    .min(1, required);
}

const idAttribute = attribute("is required").regex(ID, "must be kebab-case (a-z, 0-9, -)");

function element<T extends z.ZodRawShape, C extends z.ZodRawShape>(attributes: T, children: C) {
  return z.object({
    tag: z.string(),
    line: z.number(),
    attributes: z.object(attributes).strict(),
    children: z.object(children),
  });
}

const flag = z.enum(["true", "false"], { error: 'must be "true" or "false"' });

const machineElement = element(
  {
    name: attribute("is required").regex(MACHINE_NAME, `must match ${MACHINE_NAME}`),
    profile: z.enum(KNOWN_PROFILES, {
      error: (issue) =>
        issue.input === undefined
          ? "is required"
          : `unknown profile "${String(issue.input)}": use one of ${KNOWN_PROFILES.join(", ")}`,
    }),
    memory: z.string().optional(),
    network: z.enum(["none", "switch"], { error: 'must be "none" or "switch"' }).optional(),
    address: z.string().trim().optional(),
    nic: z.enum(["virtio", "ne2k"], { error: 'must be "virtio" or "ne2k"' }).optional(),
    autostart: flag.optional(),
  },
  {},
);

/**
 * The output of `schema`, for the rules between fields: piped after it, they run only once every
 * field is valid (a pipe stops at the first failure), so one mistake is not reported twice.
 */
function then<S extends z.ZodType>(_schema: S) {
  return z.custom<z.output<S>>(() => true);
}

export const machineSchema = machineElement.pipe(
  then(machineElement)
    .superRefine(({ attributes }, context) => {
      const { memory, profile, address, network } = attributes;
      if (memory !== undefined) {
        // Digits only: Number() would also take "0x80" or "1e2" and run a VM the author did not write.
        const mb = /^\d{1,6}$/.test(memory.trim()) ? Number(memory) : NaN;
        const min = MIN_MEMORY_MB[profile];
        if (!Number.isInteger(mb) || mb < min || mb > MEMORY_MAX_MB) {
          context.addIssue({
            code: "custom",
            path: ["attributes", "memory"],
            message: `"${memory}" must be a whole number of MiB from ${min} to ${MEMORY_MAX_MB} for a ${profile} guest`,
          });
        }
      }
      if (address !== undefined) {
        const message =
          network !== "switch"
            ? 'an address needs network="switch"'
            : isSwitchAddress(address)
              ? undefined
              : `"${address}" must be one of 10.0.0.1 to 10.0.0.254`;
        if (message) context.addIssue({ code: "custom", path: ["attributes", "address"], message });
      }
    })
    .transform(({ attributes }): MachineDefinition => {
      const { name, profile, memory, network = "none", address, nic, autostart } = attributes;
      return {
        name,
        profile,
        memoryMb: memory === undefined ? undefined : Number(memory),
        network,
        ...(address !== undefined && { address }),
        ...(nic !== undefined && { nic }),
        autostart: autostart === "true",
      };
    }),
);

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
  { id: idAttribute, title: attribute("is required") },
  {
    Machine: z.array(machineSchema).min(1, "a lab declares at least one <Machine>"),
    Step: z.array(stepSchema).min(1, "a lab has at least one <Step>"),
    Command: z.array(element({ vm: z.string().trim().optional() }, {})),
  },
);

export const labSchema = labElement.pipe(
  then(labElement)
    .superRefine(({ children }, context) => {
      const machines = children.Machine;
      const names = new Set(machines.map((machine) => machine.name));
      const issue = (path: PropertyKey[], message: string) =>
        context.addIssue({ code: "custom", path: ["children", ...path], message });
      duplicates(machines.map((machine) => machine.name)).forEach((index) =>
        issue(
          ["Machine", index, "attributes", "name"],
          `machine name "${machines[index]!.name}" is used twice`,
        ),
      );
      duplicates(machines.map((machine) => machine.address)).forEach((index) =>
        issue(
          ["Machine", index, "attributes", "address"],
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
          if (action.vm && !names.has(action.vm)) {
            issue(
              ["Step", index, "children", "Solution", 0, "attributes", "do"],
              `no machine named "${action.vm}" in this lab`,
            );
          }
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
      const machines = children.Machine;
      const only = machines.length === 1 ? machines[0]!.name : undefined;
      return {
        id: attributes.id,
        title: attributes.title,
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
  then(quizElement)
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
