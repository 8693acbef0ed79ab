import type { MDXComponents } from "mdx/types";
import { Callout } from "@/components/mdx/callout";
import { Choice } from "@/components/mdx/choice";
import { Figure } from "@/components/mdx/figure";
import { LinkedHeading } from "@/components/mdx/linked-heading";
import { Quiz } from "@/components/mdx/quiz";
import { Term } from "@/components/mdx/term";

/** The one place lessons get their components from. */
const lessonComponents: MDXComponents = {
  h2: (props) => <LinkedHeading level={2} {...props} />,
  h3: (props) => <LinkedHeading level={3} {...props} />,
  Callout,
  Figure,
  Quiz,
  Choice,
  Term,
};

export function useMDXComponents(components?: MDXComponents): MDXComponents {
  return { ...lessonComponents, ...components };
}
