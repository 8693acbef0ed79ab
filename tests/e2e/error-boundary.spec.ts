import type { Page } from "@playwright/test";
import { expect, expectNoSeriousAxeViolations, test } from "./fixtures";
import { createVm, startVms, typeInConsole } from "./vm-helpers";

/*
 * Real failures, caused from outside the product: a browser API that throws for one part of the
 * page, a chunk or an asset the server fails to deliver. Each must stay inside its part, say what
 * happened, and leave the rest of the page working.
 */

test.describe.configure({ timeout: 180_000 });
// Faults are served by page.route; the offline cache would answer some requests itself.
test.use({ serviceWorkers: "block" });

declare global {
  interface Window {
    /** Set by these tests only: the part whose ResizeObserver / IntersectionObserver refuses. */
    __faultIn?: string | null;
  }
}

/** `observe` throws for elements inside the element matching window.__faultIn, as a broken API would. */
async function breakObserversInside(page: Page, selector: string): Promise<void> {
  await page.addInitScript((initial) => {
    window.__faultIn = initial;
    for (const Observer of [ResizeObserver, IntersectionObserver]) {
      const observe = Observer.prototype.observe;
      Observer.prototype.observe = function (this: never, target: Element, ...rest: never[]) {
        if (window.__faultIn && target.closest(window.__faultIn))
          throw new DOMException(`${Observer.name} is not available here`, "NotSupportedError");
        return (observe as (...args: unknown[]) => void).call(this, target, ...rest);
      } as typeof observe;
    }
  }, selector);
}

test("a VM panel that fails shows why, resets without leaving its worker behind, and the other VM runs on", async ({
  page,
}) => {
  await breakObserversInside(page, "nothing-yet");
  await page.goto("/playground");
  const victim = await createVm(page, "victim");
  const other = await createVm(page, "other");
  await startVms(victim, other);
  const workersBefore = page.workers().length;

  // The victim's console is drawn again (tab switch) while ResizeObserver refuses inside it.
  await page.evaluate(() => (window.__faultIn = 'section[aria-label="VM victim"]'));
  await victim.getByRole("tab", { name: "Screen" }).click();
  await victim.getByRole("tab", { name: "Serial console" }).click();
  const fallback = page.getByRole("region", { name: "VM victim" });
  await expect(fallback.getByRole("alert")).toHaveText(
    /^VM victim stopped working: its console could not start \(ResizeObserver is not available here\)$/,
  );
  await expect(fallback.getByRole("button", { name: "Reset this panel" })).toBeVisible();

  // The rest of the page goes on: the other VM answers, the form still creates VMs.
  await typeInConsole(page, other, "echo still-$((6*7))", "still-42");
  await createVm(page, "third");
  // A new VM's panel gets it ready (pre-warmed): its worker (and yield helper) are made now.
  await expect.poll(() => page.workers().length).toBeGreaterThan(workersBefore);
  const withThird = page.workers().length;

  // Reset: the VM is powered off (its emulator stops), the panel is drawn afresh, no new worker.
  await page.evaluate(() => (window.__faultIn = null));
  await fallback.getByRole("button", { name: "Reset this panel" }).click();
  await expect(victim).toHaveAttribute("data-vm-state", "stopped");
  await expect(victim.getByRole("textbox", { name: "Console of victim" })).toBeAttached();
  expect(page.workers().length).toBeLessThanOrEqual(withThird);
  await startVms(victim);
  expect(page.workers().length).toBe(withThird);
  await expect(other).toHaveAttribute("data-vm-state", "running");
  await expectNoSeriousAxeViolations(page);
});

test("a lab that fails shows which and why; the lesson's other lab, its quizzes and the navigation keep working", async ({
  page,
}) => {
  await breakObserversInside(page, '[data-lab-id="one-falls"]');
  await page.goto("/labs/understanding-the-magic");
  const fallback = page.getByRole("region", { name: "Lab: One falls, the other stands" });
  // React renders a failed part twice before it settles on the fallback: wait for the settled one.
  await expect(fallback.getByRole("alert")).toHaveText(
    'The lab "One falls, the other stands" stopped working: IntersectionObserver is not available here',
  );
  await fallback.scrollIntoViewIfNeeded();

  // The other lab loads its machines and runs one.
  const other = page.getByRole("region", { name: "Lab: Snapshot and scale out" });
  await other.scrollIntoViewIfNeeded();
  const node1 = other.getByRole("region", { name: "VM node1" });
  await expect(node1).toBeVisible({ timeout: 30_000 });
  await startVms(node1);

  // A quiz on the same page still answers.
  const quiz = page.locator('[data-quiz-id="panic-scope"]');
  await quiz.locator("input").first().check();
  await quiz.getByRole("button", { name: "Check answer" }).click();
  await expect(quiz).toHaveAttribute("data-quiz-state", /correct|incorrect/);
  await expectNoSeriousAxeViolations(page);

  // Reset with the fault gone: the lab is back with its machines.
  await page.evaluate(() => (window.__faultIn = null));
  await fallback.getByRole("button", { name: "Reset this lab" }).click();
  const lab = page.locator('[data-lab-id="one-falls"]');
  await expect(lab.getByRole("region", { name: "VM alpha" })).toBeVisible({ timeout: 30_000 });
  await expect(lab.locator("[data-step-state]").first()).toBeVisible();

  await page.getByRole("banner").getByRole("link", { name: "Playground" }).click();
  await expect(page).toHaveURL(/\/playground$/);
});

