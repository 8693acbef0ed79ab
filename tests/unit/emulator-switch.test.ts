import { describe, expect, it } from "vitest";
import { MAX_MTU, VirtualSwitch, type SwitchPort } from "@/lib/emulator/virtual-switch";

const BROADCAST = "ff:ff:ff:ff:ff:ff";

function mac(text: string): number[] {
  return text.split(":").map((h) => parseInt(h, 16));
}

function frame(dst: string, src: string, payload = 46): Uint8Array {
  return Uint8Array.from([
    ...mac(dst),
    ...mac(src),
    0x08,
    0x00,
    ...new Array<number>(payload).fill(7),
  ]);
}

const A = "02:00:00:00:00:0a";
const B = "02:00:00:00:00:0b";
const C = "02:00:00:00:00:0c";

function setup(options?: ConstructorParameters<typeof VirtualSwitch>[0]) {
  const sw = new VirtualSwitch(options);
  const got = new Map<string, Uint8Array[]>();
  const port = (name: string): SwitchPort => {
    got.set(name, []);
    return sw.addPort(name, (f) => got.get(name)!.push(f));
  };
  const a = port("a");
  const b = port("b");
  const c = port("c");
  const inbox = (name: string) => got.get(name)!;
  const clear = () => got.forEach((list) => list.splice(0));
  return { sw, a, b, c, inbox, clear };
}

