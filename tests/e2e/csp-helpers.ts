import type { Page } from "@playwright/test";
import { expect } from "./fixtures";

/*
 * Helpers for testing the site under its Content-Security-Policy: what the policy says, what the
 * browser reports as blocked, and the hashes the page's own inline scripts need.
 */

/** The policy's directives by name, each with its source list. */
export function parsePolicy(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/** Checks the promises the policy makes, whatever page it is for. */
export function expectStrictPolicy(
  policy: string | undefined,
  where: string,
): Map<string, string[]> {
  expect(policy, `${where}: Content-Security-Policy`).toBeTruthy();
  const directives = parsePolicy(policy!);
  const scripts = directives.get("script-src") ?? [];
  expect(scripts, `${where}: script-src`).toContain("'self'");
  expect(scripts, `${where}: script-src`).toContain("'wasm-unsafe-eval'");
  expect(scripts, `${where}: script-src`).not.toContain("'unsafe-inline'");
  expect(scripts, `${where}: script-src`).not.toContain("'unsafe-eval'");
  for (const source of scripts) {
    expect(source, `${where}: script-src allows only this origin`).toMatch(
      /^('self'|'wasm-unsafe-eval'|'sha256-[A-Za-z0-9+/]+=*')$/,
    );
  }
  expect(directives.get("default-src"), where).toEqual(["'self'"]);
  expect(directives.get("object-src"), where).toEqual(["'none'"]);
  expect(directives.get("base-uri"), where).toEqual(["'self'"]);
  expect(directives.get("frame-ancestors"), where).toEqual(["'self'"]);
  for (const name of ["worker-src", "connect-src", "img-src", "font-src", "form-action"]) {
    expect(directives.get(name), `${where}: ${name}`).toEqual(["'self'"]);
  }
  return directives;
}

/** The 'sha256-…' sources of a policy's script-src. */
export function scriptHashes(policy: string): string[] {
  return (parsePolicy(policy).get("script-src") ?? []).filter((source) =>
    source.startsWith("'sha256-"),
  );
}

/** The hash sources the inline scripts of the current page need, as the browser parsed them. */
export function inlineScriptHashesInPage(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const hashes = new Set<string>();
    for (const script of document.querySelectorAll("script:not([src])")) {
      const bytes = new TextEncoder().encode(script.textContent ?? "");
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
      hashes.add(`'sha256-${btoa(String.fromCharCode(...digest))}'`);
    }
    return [...hashes];
  });
}

/**
 * Records every Content-Security-Policy violation from now on: the `securitypolicyviolation`
 * events of each page loaded (through an init script) and the console errors of the page and
 * its workers (a worker's violations are reported in its own console).
 */
export async function watchPolicyViolations(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  const onConsole = (type: string, text: string) => {
    if (type === "error" && /Content Security Policy/i.test(text)) fromConsole.push(text);
  };
  page.on("console", (message) => onConsole(message.type(), message.text()));
  page.on("worker", (worker) =>
    worker.on("console", (message) => onConsole(message.type(), message.text())),
  );
  await page.addInitScript(() => {
    const found: string[] = [];
    (window as unknown as { __policyViolations: string[] }).__policyViolations = found;
    document.addEventListener("securitypolicyviolation", (event) => {
      found.push(
        `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`,
      );
    });
  });
  return async () => {
    const inPage = await page
      .evaluate(() => (window as unknown as { __policyViolations?: string[] }).__policyViolations)
      .catch(() => undefined);
    return [...(inPage ?? []), ...fromConsole];
  };
}

/** Waits until React has hydrated the page (its root element carries React's fiber). */
export async function expectHydrated(page: Page): Promise<void> {
  await expect
    .poll(() =>
      page.evaluate(() => Object.keys(document.body).some((key) => key.startsWith("__react"))),
    )
    .toBe(true);
}
