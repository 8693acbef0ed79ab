import { Children, isValidElement } from "react";
import type { ReactElement, ReactNode } from "react";
import { isTruthyAttribute } from "@/lib/labs/quiz";
import { Choice } from "./choice";
import type { ChoiceProps } from "./choice";
import { QuizClient } from "./quiz.client";
import type { QuizClientChoice } from "./quiz.client";

interface QuizProps {
  id: string;
  question: string;
  multiple?: boolean | string;
  children?: ReactNode;
}

function isChoice(node: ReactNode): node is ReactElement<ChoiceProps> {
  if (!isValidElement(node)) return false;
  if (node.type === Choice) return true;
  const props = node.props as Partial<ChoiceProps> | null;
  return typeof props?.feedback === "string";
}

/** MDX wraps multi-line choice text in a paragraph, which may not sit inside a label. */
function unwrapParagraph(node: ReactNode): ReactNode {
  if (isValidElement<{ children?: ReactNode }>(node) && node.type === "p") {
    return node.props.children;
  }
  return node;
}

/** A single or multiple choice question with feedback per answer (server part). */
export function Quiz({ id, question, multiple, children }: QuizProps) {
  const choices: QuizClientChoice[] = Children.toArray(children)
    .filter(isChoice)
    .map((choice) => ({
      content: Children.map(choice.props.children, unwrapParagraph),
      correct: isTruthyAttribute(choice.props.correct),
      feedback: choice.props.feedback,
    }));
  const isMultiple = isTruthyAttribute(multiple);
  return <QuizClient id={id} question={question} multiple={isMultiple} choices={choices} />;
}
