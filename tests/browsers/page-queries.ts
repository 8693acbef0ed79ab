/*
 * Functions run inside the page by the smoke scenario. Each is sent as source, so each stands
 * alone (no imports, no shared helpers). They find elements the way the Playwright suites do, by
 * visible names, and give the driver a CSS selector for what it must click or type into.
 */

/** Marks the enabled button named `name` inside `within` (a CSS selector); null when none yet. */
export function tagButton(arg: { within: string; name: string }): string | null {
  const scope = document.querySelector(arg.within);
  const button = [...(scope?.querySelectorAll("button") ?? [])].find(
    (b) =>
      !b.disabled && (b.getAttribute("aria-label") ?? b.textContent?.trim() ?? "") === arg.name,
  );
  if (!button) return null;
  const mark = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  button.setAttribute("data-smoke-target", mark);
  return `[data-smoke-target="${mark}"]`;
}

/** Marks the form field whose label reads `label`; null when none yet. */
export function tagField(arg: { label: string }): string | null {
  const label = [...document.querySelectorAll("label")].find(
    (l) => l.textContent?.trim() === arg.label,
  );
  const field = label?.htmlFor ? document.getElementById(label.htmlFor) : null;
  if (!field) return null;
  const mark = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  field.setAttribute("data-smoke-target", mark);
  return `[data-smoke-target="${mark}"]`;
}

export function attribute(arg: { selector: string; name: string }): string | null {
  return document.querySelector(arg.selector)?.getAttribute(arg.name) ?? null;
}

/** The console's text; the panel is scrolled into view first (xterm draws only what is seen). */
export function consoleText(arg: { panel: string }): string {
  const panel = document.querySelector(arg.panel);
  panel?.scrollIntoView({ block: "center" });
  return panel?.querySelector(".xterm-rows")?.textContent ?? "";
}

export function textOf(arg: { selector: string }): string {
  return document.querySelector(arg.selector)?.textContent ?? "";
}

/** Whether `selector` exists, after scrolling `into` into view (labs draw machines when seen). */
export function existsAfterScroll(arg: { into: string; selector: string }): boolean {
  document.querySelector(arg.into)?.scrollIntoView({ block: "start" });
  return document.querySelector(arg.selector) !== null;
}
