import type { Engine } from "../../scripts/lib/browsers";

/**
 * The few things the smoke scenario asks of a browser, so that it is written once and run in
 * every engine: Playwright drives Chromium, puppeteer-core drives Firefox over WebDriver BiDi,
 * webdriverio drives WebKitGTK over WebDriver classic. Elements are named by CSS selectors;
 * anything richer happens in the page through `evaluate`.
 */
export interface BrowserDriver {
  engine: Engine;
  /** The browser's own version string. */
  version: string;
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /** Runs a function in the page (its source is sent, so it may use nothing from outside). */
  evaluate<T, A>(fn: (arg: A) => T | Promise<T>, arg: A): Promise<T>;
  /** A real pointer click on the element, scrolled into view. */
  click(selector: string): Promise<void>;
  /** Replaces a form field's text by typing, as a person would. */
  fill(selector: string, value: string): Promise<void>;
  /** Focuses the element and types the text on the keyboard, then presses Enter. */
  typeLine(selector: string, text: string): Promise<void>;
  /** Console errors and uncaught exceptions the pages have shown since the last call. */
  takeErrors(): Promise<string[]>;
  close(): Promise<void>;
}

export const VIEWPORT = { width: 1280, height: 900 };
