import { expect, test } from "./fixtures";
import { createVm, startVms, typeInConsole } from "./vm-helpers";

test.describe.configure({ timeout: 180_000 });

test("the console shows the guest's UTF-8 the same when it is drawn again", async ({ page }) => {
  await page.goto("/playground");
  const vm = await createVm(page, "utf8");
  await startVms(vm);
  const rows = vm.locator(".xterm-rows");
  // The typed line is ASCII (octal escapes); only the guest's output holds "é" and "✓".
  await typeInConsole(page, vm, "printf 'h\\303\\251llo \\342\\234\\223 done\\n'", "héllo ✓ done");

  // Leaving the console and coming back draws it again from what the page kept.
  await vm.getByRole("tab", { name: "Screen" }).click();
  await expect(rows).toHaveCount(0);
  await vm.getByRole("tab", { name: "Serial console" }).click();
  await expect(rows).toContainText("héllo ✓ done");
  await expect(rows).not.toContainText("Ã");
});
