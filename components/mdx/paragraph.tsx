import { Children, isValidElement } from "react";
import type { ComponentProps, ReactNode } from "react";
import { markTransparent } from "@/lib/react-extract";

/**
 * MDX wraps a component written on the same line as text, or on one line with its content, in a
 * paragraph. A component that renders a block must not end up inside <p> (invalid HTML, and a
 * hydration error), so such a paragraph renders as a <div>.
 */
export function createParagraph(blockComponents: unknown[]) {
  const containsBlock = (children: ReactNode): boolean =>
    Children.toArray(children).some(
      (child) => isValidElement(child) && blockComponents.includes(child.type),
    );
  function Paragraph(props: ComponentProps<"p">) {
    return containsBlock(props.children) ? <div {...props} /> : <p {...props} />;
  }
  return markTransparent(Paragraph);
}
