/** Quiz answer logic, free of React so it can be tested and reused by the progress store. */

export type QuizState = "unanswered" | "correct" | "incorrect";

export interface QuizChoiceSpec {
  correct: boolean;
  feedback: string;
}

export interface QuizVerdict {
  correct: boolean;
  /** Indexes of choices the learner picked that are wrong. */
  wrongPicks: number[];
  /** Indexes of correct choices the learner left out (multiple choice only). */
  missed: number[];
}

/** MDX attributes arrive as strings (`multiple="true"`) or as bare flags (`correct`). */
export function isTruthyAttribute(value: unknown): boolean {
  if (value === true) return true;
  if (typeof value === "string") return value === "" || value.toLowerCase() === "true";
  return false;
}

/** Whether a set of picked choice indexes answers the quiz. */
export function evaluateQuiz(
  choices: readonly QuizChoiceSpec[],
  picked: readonly number[],
  multiple: boolean,
): QuizVerdict {
  const chosen = new Set(
    picked.filter((index) => Number.isInteger(index) && index >= 0 && index < choices.length),
  );
  const wrongPicks = [...chosen].filter((index) => !choices[index]!.correct).sort((a, b) => a - b);
  if (!multiple) {
    const only = [...chosen];
    const correct = only.length === 1 && choices[only[0]!]!.correct;
    return { correct, wrongPicks, missed: [] };
  }
  const missed = choices
    .map((choice, index) => (choice.correct && !chosen.has(index) ? index : -1))
    .filter((index) => index >= 0);
  return {
    correct: chosen.size > 0 && wrongPicks.length === 0 && missed.length === 0,
    wrongPicks,
    missed,
  };
}

/** Problems with a quiz's definition, as sentences; empty when it is well formed. */
export function validateQuiz(
  id: string,
  choices: readonly QuizChoiceSpec[],
  multiple: boolean,
): string[] {
  const problems: string[] = [];
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) problems.push(`quiz id "${id}" is not kebab-case`);
  if (choices.length < 2) problems.push(`quiz "${id}" needs at least two choices`);
  const correct = choices.filter((choice) => choice.correct).length;
  if (correct === 0) problems.push(`quiz "${id}" has no correct choice`);
  if (!multiple && correct > 1) {
    problems.push(`quiz "${id}" has ${correct} correct choices: add multiple="true"`);
  }
  choices.forEach((choice, index) => {
    if (!choice.feedback.trim()) problems.push(`quiz "${id}" choice ${index + 1} has no feedback`);
  });
  return problems;
}

export const QUIZ_ANSWERED_EVENT = "vlabs:quiz-answered";

export interface QuizAnsweredDetail {
  quizId: string;
  correct: boolean;
}
