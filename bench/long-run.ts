/**
 * A long-running VM's memory in headless Chromium: one VM floods its console (`yes`), another
 * pings it over the virtual switch, for LONG_RUN_MINUTES (default 10). Every SAMPLE_S seconds
 * (default 30) it records the page's JS heap after GC, each VM worker's JS heap after GC, DOM
 * nodes and JS event listeners, then prints a table and the growth per minute over the second
 * half (when the console log and the terminal's scrollback are long full).
 * Run: `npx tsx bench/long-run.ts` (after a build); BENCH_URL= uses a running server.
 */
import { loadavg } from "node:os";
import { chromium, type CDPSession, type Locator, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/lib/chromium";
import { startProductionServer } from "../scripts/lib/server";
import { heapAfterGcMb, sendCommand, workerHeapsMb } from "../tests/e2e/page-probes";

const MINUTES = Number(process.env.LONG_RUN_MINUTES ?? 10);
const SAMPLE_S = Number(process.env.SAMPLE_S ?? 30);

interface Sample {
  s: number;
  pageMb: number;
  workersMb: Record<string, number>;
  nodes: number;
  listeners: number;
}

async function createSwitchedVm(page: Page, name: string): Promise<Locator> {
  await page.getByLabel("Network", { exact: true }).selectOption("switch");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create VM" }).click();
  const panel = page.getByRole("region", { name: `VM ${name}` });
  await panel.waitFor();
  return panel;
}

async function waitForConsole(panel: Locator, text: string, timeoutMs = 120_000): Promise<void> {
  await panel.locator(".xterm-rows").getByText(text).first().waitFor({ timeout: timeoutMs });
}

async function domCounters(cdp: CDPSession): Promise<{ nodes: number; listeners: number }> {
  const { metrics } = await cdp.send("Performance.getMetrics");
  const metric = (name: string): number => metrics.find((m) => m.name === name)?.value ?? 0;
  return { nodes: metric("Nodes"), listeners: metric("JSEventListeners") };
}

/** Least-squares slope in MB per minute. */
function slopePerMinute(points: { s: number; mb: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.s, 0) / n;
  const my = points.reduce((a, p) => a + p.mb, 0) / n;
  const num = points.reduce((a, p) => a + (p.s - mx) * (p.mb - my), 0);
  const den = points.reduce((a, p) => a + (p.s - mx) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 60;
}

async function run(base: string): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/playground`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    const talker = await createSwitchedVm(page, "talker");
    const pinger = await createSwitchedVm(page, "pinger");
    for (const panel of [talker, pinger])
      await panel.getByRole("button", { name: "Start", exact: true }).click();
    await waitForConsole(talker, "@talker:~#");
    await waitForConsole(pinger, "@pinger:~#");
    await sendCommand(talker, "ip addr add 10.0.3.1/24 dev eth0 && ip link set eth0 up");
    await sendCommand(pinger, "ip addr add 10.0.3.2/24 dev eth0 && ip link set eth0 up");
    await page.waitForTimeout(3000);
    const idleMb = await heapAfterGcMb(cdp);
    await sendCommand(pinger, "ping -i 0.2 10.0.3.1");
    await waitForConsole(pinger, "bytes from 10.0.3.1", 60_000);
    await sendCommand(talker, "yes 'a line of console output that never stops'");

    const samples: Sample[] = [];
    const startedAt = Date.now();
    while (Date.now() - startedAt < MINUTES * 60_000) {
      await page.waitForTimeout(SAMPLE_S * 1000);
      const workers = await workerHeapsMb(cdp);
      const counters = await domCounters(cdp);
      const sample: Sample = {
        s: Math.round((Date.now() - startedAt) / 1000),
        pageMb: await heapAfterGcMb(cdp),
        workersMb: Object.fromEntries(workers.map((w) => [w.title, w.mb])),
        ...counters,
      };
      samples.push(sample);
      console.error(
        `  ${sample.s} s: page ${sample.pageMb} MB, workers ${JSON.stringify(sample.workersMb)}`,
      );
    }
    const stillPinging = await pinger
      .locator(".xterm-rows")
      .getByText("bytes from 10.0.3.1")
      .count();

    const names = Object.keys(samples[0]?.workersMb ?? {});
    const lines = [
      `Long-running VMs: ${MINUTES} min, a sample every ${SAMPLE_S} s (load average at the end ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")})`,
      "talker runs `yes`, pinger runs `ping -i 0.2` to it over the switch (switch address polls every 4 s).",
      `page JS heap after GC before the flood: ${idleMb} MB; pinger still answered at the end: ${stillPinging > 0 ? "yes" : "no"}`,
      "",
      `${"time".padEnd(7)}${"page MB".padEnd(10)}${names.map((n) => `${n} MB`.padEnd(18)).join("")}${"DOM nodes".padEnd(11)}listeners`,
      ...samples.map(
        (x) =>
          `${`${x.s} s`.padEnd(7)}${String(x.pageMb).padEnd(10)}${names
            .map((n) => String(x.workersMb[n] ?? "-").padEnd(18))
            .join("")}${String(x.nodes).padEnd(11)}${x.listeners}`,
      ),
      "",
    ];
    const half = samples.slice(Math.floor(samples.length / 2));
    const slope = (pick: (x: Sample) => number | undefined): string =>
      slopePerMinute(
        half.flatMap((x) => {
          const mb = pick(x);
          return mb === undefined ? [] : [{ s: x.s, mb }];
        }),
      ).toFixed(3);
    lines.push(
      `growth over the second half (least squares, MB/min): page ${slope((x) => x.pageMb)}`,
    );
    for (const n of names) lines.push(`  ${n}: ${slope((x) => x.workersMb[n])}`);
    console.log(lines.join("\n"));
  } finally {
    await browser.close();
  }
}

const server = process.env.BENCH_URL
  ? undefined
  : await startProductionServer(Number(process.env.BENCH_PORT ?? 3198));
try {
  await run(process.env.BENCH_URL ?? server!.url);
} finally {
  await server?.stop();
}
