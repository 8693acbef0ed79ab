import { readFileSync } from "node:fs";
import { expect, expectNoSeriousAxeViolations, test } from "./fixtures";

/*
 * The hypervisor lesson shows its programs from the repository's source (its lab is walked by
 * labs-complete.spec.ts, like every lab): the excerpts are the real code, the whole files are one
 * click away, and the page stays accessible with several long code blocks on it.
 */

test("the hypervisor lesson shows trapdemo and tinyvmm from their source", async ({ page }) => {
  await page.goto("/labs/build-a-hypervisor");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Build a hypervisor");

  const monitor = page.locator("details", { hasText: "The monitor" }).first();
  await expect(monitor).toHaveAttribute("open", "");
  const code = monitor
    .getByRole("region", { name: "Source: The monitor" })
    .or(monitor.getByLabel("Source: The monitor"));
  await expect(code).toContainText("static void monitor(");
  await expect(code).toContainText("r->eip += length;");

  const whole = page.locator('details[data-source-file="guest/vmm/tinyvmm.c"]', {
    hasText: "tinyvmm.c, the whole monitor",
  });
  await expect(whole).not.toHaveAttribute("open", "");
  const lines = readFileSync("guest/vmm/tinyvmm.c", "utf8").trimEnd().split("\n").length;
  await expect(whole.locator("summary")).toContainText(`${lines} lines`);
  await whole.locator("summary").click();
  await expect(whole.getByLabel("Source: tinyvmm.c, the whole monitor")).toContainText(
    "VM86_ENTER",
  );

  await expectNoSeriousAxeViolations(page);
});
