import type { ReactNode } from "react";
import { slugify } from "@/lib/content/headings";
import { textOf } from "@/lib/react-text";

interface LinkedHeadingProps {
  level: 2 | 3;
  children?: ReactNode;
}

/** A heading with the same id the table of contents computes from the MDX source. */
export function LinkedHeading({ level, children }: LinkedHeadingProps) {
  const Tag = level === 2 ? "h2" : "h3";
  const id = slugify(textOf(children));
  return (
    <Tag id={id} className="group">
      {children}
      <a
        href={`#${id}`}
        className="ml-2 no-underline opacity-0 group-hover:opacity-60 focus:opacity-100"
        aria-label={`Link to this section`}
      >
        #
      </a>
    </Tag>
  );
}
