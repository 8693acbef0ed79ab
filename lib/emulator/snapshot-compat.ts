import type { MachineConfig, SnapshotInfo } from "./manifest";

/**
 * A v86 state restores only into the same emulator build and the same machine; otherwise the
 * emulator hangs or throws deep inside. Check first and say what to do instead.
 */
export type CompatResult = { ok: true } | { ok: false; error: string };

export interface RequestedMachine {
  v86Version: string;
  machine: MachineConfig;
}

const COLD_BOOT = "start with a cold boot instead";

export function checkSnapshotCompat(
  snapshot: SnapshotInfo,
  requested: RequestedMachine,
): CompatResult {
  if (snapshot.v86_version !== requested.v86Version) {
    return {
      ok: false,
      error: `this snapshot was made with v86 ${snapshot.v86_version}, not ${requested.v86Version}; ${COLD_BOOT}`,
    };
  }
  const want = requested.machine;
  const have = snapshot.machine;
  if (have.memory_mb !== want.memory_mb) {
    return {
      ok: false,
      error: `this snapshot was made for ${have.memory_mb} MB of memory, not ${want.memory_mb}; ${COLD_BOOT}`,
    };
  }
  if (have.vga_memory_kb !== want.vga_memory_kb) {
    return {
      ok: false,
      error: `this snapshot was made with ${have.vga_memory_kb} KB of video memory, not ${want.vga_memory_kb}; ${COLD_BOOT}`,
    };
  }
  if (have.uart1 !== want.uart1) {
    return {
      ok: false,
      error: `this snapshot was made ${have.uart1 ? "with" : "without"} the second serial port (guest agent); ${COLD_BOOT}`,
    };
  }
  if (have.net_device !== want.net_device) {
    return {
      ok: false,
      error: `this snapshot was made with a ${have.net_device} network card, not ${want.net_device}; ${COLD_BOOT}`,
    };
  }
  if (have.acpi !== want.acpi) {
    return {
      ok: false,
      error: `this snapshot was made with ACPI ${have.acpi ? "on" : "off"}; ${COLD_BOOT}`,
    };
  }
  if ((have.shared_folder ?? false) !== (want.shared_folder ?? false)) {
    return {
      ok: false,
      error: `this snapshot was made ${have.shared_folder ? "with" : "without"} the shared folder (/root/shared); ${COLD_BOOT}`,
    };
  }
  // A state made before machines had a balloon restores on the same machine without one
  // (balloonFor); only a state that has one needs a machine that has one.
  if (have.balloon && !want.balloon) {
    return {
      ok: false,
      error: `this snapshot was made with a memory balloon, which this machine has not; ${COLD_BOOT}`,
    };
  }
  return { ok: true };
}

/**
 * Whether a machine restoring `snapshot` gets the balloon: only when the state was saved with
 * one, since v86 restores exactly the devices a state holds. A cold boot gets the machine's own.
 */
export function balloonFor(snapshot: { machine: MachineConfig } | undefined): boolean | undefined {
  return snapshot ? (snapshot.machine.balloon ?? false) : undefined;
}
