"use client";

import { useEffect, useState, type KeyboardEvent } from "react";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import { scancodesFor } from "./scancodes";

/**
 * The VM's text-mode screen (BIOS, bootloader, bare-metal programs), rendered from the rows the
 * worker sends. Focus it to type on the VM's PS/2 keyboard.
 */
export function VmScreen({ machine }: { machine: VmMachine }) {
  const [rows, setRows] = useState<string[]>(() => machine.screenRows);
  useEffect(() => machine.events.on("screen", setRows), [machine]);

  const onKey = (down: boolean) => (event: KeyboardEvent<HTMLPreElement>) => {
    if (event.key === "Tab" && !event.ctrlKey) return; // keep Tab for leaving the screen
    const codes = scancodesFor(event.code, down);
    if (!codes) return;
    event.preventDefault();
    machine.sendScancodes(codes);
  };

  return (
    <pre
      tabIndex={0}
      aria-label={`Screen of ${machine.name} (focus to type on its keyboard)`}
      onKeyDown={onKey(true)}
      onKeyUp={onKey(false)}
      className="max-w-full overflow-x-auto rounded bg-black p-2 font-mono text-[11px] leading-[1.2] text-slate-100"
    >
      {rows.length > 0
        ? rows.map((r) => r.replace(/\s+$/, "")).join("\n")
        : "(no screen output yet)"}
    </pre>
  );
}
