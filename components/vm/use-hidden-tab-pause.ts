"use client";

import { useEffect, useState } from "react";
import { HiddenTabPause } from "@/lib/emulator/hidden-pause";
import type { VmHost } from "@/lib/emulator/vm-host";

const SETTING = "vlabs:pause-when-hidden";

function storedSetting(): boolean {
  try {
    return localStorage.getItem(SETTING) === "1";
  } catch {
    return false;
  }
}

/**
 * The learner's choice to pause VMs while the tab is hidden (kept in this browser), and what
 * happened the last time: a sentence for a status line when the tab is shown again.
 */
export function useHiddenTabPause(host: VmHost): {
  enabled: boolean;
  setEnabled: (on: boolean) => void;
  notice: string | undefined;
} {
  const [enabled, setEnabledState] = useState(false);
  const [notice, setNotice] = useState<string>();
  // eslint-disable-next-line react-hooks/set-state-in-effect
  useEffect(() => setEnabledState(storedSetting()), []);
  useEffect(() => {
    if (!enabled) return;
    const pause = new HiddenTabPause(() => host.machines);
    const onChange = () => {
      if (document.visibilityState === "hidden") pause.hidden(performance.now());
      else setNotice(pause.shown(performance.now()));
    };
    document.addEventListener("visibilitychange", onChange);
    return () => document.removeEventListener("visibilitychange", onChange);
  }, [enabled, host]);
  const setEnabled = (on: boolean) => {
    setEnabledState(on);
    try {
      localStorage.setItem(SETTING, on ? "1" : "0");
    } catch {
      // Storage refused (private mode): the choice holds for this page only.
    }
  };
  return { enabled, setEnabled, notice };
}
