"use client";

import { useEffect, useState } from "react";
import { Cloud } from "@/lib/cloud/cloud";
import type { VmHost } from "@/lib/emulator/vm-host";

/** A console's cloud on this host, for the component's lifetime; its instances end with it. */
export function useCloud(host: VmHost | undefined): Cloud | undefined {
  const [cloud, setCloud] = useState<Cloud>();
  useEffect(() => {
    if (!host) return;
    const made = new Cloud(host);
    // The cloud makes VMs, so it is made after mount and destroyed on unmount (Strict Mode safe).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setCloud(made);
    return () => {
      void made.destroy();
    };
  }, [host]);
  return cloud;
}

/** Re-renders on every change of the cloud; returns a counter that changes with it. */
export function useCloudVersion(cloud: Cloud): number {
  const [version, setVersion] = useState(0);
  useEffect(() => cloud.events.on("change", () => setVersion((v) => v + 1)), [cloud]);
  return version;
}

/** The clock the cost meters read, ticking once a second. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}
