import type { AssetStore } from "./assets";
import type { CpuScheduler } from "./cpu-scheduler";
import type { Manifest } from "./manifest";
import type { MemoryBoard } from "./memory-board";
import type { PageSwitch, SwitchPortHandle } from "./page-switch";
import type { VmStats } from "./vm-stats";
import type { WorkerFactory } from "./worker-link";
import type { YieldMode } from "./worker-protocol";

/** What a VmMachine says and what it is made with; vm-machine.ts re-exports all of it. */

export type VmState = "booting" | "running" | "paused" | "stopped" | "crashed";

export interface VmEvents extends Record<string, unknown> {
  state: VmState;
  stats: VmStats;
  /** Console bytes from the guest's first serial port (ttyS0). */
  serial: Uint8Array;
  /** Text-mode screen rows (BIOS, bootloader, bare-metal programs). */
  screen: string[];
  /** Something went wrong that the learner should read; the state says what it left behind. */
  message: string;
  /** The disk now holds a snapshot's contents (restored, or a clone came up). */
  diskReplaced: void;
  /** The guest wrote to its disk after the last readDiskChanges() took everything. */
  diskDirty: void;
  /** The guest flushed its disk's write cache: it was told its writes are durable. */
  diskFlush: void;
}

export interface MachineDeps {
  assets: AssetStore;
  manifest: Manifest;
  createWorker: WorkerFactory;
  /** The yield helper of helper-worker mode, made by the page beside the VM's worker. */
  createYieldHelper?: WorkerFactory;
  yieldMode: YieldMode;
  /** The page's CPU scheduler, when the page is cross-origin isolated. */
  cpu?: CpuScheduler;
  /** The page's switch (a virtio-net card reports its MTU). */
  switch?: PageSwitch;
  /** The host's view of the page's VMs' memory (their Memory panels watch it). */
  memory?: MemoryBoard;
}

/** The VM's network card: given when the VM is made, kept until it is deleted. */
export interface NetworkAttachment {
  /** The MAC its guest is given. */
  mac: string;
  /** Its port on the page's switch, when the VM is on the switch. */
  port?: SwitchPortHandle;
  /** Its address on the switch (10.0.0.N), when it is on the switch. */
  address?: string;
  /** The switch the port is on (its MTU goes to the guest). */
  switch?: PageSwitch;
}

export interface MachineOptions {
  /** The disk's first contents: exactly the config's disk size. */
  diskBytes?: ArrayBuffer;
  /** Without one: a random MAC and no switch port. */
  network?: NetworkAttachment;
}
