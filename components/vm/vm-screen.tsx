"use client";

import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import { scancodesFor, scancodesForChar } from "./scancodes";

/**
 * The VM's text-mode screen (BIOS, bootloader, bare-metal programs), rendered from the rows the
 * worker sends. Focus it to type on the VM's PS/2 keyboard: a character goes as the US key that
 * types it (the guest's keymap), so any keyboard layout types what its keys say; other keys
 * (Enter, arrows, Ctrl, F1...) go by their place on the keyboard.
 */
export function VmScreen({ machine }: { machine: VmMachine }) {
  const [rows, setRows] = useState<string[]>(() => machine.screenRows);
  useEffect(() => machine.events.on("screen", setRows), [machine]);

  const shifts = useRef({ left: false, right: false });

  const onKey = (event: KeyboardEvent<HTMLPreElement>) => {
    const down = event.type === "keydown";
    if (event.key === "Tab" && !event.ctrlKey) return; // keep Tab for leaving the screen
    if (event.code === "ShiftLeft") shifts.current.left = down;
    if (event.code === "ShiftRight") shifts.current.right = down;
    // A character (Ctrl+C too: its C is the layout's C); "Dead" and other names are not.
    if (!event.metaKey && [...event.key].length === 1) {
      event.preventDefault();
      const codes = down ? scancodesForChar(event.key, shifts.current) : undefined;
      if (codes) machine.sendScancodes(codes);
      return;
    }
    const codes = scancodesFor(event.code, down);
    if (!codes) return;
    event.preventDefault();
    machine.sendScancodes(codes);
  };

  return (
    <pre
      tabIndex={0}
      aria-label={`Screen of ${machine.name} (focus to type on its keyboard)`}
      onKeyDown={onKey}
      onKeyUp={onKey}
      className="max-w-full overflow-x-auto rounded bg-black p-2 font-mono text-[11px] leading-[1.2] text-slate-100"
    >
      {rows.length > 0
        ? rows.map((r) => r.replace(/\s+$/, "")).join("\n")
        : "(no screen output yet)"}
    </pre>
  );
}
