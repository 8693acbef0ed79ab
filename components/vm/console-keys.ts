/**
 * The console's key bar (keys an on-screen keyboard lacks) and the sticky Ctrl and Alt it
 * offers: tap Ctrl, then C, and the guest gets ^C. What each key sends is what a terminal
 * sends for it on a serial line.
 */

export interface Modifiers {
  ctrl: boolean;
  alt: boolean;
}
export const NO_MODIFIERS: Modifiers = { ctrl: false, alt: false };

export type BarKey =
  | { name: string; label: string; kind: "text"; data: string }
  | { name: string; label: string; kind: "arrow"; final: "A" | "B" | "C" | "D" }
  | { name: string; label: string; kind: "modifier"; modifier: keyof Modifiers };

/** In the order they appear; `name` is the button's accessible name. */
export const BAR_KEYS: readonly BarKey[] = [
  { name: "Esc", label: "Esc", kind: "text", data: "\x1b" },
  { name: "Tab", label: "Tab", kind: "text", data: "\t" },
  { name: "Ctrl", label: "Ctrl", kind: "modifier", modifier: "ctrl" },
  { name: "Alt", label: "Alt", kind: "modifier", modifier: "alt" },
  { name: "Left", label: "←", kind: "arrow", final: "D" },
  { name: "Down", label: "↓", kind: "arrow", final: "B" },
  { name: "Up", label: "↑", kind: "arrow", final: "A" },
  { name: "Right", label: "→", kind: "arrow", final: "C" },
  { name: "|", label: "|", kind: "text", data: "|" },
  { name: "/", label: "/", kind: "text", data: "/" },
  { name: "-", label: "-", kind: "text", data: "-" },
  { name: "~", label: "~", kind: "text", data: "~" },
];

/** An arrow's bytes: full-screen programs (vi, less) switch the terminal to application mode. */
export function arrowData(final: string, applicationMode: boolean): string {
  return `\x1b${applicationMode ? "O" : "["}${final}`;
}

const CONTROL_PUNCTUATION: Record<string, number> = {
  "@": 0x00,
  " ": 0x00,
  "[": 0x1b,
  "\\": 0x1c,
  "]": 0x1d,
  "^": 0x1e,
  _: 0x1f,
  "?": 0x7f,
};

/** What a key typed as `data` sends with the sticky modifiers held: Ctrl+C is 0x03, Alt+x is ESC x. */
export function withModifiers(data: string, mods: Modifiers): string {
  let out = data;
  if (mods.ctrl && [...data].length === 1) {
    const code = data.toUpperCase().charCodeAt(0);
    if (code >= 0x41 && code <= 0x5a) out = String.fromCharCode(code & 0x1f);
    else if (Object.hasOwn(CONTROL_PUNCTUATION, data))
      out = String.fromCharCode(CONTROL_PUNCTUATION[data]!);
  }
  return mods.alt ? `\x1b${out}` : out;
}
