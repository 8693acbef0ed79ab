import { Emitter } from "./emitter";

/**
 * The page's Ethernet switch: one port per VM on it, a learning table of source MACs, unicast to
 * the learned port, flooding of broadcast, multicast and unknown destinations, an MTU, a bounded
 * queue toward each VM and one filter stage every delivered frame passes. Pure TypeScript with no
 * thread of its own: switch-service.ts runs it in the switch's worker (switch.worker.ts), where
 * frames go from one VM's worker to another's without the page's main thread.
 */

/** Counters from the VM's point of view, as `ip -s link` in the guest would count them. */
export interface PortCounters {
  /** Frames the switch delivered to the VM. */
  rxPackets: number;
  rxBytes: number;
  /** Frames the VM sent into the switch (cable plugged). */
  txPackets: number;
  txBytes: number;
  /** Frames lost at this port, for any of the reasons below or an unplugged cable. */
  dropped: number;
  /** ... of which: due to the VM while its queue was full (it did not take frames fast enough). */
  overflow: number;
  /** ... sent by the VM larger than the switch's MTU. */
  oversize: number;
  /** ... due to the VM but refused by the filter stage. */
  filtered: number;
}

export type FrameSink = (frame: Uint8Array) => void;

/** Decides whether a frame from one port may reach another; false drops it (counted at `to`). */
export type FrameFilter = (frame: Uint8Array, from: SwitchPort, to: SwitchPort) => boolean;

export const DEFAULT_MTU = 1500;
export const MIN_MTU = 68;
/** The largest MTU a switch takes: v86's virtio-net and Linux both go this far. */
export const MAX_MTU = 65520;
/** Frames a port holds for its VM before it drops (virtio-net's receive ring has 1024 slots). */
export const DEFAULT_QUEUE_FRAMES = 512;

export interface SwitchOptions {
  /** Learned entries older than this are forgotten (real switches: 300 s). */
  agingMs?: number;
  /** Table size cap, so a guest that forges source MACs cannot grow it without bound. */
  maxEntries?: number;
  now?: () => number;
  mtu?: number;
  /** Frames given to a VM and not yet taken by it, at most, per port. */
  queueFrames?: number;
}

export interface PortEvents extends Record<string, unknown> {
  /** The cable was plugged or unplugged. */
  cable: boolean;
}

const ETHERNET_HEADER = 14;

/** 48-bit MAC at `offset` as a number (exact in a double). */
function macAt(frame: Uint8Array, offset: number): number {
  let value = 0;
  for (let i = 0; i < 6; i++) value = value * 256 + frame[offset + i]!;
  return value;
}

export function formatMac(frame: Uint8Array, offset = 0): string {
  return Array.from(frame.subarray(offset, offset + 6), (b) =>
    b.toString(16).padStart(2, "0"),
  ).join(":");
}

/** Why an MTU cannot be a switch's, or undefined when it can. */
export function mtuError(mtu: number): string | undefined {
  if (!Number.isInteger(mtu) || mtu < MIN_MTU || mtu > MAX_MTU)
    return `The MTU must be a whole number of bytes from ${MIN_MTU} to ${MAX_MTU}.`;
  return undefined;
}

export function emptyCounters(): PortCounters {
  return {
    rxPackets: 0,
    rxBytes: 0,
    txPackets: 0,
    txBytes: 0,
    dropped: 0,
    overflow: 0,
    oversize: 0,
    filtered: 0,
  };
}

export class SwitchPort {
  readonly events = new Emitter<PortEvents>();
  private _plugged = true;
  /** Held: frames from the VM are dropped (its MAC is being set; vm-network.ts). */
  held = false;
  /** Frames given to the VM and not yet taken by it. */
  queued = 0;
  readonly counters: PortCounters = emptyCounters();

  constructor(
    readonly id: number,
    readonly name: string,
    private readonly owner: VirtualSwitch,
    public deliver: FrameSink,
  ) {}

  get plugged(): boolean {
    return this._plugged;
  }

  plug(): void {
    if (this._plugged) return;
    this._plugged = true;
    this.events.emit("cable", true);
  }

  /** Frames are dropped both ways until plugged again; what the port learned is forgotten. */
  unplug(): void {
    if (!this._plugged) return;
    this._plugged = false;
    this.owner.forget(this);
    this.events.emit("cable", false);
  }

  /** Forgets the MACs learned on this port (its VM stopped). */
  forgetMacs(): void {
    this.owner.forget(this);
  }

  /** The VM took `count` frames out of its queue (into its network card). */
  taken(count: number): void {
    this.queued = Math.max(0, this.queued - count);
  }

  /** A frame from the VM into the switch. */
  send(frame: Uint8Array): void {
    this.owner.forward(this, frame);
  }

  /** MACs learned on this port, as text (for display and tests). */
  get macs(): string[] {
    return this.owner.macsOf(this);
  }
}

