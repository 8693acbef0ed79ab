"use client";

import { useEffect, useRef, useState } from "react";
import { withBasePath } from "@/lib/site";
import { Button } from "@/components/ui/button";

type OfflineState = "off" | "saving" | "ready" | "error";

/** Only the static export ships a service worker (scripts/build-sw.ts builds it with Serwist). */
const ENABLED = process.env.NEXT_PUBLIC_SERVICE_WORKER === "1";

function askStatus(worker: ServiceWorker): Promise<boolean> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data?.offline === true);
    worker.postMessage({ type: "status" }, [channel.port2]);
  });
}

/**
 * Registers the service worker and shows what it gives: "Available offline" once everything the
 * site needs is cached, and a prompt to reload when a newer version has been deployed.
 */
export function OfflineStatus() {
  const [state, setState] = useState<OfflineState>("off");
  const [waiting, setWaiting] = useState<ServiceWorker | null>(null);
  const reloading = useRef(false);

  useEffect(() => {
    if (!ENABLED || !("serviceWorker" in navigator)) return;
    let cancelled = false;
    const container = navigator.serviceWorker;

    const refreshStatus = async () => {
      const registration = await container.ready;
      if (!registration.active || cancelled) return;
      const offline = await askStatus(registration.active);
      if (!cancelled) setState(offline ? "ready" : "saving");
    };
    const watch = (worker: ServiceWorker) => {
      worker.addEventListener("statechange", () => {
        if (worker.state === "installed" && container.controller) setWaiting(worker);
        if (worker.state === "activated") void refreshStatus();
        if (worker.state === "redundant" && !container.controller) setState("error");
      });
    };
    const onControllerChange = () => {
      // Only the reload the learner asked for; the first install also changes the controller.
      if (reloading.current) window.location.reload();
    };
    container.addEventListener("controllerchange", onControllerChange);

    container
      .register(withBasePath("/sw.js"), { scope: withBasePath("/"), updateViaCache: "none" })
      .then((registration) => {
        if (cancelled) return;
        setState("saving");
        if (registration.waiting && container.controller) setWaiting(registration.waiting);
        if (registration.installing) watch(registration.installing);
        registration.addEventListener("updatefound", () => {
          if (registration.installing) watch(registration.installing);
        });
        void refreshStatus();
      })
      .catch(() => {
        if (!cancelled) setState("error");
      });
    return () => {
      cancelled = true;
      container.removeEventListener("controllerchange", onControllerChange);
    };
  }, []);

  const reload = () => {
    reloading.current = true;
    // Serwist's worker takes over when asked so.
    waiting?.postMessage({ type: "SKIP_WAITING" });
  };

  if (state === "off") return null;
  return (
    <>
      <p role="status" data-offline-state={state} className="inline-flex items-center gap-2">
        <span
          aria-hidden="true"
          className={
            state === "ready"
              ? "h-2.5 w-2.5 rounded-full bg-emerald-600"
              : state === "error"
                ? "h-2.5 w-2.5 rounded-full bg-slate-400"
                : "h-2.5 w-2.5 animate-pulse rounded-full bg-amber-500"
          }
        />
        {state === "ready"
          ? "Available offline"
          : state === "saving"
            ? "Saving for offline use…"
            : "Not available offline in this browser"}
      </p>
      {waiting ? (
        <div
          role="alert"
          className="fixed right-4 bottom-4 z-50 flex items-center gap-3 rounded-lg border border-slate-300 bg-white px-4 py-3 text-slate-900 shadow-lg dark:border-slate-700 dark:bg-slate-900 dark:text-white"
        >
          <span>A new version is available.</span>
          <Button variant="primary" onClick={reload}>
            Reload
          </Button>
        </div>
      ) : null}
    </>
  );
}
