import type { AssetStore } from "./assets";
import type { BootPlan, StartOptions } from "./boot-plan";
import type { Manifest } from "./manifest";
import { balloonFor } from "./snapshot-compat";
import { buildV86Options, type ImageSource, type ProfileFileKey } from "./v86-options";
import { diskBytes, type VmConfig } from "./vm-config";
import type { BootRequest, YieldMode } from "./worker-protocol";

/**
 * What a boot downloads and the message that starts it in the VM's worker: a boot plan
 * (boot-plan.ts) made into a BootRequest with the images and the compiled emulator.
 */

export interface BootDeps {
  assets: AssetStore;
  manifest: Manifest;
  yieldMode: YieldMode;
  /** The page's switch: its MTU is what a virtio-net card reports to the guest. */
  switch?: { readonly mtu: number };
}

export interface PreparedBoot {
  /** Without the disk image: that comes from the VM's disk once the boot is sure to go on. */
  request: Omit<BootRequest, "diskImage">;
  /** The buffers the request hands over to the worker. */
  transfer: ArrayBuffer[];
}

/** Downloads what the plan needs (once per page) and builds the worker's boot request. */
export async function prepareBoot(
  config: VmConfig,
  plan: BootPlan,
  options: StartOptions,
  { assets, manifest, yieldMode, switch: onSwitch }: BootDeps,
): Promise<PreparedBoot> {
  const [wasmModule, buffers] = await Promise.all([
    assets.wasm(),
    assets.profileFiles(
      manifest,
      plan.profile,
      options.state ? "learner-snapshot" : plan.fromSnapshot ? "boot-snapshot" : "cold",
      plan.bootSnapshot?.file,
    ),
    assets.emulatorCode(),
  ]);
  const files: Partial<Record<ProfileFileKey, ImageSource>> = {};
  // Each worker gets its own copy: v86 writes into some of these (disks) and takes ownership.
  for (const [key, buffer] of Object.entries(buffers))
    files[key as ProfileFileKey] = { buffer: buffer.slice(0) };
  if (options.state) files.state = { buffer: options.state.data.slice(0) };
  const v86Options = buildV86Options({
    profile: plan.profile,
    files,
    wasmPath: assets.wasmUrl,
    memoryMb: config.memoryMb,
    fromSnapshot: plan.fromSnapshot,
    bootOrder: plan.bootOrder,
    extraCmdline: plan.extraCmdline,
    netDevice: config.nic,
    mtu: onSwitch?.mtu,
    balloon: balloonFor(options.state ?? plan.bootSnapshot),
  });
  return {
    request: {
      type: "boot",
      libUrl: assets.libUrl,
      wasmModule,
      options: v86Options,
      yieldMode,
      blankDiskBytes: diskBytes(config),
      readyText: plan.readyText,
      nudgeAfterRestore: plan.nudgeAfterRestore,
      forwardFrames: config.network === "switch",
    },
    transfer: Object.values(files).flatMap((f) => ("buffer" in f ? [f.buffer] : [])),
  };
}
