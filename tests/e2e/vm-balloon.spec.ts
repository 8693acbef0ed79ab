import type { Locator, Page } from "@playwright/test";
import { expect, expectNoSeriousAxeViolations, test } from "./fixtures";
import { createVm, startVms, typeInConsole } from "./vm-helpers";

/**
 * The Memory panel on the playground: the guest's figures from its balloon statistics agree with
 * `free -m` in the guest, the host's view grows when the guest writes, the balloon takes 48 MB
 * from the guest's total and gives it back, a target too large is refused where it was asked,
 * and two VMs from one boot snapshot show pages identical to each other's.
 */

test.describe.configure({ timeout: 300_000 });

const stat = (panel: Locator, name: string) => panel.locator(`[data-stat="${name}"]`);

async function statValue(panel: Locator, name: string): Promise<number> {
  const text = (await stat(panel, name).textContent()) ?? "";
  return Number(text);
}

/** The guest's `free -m` total, read from its console. */
async function guestTotalMb(page: Page, panel: Locator, tag: string): Promise<number> {
  await typeInConsole(
    page,
    panel,
    `free -m | awk '/^Mem:/ { print "${tag}=" $2 }'`,
    new RegExp(`${tag}=\\d+`),
  );
  const text = await panel.locator(".xterm-rows").textContent();
  return Number(new RegExp(`${tag}=(\\d+)`).exec(text ?? "")![1]);
}

test("the Memory panel shows both views and drives the balloon", async ({ page }) => {
  await page.goto("/playground");
  const one = await createVm(page, "mem-one");
  const two = await createVm(page, "mem-two");
  await startVms(one, two);
  await one.scrollIntoViewIfNeeded();
  await one.getByRole("button", { name: "Memory", exact: true }).click();
  await expect(one.getByRole("button", { name: "Memory", exact: true })).toHaveAttribute(
    "aria-expanded",
    "true",
  );
  const view = one.getByRole("region", { name: "Memory of mem-one" });
  await expect(stat(view, "guest-total-mb")).toHaveText(/^\d+$/, { timeout: 20_000 });

  // The guest's own figure, two ways: its balloon statistics and free -m.
  const total = await guestTotalMb(page, one, "t0");
  await expect(async () =>
    expect(Math.abs((await statValue(view, "guest-total-mb")) - total)).toBeLessThanOrEqual(1),
  ).toPass();
  const held = await statValue(view, "memory-held-mb");
  expect(held).toBeGreaterThan(4);
  expect(held).toBeLessThan(total);

  // Writing 16 MiB in the guest makes the host provide about that much.
  await typeInConsole(
    page,
    one,
    "yes vlabs | head -c 1048576 > /root/m; for i in $(seq 16); do cat /root/m; done > /root/f; echo w=$((40+2))",
    "w=42",
  );
  await expect(async () =>
    expect(await statValue(view, "memory-held-mb")).toBeGreaterThanOrEqual(held + 14),
  ).toPass({ timeout: 10_000 });

  // Inflating by 48 MB: the guest's total falls by 48, in the panel and in the guest.
  for (let i = 0; i < 3; i++)
    await view.getByRole("button", { name: "Inflate", exact: true }).click();
  await expect(stat(view, "balloon-mb")).toHaveText("48", { timeout: 10_000 });
  await expect(async () => expect(await statValue(view, "guest-total-mb")).toBe(total - 48)).toPass(
    { timeout: 10_000 },
  );
  expect(await guestTotalMb(page, one, "t1")).toBe(total - 48);

  // The target stops at what the guest must keep (64 MB of its 128); the guest gives it all.
  await typeInConsole(page, one, "rm /root/f /root/m; echo r=$((40+2))", "r=42");
  const slider = view.getByLabel("Balloon target (MB)");
  await expect(slider).toHaveAttribute("max", "64");
  for (let i = 0; i < 2; i++)
    await view.getByRole("button", { name: "Inflate", exact: true }).click();
  await expect(view.getByText(/^target 64 MB/)).toBeVisible();
  await expect(stat(view, "balloon-mb")).toHaveText("64", { timeout: 15_000 });
  await view.getByRole("button", { name: "Inflate", exact: true }).click();
  await expect(view.getByText(/^target 64 MB/)).toBeVisible();
  for (let i = 0; i < 4; i++)
    await view.getByRole("button", { name: "Deflate", exact: true }).click();
  await expect(stat(view, "balloon-mb")).toHaveText("0", { timeout: 15_000 });
  expect(await guestTotalMb(page, one, "t2")).toBe(total);

  // Two VMs from one boot snapshot: most of what they hold is identical.
  await expect(async () =>
    expect(await statValue(view, "shared-pages")).toBeGreaterThan(1000),
  ).toPass({ timeout: 10_000 });
  await expectNoSeriousAxeViolations(page);
  await expect(two).toHaveAttribute("data-vm-state", "running");
});

test("the memory lab's host picture splits each slice into touched and untouched", async ({
  page,
}) => {
  await page.goto("/labs/memory");
  const lab = page.locator('[data-lab-id="overcommit"]');
  await lab.evaluate((element) => element.scrollIntoView({ block: "start" }));
  const a = page.getByRole("region", { name: "VM mem-a", exact: true });
  const b = page.getByRole("region", { name: "VM mem-b", exact: true });
  await expect(b).toBeVisible({ timeout: 30_000 });
  await startVms(a, b);
  const picture = lab.getByRole("figure", { name: "Host picture" });
  await expect(picture.locator('[data-stat="host-held-mb"]')).toHaveText("256");
  // A fresh guest has touched a fraction of its 128 MB; two from one snapshot share most of it.
  await expect(async () => {
    const touched = Number(await picture.locator('[data-stat="host-touched-mb"]').textContent());
    expect(touched).toBeGreaterThan(8);
    expect(touched).toBeLessThan(160);
    const mergeable = Number(
      await picture.locator('[data-stat="host-mergeable-pages"]').textContent(),
    );
    expect(mergeable).toBeGreaterThan(1000);
  }).toPass({ timeout: 15_000 });
  await expectNoSeriousAxeViolations(page);
});
