import remarkFrontmatter from "remark-frontmatter";
import remarkMdx from "remark-mdx";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { LabDefinitionError, validateLab } from "../labs/definition";
import type { LabDefinition, RawAttributes, RawLab } from "../labs/definition";
import { ContentError } from "./frontmatter";

interface MdxNode {
  type: string;
  name?: string | null;
  attributes?: Array<{ type: string; name?: string; value?: unknown }>;
  children?: MdxNode[];
  position?: { start: { line: number } };
}

export interface QuizKey {
  id: string;
  /** Indexes of the correct choices, in document order. */
  correctChoices: number[];
}

export interface LessonActivities {
  labs: LabDefinition[];
  quizIds: string[];
  quizzes: QuizKey[];
}

const parser = unified().use(remarkParse).use(remarkMdx).use(remarkFrontmatter);

function isElement(node: MdxNode, name: string): boolean {
  return (
    (node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement") && node.name === name
  );
}

function findAll(node: MdxNode, name: string, stopAt: string[] = []): MdxNode[] {
  const found: MdxNode[] = [];
  for (const child of node.children ?? []) {
    if (isElement(child, name)) found.push(child);
    else if (!stopAt.some((stop) => isElement(child, stop)))
      found.push(...findAll(child, name, stopAt));
  }
  return found;
}

function lineOf(node: MdxNode): string {
  return `line ${node.position?.start.line ?? "?"}`;
}

function attributesOf(file: string, node: MdxNode): RawAttributes {
  const attributes: RawAttributes = {};
  for (const attribute of node.attributes ?? []) {
    if (attribute.type !== "mdxJsxAttribute" || !attribute.name) {
      throw new ContentError(
        file,
        null,
        `${lineOf(node)}: <${node.name}> takes plain attributes only`,
      );
    }
    if (attribute.value === null || attribute.value === undefined) {
      attributes[attribute.name] = "true";
    } else if (typeof attribute.value === "string") {
      attributes[attribute.name] = attribute.value;
    } else {
      throw new ContentError(
        file,
        null,
        `${lineOf(node)}: <${node.name} ${attribute.name}=...> must be a plain string, e.g. ${attribute.name}="64"`,
      );
    }
  }
  return attributes;
}

function rawLab(file: string, lab: MdxNode): RawLab {
  return {
    attributes: attributesOf(file, lab),
    machines: findAll(lab, "Machine").map((machine) => attributesOf(file, machine)),
    steps: findAll(lab, "Step").map((step) => {
      const solutions = findAll(step, "Solution");
      return {
        attributes: attributesOf(file, step),
        solution: solutions[0] ? attributesOf(file, solutions[0]) : undefined,
        solutions: solutions.length,
      };
    }),
  };
}

function checkCommands(file: string, lab: MdxNode, definition: LabDefinition): void {
  const names = definition.machines.map((machine) => machine.name);
  for (const command of findAll(lab, "Command")) {
    const vm = attributesOf(file, command).vm;
    if (vm ? !names.includes(vm) : names.length > 1) {
      throw new ContentError(
        file,
        null,
        `${lineOf(command)}: <Command> needs vm="<machine>" naming one of ${names.join(", ")}`,
      );
    }
  }
}

function checkQuiz(file: string, quiz: MdxNode): QuizKey {
  const attributes = attributesOf(file, quiz);
  const where = `${lineOf(quiz)}: <Quiz${attributes.id ? ` id="${attributes.id}"` : ""}>`;
  if (!attributes.id) throw new ContentError(file, null, `${where} needs an id`);
  const choices = findAll(quiz, "Choice").map((choice) => attributesOf(file, choice));
  if (choices.length < 2)
    throw new ContentError(file, null, `${where} needs at least two <Choice>s`);
  if (!choices.some((choice) => choice.correct === "true")) {
    throw new ContentError(file, null, `${where} has no correct <Choice>`);
  }
  if (choices.some((choice) => !choice.feedback)) {
    throw new ContentError(file, null, `${where}: every <Choice> needs feedback="..."`);
  }
  const correctChoices = choices.flatMap((choice, index) =>
    choice.correct === "true" ? [index] : [],
  );
  return { id: attributes.id, correctChoices };
}

/** Finds and validates the labs and quizzes of a lesson; errors name the file and line. */
export function extractActivities(file: string, source: string): LessonActivities {
  let tree: MdxNode;
  try {
    tree = parser.parse(source) as MdxNode;
  } catch (error) {
    throw new ContentError(file, null, `not valid MDX: ${(error as Error).message}`);
  }
  const labs: LabDefinition[] = [];
  for (const lab of findAll(tree, "Lab")) {
    let definition: LabDefinition;
    try {
      definition = validateLab(rawLab(file, lab), `${lineOf(lab)}: <Lab>`);
    } catch (error) {
      if (error instanceof LabDefinitionError) throw new ContentError(file, null, error.message);
      throw error;
    }
    checkCommands(file, lab, definition);
    labs.push(definition);
  }
  const quizzes = findAll(tree, "Quiz").map((quiz) => checkQuiz(file, quiz));
  const quizIds = quizzes.map((quiz) => quiz.id);
  for (const [kind, ids] of [
    ["lab", labs.map((lab) => lab.id)],
    ["quiz", quizIds],
  ] as const) {
    const duplicate = ids.find((value, index) => ids.indexOf(value) !== index);
    if (duplicate) throw new ContentError(file, null, `${kind} id "${duplicate}" is used twice`);
  }
  // A lesson's labs share the page's switch: one pinned address per page.
  const addresses = labs.flatMap((lab) => lab.machines.flatMap((m) => m.address ?? []));
  const shared = addresses.find((value, index) => addresses.indexOf(value) !== index);
  if (shared)
    throw new ContentError(
      file,
      null,
      `address "${shared}" is pinned by two machines of this lesson (its labs share one switch)`,
    );
  return { labs, quizIds, quizzes };
}
