/** PS/2 scancode set 1 make codes for the keys a text-mode program needs; break = make | 0x80. */
const CODES: Record<string, number> = {
  Escape: 0x01,
  Digit1: 0x02,
  Digit2: 0x03,
  Digit3: 0x04,
  Digit4: 0x05,
  Digit5: 0x06,
  Digit6: 0x07,
  Digit7: 0x08,
  Digit8: 0x09,
  Digit9: 0x0a,
  Digit0: 0x0b,
  Minus: 0x0c,
  Equal: 0x0d,
  Backspace: 0x0e,
  Tab: 0x0f,
  KeyQ: 0x10,
  KeyW: 0x11,
  KeyE: 0x12,
  KeyR: 0x13,
  KeyT: 0x14,
  KeyY: 0x15,
  KeyU: 0x16,
  KeyI: 0x17,
  KeyO: 0x18,
  KeyP: 0x19,
  BracketLeft: 0x1a,
  BracketRight: 0x1b,
  Enter: 0x1c,
  ControlLeft: 0x1d,
  KeyA: 0x1e,
  KeyS: 0x1f,
  KeyD: 0x20,
  KeyF: 0x21,
  KeyG: 0x22,
  KeyH: 0x23,
  KeyJ: 0x24,
  KeyK: 0x25,
  KeyL: 0x26,
  Semicolon: 0x27,
  Quote: 0x28,
  Backquote: 0x29,
  ShiftLeft: 0x2a,
  Backslash: 0x2b,
  KeyZ: 0x2c,
  KeyX: 0x2d,
  KeyC: 0x2e,
  KeyV: 0x2f,
  KeyB: 0x30,
  KeyN: 0x31,
  KeyM: 0x32,
  Comma: 0x33,
  Period: 0x34,
  Slash: 0x35,
  ShiftRight: 0x36,
  AltLeft: 0x38,
  Space: 0x39,
  F1: 0x3b,
  F2: 0x3c,
  F3: 0x3d,
  F4: 0x3e,
  F5: 0x3f,
  F6: 0x40,
  F7: 0x41,
  F8: 0x42,
  F9: 0x43,
  F10: 0x44,
};
/** Extended keys are sent with an 0xE0 prefix. */
const EXTENDED: Record<string, number> = {
  ArrowUp: 0x48,
  ArrowDown: 0x50,
  ArrowLeft: 0x4b,
  ArrowRight: 0x4d,
  Home: 0x47,
  End: 0x4f,
  PageUp: 0x49,
  PageDown: 0x51,
  Delete: 0x53,
  Insert: 0x52,
};

export function scancodesFor(code: string, down: boolean): number[] | undefined {
  // Own keys only: "toString" is no key, whatever Object.prototype says.
  if (Object.hasOwn(CODES, code)) return [down ? CODES[code]! : CODES[code]! | 0x80];
  if (Object.hasOwn(EXTENDED, code)) return [0xe0, down ? EXTENDED[code]! : EXTENDED[code]! | 0x80];
  return undefined;
}

/**
 * What each character is on the guest's keyboard: the guest's console keymap is US, so a
 * character is sent as the US key (and Shift) that types it, whatever layout the learner's
 * keyboard has (German Z on the key where US has Y, French A where US has Q, UK " on Shift+2).
 */
const US_ROWS: [string, string, string[]][] = [
  [
    "`1234567890-=",
    "~!@#$%^&*()_+",
    ["Backquote", ..."1234567890".split("").map((d) => `Digit${d}`), "Minus", "Equal"],
  ],
  [
    "qwertyuiop[]\\",
    "QWERTYUIOP{}|",
    [..."QWERTYUIOP".split("").map((k) => `Key${k}`), "BracketLeft", "BracketRight", "Backslash"],
  ],
  [
    "asdfghjkl;'",
    'ASDFGHJKL:"',
    [..."ASDFGHJKL".split("").map((k) => `Key${k}`), "Semicolon", "Quote"],
  ],
  [
    "zxcvbnm,./",
    "ZXCVBNM<>?",
    [..."ZXCVBNM".split("").map((k) => `Key${k}`), "Comma", "Period", "Slash"],
  ],
];
const US_CHARS = new Map<string, { code: string; shift: boolean }>([
  [" ", { code: "Space", shift: false }],
]);
for (const [plain, shifted, codes] of US_ROWS) {
  codes.forEach((code, i) => {
    US_CHARS.set(plain[i]!, { code, shift: false });
    US_CHARS.set(shifted[i]!, { code, shift: true });
  });
}

const SHIFT = { left: CODES.ShiftLeft!, right: CODES.ShiftRight! };

/**
 * Scancodes that type `char` on the guest's US keymap, as one press and release, with the
 * Shift keys the learner holds (`held`) let go or added around it as the US key needs, then put
 * back. Undefined for a character no US key types (é, ß): the guest's keymap has none.
 */
export function scancodesForChar(
  char: string,
  held: { left: boolean; right: boolean },
): number[] | undefined {
  const key = US_CHARS.get(char);
  if (!key) return undefined;
  const make = CODES[key.code]!;
  const press = [make, make | 0x80];
  const shiftHeld = held.left || held.right;
  if (key.shift === shiftHeld) return press;
  if (key.shift) return [SHIFT.left, ...press, SHIFT.left | 0x80];
  const heldCodes = [held.left && SHIFT.left, held.right && SHIFT.right].filter(
    (c): c is number => c !== false,
  );
  return [...heldCodes.map((c) => c | 0x80), ...press, ...heldCodes];
}
