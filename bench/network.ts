/**
 * Two VMs on the page's switch, measured as a learner meets them (production build, /playground,
 * headless Chromium): iperf3 TCP for SECONDS (10), twice, between them on virtio-net at MTU
 * 1500, 9000 and 65520 and on NE2000, 1 MiB over HTTP (busybox httpd and wget, md5 compared,
 * timed in the guest), the ping round trip between idle VMs (median of 20), the page's
 * animation-frame gaps during each iperf3 run, and how many messages carrying a frame reached the
 * page's main thread (counted by wrapping every onmessage in the page before it loads).
 * `npx tsx bench/network.ts` after a build; BENCH_URL uses a running server;
 * CONFIGS="virtio:1500,ne2k:1500" picks the runs, and a third field adds to a run's page address
 * ("virtio:1500:?cpu=off": the CPU scheduler off).
 */
import { loadavg } from "node:os";
import { chromium, type Locator, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/lib/chromium";
import { startProductionServer, type RunningServer } from "../scripts/lib/server";
import { describeTimes, percentile, recordFrameGaps } from "./page-probes";
import { ask, note, printFigures } from "./playground-steps";

const SECONDS = Number(process.env.SECONDS ?? 10);
const CONFIGS = (
  process.env.CONFIGS ?? "virtio:1500,virtio:1500:?cpu=off,virtio:9000,virtio:65520,ne2k:1500"
)
  .split(",")
  .map((c) => {
    const [nic, mtu, query = process.env.QUERY ?? ""] = c.split(":");
    return { nic: nic as "virtio" | "ne2k", mtu: Number(mtu), query };
  });

/**
 * In the page before its scripts run: counts the messages that reach the main thread, and those
 * of them that carry an Ethernet frame (a buffer, or a message with a frame in it).
 */
const COUNT_MESSAGES = `(() => {
  window.__messages = { all: 0, frames: 0 };
  const carriesFrame = (d) =>
    d instanceof ArrayBuffer || ArrayBuffer.isView(d) || (d && typeof d === "object" && "frame" in d);
  for (const proto of [Worker.prototype, MessagePort.prototype]) {
    const desc = Object.getOwnPropertyDescriptor(proto, "onmessage");
    Object.defineProperty(proto, "onmessage", {
      configurable: true,
      get() { return desc.get.call(this); },
      set(fn) {
        desc.set.call(this, fn && function (event) {
          window.__messages.all++;
          if (carriesFrame(event.data)) window.__messages.frames++;
          return fn.call(this, event);
        });
      },
    });
  }
})()`;

async function createVm(page: Page, name: string, nic: string): Promise<Locator> {
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Network", { exact: true }).selectOption("switch");
  await page.getByLabel("Network card").selectOption(nic);
  await page.getByRole("button", { name: "Create VM" }).click();
  const panel = page.getByRole("region", { name: `VM ${name}` });
  await panel.waitFor();
  return panel;
}

async function pair(page: Page, nic: string, mtu: number): Promise<[Locator, Locator]> {
  const a = await createVm(page, "a", nic);
  const b = await createVm(page, "b", nic);
  await page.getByLabel("MTU (bytes)").selectOption(String(mtu));
  for (const panel of [a, b])
    await panel.getByRole("button", { name: "Start", exact: true }).click();
  for (const [panel, ip] of [
    [a, "10.0.0.1"],
    [b, "10.0.0.2"],
  ] as const) {
    await panel.locator('[data-stat="ip"]').filter({ hasText: ip }).waitFor({ timeout: 180_000 });
  }
  return [a, b];
}

/**
 * One ping process, as a learner runs it. (A `ping -c 1 | grep` per probe, as this bench had
 * before, made the guest start two processes at the moment of every echo: at load 7 on two cores
 * its median was 5-8 ms where one process measured 2-4.6 ms in the same minutes.) `round` tells
 * the rounds apart: the first, just after the VMs came up, meets their JIT still warming up.
 */
async function pingMedian(from: Locator, round: number): Promise<number[]> {
  const text = await ask(
    from,
    `echo "pings${round}[$(ping -c 20 -i 0.2 10.0.0.1 | grep -o 'time=[0-9.]*' | tr '\\n' ' ')]"`,
    `pinged${round}`,
  );
  const line = new RegExp(`pings${round}\\[((?:time=[\\d.]+ ?)*)\\]`).exec(text)?.[1] ?? "";
  return [...line.matchAll(/time=([\d.]+)/g)].map((m) => Number(m[1])).sort((x, y) => x - y);
}

/**
 * One iperf3 run; `run` tells the console markers apart. The first run on freshly started VMs
 * is mostly warm-up: v86 compiles the guests' hot code (their TCP paths) to WebAssembly as it
 * runs, and the browser compiles that again, optimised, in background threads. Measured by the
 * second each, a first run climbed from 48 to 235 Mbit/s and the next one stayed at 210-296.
 */
async function iperf(
  page: Page,
  server: Locator,
  client: Locator,
  run: number,
): Promise<[number, number[]]> {
  await ask(server, "iperf3 -s -D -1", `srv${run}`);
  const stop = await recordFrameGaps(page);
  const text = await ask(
    client,
    `iperf3 -c 10.0.0.1 -t ${SECONDS} -f m | grep receiver | tr -s ' '`,
    `ipf${run}`,
    SECONDS * 1000 + 120_000,
  );
  const gaps = await stop();
  const all = [...text.matchAll(/([\d.]+) Mbits\/sec receiver/g)];
  return [Number(all.at(-1)?.[1] ?? NaN), gaps];
}

async function http(server: Locator, client: Locator): Promise<{ ms: number; same: boolean }> {
  const made = await ask(
    server,
    "seq 1 200000 | head -c 1048576 > /root/f; httpd -p 80 -h /root; echo sum=$(md5sum < /root/f | cut -c1-32)",
    "mk",
  );
  const sent = /sum=([0-9a-f]{32})/.exec(made)?.[1];
  const got = await ask(
    client,
    "s=$(cut -d' ' -f1 /proc/uptime); wget -q -O /tmp/f http://10.0.0.1/f; e=$(cut -d' ' -f1 /proc/uptime); " +
      'echo got=$(md5sum < /tmp/f | cut -c1-32) ms=$(awk "BEGIN{print int(($e-$s)*1000)}")',
    "get",
  );
  const received = /got=([0-9a-f]{32}) ms=(\d+)/.exec(got);
  return { ms: Number(received?.[2] ?? NaN), same: Boolean(sent) && received?.[1] === sent };
}

async function measure(
  base: string,
  { nic, mtu, query }: (typeof CONFIGS)[number],
  browser: import("playwright-core").Browser,
) {
  const card = nic === "virtio" ? "virtio-net" : "NE2000";
  const label = `${card}, MTU ${mtu}${query ? `, ${query}` : ""}`;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.addInitScript(COUNT_MESSAGES);
  try {
    await page.goto(`${base}/playground${query}`);
    const [a, b] = await pair(page, nic, mtu);
    if (nic === "virtio" && mtu === 1500) {
      for (const [round, which] of [
        [1, "first"],
        [2, "next"],
      ] as const) {
        const rtt = await pingMedian(b, round);
        note(
          `[${label}] ping b -> a, idle, ${which} ${rtt.length} pings`,
          `median ${percentile(rtt, 50)} ms, max ${rtt.at(-1)} ms`,
          "median <= 2 ms",
        );
      }
    }
    for (const [run, which] of [
      [1, "first run"],
      [2, "second run"],
    ] as const) {
      const [mbits, gaps] = await iperf(page, a, b, run);
      note(
        `[${label}] iperf3 TCP ${SECONDS} s, b -> a, ${which}`,
        `${mbits} Mbit/s = ${(mbits / 8).toFixed(2)} MB/s`,
        nic === "virtio" && mtu === 1500 ? ">= 8 MB/s" : "",
      );
      note(
        `[${label}] animation-frame gaps during iperf3, ${which}`,
        describeTimes(gaps),
        "p95 <= 34 ms",
      );
    }
    if (mtu === 1500) {
      const got = await http(a, b);
      const rate = got.ms > 0 ? (1 / (got.ms / 1000)).toFixed(2) : "?";
      note(
        `[${label}] 1 MiB over HTTP, b from a`,
        `${got.ms} ms = ${rate} MiB/s, md5 ${got.same ? "equal" : "DIFFERENT"}`,
        nic === "virtio" ? ">= 4 MB/s" : "",
      );
    }
    const counted = (await page.evaluate("window.__messages")) as { all: number; frames: number };
    note(
      `[${label}] messages to the page's main thread: with a frame / all`,
      `${counted.frames} / ${counted.all}`,
      "frames: 0",
    );
  } finally {
    await page.close();
  }
}

async function main(): Promise<void> {
  let server: RunningServer | undefined;
  const base = process.env.BENCH_URL || (server = await startProductionServer(3195)).url;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    note("host load average (1 min) at the start", loadavg()[0]!.toFixed(2));
    for (const config of CONFIGS) await measure(base, config, browser);
  } finally {
    await browser.close();
    await server?.stop();
  }
  note("host load average (1 min) at the end", loadavg()[0]!.toFixed(2));
  printFigures();
}

await main();
