import { describe, expect, it } from "vitest";
import { evaluateQuiz, isTruthyAttribute, validateQuiz } from "@/lib/labs/quiz";
import type { QuizChoiceSpec } from "@/lib/labs/quiz";

const choice = (correct: boolean): QuizChoiceSpec => ({ correct, feedback: "why" });
const single = [choice(false), choice(true), choice(false)];
const several = [choice(true), choice(false), choice(true)];

describe("evaluateQuiz", () => {
  it("accepts the one correct choice of a single-choice quiz", () => {
    expect(evaluateQuiz(single, [1], false)).toEqual({ correct: true, wrongPicks: [], missed: [] });
  });

  it("rejects a wrong choice and names it", () => {
    expect(evaluateQuiz(single, [2], false)).toEqual({
      correct: false,
      wrongPicks: [2],
      missed: [],
    });
  });

  it("rejects an empty answer and ignores indexes that do not exist", () => {
    expect(evaluateQuiz(single, [], false).correct).toBe(false);
    expect(evaluateQuiz(single, [7], false).correct).toBe(false);
  });

  it("needs every correct choice and no wrong one when several are right", () => {
    expect(evaluateQuiz(several, [0, 2], true).correct).toBe(true);
    expect(evaluateQuiz(several, [2, 0, 2], true).correct).toBe(true);
    expect(evaluateQuiz(several, [0], true)).toEqual({
      correct: false,
      wrongPicks: [],
      missed: [2],
    });
    expect(evaluateQuiz(several, [0, 1, 2], true)).toEqual({
      correct: false,
      wrongPicks: [1],
      missed: [],
    });
    expect(evaluateQuiz(several, [], true).correct).toBe(false);
  });
});

describe("isTruthyAttribute", () => {
  it.each([
    [true, true],
    ["true", true],
    ["", true],
    ["TRUE", true],
    ["false", false],
    [false, false],
    [undefined, false],
    [1, false],
  ])("%j -> %j", (value, expected) => {
    expect(isTruthyAttribute(value)).toBe(expected);
  });
});

describe("validateQuiz", () => {
  it("accepts a well-formed quiz", () => {
    expect(validateQuiz("a-quiz", single, false)).toEqual([]);
    expect(validateQuiz("a-quiz", several, true)).toEqual([]);
  });

  it("names what is wrong", () => {
    expect(validateQuiz("Bad Id", single, false)).toEqual(['quiz id "Bad Id" is not kebab-case']);
    expect(validateQuiz("q", [choice(false), choice(false)], false)).toEqual([
      'quiz "q" has no correct choice',
    ]);
    expect(validateQuiz("q", several, false)).toEqual([
      'quiz "q" has 2 correct choices: add multiple="true"',
    ]);
    expect(validateQuiz("q", [choice(true)], false)).toEqual([
      'quiz "q" needs at least two choices',
    ]);
    expect(validateQuiz("q", [choice(true), { correct: false, feedback: " " }], false)).toEqual([
      'quiz "q" choice 2 has no feedback',
    ]);
  });
});

/** Reads each `<Quiz>` of a lesson's source the way the page will. */
