import { expect, expectNoSeriousAxeViolations, test } from "./fixtures";

// A phone: small screen, touch, its own keyboard (text arrives as input, not as key presses).
test.use({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
test.describe.configure({ timeout: 240_000 });

test("on a phone a learner does the first lab step and stops a program with the key bar", async ({
  page,
}) => {
  await page.goto("/labs/why-virtualize");
  const lab = page.locator('[data-lab-id="slices"]');
  await lab.scrollIntoViewIfNeeded();
  const noSideScroll = () =>
    page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(await noSideScroll()).toBe(true);

  const alpha = page.getByRole("region", { name: "VM alpha", exact: true });
  const beta = page.getByRole("region", { name: "VM beta", exact: true });
  for (const vm of [alpha, beta])
    await vm.getByRole("button", { name: "Start", exact: true }).tap();
  for (const vm of [alpha, beta])
    await expect(vm).toHaveAttribute("data-vm-state", "running", { timeout: 120_000 });
  await expect(lab.locator('li[data-step-state="done"]').first()).toBeVisible({ timeout: 30_000 });
  await expect(
    lab.getByRole("listitem").filter({ hasText: "Start two virtual machines" }).first(),
  ).toHaveAttribute("data-step-state", "done");
  expect(await noSideScroll()).toBe(true);

  // The key bar is there on a touch screen without asking.
  const keys = alpha.getByRole("group", { name: "Keys for alpha" });
  await keys.scrollIntoViewIfNeeded();
  for (const name of ["Esc", "Tab", "Ctrl", "Alt", "Up", "Down", "Left", "Right"])
    await expect(keys.getByRole("button", { name, exact: true })).toBeVisible();

  const rows = alpha.locator(".xterm-rows");
  await alpha.locator("[data-vm-console]").tap();
  await page.keyboard.insertText("sleep 600");
  await page.keyboard.press("Enter");
  await expect(rows).toContainText("sleep 600");
  const ctrl = keys.getByRole("button", { name: "Ctrl", exact: true });
  await ctrl.tap();
  await expect(ctrl).toHaveAttribute("aria-pressed", "true");
  await page.keyboard.insertText("c");
  await expect(ctrl).toHaveAttribute("aria-pressed", "false");
  // Interrupted: the shell answers at once, not after ten minutes.
  await expect(rows).toContainText("sleep 600^C");
  await page.keyboard.insertText("echo $((6*7))x");
  await page.keyboard.press("Enter");
  await expect(rows).toContainText("42x", { timeout: 15_000 });

  // A phone keyboard composing a character (IME): it arrives once, composed.
  const cdp = await page.context().newCDPSession(page);
  await page.keyboard.insertText("echo h");
  await cdp.send("Input.imeSetComposition", { text: "e", selectionStart: 1, selectionEnd: 1 });
  await cdp.send("Input.imeSetComposition", { text: "é", selectionStart: 1, selectionEnd: 1 });
  await cdp.send("Input.insertText", { text: "é" });
  // xterm.js sends a finished composition from a zero-delay timer: a key typed in the same
  // instant (faster than any thumb) can overtake it, so the rest follows once it is shown.
  await expect(rows).toContainText("echo hé");
  await page.keyboard.insertText("llo-ime");
  await page.keyboard.press("Enter");
  await expect(rows).toContainText("echo héllo-imehéllo-ime");

  // Tab from the bar completes a command; Up brings the last one back.
  await page.keyboard.insertText("ech");
  await keys.getByRole("button", { name: "Tab", exact: true }).tap();
  await page.keyboard.insertText(" $((5*5))y");
  await page.keyboard.press("Enter");
  await expect(rows).toContainText("25y");
  await keys.getByRole("button", { name: "Up", exact: true }).tap();
  await page.keyboard.press("Enter");
  await expect.poll(async () => ((await rows.textContent()) ?? "").split("25y").length - 1).toBe(2);

  await expectNoSeriousAxeViolations(page);
});
