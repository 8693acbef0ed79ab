import { getProfile, type Manifest, type ManifestProfile, type SnapshotInfo } from "./manifest";
import { checkSnapshotCompat } from "./snapshot-compat";
import { snapshotFits, type VmSnapshot } from "./snapshots";
import { machineFor } from "./v86-options";
import { diskBytes, type VmConfig } from "./vm-config";

/**
 * How a VM starts: from the profile's boot snapshot, a learner's snapshot, its own disk or a cold
 * boot, and what text then means "ready". Pure: VmMachine carries the plan out.
 */

export interface StartOptions {
  /** Boot from scratch even when a matching boot snapshot exists. */
  cold?: boolean;
  /** Boot the VM's own hard disk first (after an installer wrote it); implies a cold boot. */
  fromDisk?: boolean;
  /** Start from a learner's snapshot (a clone, or a stopped VM put back to a snapshot). */
  state?: VmSnapshot;
}

/** The end of the live guest's shell prompt (`root@<host>:~# `), whatever the hostname. */
export const SHELL_PROMPT_END = ":~# ";

/** v86 BootOrder: hard disk, then CD, then floppy. */
const BOOT_HARD_DISK_FIRST = 0x132;

const PROFILE_OF: Record<VmConfig["boot"], string> = {
  live: "live",
  installer: "installer",
  disk: "disk",
  baremetal: "baremetal",
};

export interface BootPlan {
  profile: ManifestProfile;
  /** The profile's boot snapshot it starts from, when it does (one per network card). */
  bootSnapshot: SnapshotInfo | undefined;
  /** Starts from a saved state: the profile's boot snapshot, or options.state. */
  fromSnapshot: boolean;
  /** Why it starts this way, in words for the panel. */
  note: string;
  /** Text that means the guest is ready; empty: as soon as the state is loaded. */
  readyText: string;
  /** A guest restored from the boot snapshot is renamed before its first prompt. */
  renameBeforePrompt: boolean;
  /** A guest started from a learner's snapshot is renamed once it runs. */
  renameAfterRestore: boolean;
  /** Send a line that makes a restored guest print a fresh prompt. */
  nudgeAfterRestore: boolean;
  bootOrder: number | undefined;
  /** Appended to the kernel command line (a cold-booted guest's hostname). */
  extraCmdline: string | undefined;
}

/** A VM's name as a guest hostname (letters, digits and dashes). */
export function guestHostname(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return (cleaned || "vm").slice(0, 63);
}

export function profileNameOf(config: VmConfig): string {
  return PROFILE_OF[config.boot];
}

/** Throws when options.state cannot run on this VM's machine (the reason says why). */
export function planBoot(
  config: VmConfig,
  hostname: string,
  manifest: Manifest,
  options: StartOptions,
): BootPlan {
  const profile = getProfile(manifest, profileNameOf(config));
  const machine = machineFor(config.memoryMb, config.nic);
  // The boot snapshot made on this VM's network card, else the profile's first (refused below).
  const bootSnapshot =
    [profile.snapshot, ...(profile.more_snapshots ?? [])].find(
      (s) => s?.machine.net_device === machine.net_device,
    ) ?? profile.snapshot;
  let fromSnapshot = false;
  let note: string;
  if (options.state) {
    const fits = snapshotFits(options.state, { v86Version: manifest.v86_version, machine });
    if (!fits.ok) throw new Error(fits.error);
    fromSnapshot = true;
    note = `Started from ${options.state.vmName}'s snapshot ${options.state.name}.`;
  } else if (options.fromDisk) note = "Cold boot from its own disk.";
  else if (options.cold) note = "Cold boot (asked for).";
  else if (!bootSnapshot) note = "Cold boot: this guest has no boot snapshot.";
  else if (diskBytes(config) > 0) note = "Cold boot: the boot snapshot was made without a disk.";
  else {
    const compat = checkSnapshotCompat(bootSnapshot, {
      v86Version: manifest.v86_version,
      machine,
    });
    fromSnapshot = compat.ok;
    note = compat.ok ? "Started from the boot snapshot." : `Cold boot: ${compat.error}.`;
  }
  // A cold-booted guest names itself after the last hostname= word: the VM's own name.
  const namedOnCmdline = profile.cmdline?.includes("hostname=") ?? false;
  // A snapshot carries the hostname it was made with: the agent renames the guest. From the
  // boot snapshot that happens before the first prompt; a clone is renamed once it runs.
  const renameBeforePrompt = fromSnapshot && !options.state && Boolean(profile.agent);
  let readyText: string;
  if (options.state) readyText = "";
  else if (renameBeforePrompt || (!fromSnapshot && !options.fromDisk && namedOnCmdline))
    readyText = SHELL_PROMPT_END;
  else if (fromSnapshot && bootSnapshot) readyText = bootSnapshot.prompt;
  // Booted from its own disk, the machine runs the installed system, not its install media.
  else if (options.fromDisk) readyText = manifest.profiles.disk?.ready_text ?? profile.ready_text;
  else readyText = profile.ready_text;
  return {
    profile,
    bootSnapshot: fromSnapshot && !options.state ? bootSnapshot : undefined,
    fromSnapshot,
    note,
    readyText,
    renameBeforePrompt,
    renameAfterRestore: fromSnapshot && Boolean(options.state) && Boolean(profile.agent),
    nudgeAfterRestore: fromSnapshot && !options.state && !renameBeforePrompt,
    bootOrder: options.fromDisk ? BOOT_HARD_DISK_FIRST : undefined,
    extraCmdline: namedOnCmdline ? `hostname=${hostname}` : undefined,
  };
}
