/**
 * In-page measurements for the benches, taken the way a learner's page meets them: animation-frame
 * gaps from a requestAnimationFrame loop in the page, and key-to-echo in a VM console from the
 * key event to the moment the echoed character is in the terminal's rows. The in-page code is
 * given as strings: tsx's name helpers do not exist in the page.
 */
import type { Locator, Page } from "playwright-core";

/** Percentile of sorted numbers (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const START_GAPS = `(() => {
  window.__gaps = [];
  window.__gapsOn = true;
  let last = 0;
  const tick = (t) => {
    window.__gaps.push(t - last);
    last = t;
    if (window.__gapsOn) requestAnimationFrame(tick);
  };
  requestAnimationFrame((t) => { last = t; requestAnimationFrame(tick); });
})()`;
const STOP_GAPS = `(() => { window.__gapsOn = false; return window.__gaps; })()`;

/** Starts recording frame gaps in the page; the returned function stops and returns them sorted. */
export async function recordFrameGaps(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(START_GAPS);
  return async () => ((await page.evaluate(STOP_GAPS)) as number[]).sort((a, b) => a - b);
}

const WATCH_ECHO = `(() => {
  const el = document.querySelector("[data-echo-probe]");
  const xs = () => (el.textContent || "").split("x").length - 1;
  window.__echo = [];
  window.__xs = xs();
  window.__down = 0;
  document.addEventListener("keydown", (e) => { window.__down = e.timeStamp; }, { capture: true });
  new MutationObserver(() => {
    const now = xs();
    if (now > window.__xs && window.__down) {
      window.__echo.push(performance.now() - window.__down);
      window.__down = 0;
    }
    window.__xs = now;
  }).observe(el, { childList: true, subtree: true, characterData: true });
})()`;

/**
 * Key-to-echo in a VM's console: presses `x` `count` times, one at a time, and for each measures
 * from the keydown event (in-page clock) to the moment one more `x` shows in the terminal's rows.
 * The guest's tty echoes even while a busy loop runs in the background of its shell.
 */
export async function keyToEcho(page: Page, panel: Locator, count: number): Promise<number[]> {
  const terminal = panel.locator(".xterm");
  await terminal.scrollIntoViewIfNeeded();
  await terminal.click();
  await page.evaluate(() =>
    document
      .querySelectorAll("[data-echo-probe]")
      .forEach((e) => e.removeAttribute("data-echo-probe")),
  );
  await panel.locator(".xterm-rows").evaluate((el) => el.setAttribute("data-echo-probe", ""));
  await page.evaluate(WATCH_ECHO);
  for (let i = 0; i < count; i++) {
    const before = (await page.evaluate("window.__echo.length")) as number;
    await page.keyboard.press("x");
    // A function, not a string: a string is evaluated with eval, which the site's CSP refuses.
    await page
      .waitForFunction(
        (n) => (window as unknown as { __echo: number[] }).__echo.length > n,
        before,
        { timeout: 5000, polling: 20 },
      )
      .catch(() => undefined);
    await page.waitForTimeout(50 + (i % 5) * 20);
  }
  // Clear the typed line so the shell does not run it.
  await page.keyboard.press("Control+U");
  return ((await page.evaluate("window.__echo")) as number[]).sort((a, b) => a - b);
}

/** "p50 a ms, p95 b ms, max c ms (n=N)". */
export function describeTimes(sorted: readonly number[]): string {
  const f = (n: number) => n.toFixed(0);
  return `p50 ${f(percentile(sorted, 50))} ms, p95 ${f(percentile(sorted, 95))} ms, max ${f(
    sorted.at(-1) ?? NaN,
  )} ms (n=${sorted.length})`;
}
