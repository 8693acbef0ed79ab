import { Emitter } from "./emitter";
import {
  MAX_SWITCH_PORTS,
  type PageToSwitch,
  type SwitchCredits,
  type SwitchToPage,
} from "./switch-protocol";
import type { FilterPolicy } from "./packet-filter";
import { startSwitchService, type SwitchEndpoint } from "./switch-service";
import { DEFAULT_MTU, emptyCounters, mtuError, type PortCounters } from "./virtual-switch";

/**
 * The page's handle on its virtual switch, which runs in a worker of its own (switch.worker.ts):
 * ports for VMs, each VM worker's line to the switch, cables, the MTU, and the counters the switch
 * reports a few times a second. Frames never come here. The thread lives while the switch has
 * ports.
 */

/** The page's end of the switch: a worker, or (where none can be made) a port to it in-thread. */
export interface SwitchThread {
  postMessage(message: PageToSwitch, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<SwitchToPage>) => void) | null;
  terminate(): void;
}

export function defaultSwitchThread(): SwitchThread {
  if (typeof Worker !== "function") return inThreadSwitch();
  return new Worker(new URL("./switch.worker.ts", import.meta.url), {
    type: "module",
    name: "Virtual switch",
  }) as unknown as SwitchThread;
}

/** The switch's service on a MessageChannel in this thread (tests, or no Worker at all). */
export function inThreadSwitch(): SwitchThread {
  const channel = new MessageChannel();
  startSwitchService(channel.port1 as unknown as SwitchEndpoint);
  const near = channel.port2;
  const thread: SwitchThread = {
    postMessage: (message, transfer = []) => near.postMessage(message, transfer),
    onmessage: null,
    terminate: () => {
      channel.port1.close();
      near.close();
    },
  };
  near.onmessage = (event: MessageEvent<SwitchToPage>) => thread.onmessage?.(event);
  return thread;
}

export interface PortHandleEvents extends Record<string, unknown> {
  /** The cable was plugged or unplugged. */
  cable: boolean;
  /** New counters from the switch (a few times a second at most). */
  counters: PortCounters;
}

/** What a VM's worker gets to reach the switch. */
export interface SwitchLine {
  line: MessagePort;
  credits: SwitchCredits | undefined;
}

export class SwitchPortHandle {
  readonly events = new Emitter<PortHandleEvents>();
  private _plugged = true;
  /** As the switch last reported them. */
  readonly counters: PortCounters = emptyCounters();
  /** MACs the switch has learned on this port, as last reported. */
  macs: string[] = [];

  constructor(
    readonly id: number,
    readonly name: string,
    private readonly owner: PageSwitch,
  ) {}

  get plugged(): boolean {
    return this._plugged;
  }

  plug(): void {
    this.setCable(true);
  }

  /** Frames are dropped both ways until plugged again; what the port learned is forgotten. */
  unplug(): void {
    this.setCable(false);
  }

  /** While held, the switch drops what the VM sends (its MAC is not set yet). */
  hold(held: boolean): void {
    this.owner.send({ type: "hold", id: this.id, held });
  }

  /** Forgets the MACs learned on this port (its VM stopped). */
  forgetMacs(): void {
    this.owner.send({ type: "forget", id: this.id });
  }

  /** A new line for the VM's (new) worker; the switch drops the previous one. */
  connect(): SwitchLine {
    return this.owner.connect(this);
  }

  private setCable(plugged: boolean): void {
    if (this._plugged === plugged) return;
    this._plugged = plugged;
    this.owner.send({ type: "cable", id: this.id, plugged });
    this.events.emit("cable", plugged);
  }
}

export interface PageSwitchEvents extends Record<string, unknown> {
  mtu: number;
}

export class PageSwitch {
  readonly events = new Emitter<PageSwitchEvents>();
  private thread: SwitchThread | undefined;
  private readonly portList: SwitchPortHandle[] = [];
  private readonly credits: SharedArrayBuffer | undefined;
  private _mtu = DEFAULT_MTU;
  /** Frames the switch has forwarded, as last reported (for benches and tests). */
  framesForwarded = 0;

  constructor(private readonly makeThread: () => SwitchThread = defaultSwitchThread) {
    const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
    if (isolated && typeof SharedArrayBuffer === "function")
      this.credits = new SharedArrayBuffer(MAX_SWITCH_PORTS * 4);
  }

  get ports(): readonly SwitchPortHandle[] {
    return this.portList;
  }

  get mtu(): number {
    return this._mtu;
  }

  /** Sets the MTU of every frame on the switch from now on; returns why not, if it cannot. */
  setMtu(mtu: number): string | undefined {
    const error = mtuError(mtu);
    if (error) return error;
    this._mtu = mtu;
    this.send({ type: "mtu", mtu });
    this.events.emit("mtu", mtu);
    return undefined;
  }

  /** A port for a VM, or undefined when all of them are taken. */
  addPort(name: string): SwitchPortHandle | undefined {
    const taken = new Set(this.portList.map((p) => p.id));
    let id = 0;
    while (taken.has(id)) id++;
    if (id >= MAX_SWITCH_PORTS) return undefined;
    const port = new SwitchPortHandle(id, name, this);
    this.portList.push(port);
    this.send({ type: "add-port", id, name });
    return port;
  }

  removePort(port: SwitchPortHandle): void {
    const i = this.portList.indexOf(port);
    if (i < 0) return;
    this.portList.splice(i, 1);
    this.send({ type: "remove-port", id: port.id });
    port.events.clear();
    // No port, no thread: the next port starts a new one (with this switch's MTU).
    if (this.portList.length === 0) {
      this.thread?.terminate();
      this.thread = undefined;
    }
  }

  /**
   * Guards ports with inbound rules (security groups, lib/cloud) from now on, conversations
   * already allowed going on; undefined takes the filter away.
   */
  setFilter(policy: FilterPolicy | undefined): void {
    this.send({ type: "filter", policy });
  }

  connect(port: SwitchPortHandle): SwitchLine {
    const channel = new MessageChannel();
    this.send({ type: "attach", id: port.id, line: channel.port1 }, [channel.port1]);
    const credits = this.credits && { buffer: this.credits, slot: port.id };
    return { line: channel.port2, credits };
  }

  send(message: PageToSwitch, transfer: Transferable[] = []): void {
    this.started().postMessage(message, transfer);
  }

  destroy(): void {
    this.thread?.terminate();
    this.thread = undefined;
    this.events.clear();
  }

  /** The switch's thread, made when the first message goes to it. */
  private started(): SwitchThread {
    if (this.thread) return this.thread;
    const thread = this.makeThread();
    thread.onmessage = (event) => this.received(event.data);
    thread.postMessage({ type: "init", credits: this.credits, mtu: this._mtu });
    this.thread = thread;
    return thread;
  }

  private received(message: SwitchToPage): void {
    this.framesForwarded = message.framesForwarded;
    for (const report of message.ports) {
      const port = this.portList.find((p) => p.id === report.id);
      if (!port) continue;
      Object.assign(port.counters, report.counters);
      port.macs = report.macs;
      port.events.emit("counters", port.counters);
    }
  }
}
