/**
 * What the page benches do on /playground the way a learner does (fill the form, click, type a
 * command), and the figures table they all print. One copy for bench/vm-browser.ts,
 * bench/cpu-page.ts, bench/network.ts and bench/cloud.ts.
 */
import type { Locator, Page } from "playwright-core";

type Row = [what: string, value: string, budget: string];
const rows: Row[] = [];

/** One figure: shown at once on stderr, and kept for the table. */
export function note(what: string, value: string, budget = ""): void {
  rows.push([what, value, budget]);
  console.error(`  ${what}: ${value}`);
}

/** The figures so far as the Markdown table bench/run.ts keeps in bench/results.md. */
export function printFigures(): void {
  console.log("\n| measure | value | budget |\n| --- | --- | --- |");
  for (const [a, b, c] of rows) console.log(`| ${a} | ${b} | ${c} |`);
}

/** Creates a VM from the form (whatever else is already chosen in it) and returns its panel. */
export async function createVm(page: Page, name: string): Promise<Locator> {
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create VM" }).click();
  const panel = page.getByRole("region", { name: `VM ${name}` });
  await panel.waitFor();
  return panel;
}

export async function waitState(
  panel: Locator,
  state: string,
  { timeoutMs = 120_000, pollingMs = 100 } = {},
): Promise<void> {
  await panel
    .page()
    .waitForFunction(
      ([el, s]) => (el as Element).getAttribute("data-vm-state") === s,
      [await panel.elementHandle(), state] as const,
      { timeout: timeoutMs, polling: pollingMs },
    );
}

/** Types a command into the panel's command line and presses Enter. */
export async function sendLine(panel: Locator, line: string): Promise<void> {
  const input = panel.getByRole("textbox", { name: /^Command for / });
  await input.fill(line);
  await input.press("Enter");
}

/** A panel figure (`data-stat`) as a number. */
export async function stat(panel: Locator, name: string): Promise<number> {
  return Number(await panel.locator(`[data-stat="${name}"]`).textContent());
}

/**
 * Runs a command in the panel's guest and resolves with its console text once the command has
 * finished (a marker printed as `$((1+1))`, since the console echoes what is typed).
 */
export async function ask(panel: Locator, line: string, marker: string, timeoutMs = 120_000) {
  await panel.locator(".xterm-rows").scrollIntoViewIfNeeded();
  await sendLine(panel, `${line}; echo ${marker}=$((1+1))done`);
  return waitForMarker(panel, marker, timeoutMs);
}

/** The panel's console text once it shows `<marker>=2done` (see ask). */
export async function waitForMarker(panel: Locator, marker: string, timeoutMs = 120_000) {
  const handle = await panel.locator(".xterm-rows").elementHandle();
  const found = await panel.page().waitForFunction(
    ([el, m]) => {
      const text = ((el as Element).textContent ?? "").replace(/\u00a0/g, " ");
      return new RegExp(`${m}=2done`).test(text) ? text : false;
    },
    [handle, marker] as const,
    { timeout: timeoutMs, polling: 100 },
  );
  return String(await found.jsonValue());
}
