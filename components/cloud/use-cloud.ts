"use client";

import { useEffect, useState } from "react";
import { Cloud } from "@/lib/cloud/cloud";
import { CloudPersistence, type CloudKeeping } from "@/lib/cloud/cloud-persistence";
import type { VmHost } from "@/lib/emulator/vm-host";

/**
 * A console's cloud on this host, for the component's lifetime, with what this browser kept of
 * it under `scope` put back first; its instances end with it (the kept records stay).
 */
export function useCloud(
  host: VmHost | undefined,
  scope: string,
): { cloud: Cloud; persistence: CloudPersistence } | undefined {
  const [made, setMade] = useState<{ cloud: Cloud; persistence: CloudPersistence }>();
  useEffect(() => {
    if (!host) return;
    const cloud = new Cloud(host);
    let persistence: CloudPersistence | undefined;
    let closed = false;
    const flush = () => void persistence?.flush();
    window.addEventListener("pagehide", flush);
    // The cloud makes VMs, so it is made after mount and destroyed on unmount (Strict Mode safe).
    void CloudPersistence.open(cloud, scope).then((opened) => {
      if (closed) return opened.dispose();
      persistence = opened;
      setMade({ cloud, persistence: opened });
    });
    return () => {
      closed = true;
      window.removeEventListener("pagehide", flush);
      // Stop keeping first: tearing the cloud down is not something to store.
      persistence?.dispose();
      void cloud.destroy();
    };
  }, [host, scope]);
  return made;
}

/** What the console keeps, re-rendered on every change. */
export function useKeeping(persistence: CloudPersistence): CloudKeeping {
  const [keeping, setKeeping] = useState(persistence.keeping);
  useEffect(() => persistence.events.on("change", setKeeping), [persistence]);
  return keeping;
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
