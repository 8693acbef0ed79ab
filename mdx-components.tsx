import type { MDXComponents } from "mdx/types";
import { Callout } from "@/components/mdx/callout";
import { Figure } from "@/components/mdx/figure";
import { LinkedHeading } from "@/components/mdx/linked-heading";

/** The one place lessons get their components from. */
const lessonComponents: MDXComponents = {
  h2: (props) => <LinkedHeading level={2} {...props} />,
  h3: (props) => <LinkedHeading level={3} {...props} />,
  Callout,
  Figure,
};

export function useMDXComponents(components?: MDXComponents): MDXComponents {
  return { ...lessonComponents, ...components };
}
