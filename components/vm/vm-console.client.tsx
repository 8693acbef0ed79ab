"use client";

import { useCallback, useEffect, useId, useRef, useState, useSyncExternalStore } from "react";
import type { Terminal } from "@xterm/xterm";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import { cn } from "@/lib/cn";
import { Button } from "@/components/ui/button";
import { ConsoleKeyBar } from "./console-key-bar";
import {
  arrowData,
  NO_MODIFIERS,
  withModifiers,
  type BarKey,
  type Modifiers,
} from "./console-keys";
import "@xterm/xterm/css/xterm.css";

const COARSE = "(pointer: coarse)";
function subscribeCoarse(onChange: () => void): () => void {
  const query = window.matchMedia(COARSE);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}
/** A touch screen is the main pointer (a phone, a tablet): the key bar shows by default. */
function useCoarsePointer(): boolean {
  return useSyncExternalStore(
    subscribeCoarse,
    () => window.matchMedia(COARSE).matches,
    () => false,
  );
}

/**
 * The guest's serial console (ttyS0) in xterm.js. Keys typed here go to this VM only; the
 * terminal refits to its box and the guest is told its rows and columns; a key bar (shown on
 * touch screens, on demand elsewhere) gives Esc, Tab, sticky Ctrl and Alt, arrows.
 */
export function VmConsole({ machine }: { machine: VmMachine }) {
  const box = useRef<HTMLDivElement>(null);
  const terminal = useRef<Terminal>(undefined);
  const modifiersRef = useRef<Modifiers>(NO_MODIFIERS);
  const [modifiers, setModifiersState] = useState<Modifiers>(NO_MODIFIERS);
  const coarse = useCoarsePointer();
  const [keysChosen, setKeysChosen] = useState<boolean>();
  const showKeys = keysChosen ?? coarse;
  const [full, setFull] = useState(false);
  const [note, setNote] = useState("");
  const hintId = useId();
  // A console that cannot start (its code did not load, a browser API refused) fails the panel
  // visibly, through the panel's error boundary, instead of staying an empty box.
  const [failure, setFailure] = useState<Error>();
  if (failure) throw failure;

  const setModifiers = useCallback((next: Modifiers) => {
    modifiersRef.current = next;
    setModifiersState(next);
  }, []);
  /** Sends typed text with the sticky modifiers applied, which then let go. */
  const type = useCallback(
    (data: string) => {
      const mods = modifiersRef.current;
      machine.sendText(withModifiers(data, mods));
      if (mods.ctrl || mods.alt) setModifiers(NO_MODIFIERS);
    },
    [machine, setModifiers],
  );

  const paste = useCallback(async () => {
    try {
      const text = await navigator.clipboard.readText();
      terminal.current?.paste(text);
      setNote(text ? "" : "The clipboard holds no text.");
    } catch {
      setNote("The browser did not allow reading the clipboard: paste with your usual keys.");
    }
    terminal.current?.focus();
  }, []);
  const copy = useCallback(async () => {
    const text = terminal.current?.getSelection() ?? "";
    if (!text) return setNote("Select text in the console first.");
    try {
      await navigator.clipboard.writeText(text);
      setNote("Copied.");
    } catch {
      setNote("The browser did not allow writing the clipboard.");
    }
  }, []);

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
      terminal.current = term;
      cleanups.push(() => (terminal.current = undefined));
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.open(el);
      const input = term.textarea;
      input?.setAttribute("aria-label", `Console of ${machine.name}`);
      input?.setAttribute("aria-describedby", hintId);
      // A phone's keyboard must not correct, capitalise or complete what goes to a shell.
      const noHelp = {
        autocorrect: "off",
        autocapitalize: "off",
        autocomplete: "off",
        spellcheck: "false",
      };
      for (const [k, v] of Object.entries(noHelp)) input?.setAttribute(k, v);
      // Tab completes in the shell; Esc then Tab leaves the console, so the keyboard is never trapped.
      // Ctrl+Shift+C and Ctrl+Shift+V copy and paste (Ctrl+C is the guest's interrupt).
      let escapedAt = 0;
      term.attachCustomKeyEventHandler((e) => {
        if (e.type !== "keydown") return true;
        if (e.ctrlKey && e.shiftKey && (e.code === "KeyC" || e.code === "KeyV")) {
          e.preventDefault();
          void (e.code === "KeyC" ? copy() : paste());
          return false;
        }
        if (e.key === "Escape") escapedAt = e.timeStamp;
        else if (e.key === "Tab" && e.timeStamp - escapedAt < 2000) return false;
        return true;
      });
      term.write(machine.consoleText);
      cleanups.push(machine.events.on("serial", (bytes) => term.write(bytes)));
      const typed = term.onData(type);
      cleanups.push(() => typed.dispose());
      // The size is on the box too, for tests and anyone reading the page.
      const sized = ({ cols, rows }: { cols: number; rows: number }) => {
        el.dataset.cols = String(cols);
        el.dataset.rows = String(rows);
        machine.resizeConsole({ cols, rows });
      };
      const resized = term.onResize(sized);
      cleanups.push(() => resized.dispose());
      fit.fit();
      sized({ cols: term.cols, rows: term.rows });
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
  }, [machine, hintId, type, copy, paste]);

  useEffect(() => {
    if (!full) return;
    const leave = (e: KeyboardEvent) => {
      // Esc belongs to the guest (vi); Alt+Esc, not a guest key, leaves full screen too.
      if (e.key === "Escape" && e.altKey) setFull(false);
    };
    window.addEventListener("keydown", leave);
    return () => window.removeEventListener("keydown", leave);
  }, [full]);

  const onBarKey = (key: BarKey) => {
    if (key.kind === "modifier")
      setModifiers({
        ...modifiersRef.current,
        [key.modifier]: !modifiersRef.current[key.modifier],
      });
    else if (key.kind === "arrow")
      type(arrowData(key.final, terminal.current?.modes.applicationCursorKeysMode ?? false));
    else type(key.data);
    terminal.current?.focus();
  };

  return (
    <div
      data-console-full={full || undefined}
      className={cn(full && "fixed inset-0 z-50 flex flex-col bg-white p-2 dark:bg-slate-950")}
    >
      <div
        ref={box}
        data-vm-console
        className={cn(
          "w-full overflow-hidden rounded bg-[#0b1020] p-1",
          full ? "min-h-0 flex-1" : "h-72",
        )}
      />
      {showKeys && <ConsoleKeyBar name={machine.name} modifiers={modifiers} onKey={onBarKey} />}
      <div className="mt-1 flex flex-wrap items-center gap-1">
        <Button
          size="sm"
          variant="quiet"
          aria-pressed={showKeys}
          onClick={() => setKeysChosen(!showKeys)}
        >
          Keys
        </Button>
        <Button size="sm" variant="quiet" onClick={() => void copy()}>
          Copy
        </Button>
        <Button size="sm" variant="quiet" onClick={() => void paste()}>
          Paste
        </Button>
        <Button size="sm" variant="quiet" aria-pressed={full} onClick={() => setFull(!full)}>
          Full screen
        </Button>
        <span role="status" className="text-xs text-slate-600 dark:text-slate-400">
          {note}
        </span>
      </div>
      <p id={hintId} className="mt-1 text-xs text-slate-600 dark:text-slate-400">
        Click the console to type; select to copy, paste with your usual keys (Ctrl+Shift+C and
        Ctrl+Shift+V). Esc then Tab leaves it.
      </p>
    </div>
  );
}
