import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { remote } from "webdriverio";
import { MINIBROWSER_PATH, WEBKIT_DRIVER_PATH, XVFB_PATH } from "../../scripts/lib/browsers";
import { VIEWPORT, type BrowserDriver } from "./driver";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A virtual X display for MiniBrowser; Xvfb picks a free number and writes it to stdout. */
function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const child = spawn(
    XVFB_PATH,
    ["-displayfd", "1", "-screen", "0", `${VIEWPORT.width}x${VIEWPORT.height + 100}x24`],
    { stdio: ["ignore", "pipe", "ignore"] },
  );
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`Xvfb exited with code ${code}`)));
    child.stdout!.once("data", (chunk: Buffer) =>
      resolve({ display: `:${chunk.toString().trim()}`, process: child }),
    );
  });
}

async function waitForDriver(url: string, child: ChildProcess): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited (${child.exitCode})`);
    try {
      if ((await fetch(`${url}/status`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`WebKitWebDriver did not answer at ${url}`);
}

/**
 * WebDriver classic cannot run a script before a page's own, and MiniBrowser's automation view
 * ignores its console-to-stdout setting, so errors are gathered by listeners installed once each
 * page has loaded (errors while the page itself loads show only as a broken page).
 */
function installErrorTrap(): void {
  const w = window as unknown as { __vlabsErrors?: string[] };
  if (w.__vlabsErrors) return;
  const errors: string[] = (w.__vlabsErrors = []);
  addEventListener("error", (event) => errors.push(`uncaught: ${event.message}`));
  addEventListener("unhandledrejection", (event) =>
    errors.push(`unhandled rejection: ${String(event.reason)}`),
  );
  const original = console.error.bind(console);
  console.error = (...parts: unknown[]) => {
    errors.push(parts.map(String).join(" "));
    original(...parts);
  };
}

function takeTrapped(): string[] {
  const w = window as unknown as { __vlabsErrors?: string[] };
  return w.__vlabsErrors?.splice(0) ?? [];
}

/** WebKitGTK (Safari's engine) through WebKitWebDriver and MiniBrowser, on a virtual display. */
export async function launchWebKit(): Promise<BrowserDriver> {
  const xvfb = await startXvfb();
  const port = await freePort();
  const driver = spawn(WEBKIT_DRIVER_PATH, [`--port=${port}`], {
    env: { ...process.env, DISPLAY: xvfb.display },
    stdio: "ignore",
  });
  const stopProcesses = () => {
    driver.kill();
    xvfb.process.kill();
  };
  try {
    await waitForDriver(`http://127.0.0.1:${port}`, driver);
    const browser = await remote({
      hostname: "127.0.0.1",
      port,
      path: "/",
      logLevel: "warn",
      capabilities: {
        browserName: "MiniBrowser",
        "wdio:enforceWebDriverClassic": true,
        "webkitgtk:browserOptions": { binary: MINIBROWSER_PATH, args: ["--automation"] },
      } as WebdriverIO.Capabilities,
    });
    await browser.setWindowSize(VIEWPORT.width, VIEWPORT.height);
    const trap = () => browser.execute(installErrorTrap);
    const element = async (selector: string) => {
      const found = await browser.$(selector);
      await found.waitForExist({ timeout: 30_000 });
      // WebDriver clicks where the element was: wait until it stops moving (a VM panel above it
      // grows as its VM starts), as Playwright and puppeteer do before a click.
      let last = "";
      for (let tries = 0; tries < 50; tries++) {
        const rect = await browser.execute((s) => {
          const el = document.querySelector(s);
          el?.scrollIntoView({ block: "center" });
          const r = el?.getBoundingClientRect();
          return r ? `${r.x},${r.y},${r.width},${r.height}` : "";
        }, selector);
        if (rect !== "" && rect === last) break;
        last = rect;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return found;
    };
    return {
      engine: "webkit",
      version: String(browser.capabilities.browserVersion ?? "unknown"),
      goto: async (url) => {
        await browser.url(url);
        await trap();
      },
      reload: async () => {
        await browser.refresh();
        await trap();
      },
      evaluate: (fn, arg) => browser.execute(fn as never, arg) as never,
      click: async (selector) => (await element(selector)).click(),
      fill: async (selector, value) => (await element(selector)).setValue(value),
      typeLine: async (selector, text) => {
        await element(selector);
        await browser.execute((s) => (document.querySelector(s) as HTMLElement).focus(), selector);
        // One press and release per character: keys() holds them all down, then releases them,
        // which types a doubled character once.
        const keys = browser.action("key");
        for (const char of [...text, "\uE007"]) keys.down(char).up(char);
        await keys.perform();
      },
      takeErrors: () => browser.execute(takeTrapped),
      close: async () => {
        await browser.deleteSession().catch(() => undefined);
        stopProcesses();
      },
    };
  } catch (error) {
    stopProcesses();
    throw error;
  }
}
