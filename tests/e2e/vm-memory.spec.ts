import { expect, test } from "./fixtures";
import { heapAfterGcMb, sendCommand, workerHeapsMb } from "./page-probes";
import { startVms, typeInConsole } from "./vm-helpers";
import { createSwitchedVm, waitForGuestSetup } from "./vm-net-helpers";

/**
 * A VM left running must not grow the page's memory without bound. What could grow while a guest
 * talks: the console log (kept to its last 512 KB), the terminal's scrollback (2000 lines), the
 * MIPS history (2 minutes), the agent client's requests (the switch polls addresses every 4 s),
 * frames through the switch. One VM floods its console, another pings it over the switch;
 * the page's JS heap after GC is sampled throughout.
 */

test.describe.configure({ timeout: 300_000 });

const RUN_MS = Number(process.env.VM_MEMORY_RUN_MS ?? 60_000);
const SAMPLE_MS = 5_000;

interface Sample {
  s: number;
  pageMb: number;
  workersMb: number[];
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

test("a VM flooding its console and another pinging it do not grow the page's memory", async ({
  page,
}) => {
  await page.goto("/playground");
  const cdp = await page.context().newCDPSession(page);
  const talker = await createSwitchedVm(page, "talker");
  const pinger = await createSwitchedVm(page, "pinger");
  await startVms(talker, pinger);
  await waitForGuestSetup(talker);
  await waitForGuestSetup(pinger);
  await typeInConsole(
    page,
    talker,
    "ip addr add 10.0.2.1/24 dev eth0 && ip link set eth0 up && echo up-$((1+1))",
    "up-2",
  );
  await typeInConsole(
    page,
    pinger,
    "ip addr add 10.0.2.2/24 dev eth0 && ip link set eth0 up && echo up-$((2+2))",
    "up-4",
  );
  const idleMb = await heapAfterGcMb(cdp);

  await sendCommand(pinger, "ping -i 0.2 10.0.2.1");
  await sendCommand(talker, "yes 'a line of console output that never stops'");
  await expect(pinger.locator(".xterm-rows")).toContainText("bytes from 10.0.2.1");
  const txAtStart = Number(await pinger.locator('[data-stat="net-tx-packets"]').textContent());

  const samples: Sample[] = [];
  const startedAt = Date.now();
  while (Date.now() - startedAt < RUN_MS) {
    await page.waitForTimeout(SAMPLE_MS);
    samples.push({
      s: Math.round((Date.now() - startedAt) / 1000),
      pageMb: await heapAfterGcMb(cdp),
      workersMb: (await workerHeapsMb(cdp)).map((w) => w.mb),
    });
  }
  const table = samples
    .map((x) => `${x.s}s page ${x.pageMb} MB, workers ${x.workersMb.join(" / ")} MB`)
    .join("\n");
  console.log(`page heap before the flood ${idleMb} MB\n${table}`);
  test
    .info()
    .annotations.push({ type: "heap after GC (MB)", description: `idle ${idleMb}\n${table}` });

  // Both kept going all along: the flood is still on screen, the pings still get answers.
  await expect(talker.locator(".xterm-rows")).toContainText("a line of console output");
  await expect(pinger.locator(".xterm-rows")).toContainText("bytes from 10.0.2.1");
  const txAtEnd = Number(await pinger.locator('[data-stat="net-tx-packets"]').textContent());
  expect(txAtEnd - txAtStart).toBeGreaterThan(RUN_MS / 1000);

  // Everything that grows with output is bounded (512 KB of log text, 2000 terminal lines)...
  const pageMb = samples.map((x) => x.pageMb);
  expect(Math.max(...pageMb)).toBeLessThan(idleMb + 6);
  // ...and once those are full, the heap does not creep up: the last quarter against the second.
  const quarter = Math.max(1, Math.floor(samples.length / 4));
  const second = median(pageMb.slice(quarter, 2 * quarter));
  const last = median(pageMb.slice(-quarter));
  expect(last).toBeLessThan(second + 2);
  // The workers' JS heaps (the guest's RAM is wasm memory, outside them) stay flat too.
  for (let w = 0; w < samples[0]!.workersMb.length; w++) {
    const series = samples.map((x) => x.workersMb[w] ?? 0);
    expect(median(series.slice(-quarter))).toBeLessThan(median(series.slice(0, quarter)) + 2);
  }
});
