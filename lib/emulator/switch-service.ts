import {
  COUNTERS_EVERY_MS,
  type PageToSwitch,
  type PortReport,
  type SwitchToPage,
} from "./switch-protocol";
import { PacketFilter } from "./packet-filter";
import { VirtualSwitch, type SwitchPort } from "./virtual-switch";

/**
 * The switch as it runs in its own worker (switch.worker.ts): the page's control messages, one
 * MessagePort (a "line") per VM worker carrying frames as transferred buffers, and the counters
 * reported to the page a few times a second. The page's main thread never sees a frame.
 */

/** What the service talks to the page through: the worker's own scope, or a MessagePort. */
export interface SwitchEndpoint {
  postMessage(message: SwitchToPage): void;
  onmessage: ((event: MessageEvent<PageToSwitch>) => void) | null;
}

interface Attached {
  port: SwitchPort;
  line: MessagePort | undefined;
  /** Frames for this VM from the batch being forwarded, posted together once it is done. */
  out: ArrayBuffer[];
}

export function startSwitchService(
  endpoint: SwitchEndpoint,
  makeSwitch: () => VirtualSwitch = () => new VirtualSwitch(),
): VirtualSwitch {
  const sw = makeSwitch();
  const ports = new Map<number, Attached>();
  let board: Int32Array | undefined;
  let forwarded = 0;
  let lastReport = "";
  // One filter for the switch's life: its conversations outlive a change of rules.
  const packetFilter = new PacketFilter();

  /** Frames the VMs took since the last look, from the shared board (without it: messages). */
  const takeCredits = (): void => {
    if (!board) return;
    for (const [id, { port }] of ports) {
      const taken = Atomics.exchange(board, id, 0);
      if (taken > 0) port.taken(taken);
    }
  };

  /** A VM's batch of frames (one slice of its guest's sending), forwarded as one batch per VM. */
  const fromVm = (port: SwitchPort, data: unknown): void => {
    if (typeof data === "number") return port.taken(data);
    const frames = data instanceof ArrayBuffer ? [data] : Array.isArray(data) ? data : [];
    takeCredits();
    for (const frame of frames) {
      if (!(frame instanceof ArrayBuffer)) continue;
      forwarded++;
      sw.forward(port, new Uint8Array(frame));
    }
    for (const entry of ports.values()) {
      if (entry.out.length === 0) continue;
      const out = entry.out;
      entry.out = [];
      entry.line?.postMessage(out, out);
    }
  };

  const attach = (id: number, line: MessagePort): void => {
    const entry = ports.get(id);
    if (!entry) return line.close();
    entry.line?.close();
    entry.line = line;
    // The new worker starts with nothing taken from the old one's queue.
    entry.port.queued = 0;
    if (board) Atomics.store(board, id, 0);
    line.onmessage = (event: MessageEvent<unknown>) => fromVm(entry.port, event.data);
  };

  const report = (): void => {
    const list: PortReport[] = [...ports.values()].map(({ port }) => ({
      id: port.id,
      counters: { ...port.counters },
      macs: port.macs,
    }));
    const text = JSON.stringify(list);
    if (text === lastReport) return;
    lastReport = text;
    endpoint.postMessage({ type: "counters", ports: list, framesForwarded: forwarded });
  };

  const handle = (msg: PageToSwitch): void => {
    const entry = "id" in msg ? ports.get(msg.id) : undefined;
    switch (msg.type) {
      case "init":
        board = msg.credits && new Int32Array(msg.credits);
        sw.setMtu(msg.mtu);
        return;
      case "add-port": {
        const attached: Attached = {
          port: undefined as unknown as SwitchPort,
          line: undefined,
          out: [],
        };
        attached.port = sw.addPort(
          msg.name,
          (frame) => attached.out.push(frame.buffer as ArrayBuffer),
          msg.id,
        );
        ports.set(msg.id, attached);
        return;
      }
      case "attach":
        return attach(msg.id, msg.line);
      case "remove-port":
        if (!entry) return;
        entry.line?.close();
        sw.removePort(entry.port);
        ports.delete(msg.id);
        return report();
      case "cable":
        if (msg.plugged) entry?.port.plug();
        else entry?.port.unplug();
        return;
      case "hold":
        if (entry) entry.port.held = msg.held;
        return;
      case "forget":
        return entry?.port.forgetMacs();
      case "mtu":
        return sw.setMtu(msg.mtu);
      case "filter":
        if (msg.policy) packetFilter.setPolicy(msg.policy);
        sw.filter = msg.policy && ((frame, _from, to) => packetFilter.check(frame, to.id));
        return;
    }
  };

  endpoint.onmessage = (event) => handle(event.data);
  setInterval(report, COUNTERS_EVERY_MS);
  return sw;
}
