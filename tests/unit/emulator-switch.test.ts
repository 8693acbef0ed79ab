import { describe, expect, it } from "vitest";
import { VirtualSwitch, type SwitchPort } from "@/lib/emulator/virtual-switch";

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
});
