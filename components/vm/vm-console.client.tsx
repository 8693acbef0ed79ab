"use client";

import { useEffect, useId, useRef, useState } from "react";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import "@xterm/xterm/css/xterm.css";

/**
 * The guest's serial console (ttyS0) in xterm.js. Keys typed here go to this VM only; copy and
 * paste are xterm's own; the terminal refits to its box.
 */
export function VmConsole({ machine }: { machine: VmMachine }) {
  const box = useRef<HTMLDivElement>(null);
  const hintId = useId();
  // A console that cannot start (its code did not load, a browser API refused) fails the panel
  // visibly, through the panel's error boundary, instead of staying an empty box.
  const [failure, setFailure] = useState<Error>();
  if (failure) throw failure;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let disposed = false;
    const cleanups: (() => void)[] = [];
    void (async () => {
      const [{ Terminal }, { FitAddon }] = await Promise.all([
        import("@xterm/xterm"),
        import("@xterm/addon-fit"),
      ]);
      if (disposed) return;
      const term = new Terminal({
        convertEol: false,
        cursorBlink: true,
        fontSize: 13,
        scrollback: 2000,
        screenReaderMode: false,
        theme: { background: "#0b1020" },
      });
      cleanups.push(() => term.dispose());
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.open(el);
      term.textarea?.setAttribute("aria-label", `Console of ${machine.name}`);
      term.textarea?.setAttribute("aria-describedby", hintId);
      // Tab completes in the shell; Esc then Tab leaves the console, so the keyboard is never trapped.
      let escapedAt = 0;
      term.attachCustomKeyEventHandler((e) => {
        if (e.type !== "keydown") return true;
        if (e.key === "Escape") escapedAt = e.timeStamp;
        else if (e.key === "Tab" && e.timeStamp - escapedAt < 2000) return false;
        return true;
      });
      fit.fit();
      term.write(machine.consoleText);
      cleanups.push(machine.events.on("serial", (bytes) => term.write(bytes)));
      const input = term.onData((data) => machine.sendText(data));
      cleanups.push(() => input.dispose());
      const observer = new ResizeObserver(() => fit.fit());
      observer.observe(el);
      cleanups.push(() => observer.disconnect());
    })().catch((error: unknown) => {
      if (!disposed)
        setFailure(new Error(`its console could not start (${(error as Error).message})`));
    });
    return () => {
      disposed = true;
      for (const c of cleanups.reverse()) c();
    };
  }, [machine, hintId]);

  return (
    <>
      <div
        ref={box}
        data-vm-console
        className="h-72 w-full overflow-hidden rounded bg-[#0b1020] p-1"
      />
      <p id={hintId} className="mt-1 text-xs text-slate-600 dark:text-slate-400">
        Click the console to type; select to copy, paste with your usual keys. Esc then Tab leaves
        it.
      </p>
    </>
  );
}
