import { expect, test, trackForeignRequests } from "./fixtures";
import { createVm, startVms, typeInConsole } from "./vm-helpers";
import {
  consoleText,
  createSwitchedVm,
  GUEST_ADDRESSES,
  onlyAddress,
  waitForGuestSetup,
} from "./vm-net-helpers";

test.describe.configure({ timeout: 240_000 });

test("two VMs on the switch ping each other; an unplugged cable drops the ping", async ({
  page,
  baseURL,
}) => {
  const foreign = await trackForeignRequests(page, baseURL!);
  await page.goto("/playground");
  const alpha = await createSwitchedVm(page, "alpha");
  const beta = await createSwitchedVm(page, "beta");
  await expect(alpha).toContainText("on the virtual switch");
  await expect(alpha.locator('[data-stat="ip"]')).toHaveText("none");
  await startVms(alpha, beta);

  // Each guest gets its own MAC once it is up (both woke from one boot snapshot).
  const alphaMac = await waitForGuestSetup(alpha);
  const betaMac = await waitForGuestSetup(beta);
  expect(alphaMac).not.toBe(betaMac);

  // The host gave each an address on the switch, in creation order, set inside the guest too.
  await expect(alpha.locator('[data-stat="ip"]')).toHaveText("10.0.0.1", { timeout: 15_000 });
  await expect(beta.locator('[data-stat="ip"]')).toHaveText("10.0.0.2", { timeout: 15_000 });
  await typeInConsole(page, alpha, GUEST_ADDRESSES, onlyAddress("10.0.0.1/24"));

  await typeInConsole(
    page,
    beta,
    "ping -c 3 10.0.0.1",
    /3 packets transmitted, 3 packets received/,
  );
  const latency = /round-trip min\/avg\/max = ([\d./]+) ms/.exec(await consoleText(beta));
  test.info().annotations.push({ type: "ping ms (min/avg/max)", description: latency?.[1] ?? "?" });
  console.log(`ping beta -> alpha, ms min/avg/max: ${latency?.[1]}`);
  await expect(alpha.locator('[data-stat="net-rx-packets"]')).not.toHaveText("0", {
    timeout: 5_000,
  });
  await expect(beta.locator('[data-stat="net-tx-packets"]')).not.toHaveText("0");

  await alpha.getByRole("button", { name: "Unplug cable" }).click();
  await expect(alpha.locator("[data-cable]")).toHaveAttribute("data-cable", "unplugged");
  await typeInConsole(
    page,
    beta,
    "ping -c 2 -W 1 10.0.0.1",
    /2 packets transmitted, 0 packets received/,
  );

  await alpha.getByRole("button", { name: "Plug cable" }).click();
  await expect(alpha.locator("[data-cable]")).toHaveAttribute("data-cable", "plugged");
  await typeInConsole(
    page,
    beta,
    "ping -c 4 10.0.0.1",
    /4 packets transmitted, 4 packets received/,
  );
  // The guest check the lessons use.
  await typeInConsole(page, beta, "ping -c 1 -W 2 10.0.0.1 && echo check-$((3*3))", "check-9");
  expect(foreign).toEqual([]);
});

test("a VM without a network is not on the switch and cannot reach one that is", async ({
  page,
}) => {
  await page.goto("/playground");
  const lonely = await createVm(page, "lonely");
  const wired = await createSwitchedVm(page, "wired");
  await expect(lonely).toContainText("Not on the switch");
  await expect(lonely.getByRole("button", { name: "Unplug cable" })).toHaveCount(0);
  await startVms(lonely, wired);
  await waitForGuestSetup(lonely);
  await waitForGuestSetup(wired);
  await typeInConsole(
    page,
    wired,
    "ip addr add 10.0.1.1/24 dev eth0 && ip link set eth0 up && echo w-$((1+4))",
    "w-5",
  );
  await typeInConsole(
    page,
    lonely,
    "ip addr add 10.0.1.2/24 dev eth0 && ip link set eth0 up && echo l-$((1+5))",
    "l-6",
  );
  await typeInConsole(
    page,
    lonely,
    "ping -c 2 -W 1 10.0.1.1",
    /2 packets transmitted, 0 packets received/,
  );
});
