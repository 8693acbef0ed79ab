import type { Locator, Page } from "@playwright/test";
import { loadLessons } from "../../lib/content/lessons";
import type { SolutionAction } from "../../lib/labs/actions";
import { toRegExp } from "../../lib/labs/checks";
import { expect, test } from "./fixtures";

/*
 * Every lab the course ships is proven completable: for each step, do what its solution says the
 * way a learner would (buttons by their names, typing into the machine's console), then see the
 * step turn done by itself.
 */

const STEP_TIMEOUT_MS = 150_000;

function machinePanel(page: Page, vm: string): Locator {
  return page.getByRole("region", { name: `VM ${vm}`, exact: true });
}

/** The serial console of a machine, scrolled into view (the terminal draws only when visible). */
async function showConsole(page: Page, vm: string): Promise<Locator> {
  const panel = machinePanel(page, vm);
  const tab = panel.getByRole("tab", { name: "Serial console" });
  if ((await tab.getAttribute("aria-selected")) !== "true") await tab.click();
  await panel.scrollIntoViewIfNeeded();
  return panel;
}

/** Where a step's form controls are: its own create form when it has one, else the lab's. */
async function formScope(lab: Locator, step: Locator): Promise<Locator> {
  // The forms load with the lab's machines: wait for them before looking for the step's own.
  await expect(lab.getByRole("form", { name: "Create a VM" }).first()).toBeVisible({
    timeout: 30_000,
  });
  return (await step.getByRole("form", { name: "Create a VM" }).count()) > 0 ? step : lab;
}

async function perform(
  page: Page,
  lab: Locator,
  step: Locator,
  action: SolutionAction,
): Promise<void> {
  switch (action.kind) {
    case "fill": {
      // By its label, as a learner finds it: a typed value, or a choice by its visible text.
      const field = (await formScope(lab, step)).getByLabel(action.field, { exact: true });
      await expect(field).toBeEnabled({ timeout: 30_000 });
      if ((await field.evaluate((element) => element.tagName)) === "SELECT")
        await field.selectOption({ label: action.value });
      else await field.fill(action.value);
      return;
    }
    case "click": {
      const inForm = action.button === "Create VM";
      const scope = action.vm
        ? machinePanel(page, action.vm)
        : inForm
          ? await formScope(lab, step)
          : lab;
      const button = scope.getByRole("button", { name: action.button, exact: true });
      await expect(button).toBeEnabled({ timeout: STEP_TIMEOUT_MS });
      await button.click();
      return;
    }
    case "type": {
      const panel = machinePanel(page, action.vm);
      await expect(panel).toHaveAttribute("data-vm-state", "running", { timeout: STEP_TIMEOUT_MS });
      await showConsole(page, action.vm);
      await panel.getByLabel(`Console of ${action.vm}`).focus();
      await page.keyboard.type(action.text, { delay: 5 });
      await page.keyboard.press("Enter");
      return;
    }
    case "wait": {
      const rows = (await showConsole(page, action.vm)).locator(".xterm-rows");
      await expect(rows).toHaveText(toRegExp(action.pattern), { timeout: STEP_TIMEOUT_MS });
      return;
    }
  }
}

/**
 * The phrases a lab's steps put in bold (**Start**, **Clone**, **Memory (MB)**) that are not, right
 * now, a button or tab of that name (or "Clone snap-1" for **Clone**), a field with that label, or
 * a machine of the lab.
 */
async function unnamedControls(lab: Locator): Promise<Set<string>> {
  const phrases = new Set(
    (await lab.locator("[data-step-id] strong").allTextContents()).map((text) => text.trim()),
  );
  const missing = new Set<string>();
  for (const phrase of phrases) {
    const named = new RegExp(`^${phrase.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}( |$)`);
    const found = lab
      .getByRole("button", { name: named })
      .or(lab.getByRole("tab", { name: named }))
      .or(lab.getByLabel(phrase, { exact: true }))
      .or(lab.getByRole("region", { name: `VM ${phrase}`, exact: true }));
    if ((await found.count()) === 0) missing.add(phrase);
  }
  return missing;
}

for (const lesson of loadLessons()) {
  for (const labDefinition of lesson.labs) {
    test(`${lesson.slug}: lab "${labDefinition.id}" can be completed`, async ({ page }) => {
      test.setTimeout(STEP_TIMEOUT_MS * (labDefinition.steps.length + 1));
      await page.goto(`/labs/${lesson.slug}`);
      const lab = page.locator(`[data-lab-id="${labDefinition.id}"]`);
      // The machines sit at the top of the lab; a lab taller than the screen would be centred,
      // leaving them too far away to load (they load when near the screen).
      await lab.evaluate((element) => element.scrollIntoView({ block: "start" }));
      // The lab's own machines; the learner makes the others (a create form, a Clone) in its steps.
      for (const machine of labDefinition.machines.filter((m) => !m.form && !m.from)) {
        await expect(machinePanel(page, machine.name)).toBeVisible({ timeout: 30_000 });
      }
      // A control the text names is on the lab when the lab opens or once it is complete (a
      // button may change its name when pressed, another appear only after a step).
      const missingAtStart = await unnamedControls(lab);
      for (const step of labDefinition.steps) {
        const item = lab.locator(`[data-step-id="${step.id}"]`);
        for (const action of step.actions) await perform(page, lab, item, action);
        await expect(item, `step "${step.id}" (${step.checkSource})`).toHaveAttribute(
          "data-step-state",
          "done",
          {
            timeout: STEP_TIMEOUT_MS,
          },
        );
      }
      await expect(
        lab.getByText(`${labDefinition.steps.length} of ${labDefinition.steps.length} steps done`),
      ).toBeVisible();
      const missingAtEnd = await unnamedControls(lab);
      const neverThere = [...missingAtStart].filter((phrase) => missingAtEnd.has(phrase));
      expect(neverThere, "controls the lab's text names in bold that it never shows").toEqual([]);
    });
  }
}
