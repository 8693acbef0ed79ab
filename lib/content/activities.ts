import { labSchema, quizSchema } from "../labs/definition";
import type { LabDefinition, QuizDefinition, RawElement } from "../labs/definition";
import type { z } from "../zod";
import { getGlossaryEntry } from "./glossary";
import { ContentError } from "./errors";
import type { ContentProblem } from "./errors";
import { attributesOf, findAll, lineOf, parseMdx, rawElement } from "./mdx";
import type { MdxNode } from "./mdx";

export interface LessonActivities {
  labs: LabDefinition[];
  quizzes: QuizDefinition[];
}

/** `<Step id="start">`: the element as an author finds it in the source. */
function describe(element: RawElement): string {
  const key = element.attributes.id ?? element.attributes.name;
  return key === undefined
    ? `<${element.tag}>`
    : `<${element.tag} ${element.attributes.id === undefined ? "name" : "id"}="${key}">`;
}

/** A schema's issue, placed on the element and attribute of the source it is about. */
function placeIssue(file: string, raw: RawElement, issue: z.core.$ZodIssue): ContentProblem {
  let element = raw;
  let field: string | undefined;
  const path = [...issue.path];
  while (path.length > 0) {
    const key = path.shift();
    if (key === "attributes") {
      field = path.length > 0 ? String(path.shift()) : undefined;
    } else if (key === "children" && path.length >= 2) {
      const tag = String(path.shift());
      const child = element.children[tag]?.[Number(path.shift())];
      if (!child) break;
      element = child;
    } else break;
  }
  if (issue.code === "unrecognized_keys") {
    const allowed = Object.keys(schemaAttributes[element.tag] ?? {});
    return {
      file,
      line: element.line,
      element: describe(element),
      field: issue.keys.join(", "),
      message: `is not an attribute of <${element.tag}>${allowed.length > 0 ? ` (it takes ${allowed.join(", ")})` : ""}`,
    };
  }
  const value = field === undefined ? undefined : element.attributes[field];
  const quoted = value === undefined ? "" : `"${value}"`;
  const message =
    issue.code === "custom" || quoted === "" || issue.message.includes(quoted)
      ? issue.message
      : `${quoted} ${issue.message}`;
  return { file, line: element.line, element: describe(element), field, message };
}

/** The attributes each validated component takes, for "unknown attribute" messages. */
const schemaAttributes: Record<string, Record<string, unknown>> = {
  Lab: { id: 1, title: 1, ordered: 1 },
  Machine: { name: 1, profile: 1, memory: 1, network: 1, address: 1, autostart: 1, from: 1 },
  CreateMachine: { name: 1, profiles: 1, memory: 1, disk: 1, network: 1, address: 1 },
  Step: { id: 1, title: 1, check: 1, vm: 1 },
  Solution: { do: 1 },
  Command: { vm: 1 },
  Quiz: { id: 1, question: 1, multiple: 1 },
  Choice: { correct: 1, feedback: 1 },
};

function validate<T>(
  file: string,
  schema: z.ZodType<T, unknown>,
  raw: RawElement,
): { ok: true; value: T } | { ok: false; problems: ContentProblem[] } {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problems: result.error.issues.map((issue) => placeIssue(file, raw, issue)) };
}

/**
 * Validates a lesson's labs, quizzes and glossary terms against their schemas. Every problem in
 * the file is reported at once, each with its line and attribute.
 */
export function activitiesOf(file: string, tree: MdxNode): LessonActivities {
  const problems: ContentProblem[] = [];
  const labs: LabDefinition[] = [];
  for (const node of findAll(tree, "Lab")) {
    if (node.type !== "mdxJsxFlowElement") {
      problems.push({
        file,
        line: lineOf(node),
        element: "<Lab>",
        message: "must stand on its own lines, not inside a paragraph",
      });
      continue;
    }
    const raw = rawElement(file, node, {
      Machine: [],
      CreateMachine: [],
      Step: ["Solution"],
      Command: [],
    });
    const result = validate(file, labSchema, raw);
    if (result.ok) labs.push(result.value);
    else problems.push(...result.problems);
  }
  const quizzes: QuizDefinition[] = [];
  for (const node of findAll(tree, "Quiz")) {
    const result = validate(file, quizSchema, rawElement(file, node, { Choice: [] }));
    if (result.ok) quizzes.push(result.value);
    else problems.push(...result.problems);
  }
  for (const node of findAll(tree, "Term")) {
    const id = attributesOf(file, node).id;
    if (!id || !getGlossaryEntry(id)) {
      problems.push({
        file,
        line: lineOf(node),
        element: "<Term>",
        field: "id",
        message: id ? `"${id}" is not in the glossary (lib/content/glossary.ts)` : "is required",
      });
    }
  }
  for (const [kind, ids] of [
    ["lab", labs.map((lab) => lab.id)],
    ["quiz", quizzes.map((quiz) => quiz.id)],
  ] as const) {
    const duplicate = ids.find((value, index) => ids.indexOf(value) !== index);
    if (duplicate) problems.push({ file, message: `${kind} id "${duplicate}" is used twice` });
  }
  // A lesson's labs share the page's switch: one pinned address per page.
  const addresses = labs.flatMap((lab) => lab.machines.flatMap((m) => m.address ?? []));
  const shared = addresses.find((value, index) => addresses.indexOf(value) !== index);
  if (shared) {
    problems.push({
      file,
      message: `address "${shared}" is pinned by two machines of this lesson (its labs share one switch)`,
    });
  }
  if (problems.length > 0) throw new ContentError(problems);
  return { labs, quizzes };
}

/** Parses an MDX source and validates its activities (tests and tools; the site uses readLesson). */
export function extractActivities(file: string, source: string): LessonActivities {
  return activitiesOf(file, parseMdx(file, source));
}
