import type { BrowserDriver } from "./driver";
import { existsAfterScroll, textOf } from "./page-queries";
import {
  answer,
  BOOT_TIMEOUT_MS,
  fillField,
  panel,
  press,
  waitAttribute,
  waitFor,
} from "./scenario-steps";

/*
 * The smoke scenario every engine runs, written once against BrowserDriver: a lesson loads
 * without console errors, a lab VM boots and answers in its console, lab checks pass (one the
 * page sees, one the guest agent answers), progress survives a reload (IndexedDB), the
 * playground creates a VM from its form, and a snapshot restores.
 */

const LESSON = "why-virtualize";
const LAB = '[data-lab-id="slices"]';

const step = (id: string) => `${LAB} [data-step-id="${id}"]`;

async function expectNoErrors(d: BrowserDriver, where: string) {
  const errors = await d.takeErrors();
  if (errors.length > 0)
    throw new Error(`${d.engine}: console errors on ${where}:\n  ${errors.join("\n  ")}`);
}

/** Steps of the scenario, by name, so a failure names the part that broke. */
export const SMOKE_PARTS: Array<[string, (d: BrowserDriver, base: string) => Promise<void>]> = [
  [
    "a lesson page loads without console errors",
    async (d, base) => {
      await d.goto(`${base}/labs/${LESSON}`);
      await waitFor(
        d,
        "the lab's machines",
        existsAfterScroll,
        { into: LAB, selector: panel("beta") },
        (found) => found,
      );
      await expectNoErrors(d, `/labs/${LESSON}`);
    },
  ],
  [
    "a lab VM boots and answers in its console; a page check and a guest check pass",
    async (d) => {
      await press(d, panel("alpha"), "Start");
      await press(d, panel("beta"), "Start");
      await waitAttribute(d, panel("alpha"), "data-vm-state", "running", BOOT_TIMEOUT_MS);
      await waitAttribute(d, panel("beta"), "data-vm-state", "running", BOOT_TIMEOUT_MS);
      await answer(d, "alpha", "echo smoke-$((40+2))", "smoke-42");
      await waitAttribute(d, step("start-two"), "data-step-state", "done");
      // The guest agent answers `pidof yes` on the VM's second serial port.
      await answer(d, "alpha", "yes > /dev/null & echo hog-$((5+5))", "hog-10");
      await waitAttribute(d, step("busy-alpha"), "data-step-state", "done", 60_000);
      await expectNoErrors(d, "the lab");
    },
  ],
  [
    "lab progress survives a reload (IndexedDB)",
    async (d) => {
      await d.reload();
      await waitAttribute(d, step("start-two"), "data-step-state", "done");
      await waitAttribute(d, step("busy-alpha"), "data-step-state", "done");
      await expectNoErrors(d, "the reloaded lesson");
    },
  ],
  [
    "the playground creates a VM from its form; a snapshot restores",
    async (d, base) => {
      await d.goto(`${base}/playground`);
      await fillField(d, "Name", "smoke");
      await press(d, 'form[aria-label="Create a VM"]', "Create VM");
      await press(d, panel("smoke"), "Start");
      await waitAttribute(d, panel("smoke"), "data-vm-state", "running", BOOT_TIMEOUT_MS);
      await answer(d, "smoke", "echo v1 > /root/version && echo ok-$((2+2))", "ok-4");
      await press(d, panel("smoke"), "Snapshot");
      await waitFor(
        d,
        "snapshot snap-1",
        textOf,
        { selector: panel("smoke") },
        (t) => t.includes("Saved snap-1"),
        60_000,
      );
      await answer(d, "smoke", "echo v2 > /root/version && echo ok-$((3+3))", "ok-6");
      await press(d, panel("smoke"), "Restore snap-1");
      await waitFor(
        d,
        "the restore",
        textOf,
        { selector: panel("smoke") },
        (t) => /Restored snap-1 in \d+ ms/.test(t),
        60_000,
      );
      await answer(d, "smoke", "echo restored-$(cat /root/version)", "restored-v1");
      await expectNoErrors(d, "/playground");
    },
  ],
];
