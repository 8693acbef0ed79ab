import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { startVms } from "./vm-helpers";
import { consoleText, createSwitchedVm, waitForGuestSetup } from "./vm-net-helpers";

/**
 * Networks at the emulator's speed: two VMs on virtio-net (the default card) through the switch
 * in its own worker measure throughput with iperf3, move a 1 MiB file over HTTP intact, lose and
 * regain each other with the cable, and an NE2000 VM on the same switch reaches them. One page,
 * its VMs shared by the steps.
 */

test.describe.configure({ mode: "serial", timeout: 300_000 });

let page: Page;
let one: Locator;
let two: Locator;

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  await page.goto("/playground");
  await expect(page.getByLabel("Network card")).toHaveValue("virtio");
  one = await createSwitchedVm(page, "one");
  two = await createSwitchedVm(page, "two");
  await startVms(one, two);
  await waitForGuestSetup(one);
  await waitForGuestSetup(two);
  await expect(one.locator('[data-stat="ip"]')).toHaveText("10.0.0.1", { timeout: 20_000 });
  await expect(two.locator('[data-stat="ip"]')).toHaveText("10.0.0.2", { timeout: 20_000 });
});

test.afterAll(async () => {
  await page?.context().close();
});

/** Runs a line in a console and waits for a sentinel the line prints last (`<tag>-42`). */
async function run(panel: Locator, line: string, tag: string, timeout = 30_000): Promise<string> {
  const name = (await panel.getAttribute("aria-label"))!.replace(/^VM /, "");
  await panel.scrollIntoViewIfNeeded();
  await panel.getByRole("textbox", { name: `Console of ${name}` }).focus();
  await page.keyboard.type(`${line}; echo ${tag}-$((40+2))\n`);
  await expect(panel.locator(".xterm-rows")).toContainText(`${tag}-42`, { timeout });
  return consoleText(panel);
}

test("both guests drive a virtio-net card, and iperf3 between them prints its throughput", async () => {
  const driver = await run(one, "basename $(readlink /sys/class/net/eth0/device/driver)", "drv");
  expect(driver).toMatch(/^virtio_net$/m);
  await run(one, "iperf3 -s -D -1", "srv");
  const out = await run(two, "iperf3 -c 10.0.0.1 -t 3 -f m 2>&1 | tail -4", "ipf", 60_000);
  const receiver = /([\d.]+) Mbits\/sec\s+receiver/.exec(out);
  expect(receiver, out).not.toBeNull();
  expect(Number(receiver![1])).toBeGreaterThan(0);
  console.log(`iperf3 two -> one, virtio-net, MTU 1500: ${receiver![1]} Mbit/s`);
});

test("a 1 MiB file moves over HTTP with the same md5 at both ends", async () => {
  const made = await run(
    one,
    "seq 1 200000 | head -c 1048576 > /root/f && httpd -p 80 -h /root && md5sum /root/f",
    "mk",
  );
  const sent = /^([0-9a-f]{32})\s+\/root\/f/m.exec(made)?.[1];
  expect(sent).toBeDefined();
  const got = await run(
    two,
    "wget -q -O /tmp/f http://10.0.0.1/f && ls -l /tmp/f | awk '{print \"size\", $5}' && md5sum /tmp/f",
    "get",
  );
  expect(got).toContain("size 1048576");
  expect(got).toContain(`${sent}  /tmp/f`);
});

test("unplugging one VM's cable stops the traffic and plugging it back restores it", async () => {
  await one.getByRole("button", { name: "Unplug cable" }).click();
  await expect(one.locator("[data-cable]")).toHaveAttribute("data-cable", "unplugged");
  const lost = await run(two, "ping -c 2 -W 1 10.0.0.1 | grep transmitted", "off");
  expect(lost).toContain("2 packets transmitted, 0 packets received");
  await one.getByRole("button", { name: "Plug cable" }).click();
  await expect(one.locator("[data-cable]")).toHaveAttribute("data-cable", "plugged");
  const back = await run(two, "ping -c 2 -W 2 10.0.0.1 | grep transmitted", "on");
  expect(back).toContain("2 packets transmitted, 2 packets received");
});

test("the switch's MTU reaches the guests: at 9000 an 8000-byte ping crosses in whole frames", async () => {
  await page.getByLabel("MTU (bytes)").selectOption("9000");
  for (const panel of [one, two])
    await expect
      .poll(async () => run(panel, "cat /sys/class/net/eth0/mtu", "mtu"), { timeout: 30_000 })
      .toMatch(/^9000$/m);
  const stats =
    "cat /sys/class/net/eth0/statistics/rx_bytes /sys/class/net/eth0/statistics/rx_packets";
  const numbers = (text: string) => text.match(/^\d+$/gm)!.slice(-2).map(Number);
  const [bytes0, packets0] = numbers(await run(one, stats, "s0"));
  const big = await run(two, "ping -c 2 -s 8000 10.0.0.1 | grep transmitted", "big");
  expect(big).toContain("2 packets transmitted, 2 packets received");
  const [bytes1, packets1] = numbers(await run(one, stats, "s1"));
  // Fragments of 1500 would average under 1500 bytes a frame; whole packets are over 8000.
  expect((bytes1! - bytes0!) / (packets1! - packets0!)).toBeGreaterThan(4000);
});

test("an NE2000 VM on the same switch and a virtio-net VM reach each other", async () => {
  await page.getByLabel("Network card").selectOption("ne2k");
  const old = await createSwitchedVm(page, "old");
  await startVms(old);
  await waitForGuestSetup(old);
  await expect(old.locator('[data-stat="ip"]')).toHaveText("10.0.0.3", { timeout: 20_000 });
  await expect(old.locator('[data-stat="nic"]')).toHaveAttribute("data-nic", "ne2k");
  await expect(two.locator('[data-stat="nic"]')).toHaveText("virtio-net (paravirtual)");
  const driver = await run(old, "basename $(readlink /sys/class/net/eth0/device/driver)", "drv");
  expect(driver).toMatch(/^ne2k-pci$|^ne2000$|^ne2k$/m);
  const there = await run(old, "ping -c 2 -W 2 10.0.0.2 | grep transmitted", "to");
  expect(there).toContain("2 packets transmitted, 2 packets received");
  const back = await run(two, "ping -c 2 -W 2 10.0.0.3 | grep transmitted", "fro");
  expect(back).toContain("2 packets transmitted, 2 packets received");
});
