import type { LessonRequirements } from "../labs/progress";
import type { Lesson } from "./lessons";

/** What a lesson asks of the learner, as plain data for client components. */
export function requirementsOf(lesson: Lesson): LessonRequirements {
  return {
    slug: lesson.slug,
    labs: lesson.labs.map((lab) => ({ id: lab.id, steps: lab.steps.map((step) => step.id) })),
    quizIds: lesson.quizzes.map((quiz) => quiz.id),
  };
}
