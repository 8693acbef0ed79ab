/**
 * The memory lesson in the page (production build, /playground, headless Chromium): inflating a
 * running VM's balloon by 48 MiB from its Memory panel (three presses of Inflate) until the panel
 * says the guest gave it all, with the page's animation-frame gaps meanwhile; and the frame gaps
 * over SECONDS (10) with the Memory panel closed, then open (one scan of each VM a second).
 * `npx tsx bench/memory-page.ts` after a build; BENCH_URL uses a running server.
 */
import { loadavg } from "node:os";
import { chromium, type Locator } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/lib/chromium";
import { startProductionServer, type RunningServer } from "../scripts/lib/server";
import { describeTimes, percentile, recordFrameGaps } from "./page-probes";

const SECONDS = Number(process.env.SECONDS ?? 10);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const lines: string[] = [];

let server: RunningServer | undefined;
const base =
  process.env.BENCH_URL ||
  (server = await startProductionServer(Number(process.env.BENCH_PORT ?? 3372))).url;
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(120_000);
  await page.goto(`${base}/playground`);
  const panels: Locator[] = [];
  for (const name of ["mem-one", "mem-two"]) {
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByRole("button", { name: "Create VM" }).click();
    const panel = page.getByRole("region", { name: `VM ${name}` });
    await panel.getByRole("button", { name: "Start", exact: true }).click();
    panels.push(panel);
  }
  for (const panel of panels)
    await page.waitForFunction(
      (el) => el?.getAttribute("data-vm-state") === "running",
      await panel.elementHandle(),
      { timeout: 120_000 },
    );
  lines.push(
    `load average (1 min) at the start: ${loadavg()[0]!.toFixed(1)}; two 128 MiB VMs running`,
  );
  const one = panels[0]!;
  await one.scrollIntoViewIfNeeded();

  const closed = await recordFrameGaps(page);
  await page.waitForTimeout(SECONDS * 1000);
  lines.push(`frame gaps, Memory closed (no scans): ${describeTimes(await closed())}`);
  await one.getByRole("button", { name: "Memory", exact: true }).click();
  const view = one.getByRole("region", { name: "Memory of mem-one" });
  await view.locator('[data-stat="guest-total-mb"]').waitFor();
  const open = await recordFrameGaps(page);
  await page.waitForTimeout(SECONDS * 1000);
  lines.push(
    `frame gaps, Memory open (a scan of each VM a second): ${describeTimes(await open())}`,
  );

  const balloon = view.locator('[data-stat="balloon-mb"]');
  const inflate = view.getByRole("button", { name: "Inflate", exact: true });
  const deflate = view.getByRole("button", { name: "Deflate", exact: true });
  const times: number[] = [];
  const gapsP95: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const gaps = await recordFrameGaps(page);
    const startedAt = Date.now();
    for (let i = 0; i < 3; i++) await inflate.click();
    await page.waitForFunction((el) => el?.textContent === "48", await balloon.elementHandle(), {
      timeout: 30_000,
      polling: 20,
    });
    times.push(Date.now() - startedAt);
    gapsP95.push(percentile(await gaps(), 95));
    for (let i = 0; i < 3; i++) await deflate.click();
    await page.waitForFunction((el) => el?.textContent === "0", await balloon.elementHandle(), {
      timeout: 30_000,
    });
  }
  const f = (v: number[]) => v.map((n) => n.toFixed(0)).join(", ");
  lines.push(
    `balloon inflate by 48 MiB, first press to the panel showing 48 (page clock, includes the panel's once-a-second reading), ms: ${f(times)}`,
  );
  lines.push(`frame gap p95 during each inflate, ms: ${f(gapsP95)}`);
} finally {
  await browser.close();
  await server?.stop();
}
console.log(lines.join("\n"));
