import { describe, expect, it } from "vitest";
import { getLessons } from "@/lib/content/lessons";
import { readBody } from "@/lib/content/lesson";
import { parseMdx } from "@/lib/content/mdx";
import { getWorkshopLessons } from "@/lib/workshop/outline";
import { buildSlides } from "@/lib/workshop/slides";

function extract(body: string) {
  const file = "content/labs/test.mdx";
  return readBody(file, parseMdx(file, `---\ntitle: x\n---\n${body}`)).outline;
}

describe("workshop outline (build time)", () => {
  it("reads every lesson's lab steps as plain text, without hints or solutions", () => {
    const lessons = getWorkshopLessons(getLessons());
    expect(lessons).toHaveLength(getLessons().length);
    for (const [i, workshopLesson] of lessons.entries()) {
      const source = getLessons()[i]!;
      expect(workshopLesson.labs.map((lab) => lab.steps.map((step) => step.id))).toEqual(
        source.labs.map((lab) => lab.steps.map((step) => step.id)),
      );
      for (const step of workshopLesson.labs.flatMap((lab) => lab.steps)) {
        expect(step.title.length).toBeGreaterThan(0);
        expect(step.blocks.length, `${workshopLesson.slug}/${step.id}`).toBeGreaterThan(0);
      }
    }
    expect(lessons.filter((l) => l.notes.length > 0).length).toBeGreaterThanOrEqual(3);
    const slides = buildSlides(lessons);
    expect(slides.filter((s) => s.kind === "lesson")).toHaveLength(lessons.length);
  });

  it("turns a step into text and command blocks", () => {
    const result = extract(`
<InstructorNote>
Pair people up for **this** one.
</InstructorNote>

<Lab id="a" title="A lab">
  <Machine name="vm" profile="live" />
  <Step id="one" title="First" check="host: running >= 1">
    Press **Start**, then type \`ls\`:
    <Command>uname -a</Command>
    <Hint>secret hint</Hint>
    <Solution do="click vm Start">secret solution</Solution>
  </Step>
</Lab>
`);
    expect(result.notes).toEqual([[{ kind: "text", text: "Pair people up for this one." }]]);
    expect(result.labs[0]!.steps[0]).toEqual({
      id: "one",
      title: "First",
      blocks: [
        { kind: "text", text: "Press Start, then type ls:" },
        { kind: "code", text: "uname -a" },
      ],
    });
  });

  it("refuses empty, attributed, nested or overlong notes, naming the file and line", () => {
    expect(() => extract("\n<InstructorNote>\n</InstructorNote>\n")).toThrow(
      /content\/labs\/test\.mdx:5: <InstructorNote> is empty/,
    );
    expect(() => extract('\n<InstructorNote who="x">\nHi\n</InstructorNote>\n')).toThrow(
      /takes no attributes/,
    );
    expect(() =>
      extract("\n<InstructorNote>\n<InstructorNote>\nHi\n</InstructorNote>\n</InstructorNote>\n"),
    ).toThrow(/cannot contain another/);
    expect(() =>
      extract(`\n<InstructorNote>\n${"word ".repeat(400)}\n</InstructorNote>\n`),
    ).toThrow(/characters long/);
  });
});