test("an overhead panel whose code fails to load says so; its lab keeps working", async ({
  page,
}) => {
  // The server fails the one script that holds the overhead panel.
  await page.route("**/_next/static/chunks/*.js", async (route) => {
    const response = await route.fetch();
    const body = await response.text();
    if (body.includes("timed runs after a warm-up"))
      await route.fulfill({ status: 500, body: "server error" });
    else await route.fulfill({ response, body });
  });
  await page.goto("/labs/drawbacks");
  const fallback = page.getByRole("region", { name: "Overhead" });
  await fallback.scrollIntoViewIfNeeded();
  await expect(fallback.getByRole("alert")).toContainText("The overhead panel stopped working: ");
  await expect(fallback.getByRole("button", { name: "Reset this panel" })).toBeVisible();
  const bench = page.getByRole("region", { name: "VM bench" });
  await expect(bench).toBeVisible({ timeout: 30_000 });
  await startVms(bench);
});

test("a missing or damaged guest image list is said in the lab and in the create form, never an endless spinner", async ({
  page,
}) => {
  await page.route("**/images/manifest.json", (route) =>
    route.fulfill({ status: 500, body: "server error" }),
  );
  await page.goto("/labs/why-virtualize");
  const lab = page.locator("[data-lab-id]").first();
  await lab.scrollIntoViewIfNeeded();
  await expect(lab.getByRole("alert")).toContainText(
    "the guest image list could not be loaded (HTTP 500)",
    { timeout: 30_000 },
  );

  await page.unroute("**/images/manifest.json");
  await page.route("**/images/manifest.json", (route) =>
    route.fulfill({ status: 200, contentType: "application/json", body: '{"format": 1, "prof' }),
  );
  await page.goto("/playground");
  await page.getByLabel("Name", { exact: true }).fill("nolist");
  await page.getByRole("button", { name: "Create VM" }).click();
  await expect(
    page.getByText(/The VM could not be created: the guest image list is damaged/),
  ).toBeVisible();
  await expect(page.getByRole("region", { name: "VM nolist" })).toHaveCount(0);

  // Once the list is back, the same form creates the VM: the failure was not cached.
  await page.unroute("**/images/manifest.json");
  await page.getByRole("button", { name: "Create VM" }).click();
  await expect(page.getByRole("region", { name: "VM nolist" })).toBeVisible();
});

test("a damaged emulator (v86.wasm) stops the VM with a message instead of booting forever", async ({
  page,
}) => {
  await page.route("**/v86/v86.wasm", (route) =>
    route.fulfill({ status: 200, contentType: "application/wasm", body: "<html>not wasm</html>" }),
  );
  await page.goto("/playground");
  const vm = await createVm(page, "nowasm");
  await vm.getByRole("button", { name: "Start", exact: true }).click();
  await expect(vm.getByRole("alert")).toContainText(
    "nowasm could not run: the emulator (v86.wasm) is damaged",
    { timeout: 30_000 },
  );
  await expect(vm).toHaveAttribute("data-vm-state", "stopped");

  await page.unroute("**/v86/v86.wasm");
  await startVms(vm);
});

test("with IndexedDB refused, a lesson says progress cannot be saved and its quizzes and labs still work", async ({
  page,
}) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.addInitScript(() => {
    IDBFactory.prototype.open = () => {
      throw new DOMException("storage is disabled", "SecurityError");
    };
  });
  await page.goto("/labs/understanding-the-magic");
  await expect(page.getByText("Progress cannot be saved in this browser").first()).toBeVisible();
  const quiz = page.locator('[data-quiz-id="panic-scope"]');
  await quiz.locator("input").first().check();
  await quiz.getByRole("button", { name: "Check answer" }).click();
  await expect(quiz).toHaveAttribute("data-quiz-state", /correct|incorrect/);
  const lab = page.locator('[data-lab-id="one-falls"]');
  await lab.scrollIntoViewIfNeeded();
  await expect(lab.getByRole("region", { name: "VM alpha" })).toBeVisible({ timeout: 30_000 });
  expect(errors).toEqual([]);
});

test("with site data blocked (touching localStorage throws), the course, a lesson and the workshop still work", async ({
  page,
}) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.addInitScript(() => {
    Object.defineProperty(window, "localStorage", {
      get() {
        throw new DOMException("site data is blocked", "SecurityError");
      },
    });
  });
  for (const path of ["/", "/labs/why-virtualize", "/workshop"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByText("stopped working")).toHaveCount(0);
  }
  await expect(page.getByLabel("Start time")).toHaveValue("09:00");
  expect(errors).toEqual([]);
});
