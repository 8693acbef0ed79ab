import { expect, it } from "vitest";
import { listenToLabActivity, reportLabActivity, type LabActivity } from "@/lib/labs/activity";

it("keeps what happened before anyone listened, in order and bounded, then hands over live", () => {
  for (let n = 0; n < 250; n++) {
    reportLabActivity({ lesson: "first-vm", step: `s-${n}`, kind: "step-started" });
  }
  const heard: LabActivity[] = [];
  const stop = listenToLabActivity((activity) => heard.push(activity));
  expect(heard.map((activity) => activity.step)).toEqual(
    Array.from({ length: 200 }, (_, n) => `s-${n + 50}`),
  );
  reportLabActivity({ lesson: "first-vm", step: "live", kind: "step-done" });
  expect(heard.at(-1)).toMatchObject({ step: "live", kind: "step-done" });
  expect(heard.at(-1)!.at).toBeGreaterThan(0);

  stop();
  reportLabActivity({ lesson: "first-vm", step: "later", kind: "stuck" });
  expect(heard).toHaveLength(201);
  const again: LabActivity[] = [];
  listenToLabActivity((activity) => again.push(activity))();
  expect(again.map((activity) => activity.step)).toEqual(["later"]);
});
