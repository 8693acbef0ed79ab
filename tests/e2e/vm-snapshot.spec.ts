import type { Locator } from "@playwright/test";
import { expect, test } from "./fixtures";
import { startVms, typeInConsole } from "./vm-helpers";
import {
  createSwitchedVm,
  GUEST_ADDRESSES,
  onlyAddress,
  waitForGuestSetup,
} from "./vm-net-helpers";

test.describe.configure({ timeout: 240_000 });

async function attr(locator: Locator, name: string): Promise<string> {
  return (await locator.getAttribute(name)) ?? "?";
}

test("snapshot, change a file, restore: the change is gone; a clone runs with its own MAC and address", async ({
  page,
}) => {
  await page.goto("/playground");
  await createSwitchedVm(page, "node1");
  // Exact: the clone's region name starts with the same words.
  const node = page.getByRole("region", { name: "VM node1", exact: true });
  await startVms(node);
  await waitForGuestSetup(node);
  await typeInConsole(page, node, "echo v1 > /root/version && echo ok-$((2+2))", "ok-4");

  await node.getByRole("button", { name: "Snapshot", exact: true }).click();
  const snap = node.locator('[data-snapshot="snap-1"]');
  await expect(snap).toBeVisible({ timeout: 60_000 });
  await expect(node.getByText(/Saved snap-1/)).toBeVisible();
  const figures = `raw ${await attr(snap, "data-raw-bytes")} B, stored ${await attr(snap, "data-stored-bytes")} B, ${await attr(snap, "data-take-ms")} ms`;
  console.log(`snapshot of node1: ${figures}`);
  test.info().annotations.push({ type: "snapshot", description: figures });
  expect(Number(await attr(snap, "data-stored-bytes"))).toBeLessThan(
    Number(await attr(snap, "data-raw-bytes")),
  );

  await typeInConsole(
    page,
    node,
    "echo v2 > /root/version && touch /root/after && echo ok-$((3+3))",
    "ok-6",
  );
  await node.getByRole("button", { name: "Restore snap-1" }).click();
  const restored = node.getByText(/Restored snap-1 in \d+ ms/);
  await expect(restored).toBeVisible({ timeout: 30_000 });
  console.log(`restore: ${await restored.textContent()}`);
  await expect(node).toHaveAttribute("data-vm-state", "running");
  await typeInConsole(
    page,
    node,
    "test -e /root/after || echo gone-$((4+5)) ver-$(cat /root/version)",
    "gone-9 ver-v1",
  );
  // The guest's clock runs on after the restore: a timer ends (it once stood still).
  await typeInConsole(page, node, "sleep 1 && echo slept-$((5+5))", "slept-10");

  const clickedAt = Date.now();
  await node.getByRole("button", { name: "Clone snap-1" }).click();
  const clone = page.getByRole("region", { name: "VM node1-clone-1" });
  await expect(clone).toHaveAttribute("data-vm-state", "running", { timeout: 60_000 });
  console.log(`clone: click to running ${Date.now() - clickedAt} ms (test-side)`);
  await expect(clone).toContainText("on the virtual switch");
  const cloneMac = await waitForGuestSetup(clone);
  await typeInConsole(page, clone, "echo clone-ver-$(cat /root/version)", "clone-ver-v1");

  // Each has its own MAC, inside the guest too.
  const nodeMac = await waitForGuestSetup(node);
  expect(cloneMac).not.toBe(nodeMac);
  await typeInConsole(page, clone, "echo m-$(cat /sys/class/net/eth0/address)", `m-${cloneMac}`);
  await typeInConsole(page, node, "echo m-$(cat /sys/class/net/eth0/address)", `m-${nodeMac}`);

  // Both on the switch with their own addresses: the clone woke with node1's, which the host
  // replaced with the clone's own. They reach each other.
  await expect(node.locator('[data-stat="ip"]')).toHaveText("10.0.0.1", { timeout: 15_000 });
  await expect(clone.locator('[data-stat="ip"]')).toHaveText("10.0.0.2", { timeout: 15_000 });
  await typeInConsole(page, clone, GUEST_ADDRESSES, onlyAddress("10.0.0.2/24"));
  await typeInConsole(page, node, GUEST_ADDRESSES, onlyAddress("10.0.0.1/24"));
  await typeInConsole(
    page,
    clone,
    "ping -c 2 10.0.0.1",
    /2 packets transmitted, 2 packets received/,
  );
  await expect(node).toHaveAttribute("data-vm-state", "running");
});

test("Snapshot is refused on a stopped VM", async ({ page }) => {
  await page.goto("/playground");
  const node = await createSwitchedVm(page, "idle1");
  await expect(node.getByRole("button", { name: "Snapshot", exact: true })).toBeDisabled();
});
