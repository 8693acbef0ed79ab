/**
 * The cloud console (production build, /cloud, headless Chromium), as a learner drives it: the
 * time from pressing Launch (t.small, course image, user data that starts busybox httpd) to the
 * instance answering HTTP, seen from a client instance's wget loop (median of LAUNCHES, 5), with
 * the times to running and to user data finished on the way; then a scaling group of two behind
 * the load balancer, and the balancer's throughput from the client: REQUESTS (40) small pages in
 * a row (requests/s), then BIG_REQUESTS (8) pages of BIG_KIB (256) KiB (MiB/s), each beside the
 * same straight to one member. Requests and bytes are timed in the client guest (/proc/uptime).
 * `npx tsx bench/cloud.ts` after a build; BENCH_URL uses a running server.
 */
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { chromium, type Locator, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/lib/chromium";
import { startProductionServer, type RunningServer } from "../scripts/lib/server";
import { percentile } from "./page-probes";
import { ask, note, printFigures, sendLine, waitForMarker } from "./playground-steps";

const LAUNCHES = Number(process.env.LAUNCHES ?? 5);
const REQUESTS = Number(process.env.REQUESTS ?? 40);
const BIG_REQUESTS = Number(process.env.BIG_REQUESTS ?? 8);
const BIG_KIB = Number(process.env.BIG_KIB ?? 256);
const LIMIT_MS = 180_000;

const WEB_USER_DATA = `mkdir -p /www
echo "served by $INSTANCE_NAME" > /www/index.html
httpd -h /www`;

function row(page: Page, name: string): Locator {
  return page.locator(`tbody[data-instance="${name}"]`);
}

/** Fills the Launch form (t.small, group default) and presses Launch; resolves at the click. */
async function launch(page: Page, name: string, userData: string): Promise<number> {
  const form = page.getByRole("form", { name: "Launch instance" });
  await form.getByLabel("Name").fill(name);
  await form.getByRole("radio", { name: /^t\.small/ }).check();
  await form.getByLabel(/^User data/).fill(userData);
  const pressed = performance.now();
  await form.getByRole("button", { name: "Launch instance" }).click();
  return pressed;
}

/** Milliseconds from `since` until the instance's row has the attribute's value. */
async function whenRow(
  page: Page,
  name: string,
  selector: string,
  attribute: string,
  value: string,
  since: number,
) {
  await page.waitForFunction(
    ([n, s, a, v]) =>
      document.querySelector(`tbody[data-instance="${n}"] ${s}`.trim())?.getAttribute(a) === v,
    [name, selector, attribute, value] as const,
    { timeout: LIMIT_MS, polling: 50 },
  );
  return performance.now() - since;
}

async function addressOf(page: Page, name: string): Promise<string> {
  const cell = row(page, name).locator("[data-address]");
  await cell.filter({ hasText: /^10\.0\.0\.\d+$/ }).waitFor({ timeout: LIMIT_MS });
  return (await cell.textContent())!.trim();
}

async function terminate(page: Page, name: string): Promise<void> {
  await row(page, name)
    .getByRole("button", { name: `Terminate ${name}` })
    .click();
  await row(page, name).getByRole("button", { name: "Terminate it" }).click();
  await row(page, name)
    .and(page.locator('[data-state="terminated"]'))
    .waitFor({ timeout: LIMIT_MS });
}

/** Opens an instance's console below the table (Connect) and returns its VM panel. */
async function connect(page: Page, name: string): Promise<Locator> {
  await row(page, name)
    .getByRole("button", { name: `Connect to ${name}` })
    .click();
  const panel = page.getByRole("region", { name: `VM ${name}`, exact: true });
  await panel.waitFor({ timeout: LIMIT_MS });
  return panel;
}

let markers = 0;

/** Fetches `url` `count` times in a row from the client; successes, bytes and ms (guest clock). */
async function fetchLoop(client: Locator, url: string, count: number) {
  const marker = `loop${++markers}`;
  const text = await ask(
    client,
    `s=$(cut -d' ' -f1 /proc/uptime); n=0; b=0; i=0; while [ $i -lt ${count} ]; do ` +
      `timeout 10 wget -q -O /tmp/r ${url} && n=$((n+1)) && b=$((b+$(wc -c </tmp/r))); i=$((i+1)); done; ` +
      `e=$(cut -d' ' -f1 /proc/uptime); echo n=$n b=$b ms=$(awk "BEGIN{print int(($e-$s)*1000)}")`,
    marker,
    LIMIT_MS + count * 10_000,
  );
  const found = /n=(\d+) b=(\d+) ms=(\d+)/.exec(text.slice(text.lastIndexOf("n=") - 1));
  return { ok: Number(found?.[1]), bytes: Number(found?.[2]), ms: Number(found?.[3]) };
}

function rate(got: { ok: number; bytes: number; ms: number }, count: number, big = false): string {
  const perS = (got.ok / (got.ms / 1000)).toFixed(1);
  const mibS = (got.bytes / 2 ** 20 / (got.ms / 1000)).toFixed(2);
  return `${got.ok}/${count} answered in ${got.ms} ms: ${perS} requests/s${big ? `, ${mibS} MiB/s` : ""}`;
}

async function launchToHttp(page: Page, client: Locator): Promise<void> {
  const running: number[] = [];
  const userData: number[] = [];
  const http: number[] = [];
  for (let n = 1; n <= LAUNCHES; n++) {
    const name = `web-${n}`;
    const pressed = await launch(page, name, WEB_USER_DATA);
    const address = await addressOf(page, name);
    // The client asks until it gets the page: a refused or unanswered try waits 0.1 s.
    await sendLine(
      client,
      `until timeout 1 wget -q -O /dev/null http://${address}/; do usleep 100000; done; echo up${n}=$((1+1))done`,
    );
    const [toRunning, toUserData, toHttp] = await Promise.all([
      whenRow(page, name, "", "data-state", "running", pressed),
      whenRow(page, name, "[data-user-data]", "data-user-data", "done", pressed),
      waitForMarker(client, `up${n}`, LIMIT_MS).then(() => performance.now() - pressed),
    ]);
    running.push(toRunning);
    userData.push(toUserData);
    http.push(toHttp);
    console.error(
      `  ${name}: running ${(toRunning / 1000).toFixed(2)} s, user data done ${(toUserData / 1000).toFixed(2)} s, HTTP ${(toHttp / 1000).toFixed(2)} s`,
    );
    await terminate(page, name);
  }
  const show = (list: number[]) => {
    const sorted = [...list].sort((a, b) => a - b);
    return `median ${(percentile(sorted, 50) / 1000).toFixed(2)} s (${sorted.map((ms) => (ms / 1000).toFixed(2)).join(", ")})`;
  };
  note(`Launch to running (${LAUNCHES} launches)`, show(running));
  note(`Launch to user data finished (httpd started)`, show(userData));
  note(`Launch to answering HTTP (client's wget got the page)`, show(http));
}

async function balancer(page: Page, client: Locator): Promise<void> {
  const form = page.getByRole("form", { name: "Create auto scaling group" });
  await form.getByLabel("Launch from image").selectOption({ label: "Live Linux (course image)" });
  await form.getByLabel("User data for each new member").fill(WEB_USER_DATA);
  await form.getByRole("button", { name: "Create auto scaling group" }).click();
  for (const n of [1, 2])
    await row(page, `web-asg-${n}`)
      .and(page.locator('[data-state="running"]'))
      .waitFor({ timeout: LIMIT_MS });
  await page
    .getByRole("form", { name: "Create load balancer" })
    .getByRole("button", { name: "Create load balancer" })
    .click();
  const lb = page.getByRole("region", { name: "Load balancer lb-1" });
  const members = [await addressOf(page, "web-asg-1"), await addressOf(page, "web-asg-2")];
  await page.waitForFunction(
    (want) =>
      document.querySelector('[aria-label="Load balancer lb-1"]')?.getAttribute("data-targets") ===
      want,
    members.join(" "),
    { timeout: LIMIT_MS, polling: 200 },
  );
  const lbAddress = (await lb.locator("[data-balancer-address]").textContent())!.trim();
  const small = await fetchLoop(client, `http://${lbAddress}/`, REQUESTS);
  note(`Balancer over 2 instances, ${REQUESTS} small pages in a row`, rate(small, REQUESTS));
  const direct = await fetchLoop(client, `http://${members[0]}/`, REQUESTS);
  note(`Straight to one instance, ${REQUESTS} small pages in a row`, rate(direct, REQUESTS));

  // Each member's page made BIG_KIB KiB (text: the balancer passes it through a shell variable).
  for (const n of [1, 2]) {
    const panel = await connect(page, `web-asg-${n}`);
    await ask(
      panel,
      `yes 0123456789abcdef0123456789abcde | head -c ${BIG_KIB * 1024} > /www/index.html`,
      `big${n}`,
    );
  }
  await connect(page, "client");
  const big = await fetchLoop(client, `http://${lbAddress}/`, BIG_REQUESTS);
  note(
    `Balancer over 2 instances, ${BIG_REQUESTS} pages of ${BIG_KIB} KiB`,
    rate(big, BIG_REQUESTS, true),
  );
  const bigDirect = await fetchLoop(client, `http://${members[0]}/`, BIG_REQUESTS);
  note(
    `Straight to one instance, ${BIG_REQUESTS} pages of ${BIG_KIB} KiB`,
    rate(bigDirect, BIG_REQUESTS, true),
  );
  // The console reads the balancer's counts every 3 s: wait for this run's requests to show.
  await page
    .waitForFunction(
      (total) =>
        [
          ...document.querySelectorAll(
            '[aria-label="Load balancer lb-1"] tr[data-target] [data-served]',
          ),
        ]
          .map((cell) => Number(cell.textContent))
          .reduce((a, b) => a + b, 0) >= total,
      REQUESTS + BIG_REQUESTS,
      { timeout: 15_000, polling: 200 },
    )
    .catch(() => undefined);
  const served = await lb.locator("tr[data-target] [data-served]").allTextContents();
  note("Requests each member served (balancer's counts)", served.join(" and "));
}

async function main(): Promise<void> {
  let server: RunningServer | undefined;
  const base =
    process.env.BENCH_URL ||
    (server = await startProductionServer(Number(process.env.BENCH_PORT ?? 3373))).url;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  console.log(
    `command: BENCH_ONLY=cloud npm run bench (bench/cloud.ts: LAUNCHES=${LAUNCHES} REQUESTS=${REQUESTS} BIG_REQUESTS=${BIG_REQUESTS} BIG_KIB=${BIG_KIB})`,
  );
  console.log(`uptime at the start: ${execFileSync("uptime", { encoding: "utf8" }).trim()}`);
  note("host load average (1 min) at the start", loadavg()[0]!.toFixed(2));
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(LIMIT_MS);
    await page.goto(`${base}/cloud`);
    // Port 80 open to the page's network in the group default, which everything here uses.
    const rules = page.getByRole("form", { name: "Add inbound rule to default" });
    await rules.getByLabel("Port", { exact: true }).fill("80");
    await rules.getByLabel(/^Source/).fill("10.0.0.0/24");
    await rules.getByRole("button", { name: "Add rule" }).click();
    await launch(page, "client", "");
    await row(page, "client").and(page.locator('[data-state="running"]')).waitFor();
    const client = await connect(page, "client");
    await ask(client, "true", "ready");
    await launchToHttp(page, client);
    await balancer(page, client);
  } finally {
    await browser.close();
    await server?.stop();
  }
  note("host load average (1 min) at the end", loadavg()[0]!.toFixed(2));
  console.log(`uptime at the end: ${execFileSync("uptime", { encoding: "utf8" }).trim()}`);
  printFigures();
}

await main();