describe("VirtualSwitch", () => {
  it("floods broadcast to every other port, never back to the sender", () => {
    const { a, inbox } = setup();
    a.send(frame(BROADCAST, A));
    expect(inbox("a")).toHaveLength(0);
    expect(inbox("b")).toHaveLength(1);
    expect(inbox("c")).toHaveLength(1);
  });

  it("floods multicast and unknown unicast", () => {
    const { a, inbox } = setup();
    a.send(frame("01:00:5e:00:00:01", A));
    a.send(frame(C, A));
    expect(inbox("b")).toHaveLength(2);
    expect(inbox("c")).toHaveLength(2);
  });

  it("learns source MACs and forwards unicast to the learned port only", () => {
    const { sw, a, b, inbox, clear } = setup();
    b.send(frame(BROADCAST, B)); // b announces itself (an ARP request would)
    expect(sw.lookup(Uint8Array.from(mac(B)))).toBe(b);
    expect(b.macs).toEqual([B]);
    clear();
    a.send(frame(B, A));
    expect(inbox("b")).toHaveLength(1);
    expect(inbox("c")).toHaveLength(0);
    // The reply goes straight back to a, which was learned from the request.
    b.send(frame(A, B));
    expect(inbox("a")).toHaveLength(1);
    expect(inbox("c")).toHaveLength(0);
  });

  it("follows a MAC that moves to another port", () => {
    const { sw, a, c } = setup();
    a.send(frame(BROADCAST, A));
    c.send(frame(BROADCAST, A));
    expect(sw.lookup(Uint8Array.from(mac(A)))).toBe(c);
  });

  it("never learns a multicast source and drops runt frames", () => {
    const { sw, a, inbox } = setup();
    a.send(frame(BROADCAST, "03:00:00:00:00:01"));
    expect(sw.lookup(Uint8Array.from(mac("03:00:00:00:00:01")))).toBeUndefined();
    a.send(new Uint8Array(10));
    expect(inbox("b")).toHaveLength(1);
    expect(a.counters.dropped).toBe(1);
  });

  it("gives each receiver its own copy of the frame", () => {
    const { a, inbox } = setup();
    const sent = frame(BROADCAST, A);
    a.send(sent);
    sent[20] = 99;
    expect(inbox("b")[0]![20]).toBe(7);
    expect(inbox("b")[0]).not.toBe(inbox("c")[0]);
  });

  it("drops both ways while unplugged, forgets the port's MACs, and works again when plugged", () => {
    const { sw, a, b, inbox, clear } = setup();
    const cable: boolean[] = [];
    a.events.on("cable", (v) => cable.push(v));
    a.send(frame(BROADCAST, A));
    b.send(frame(BROADCAST, B));
    clear();
    a.unplug();
    expect(a.plugged).toBe(false);
    expect(sw.lookup(Uint8Array.from(mac(A)))).toBeUndefined();
    a.send(frame(B, A)); // out of a: dropped
    b.send(frame(A, B)); // into a: unknown now, flooded, dropped at a's port
    b.send(frame(BROADCAST, B));
    expect(inbox("a")).toHaveLength(0);
    expect(inbox("b")).toHaveLength(0);
    expect(a.counters.dropped).toBe(3);
    a.plug();
    a.send(frame(B, A));
    b.send(frame(A, B));
    expect(inbox("b")).toHaveLength(1);
    expect(inbox("a")).toHaveLength(1);
    expect(cable).toEqual([false, true]);
  });

  it("forgets a removed port and never delivers to it again", () => {
    const { sw, a, b, inbox, clear } = setup();
    b.send(frame(BROADCAST, B));
    sw.removePort(b);
    clear();
    expect(sw.ports.map((p) => p.name)).toEqual(["a", "c"]);
    a.send(frame(B, A));
    expect(inbox("b")).toHaveLength(0);
    expect(inbox("c")).toHaveLength(1);
    b.send(frame(BROADCAST, B));
    expect(inbox("a")).toHaveLength(0);
  });

  it("counts packets and bytes per port from the VM's point of view", () => {
    const { a, b, c } = setup();
    b.send(frame(BROADCAST, B, 46)); // 60 bytes, to a and c
    a.send(frame(B, A, 86)); // 100 bytes, to b only
    expect(b.counters).toMatchObject({ txPackets: 1, txBytes: 60, rxPackets: 1, rxBytes: 100 });
    expect(a.counters).toMatchObject({ txPackets: 1, txBytes: 100, rxPackets: 1, rxBytes: 60 });
    expect(c.counters).toMatchObject({ txPackets: 0, rxPackets: 1, rxBytes: 60, dropped: 0 });
  });

  it("ages out entries and caps the table", () => {
    let now = 0;
    const { sw, a, b, inbox, clear } = setup({ agingMs: 1000, maxEntries: 2, now: () => now });
    b.send(frame(BROADCAST, B));
    now = 2000;
    clear();
    a.send(frame(B, A));
    expect(inbox("c")).toHaveLength(1); // b's entry expired: flooded
    for (let i = 0; i < 5; i++) a.send(frame(BROADCAST, `02:00:00:00:01:0${i}`));
    expect(a.macs.length + b.macs.length).toBeLessThanOrEqual(2);
    expect(sw.lookup(Uint8Array.from(mac("02:00:00:00:01:04")))).toBe(a);
  });

  it("carries real frames: an ARP request floods, the reply and an ICMP echo go one way", () => {
    const { a, b, inbox, clear } = setup();
    // ARP who-has 10.0.0.2 tell 10.0.0.1, as a guest sends it (42 bytes; NICs pad to 60).
    const arp = hex(
      "ffffffffffff 02000000000a 0806 0001 0800 06 04 0001 02000000000a 0a000001 000000000000 0a000002",
    );
    expect(arp.length).toBe(42);
    a.send(arp);
    expect(inbox("b")[0]).toEqual(arp);
    expect(inbox("c")).toHaveLength(1);
    clear();
    const reply = hex(
      "02000000000a 02000000000b 0806 0001 0800 06 04 0002 02000000000b 0a000002 02000000000a 0a000001",
    );
    b.send(reply);
    // ICMP echo request 10.0.0.1 -> 10.0.0.2 with a valid IPv4 header checksum.
    const echo = hex(
      "02000000000b 02000000000a 0800 4500 001c 0001 0000 4001 66de 0a000001 0a000002 0800 f7ff 0000 0000",
    );
    a.send(echo);
    expect(inbox("a")).toEqual([reply]);
    expect(inbox("b")).toEqual([echo]);
    expect(inbox("c")).toHaveLength(0);
  });

  it("drops frames larger than the MTU where they enter, and takes jumbo frames when set", () => {
    const { sw, a, inbox } = setup();
    expect(sw.mtu).toBe(1500);
    a.send(frame(BROADCAST, A, 1500)); // 1514 bytes: the largest at MTU 1500
    a.send(frame(BROADCAST, A, 1501));
    expect(inbox("b")).toHaveLength(1);
    expect(a.counters).toMatchObject({ txPackets: 1, dropped: 1, oversize: 1 });
    sw.setMtu(9000);
    a.send(frame(BROADCAST, A, 9000));
    sw.setMtu(MAX_MTU);
    a.send(frame(BROADCAST, A, MAX_MTU));
    expect(inbox("b").map((f) => f.length)).toEqual([1514, 9014, MAX_MTU + 14]);
    expect(() => sw.setMtu(MAX_MTU + 1)).toThrow(/from 68 to 65520/);
    expect(() => sw.setMtu(67)).toThrow(/from 68 to 65520/);
  });

  it("bounds each port's queue: frames beyond it are dropped and counted there alone", () => {
    const { a, b, c, inbox } = setup({ queueFrames: 4 });
    b.send(frame(BROADCAST, B));
    c.send(frame(BROADCAST, C));
    // a floods b, which takes nothing: b's queue fills, c still gets its frames.
    for (let i = 0; i < 10; i++) a.send(frame(B, A));
    expect(inbox("b")).toHaveLength(4); // c's broadcast + 3 of a's
    expect(b.counters).toMatchObject({ rxPackets: 4, dropped: 7, overflow: 7 });
    a.send(frame(C, A));
    expect(inbox("c")).toHaveLength(2);
    expect(c.counters.dropped).toBe(0);
    // b takes two frames into its NIC: two more fit.
    b.taken(2);
    for (let i = 0; i < 3; i++) a.send(frame(B, A));
    expect(inbox("b")).toHaveLength(6);
    expect(b.counters.overflow).toBe(8);
  });

  it("drops what a held port sends, both ways still counted", () => {
    const { a, b, inbox } = setup();
    a.held = true;
    a.send(frame(BROADCAST, A));
    b.send(frame(BROADCAST, B));
    expect(inbox("b")).toHaveLength(0);
    expect(inbox("a")).toHaveLength(1);
    expect(a.counters).toMatchObject({ txPackets: 0, dropped: 1, rxPackets: 1 });
  });

  it("passes every delivery through the filter stage, which may refuse it", () => {
    const { sw, a, b, c, inbox } = setup();
    const seen: string[] = [];
    sw.filter = (f, from, to) => {
      seen.push(`${from.name}>${to.name}:${f.length}`);
      return to !== c;
    };
    a.send(frame(BROADCAST, A));
    expect(seen).toEqual(["a>b:60", "a>c:60"]);
    expect(inbox("b")).toHaveLength(1);
    expect(inbox("c")).toHaveLength(0);
    expect(c.counters).toMatchObject({ rxPackets: 0, dropped: 1, filtered: 1 });
    expect(b.counters.filtered).toBe(0);
  });
});

/** Bytes from hex with spaces between fields. */
function hex(text: string): Uint8Array {
  const digits = text.replace(/\s+/g, "");
  return Uint8Array.from(digits.match(/../g)!, (h) => parseInt(h, 16));
}
