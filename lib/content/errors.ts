/** One thing wrong in a lesson (or a docs example), where the author can find it. */
export interface ContentProblem {
  file: string;
  /** 1-based line in the file; absent when the problem is the file as a whole. */
  line?: number;
  /** The component it is about, as written: `<Step id="start">`. */
  element?: string;
  /** The frontmatter field or component attribute at fault. */
  field?: string;
  message: string;
}

/** `content/labs/02-x.mdx:14: <Step id="start"> field "check": malformed check: ...` */
export function formatProblem(problem: ContentProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  const element = problem.element ? `${problem.element} ` : "";
  const field = problem.field ? `field "${problem.field}": ` : "";
  return `${where}: ${element}${field}${problem.message}`;
}

/** Every refusal of the content pipeline; the message lists each problem on its own line. */
export class ContentError extends Error {
  readonly problems: readonly ContentProblem[];

  constructor(problems: ContentProblem | readonly ContentProblem[]) {
    const list = Array.isArray(problems) ? problems : [problems as ContentProblem];
    super(list.map(formatProblem).join("\n"));
    this.name = "ContentError";
    this.problems = list;
  }

  get file(): string {
    return this.problems[0]!.file;
  }

  get field(): string | null {
    return this.problems[0]!.field ?? null;
  }
}