export class VirtualSwitch {
  private readonly portList: SwitchPort[] = [];
  private readonly table = new Map<number, { port: SwitchPort; seen: number }>();
  private nextId = 1;
  private readonly agingMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private _mtu: number;
  readonly queueFrames: number;
  /** The filter stage (security groups will sit here); none lets every frame through. */
  filter: FrameFilter | undefined;

  constructor(options: SwitchOptions = {}) {
    this.agingMs = options.agingMs ?? 300_000;
    this.maxEntries = options.maxEntries ?? 1024;
    this.now = options.now ?? (() => Date.now());
    this._mtu = DEFAULT_MTU;
    if (options.mtu !== undefined) this.setMtu(options.mtu);
    this.queueFrames = options.queueFrames ?? DEFAULT_QUEUE_FRAMES;
  }

  get ports(): readonly SwitchPort[] {
    return this.portList;
  }

  get mtu(): number {
    return this._mtu;
  }

  /** The largest IP packet a frame may carry; a frame beyond it is dropped where it enters. */
  setMtu(mtu: number): void {
    const error = mtuError(mtu);
    if (error) throw new Error(error);
    this._mtu = mtu;
  }

  addPort(name: string, deliver: FrameSink, id = this.nextId): SwitchPort {
    this.nextId = Math.max(this.nextId, id + 1);
    const port = new SwitchPort(id, name, this, deliver);
    this.portList.push(port);
    return port;
  }

  removePort(port: SwitchPort): void {
    const i = this.portList.indexOf(port);
    if (i < 0) return;
    this.portList.splice(i, 1);
    this.forget(port);
    port.events.clear();
  }

  /** Forgets every MAC learned on `port` (unplugged, removed, or its VM stopped). */
  forget(port: SwitchPort): void {
    for (const [mac, entry] of this.table) if (entry.port === port) this.table.delete(mac);
  }

  macsOf(port: SwitchPort): string[] {
    const out: string[] = [];
    const bytes = new Uint8Array(6);
    for (const [mac, entry] of this.table) {
      if (entry.port !== port) continue;
      let v = mac;
      for (let i = 5; i >= 0; i--) {
        bytes[i] = v % 256;
        v = Math.floor(v / 256);
      }
      out.push(formatMac(bytes));
    }
    return out;
  }

  /** Where a frame to `mac` would go now, if learned (tests, display). */
  lookup(mac: Uint8Array): SwitchPort | undefined {
    return this.fresh(macAt(mac, 0))?.port;
  }

  forward(from: SwitchPort, frame: Uint8Array): void {
    if (
      !from.plugged ||
      from.held ||
      !this.portList.includes(from) ||
      frame.length < ETHERNET_HEADER
    ) {
      from.counters.dropped++;
      return;
    }
    if (frame.length > this._mtu + ETHERNET_HEADER) {
      from.counters.dropped++;
      from.counters.oversize++;
      return;
    }
    from.counters.txPackets++;
    from.counters.txBytes += frame.length;
    const source = macAt(frame, 6);
    // A multicast source is invalid: never learn it.
    if ((frame[6]! & 1) === 0) this.learn(source, from);
    if ((frame[0]! & 1) === 0) {
      const entry = this.fresh(macAt(frame, 0));
      if (entry) {
        // Both ends on one port: the frame already reached its destination.
        if (entry.port !== from) this.deliver(from, entry.port, frame);
        return;
      }
    }
    for (const port of this.portList) if (port !== from) this.deliver(from, port, frame);
  }

  private deliver(from: SwitchPort, port: SwitchPort, frame: Uint8Array): void {
    const counters = port.counters;
    if (!port.plugged) {
      counters.dropped++;
      return;
    }
    if (this.filter && !this.filter(frame, from, port)) {
      counters.dropped++;
      counters.filtered++;
      return;
    }
    if (port.queued >= this.queueFrames) {
      counters.dropped++;
      counters.overflow++;
      return;
    }
    port.queued++;
    counters.rxPackets++;
    counters.rxBytes += frame.length;
    // Each receiver gets its own copy: senders hand out views, receivers may transfer them.
    port.deliver(frame.slice());
  }

  private learn(mac: number, port: SwitchPort): void {
    const now = this.now();
    const entry = this.table.get(mac);
    if (entry) {
      entry.port = port;
      entry.seen = now;
      return;
    }
    if (this.table.size >= this.maxEntries) this.evictOldest();
    this.table.set(mac, { port, seen: now });
  }

  private fresh(mac: number): { port: SwitchPort; seen: number } | undefined {
    const entry = this.table.get(mac);
    if (!entry) return undefined;
    if (this.now() - entry.seen > this.agingMs) {
      this.table.delete(mac);
      return undefined;
    }
    return entry;
  }

  private evictOldest(): void {
    let oldest: number | undefined;
    let seen = Infinity;
    for (const [mac, entry] of this.table) {
      if (entry.seen < seen) {
        seen = entry.seen;
        oldest = mac;
      }
    }
    if (oldest !== undefined) this.table.delete(oldest);
  }
}
