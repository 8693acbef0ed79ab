import { readFileSync } from "node:fs";
import path from "node:path";
import remarkFrontmatter from "remark-frontmatter";
import remarkMdx from "remark-mdx";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { ContentError } from "../content/frontmatter";
import type { Lesson } from "../content/lessons";

/**
 * What the workshop pages show of each lesson, read from the MDX at build time: lab steps as plain
 * text blocks (for the presenter view and the handout) and the lesson's instructor notes.
 */

export type TextBlock = { kind: "text"; text: string } | { kind: "code"; text: string };

export interface WorkshopStep {
  id: string;
  title: string;
  blocks: TextBlock[];
}

export interface WorkshopLab {
  id: string;
  title: string;
  steps: WorkshopStep[];
}

export interface WorkshopLesson {
  slug: string;
  order: number;
  title: string;
  summary: string;
  minutes: number;
  objectives: string[];
  labs: WorkshopLab[];
  /** Instructor notes, each as text blocks, in document order. */
  notes: TextBlock[][];
}

export const NOTE_COMPONENT = "InstructorNote";
export const NOTE_MAX_CHARS = 1200;
/** Parts of a step that are not its instruction. */
const LEFT_OUT = new Set(["Hint", "Solution", NOTE_COMPONENT, "Machine"]);

interface MdxNode {
  type: string;
  name?: string | null;
  value?: string;
  attributes?: Array<{ type: string; name?: string; value?: unknown }>;
  children?: MdxNode[];
  position?: { start: { line: number } };
}

const parser = unified().use(remarkParse).use(remarkMdx).use(remarkFrontmatter);

function isJsx(node: MdxNode): boolean {
  return node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement";
}

function attribute(node: MdxNode, name: string): string | undefined {
  const found = node.attributes?.find((a) => a.type === "mdxJsxAttribute" && a.name === name);
  return typeof found?.value === "string" ? found.value : undefined;
}

/** Inline content as one line of text: marks dropped, code and component text kept. */
function inlineText(node: MdxNode): string {
  if (node.type === "text" || node.type === "inlineCode") return node.value ?? "";
  if (node.type === "break") return " ";
  if (isJsx(node) && LEFT_OUT.has(node.name ?? "")) return "";
  return (node.children ?? []).map(inlineText).join("");
}

function clean(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Block content as text and code blocks, leaving out hints, solutions and notes. */
function blocksOf(nodes: MdxNode[]): TextBlock[] {
  const blocks: TextBlock[] = [];
  for (const node of nodes) {
    if (isJsx(node) && LEFT_OUT.has(node.name ?? "")) continue;
    if (node.type === "code") {
      blocks.push({ kind: "code", text: (node.value ?? "").trim() });
    } else if (isJsx(node) && node.name === "Command") {
      blocks.push({ kind: "code", text: clean(inlineText(node)) });
    } else if (node.type === "paragraph" || node.type === "heading") {
      // A paragraph can hold a <Command> written inline with text around it.
      let text = "";
      for (const child of node.children ?? []) {
        if (isJsx(child) && child.name === "Command") {
          if (clean(text)) blocks.push({ kind: "text", text: clean(text) });
          blocks.push({ kind: "code", text: clean(inlineText(child)) });
          text = "";
        } else text += inlineText(child);
      }
      if (clean(text)) blocks.push({ kind: "text", text: clean(text) });
    } else if (node.type === "list") {
      for (const item of node.children ?? []) {
        const text = clean(inlineText(item));
        if (text) blocks.push({ kind: "text", text: `• ${text}` });
      }
    } else if (node.children) {
      blocks.push(...blocksOf(node.children));
    }
  }
  return blocks;
}

function findAll(node: MdxNode, name: string): MdxNode[] {
  const found: MdxNode[] = [];
  for (const child of node.children ?? []) {
    if (isJsx(child) && child.name === name) found.push(child);
    found.push(...findAll(child, name));
  }
  return found;
}

function notesOf(file: string, tree: MdxNode): TextBlock[][] {
  return findAll(tree, NOTE_COMPONENT).map((note) => {
    const where = `line ${note.position?.start.line ?? "?"}: <${NOTE_COMPONENT}>`;
    if ((note.attributes ?? []).length > 0) {
      throw new ContentError(file, null, `${where} takes no attributes`);
    }
    if (findAll(note, NOTE_COMPONENT).length > 0) {
      throw new ContentError(file, null, `${where} cannot contain another ${NOTE_COMPONENT}`);
    }
    const blocks = blocksOf(note.children ?? []);
    const length = blocks.reduce((sum, block) => sum + block.text.length, 0);
    if (length === 0) throw new ContentError(file, null, `${where} is empty`);
    if (length > NOTE_MAX_CHARS) {
      throw new ContentError(
        file,
        null,
        `${where} is ${length} characters long; keep notes under ${NOTE_MAX_CHARS}`,
      );
    }
    return blocks;
  });
}

/** Reads one lesson source; errors name the file and line, like the rest of the content checks. */
export function extractWorkshopLesson(
  file: string,
  source: string,
  lesson: Lesson,
): WorkshopLesson {
  let tree: MdxNode;
  try {
    tree = parser.parse(source) as MdxNode;
  } catch (error) {
    throw new ContentError(file, null, `not valid MDX: ${(error as Error).message}`);
  }
  const labs = findAll(tree, "Lab").map((lab) => ({
    id: attribute(lab, "id") ?? "",
    title: attribute(lab, "title") ?? "",
    steps: findAll(lab, "Step").map((step) => ({
      id: attribute(step, "id") ?? "",
      title: attribute(step, "title") ?? "",
      blocks: blocksOf(step.children ?? []),
    })),
  }));
  return {
    slug: lesson.slug,
    order: lesson.order,
    title: lesson.title,
    summary: lesson.summary,
    minutes: lesson.minutes,
    objectives: lesson.objectives,
    labs,
    notes: notesOf(file, tree),
  };
}

export function getWorkshopLessons(lessons: Lesson[]): WorkshopLesson[] {
  return lessons.map((lesson) => {
    const file = path.join("content", "labs", `${lesson.fileStem}.mdx`);
    const source = readFileSync(path.join(/*turbopackIgnore: true*/ process.cwd(), file), "utf8");
    return extractWorkshopLesson(file, source, lesson);
  });
}
