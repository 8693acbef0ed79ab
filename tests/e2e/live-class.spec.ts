import { expect, test, expectNoSeriousAxeViolations } from "./fixtures";

/*
 * A live class in two browser contexts: the instructor creates a class and watches; a learner
 * joins with the code, starts a lab's first step, and the instructor's grid shows it without a
 * reload; a broadcast reaches the learner as a banner with a link, and the lab stays put.
 */
test("a learner's step reaches the instructor's live grid, a broadcast reaches the learner", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const instructorContext = await browser.newContext();
  const learnerContext = await browser.newContext();
  const instructor = await instructorContext.newPage();
  const learner = await learnerContext.newPage();

  await instructor.goto("/workshop/live");
  await instructor.getByLabel("Title").fill("Tuesday group");
  await instructor.getByRole("button", { name: "Create class" }).click();
  const code = (await instructor.locator("[data-join-code]").textContent())!.trim();
  expect(code).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
  await expect(instructor.getByText("No one has joined yet.")).toBeVisible();
  await expectNoSeriousAxeViolations(instructor);

  // A name with HTML in it is shown as the text it is.
  const name = "<b>Ada</b>";
  await learner.goto("/workshop");
  await learner.getByLabel("Class code").fill(code.toLowerCase());
  await learner.getByLabel("Your name").fill(name);
  await learner.getByRole("button", { name: "Join", exact: true }).click();
  await expect(learner.getByText(`Joined as ${name}, class ${code}.`)).toBeVisible();
  await expect(learner.getByRole("link", { name: `Joined class ${code}` })).toBeVisible();
  await expectNoSeriousAxeViolations(learner);

  const row = instructor.locator("tr", { has: instructor.getByRole("rowheader", { name }) });
  await expect(row).toBeVisible();
  await expect(row.getByRole("rowheader")).toContainText(name);

  // Opening the lab starts its first step; starting the guest completes it.
  await learner.goto("/labs/building-blocks");
  const cell = row.locator("td[data-cell-state]").first();
  await expect(cell).toHaveAttribute("data-cell-state", "in-progress");
  await expect(row.locator("[data-steps-done]")).toHaveText("0");
  // The lab's machines are made when it comes near the viewport.
  await learner.locator('[data-lab-id="interview-a-guest"]').scrollIntoViewIfNeeded();
  const panel = learner.getByRole("region", { name: "VM guest", exact: true });
  await panel.scrollIntoViewIfNeeded();
  await panel.getByRole("button", { name: "Start", exact: true }).click();
  await expect(learner.locator('[data-step-id="boot-guest"]')).toHaveAttribute(
    "data-step-state",
    "done",
    { timeout: 60_000 },
  );
  await expect(cell).toHaveAttribute("data-cell-state", "done", { timeout: 5_000 });
  await expect(row.locator("[data-steps-done]")).toHaveText("1");
  await expectNoSeriousAxeViolations(instructor);

  // A broadcast: the message and a link, never a navigation away from the running lab.
  await instructor.getByLabel("Message").fill("Break until 11:00");
  await instructor.getByLabel("Offer a lesson to go to").selectOption({ index: 1 });
  await instructor.getByRole("button", { name: "Send to the class" }).click();
  const banner = learner.getByRole("status", { name: "Message from the instructor" });
  await expect(banner).toContainText("Break until 11:00");
  await expect(banner.getByRole("link", { name: /Go to lesson/ })).toBeVisible();
  await expect(learner).toHaveURL(/\/labs\/building-blocks\/?$/);
  await expect(panel).toHaveAttribute("data-vm-state", "running");
  await banner.getByRole("button", { name: "Close message" }).click();
  await expect(banner).toBeHidden();

  await instructorContext.close();
  await learnerContext.close();
});
