"use client";

import { Button } from "@/components/ui/button";
import { BAR_KEYS, type BarKey, type Modifiers } from "./console-keys";

/**
 * Keys a phone's keyboard lacks, under the console. A tap keeps the focus (and so the phone's
 * keyboard) in the console; Ctrl and Alt stay down for the next key, shown as pressed.
 */
export function ConsoleKeyBar({
  name,
  modifiers,
  onKey,
}: {
  name: string;
  modifiers: Modifiers;
  onKey: (key: BarKey) => void;
}) {
  return (
    <div role="group" aria-label={`Keys for ${name}`} className="mt-1 flex flex-wrap gap-1">
      {BAR_KEYS.map((key) => (
        <Button
          key={key.name}
          size="sm"
          variant={key.kind === "modifier" && modifiers[key.modifier] ? "primary" : "secondary"}
          className="min-w-11 px-2 font-mono"
          aria-label={key.name === key.label ? undefined : key.name}
          aria-pressed={key.kind === "modifier" ? modifiers[key.modifier] : undefined}
          onPointerDown={(e) => e.preventDefault()}
          onClick={() => onKey(key)}
        >
          {key.label}
        </Button>
      ))}
    </div>
  );
}
