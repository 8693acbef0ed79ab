"use client";

import dynamic from "next/dynamic";
import { useCallback, useContext } from "react";
import { LabContext } from "@/components/labs/lab-context";
import { ErrorBoundary } from "@/components/site/error-boundary.client";

/** The console (and lib/cloud with its schemas) loads with the lab's machines, never up front. */
const CloudConsoleOn = dynamic(
  () => import("./cloud-console.client").then((module) => module.CloudConsoleOn),
  {
    ssr: false,
    loading: () => <p className="text-sm">Loading the cloud console...</p>,
  },
);

/**
 * `<CloudConsole />` in a lesson: the console over the surrounding lab's hypervisor, so its
 * instances share the switch with the lab's machines (a client there can reach them).
 */
export function LabCloudConsole() {
  const lab = useContext(LabContext);
  const onReset = lab?.onReset;
  // The lab's Reset clears its cloud: instances, groups and balancers terminated, images and
  // security groups forgotten, as at the lab's start.
  const onCloud = useCallback(
    (cloud: { clear(): Promise<void> }) => onReset?.(() => cloud.clear()),
    [onReset],
  );
  if (!lab)
    return (
      <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
        The cloud console runs over a lab&apos;s machines: put it inside a &lt;Lab&gt;.
      </p>
    );
  return (
    <div className="mt-4">
      <ErrorBoundary label="Cloud console" what="The cloud console" resetLabel="Reset the console">
        {lab.machines ? (
          <CloudConsoleOn host={lab.machines.host} scope={`lab:${lab.labKey}`} onCloud={onCloud} />
        ) : (
          <p className="text-sm">The console opens with the lab&apos;s machines...</p>
        )}
      </ErrorBoundary>
    </div>
  );
}
