import type { BrowserDriver } from "./driver";
import { attribute, consoleText, tagButton, tagField } from "./page-queries";

/** What the smoke scenario and the engine bench do in a page, on top of BrowserDriver. */

export const BOOT_TIMEOUT_MS = 120_000;

export const panel = (vm: string) => `[aria-label="VM ${vm}"]`;

export async function waitFor<T, A>(
  d: BrowserDriver,
  what: string,
  query: (arg: A) => T | Promise<T>,
  arg: A,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await d.evaluate(query, arg);
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `${d.engine}: timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)?.slice(-300)})`,
  );
}

export async function press(d: BrowserDriver, within: string, name: string, timeoutMs?: number) {
  const selector = await waitFor(
    d,
    `button "${name}" in ${within}`,
    tagButton,
    { within, name },
    (s) => s !== null,
    timeoutMs,
  );
  await d.click(selector!);
}

export async function fillField(d: BrowserDriver, label: string, value: string) {
  const selector = await waitFor(d, `field "${label}"`, tagField, { label }, (s) => s !== null);
  await d.fill(selector!, value);
}

export const waitAttribute = (
  d: BrowserDriver,
  selector: string,
  name: string,
  value: string,
  timeoutMs?: number,
) =>
  waitFor(
    d,
    `${selector} ${name}=${value}`,
    attribute,
    { selector, name },
    (v) => v === value,
    timeoutMs,
  );

/** Types a line into a VM's console (xterm's hidden textarea) and waits for `expected`. */
export async function answer(
  d: BrowserDriver,
  vm: string,
  line: string,
  expected: string,
  timeoutMs?: number,
): Promise<string> {
  await d.typeLine(`${panel(vm)} .xterm-helper-textarea`, line);
  return await waitFor(
    d,
    `"${expected}" in ${vm}'s console`,
    consoleText,
    { panel: panel(vm) },
    (text) => text.includes(expected),
    timeoutMs,
  );
}
