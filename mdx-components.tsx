import type { MDXComponents } from "mdx/types";
import { LabCloudConsole } from "@/components/cloud/cloud-lab.client";
import { Callout } from "@/components/mdx/callout";
import { Choice } from "@/components/mdx/choice";
import { Figure } from "@/components/mdx/figure";
import { InstructorNote } from "@/components/mdx/instructor-note";
import {
  Command,
  CreateMachine,
  Hint,
  HostLoad,
  HostPicture,
  Lab,
  Machine,
  Solution,
  Step,
} from "@/components/mdx/lab";
import { LinkedHeading } from "@/components/mdx/linked-heading";
import { OverheadPanel } from "@/components/overhead/overhead-lab.client";
import { createParagraph } from "@/components/mdx/paragraph";
import { Quiz } from "@/components/mdx/quiz";
import { SourceCode } from "@/components/mdx/source-code";
import { Term } from "@/components/mdx/term";

/** The one place lessons get their components from. */
const lessonComponents: MDXComponents = {
  p: createParagraph([
    Lab,
    Step,
    Command,
    HostLoad,
    HostPicture,
    Callout,
    Figure,
    Quiz,
    SourceCode,
  ]),
  h2: (props) => <LinkedHeading level={2} {...props} />,
  h3: (props) => <LinkedHeading level={3} {...props} />,
  Callout,
  Figure,
  Lab,
  Machine,
  CreateMachine,
  Step,
  Hint,
  Solution,
  Command,
  HostLoad,
  HostPicture,
  Quiz,
  Choice,
  Term,
  OverheadPanel,
  CloudConsole: LabCloudConsole,
  InstructorNote,
  SourceCode,
};

export function useMDXComponents(components?: MDXComponents): MDXComponents {
  return { ...lessonComponents, ...components };
}
