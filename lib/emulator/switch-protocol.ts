import type { FilterPolicy } from "./packet-filter";
import type { PortCounters } from "./virtual-switch";

/**
 * Messages between the page and the switch's worker (switch-service.ts), and what travels on a
 * VM's own line to the switch (a MessagePort): frames as transferred ArrayBuffers, an array of
 * them per message (what a guest sent in one slice of its run, or what the switch forwarded from
 * one such batch), both ways, and without shared memory counts of frames taken back to the switch.
 */

/** Where a VM's worker says how many frames it has taken: one word per port, by port id. */
export interface SwitchCredits {
  buffer: SharedArrayBuffer;
  /** The port's word in `new Int32Array(buffer)`. */
  slot: number;
}

/** Ports per switch with a word on the shared credit board. */
export const MAX_SWITCH_PORTS = 256;

export type PageToSwitch =
  /** Sent first: the credit board, when the page is cross-origin isolated. */
  | { type: "init"; credits: SharedArrayBuffer | undefined; mtu: number }
  | { type: "add-port"; id: number; name: string }
  /** A VM's (new) worker is on this line now; the previous line, if any, is closed. */
  | { type: "attach"; id: number; line: MessagePort }
  | { type: "remove-port"; id: number }
  | { type: "cable"; id: number; plugged: boolean }
  | { type: "hold"; id: number; held: boolean }
  | { type: "forget"; id: number }
  | { type: "mtu"; mtu: number }
  /** Security groups (packet-filter.ts): the guarded ports and their rules, or none at all. */
  | { type: "filter"; policy: FilterPolicy | undefined };

export interface PortReport {
  id: number;
  counters: PortCounters;
  macs: string[];
}

export type SwitchToPage =
  /** A few times a second, only when something changed: never per frame. */
  { type: "counters"; ports: PortReport[]; framesForwarded: number };

/** How often the switch reports its counters to the page. */
export const COUNTERS_EVERY_MS = 250;
