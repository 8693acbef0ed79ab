import { Children, cloneElement, isValidElement } from "react";
import type { ReactElement, ReactNode } from "react";

const TRANSPARENT = Symbol.for("vlabs.transparent");

/** Marks a wrapper component (like the MDX paragraph) that extractElements may look inside. */
export function markTransparent<T extends object>(component: T): T {
  return Object.assign(component, { [TRANSPARENT]: true });
}

function isTransparent(type: unknown): boolean {
  return typeof type === "string" || (typeof type === "function" && TRANSPARENT in type);
}

/**
 * Pulls elements of the given component types out of MDX children, also from inside the
 * paragraphs MDX wraps around components written without a blank line before them.
 * Returns what is left to render and what was found, in document order.
 */
export function extractElements(
  children: ReactNode,
  types: unknown[],
): { rest: ReactNode[]; found: ReactElement[] } {
  const found: ReactElement[] = [];
  const walk = (nodes: ReactNode): ReactNode[] =>
    Children.toArray(nodes).flatMap((node) => {
      if (!isValidElement<{ children?: ReactNode }>(node)) return [node];
      if (types.includes(node.type)) {
        found.push(node);
        return [];
      }
      if (isTransparent(node.type) && node.props.children !== undefined) {
        const inner = walk(node.props.children);
        const meaningful = inner.some((child) => typeof child !== "string" || child.trim() !== "");
        return meaningful ? [cloneElement(node, undefined, ...inner)] : [];
      }
      return [node];
    });
  const rest = walk(children);
  return { rest, found };
}

export function ofType<P>(elements: ReactElement[], type: unknown): Array<ReactElement<P>> {
  return elements.filter((element): element is ReactElement<P> => element.type === type);
}
