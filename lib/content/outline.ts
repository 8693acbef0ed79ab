import type { LabDefinition } from "../labs/definition";
import { ContentError } from "./errors";
import { findAll, isJsx, lineOf } from "./mdx";
import type { MdxNode } from "./mdx";

/**
 * What the workshop pages show of a lesson: lab steps as plain text blocks (for the presenter
 * view and the handout) and the lesson's instructor notes, derived from the lesson's tree.
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

export interface LessonOutline {
  labs: WorkshopLab[];
  /** Instructor notes, each as text blocks, in document order. */
  notes: TextBlock[][];
}

export const NOTE_COMPONENT = "InstructorNote";
export const NOTE_MAX_CHARS = 1200;
/** Parts of a step that are not its instruction. */
const LEFT_OUT = new Set(["Hint", "Solution", NOTE_COMPONENT, "Machine", "CreateMachine"]);

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
    } else if (isJsx(node, "Command")) {
      blocks.push({ kind: "code", text: clean(inlineText(node)) });
    } else if (node.type === "paragraph" || node.type === "heading") {
      // A paragraph can hold a <Command> written inline with text around it.
      let text = "";
      for (const child of node.children ?? []) {
        if (isJsx(child, "Command")) {
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

function notesOf(file: string, tree: MdxNode): TextBlock[][] {
  return findAll(tree, NOTE_COMPONENT).map((note) => {
    const problem = { file, line: lineOf(note), element: `<${NOTE_COMPONENT}>` };
    if ((note.attributes ?? []).length > 0) {
      throw new ContentError({ ...problem, message: "takes no attributes" });
    }
    if (findAll(note, NOTE_COMPONENT).length > 0) {
      throw new ContentError({ ...problem, message: `cannot contain another ${NOTE_COMPONENT}` });
    }
    const blocks = blocksOf(note.children ?? []);
    const length = blocks.reduce((sum, block) => sum + block.text.length, 0);
    if (length === 0) throw new ContentError({ ...problem, message: "is empty" });
    if (length > NOTE_MAX_CHARS) {
      throw new ContentError({
        ...problem,
        message: `is ${length} characters long; keep notes under ${NOTE_MAX_CHARS}`,
      });
    }
    return blocks;
  });
}

/** The workshop's view of a lesson, beside its validated labs (same order as in the tree). */
export function outlineOf(
  file: string,
  tree: MdxNode,
  labs: readonly LabDefinition[],
): LessonOutline {
  return {
    labs: findAll(tree, "Lab").map((lab, labIndex) => {
      const definition = labs[labIndex]!;
      return {
        id: definition.id,
        title: definition.title,
        steps: findAll(lab, "Step").map((step, stepIndex) => ({
          id: definition.steps[stepIndex]!.id,
          title: definition.steps[stepIndex]!.title,
          blocks: blocksOf(step.children ?? []),
        })),
      };
    }),
    notes: notesOf(file, tree),
  };
}
