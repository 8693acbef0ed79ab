import type { ReactNode } from "react";

export interface ChoiceProps {
  /** A bare `correct` flag in MDX, or `correct="true"`. */
  correct?: boolean | string;
  feedback: string;
  children?: ReactNode;
}

/**
 * One answer of a `<Quiz>`. The quiz reads its props and renders it; on its own it shows only its
 * text, so a stray Choice never breaks a page.
 */
export function Choice({ children }: ChoiceProps) {
  return <>{children}</>;
}
