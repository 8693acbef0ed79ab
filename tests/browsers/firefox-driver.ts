import puppeteer from "puppeteer-core";
import { FIREFOX_PATH } from "../../scripts/lib/browsers";
import { VIEWPORT, type BrowserDriver } from "./driver";

/**
 * Debian's Firefox ESR through puppeteer-core over WebDriver BiDi (Playwright's Firefox is a
 * patched build it downloads; puppeteer-core drives the stock one).
 */
export async function launchFirefox(): Promise<BrowserDriver> {
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX_PATH,
    headless: true,
    defaultViewport: VIEWPORT,
    args: [`--width=${VIEWPORT.width}`, `--height=${VIEWPORT.height}`],
    extraPrefsFirefox: {
      // No calls to other hosts: updates, telemetry, safe browsing lists, captive portal checks.
      "app.update.enabled": false,
      "datareporting.policy.dataSubmissionEnabled": false,
      "network.captive-portal-service.enabled": false,
      "browser.safebrowsing.update.enabled": false,
    },
  });
  const page = await browser.newPage();
  let errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${String(error)}`));
  page.setDefaultTimeout(30_000);
  return {
    engine: "firefox",
    version: await browser.version(),
    goto: async (url) => void (await page.goto(url)),
    reload: async () => void (await page.reload()),
    evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
    click: (selector) => page.locator(selector).click(),
    fill: (selector, value) => page.locator(selector).fill(value),
    typeLine: async (selector, text) => {
      await page.focus(selector);
      await page.keyboard.type(text);
      await page.keyboard.press("Enter");
    },
    takeErrors: async () => {
      const taken = errors;
      errors = [];
      return taken;
    },
    close: () => browser.close(),
  };
}
