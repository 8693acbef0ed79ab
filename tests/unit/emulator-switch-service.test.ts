import { afterEach, describe, expect, it } from "vitest";
import { inThreadSwitch, PageSwitch, type SwitchPortHandle } from "@/lib/emulator/page-switch";
import { VmSwitchLine } from "@/lib/emulator/switch-line";
import { COUNTERS_EVERY_MS } from "@/lib/emulator/switch-protocol";

/**
 * The switch as the page runs it: its service on a MessageChannel (the same code the switch's
 * worker runs), each VM's end of its line as the VM worker uses it, and counters as the page
 * reads them. No VM here: frames are sent and read at the lines' VM ends.
 */

const A = [2, 0, 0, 0, 0, 0xa];
const B = [2, 0, 0, 0, 0, 0xb];
const BROADCAST = [255, 255, 255, 255, 255, 255];
const frame = (dst: number[], src: number[], size = 60) =>
  Uint8Array.from({ length: size }, (_, i) => (i < 6 ? dst[i]! : i < 12 ? src[i - 6]! : 7));

let sw: PageSwitch | undefined;
const lines: VmSwitchLine[] = [];
const isolated = globalThis as { crossOriginIsolated?: boolean };
afterEach(() => {
  lines.splice(0).forEach((l) => l.close());
  sw?.destroy();
  delete isolated.crossOriginIsolated;
});

/** A VM's end of its line; its card takes frames while `room` says so. */
function vm(port: SwitchPortHandle, room = () => true) {
  const got: Uint8Array[] = [];
  const { line, credits } = port.connect();
  const end = new VmSwitchLine(line, credits, (f) => room() && got.push(f) > 0);
  lines.push(end);
  return { got, send: (f: Uint8Array) => end.send(f), slice: () => end.afterSlice() };
}

const until = async (ok: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("the switch in its own thread", () => {
  it.each([
    ["credits by message", false],
    ["credits on shared memory", true],
  ])(
    "moves frames between VM lines, learns, reports counters a few times a second (%s)",
    async (_, shared) => {
      if (shared) isolated.crossOriginIsolated = true;
      sw = new PageSwitch(inThreadSwitch);
      const a = sw.addPort("a")!;
      const b = sw.addPort("b")!;
      const va = vm(a);
      const vb = vm(b);
      expect(Boolean(a.connect().credits)).toBe(shared);
      // The line just made replaced a's first one: a VM worker's new line wins.
      const va2 = vm(a);
      vb.send(frame(BROADCAST, B));
      await until(() => va2.got.length === 1);
      for (let i = 0; i < 100; i++) va2.send(frame(B, A, 1514));
      await until(() => vb.got.length === 100);
      expect(va.got).toHaveLength(0);
      expect(vb.got[99]!.length).toBe(1514);
      const reports: number[] = [];
      b.events.on("counters", (c) => reports.push(c.rxPackets));
      await until(() => b.counters.rxPackets === 100);
      expect(b.counters).toMatchObject({ rxBytes: 151400, txPackets: 1, dropped: 0 });
      expect(a.macs).toEqual(["02:00:00:00:00:0a"]);
      expect(sw.framesForwarded).toBe(101);
      // Never per frame: 101 frames, a report or two.
      await new Promise((r) => setTimeout(r, COUNTERS_EVERY_MS * 2));
      expect(reports.length).toBeLessThanOrEqual(2);
    },
  );

  it("stops traffic while a cable is unplugged and carries it again once plugged", async () => {
    sw = new PageSwitch(inThreadSwitch);
    const a = sw.addPort("a")!;
    const b = sw.addPort("b")!;
    const va = vm(a);
    const vb = vm(b);
    b.unplug();
    va.send(frame(BROADCAST, A));
    vb.send(frame(BROADCAST, B));
    await until(() => a.counters.txPackets === 1 && b.counters.dropped === 2);
    expect(va.got.length + vb.got.length).toBe(0);
    b.plug();
    vb.send(frame(A, B));
    await until(() => va.got.length === 1);
    await until(() => a.counters.rxPackets === 1);
  });

  it("holds frames while the card has no room, and bounds what waits: the rest is dropped, counted", async () => {
    sw = new PageSwitch(inThreadSwitch);
    const a = sw.addPort("a")!;
    const b = sw.addPort("b")!;
    let room = false;
    const va = vm(a);
    const vb = vm(b, () => room);
    for (let i = 0; i < 600; i++) va.send(frame(BROADCAST, A));
    await until(() => b.counters.dropped > 0);
    expect(vb.got).toHaveLength(0);
    // The switch's bound (512 frames not yet taken) held. Room comes from the guest's own run:
    // the frames go in after its next slice, not before.
    room = true;
    await new Promise((r) => setTimeout(r, 50));
    expect(vb.got).toHaveLength(0);
    vb.slice();
    expect(vb.got).toHaveLength(512);
    await until(() => b.counters.overflow === 88);
    expect(b.counters).toMatchObject({ rxPackets: 512, dropped: 88 });
    // Taken frames free the queue (once the count of them reaches the switch): traffic flows again.
    await new Promise((r) => setTimeout(r, 50));
    va.send(frame(BROADCAST, A));
    await until(() => vb.got.length === 513);
  });

  it("sets the MTU of every frame: a jumbo frame passes at 9000 and is dropped at 1500", async () => {
    sw = new PageSwitch(inThreadSwitch);
    const a = sw.addPort("a")!;
    const b = sw.addPort("b")!;
    const va = vm(a);
    const vb = vm(b);
    expect(sw.setMtu(70_000)).toMatch(/from 68 to 65520/);
    expect(sw.setMtu(9000)).toBeUndefined();
    va.send(frame(BROADCAST, A, 9014));
    await until(() => vb.got.length === 1);
    sw.setMtu(1500);
    va.send(frame(BROADCAST, A, 9014));
    await until(() => a.counters.oversize === 1);
    expect(vb.got).toHaveLength(1);
  });
});

describe("the switch's thread", () => {
  it("lives while the switch has ports, and a new one keeps the switch's MTU", async () => {
    const made: string[] = [];
    const switchThread = () => {
      made.push("thread");
      const thread = inThreadSwitch();
      const end = thread.terminate;
      thread.terminate = () => {
        made.push("ended");
        end();
      };
      return thread;
    };
    sw = new PageSwitch(switchThread);
    expect(made).toEqual([]);
    const a = sw.addPort("a")!;
    sw.setMtu(9000);
    sw.removePort(a);
    expect(made).toEqual(["thread", "ended"]);
    const b = sw.addPort("b")!;
    const c = sw.addPort("c")!;
    expect(made).toEqual(["thread", "ended", "thread"]);
    const vc = vm(c);
    vm(b).send(frame(BROADCAST, B, 9014));
    await until(() => vc.got.length === 1);
  });
});
