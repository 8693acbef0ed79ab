import { writeFileSync } from "node:fs";
import type { Manifest } from "../../lib/emulator/manifest";
import type { NetDevice } from "../../lib/emulator/v86-options";
import { NodeVm } from "../node-vm";
import { run } from "./run";

export interface SnapshotResult {
  rawBytes: number;
  coldBootMs: number;
}

/**
 * Boots a profile cold, waits for its prompt and the agent, lets the guest settle, drops the
 * page cache (freed pages are zeroed by init_on_free=on) and saves a zstd-compressed state.
 */
export async function takeBootSnapshot(
  manifest: Manifest,
  profileName: string,
  out: string,
  log: (m: string) => void,
  machine: { netDevice?: NetDevice; mtu?: number } = {},
): Promise<SnapshotResult> {
  const profile = manifest.profiles[profileName];
  if (!profile) throw new Error(`no profile ${profileName}`);
  const vm = await NodeVm.boot(manifest, profileName, machine);
  try {
    await vm.waitForSerial(profile.ready_text, { timeoutMs: 120_000 });
    const coldBootMs = performance.now() - vm.startedAt;
    log(`${profileName}: cold boot to prompt in ${(coldBootMs / 1000).toFixed(1)} s`);
    if (profile.agent) await vm.waitForSerial("HELLO vlabs-agent", { port: 1, timeoutMs: 30_000 });
    await vm.run("sync; echo 3 > /proc/sys/vm/drop_caches", profile.ready_text, 60_000);
    await new Promise((r) => setTimeout(r, 500));
    const state = new Uint8Array(await vm.emulator.save_state());
    const rawPath = `${out}.raw`;
    writeFileSync(rawPath, state);
    run("zstd", ["-19", "-q", "-f", "--rm", "-o", out, rawPath]);
    return { rawBytes: state.length, coldBootMs };
  } finally {
    await vm.destroy();
  }
}
