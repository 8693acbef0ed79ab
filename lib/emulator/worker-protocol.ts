import type { BalloonState } from "./balloon-rules";
import type { MemoryScan } from "./memory-scan";
import type { DiskChanges, DiskChangesRequest } from "./disk-changes";
import type { SharedEntry } from "./shared-folder-fs";
import type { StateFormat } from "./snapshots";
import type { SwitchCredits } from "./switch-protocol";
import type { V86ConstructorOptions } from "./v86-options";

/**
 * Messages between a VM's Web Worker (which owns its v86 instance) and the page.
 */

/**
 * How v86 gives the thread back between its ~1 ms slices. `v86-default` is what v86 does in a
 * browser (a round trip to a helper worker it makes from a blob URL); the others replace it.
 */
export const YIELD_MODES = [
  "v86-default",
  "helper-worker",
  "message-channel",
  "scheduler",
  "timeout",
] as const;
export type YieldMode = (typeof YIELD_MODES)[number];

export interface BootRequest {
  type: "boot";
  libUrl: string;
  /** Compiled once by the page and shared by every VM. */
  wasmModule: WebAssembly.Module;
  options: V86ConstructorOptions;
  yieldMode: YieldMode;
  /** Size of the VM's own blank disk; made once in the worker and kept across power cycles. */
  blankDiskBytes: number;
  /** What the VM's disk holds when this worker has none yet (a stored or imported disk). */
  diskImage?: ArrayBuffer;
  /**
   * Text that means the guest is ready (a prompt); the worker stamps when it first appears.
   * Empty: ready as soon as the state is loaded (a learner's snapshot may be mid-command).
   */
  readyText: string;
  /** Send a line that makes a restored guest print a fresh prompt. */
  nudgeAfterRestore: boolean;
  /**
   * Load and restore, then wait stopped: the VM is pre-warmed, and Start only resumes it. The
   * worker says `prepared` once the guest is in memory.
   */
  prepareOnly?: boolean;
  /** Send the NIC's frames to the switch (on the line its "net-line" message gave). */
  forwardFrames: boolean;
}

export type HostToWorker =
  | BootRequest
  /**
   * helper-worker mode, sent once: the line to the VM's yield helper, a worker the page owns (a
   * worker nested in the VM's would have to be torn down with it, which Chromium now and then
   * never finished: the deleted VM's worker stayed, unresponsive). Every boot yields through it;
   * v86 drops answers meant for an emulator it has since replaced (their tick is stale).
   */
  | { type: "yield-port"; port: MessagePort }
  /**
   * Sent once when the page runs the CPU scheduler (cross-origin isolated): the VM's row on the
   * scheduler's shared board. Every boot then yields in this thread and takes turns through it.
   */
  | { type: "cpu-seat"; board: SharedArrayBuffer; slot: number }
  | { type: "pause" }
  | { type: "resume" }
  | { type: "power-off" }
  | { type: "serial"; port: 0 | 1; bytes: Uint8Array }
  | { type: "scancodes"; codes: number[] }
  /**
   * Sent once per worker for a VM on the switch: its line to the switch's worker, which carries
   * its frames both ways (the page never sees them), and where it counts the frames it took.
   */
  | { type: "net-line"; line: MessagePort; credits: SwitchCredits | undefined }
  /** Saves the emulator's state and compresses it (answered by state-saved). */
  | { type: "save-state"; id: number }
  /** A copy of the VM's hard disk as it is now, running or stopped (answered by disk-read). */
  | { type: "read-disk"; id: number }
  /** Copies of the disk's chunks changed since the last such read (answered by disk-changes). */
  | ({ type: "read-disk-changes"; id: number } & DiskChangesRequest)
  /** Shared folder (/root/shared): a file in (answered by file-put), out (file-got), a listing. */
  | { type: "put-file"; id: number; name: string; data: ArrayBuffer }
  | { type: "get-file"; id: number; path: string[] }
  | { type: "list-files"; id: number }
  /** The host's view of the VM's RAM, at most one new scan a second (answered by memory-scanned). */
  | { type: "scan-memory"; id: number }
  /** The balloon: its target set when one is given, then read with the guest's statistics. */
  | { type: "balloon"; id: number; targetMb?: number }
  /** Free page hinting: the guest's free pages zeroed (answered by free-pages-hinted). */
  | { type: "hint-free-pages"; id: number };

export interface StatsSample {
  /** performance.now() in the worker; workers share the page's time origin. */
  t: number;
  counter: number;
  running: boolean;
  diskReadBytes: number;
  diskWriteBytes: number;
  netRxPackets: number;
  netTxPackets: number;
  /** The VM's run and ready time so far under the CPU scheduler, in board ticks, read at `t`. */
  cpuTicks?: { run: number; ready: number };
}

export type WorkerToHost =
  | { type: "booting"; startedAt: number }
  | { type: "running" }
  /** A prepareOnly boot has its guest in memory, stopped. */
  | { type: "prepared" }
  | { type: "paused" }
  | { type: "stopped" }
  | { type: "ready"; at: number }
  | { type: "crashed"; reason: string }
  | { type: "error"; message: string }
  | { type: "serial"; port: 0 | 1; bytes: Uint8Array }
  | { type: "screen"; rows: string[] }
  | { type: "stats"; sample: StatsSample }
  | {
      type: "state-saved";
      id: number;
      data: ArrayBuffer;
      rawBytes: number;
      format: StateFormat;
      ms: number;
    }
  /** `data` is undefined when this worker holds no disk yet. */
  | { type: "disk-read"; id: number; data: ArrayBuffer | undefined }
  /** `changes` is undefined when this worker holds no disk yet. */
  | { type: "disk-changes"; id: number; changes: DiskChanges | undefined }
  /** The guest wrote to a disk that had no changes since the page last read them. */
  | { type: "disk-dirty" }
  /** The guest asked its disk to flush its write cache (ATA FLUSH CACHE): it expects durability. */
  | { type: "disk-flush" }
  | { type: "request-failed"; id: number; message: string }
  | { type: "file-put"; id: number }
  | { type: "file-got"; id: number; data: ArrayBuffer }
  | { type: "files-listed"; id: number; entries: SharedEntry[]; usedBytes: number }
  | { type: "memory-scanned"; id: number; scan: MemoryScan }
  | { type: "balloon-read"; id: number; balloon: BalloonState }
  | { type: "free-pages-hinted"; id: number; bytes: number };
