import { describe, expect, it } from "vitest";
import {
  FLOW_IDLE_MS,
  PacketFilter,
  parseCidr,
  readPacket,
  type InboundRule,
} from "@/lib/emulator/packet-filter";
import { VirtualSwitch } from "@/lib/emulator/virtual-switch";

// Frames as a guest's network stack puts them on the wire: Ethernet, IPv4 (20-byte header),
// then TCP, UDP or ICMP.
const MAC_A = [0x02, 0x76, 0x6c, 0, 0, 1];
const MAC_B = [0x02, 0x76, 0x6c, 0, 0, 2];
const A = [10, 0, 0, 1];
const B = [10, 0, 0, 2];
const C = [10, 0, 0, 3];

function ipv4(src: number[], dst: number[], protocol: number, payload: number[], flags = 0x4000) {
  const total = 20 + payload.length;
  const header = [0x45, 0, total >> 8, total & 255, 0, 1, flags >> 8, flags & 255, 64, protocol];
  const ip = [...header, 0, 0, ...src, ...dst];
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += (ip[i]! << 8) | ip[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  ip[10] = (~sum >> 8) & 255;
  ip[11] = ~sum & 255;
  return Uint8Array.from([...MAC_B, ...MAC_A, 0x08, 0x00, ...ip, ...payload]);
}

function tcp(src: number[], dst: number[], sport: number, dport: number, flags: number) {
  const header = [sport >> 8, sport & 255, dport >> 8, dport & 255, 0, 0, 0, 1, 0, 0, 0, 0];
  return ipv4(src, dst, 6, [...header, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
}
const SYN = 0x02;
const SYN_ACK = 0x12;
const ACK = 0x10;

function udp(src: number[], dst: number[], sport: number, dport: number) {
  return ipv4(src, dst, 17, [
    sport >> 8,
    sport & 255,
    dport >> 8,
    dport & 255,
    0,
    12,
    0,
    0,
    1,
    2,
    3,
    4,
  ]);
}

function icmpEcho(src: number[], dst: number[], type: 0 | 8, id: number) {
  return ipv4(src, dst, 1, [type, 0, 0, 0, id >> 8, id & 255, 0, 1, 0x61, 0x62]);
}

function arpRequest() {
  const body = [0, 1, 8, 0, 6, 4, 0, 1, ...MAC_A, ...A, 0, 0, 0, 0, 0, 0, ...B];
  return Uint8Array.from([255, 255, 255, 255, 255, 255, ...MAC_A, 0x08, 0x06, ...body]);
}

const WEB: InboundRule = { protocol: "tcp", fromPort: 80, toPort: 80, source: "10.0.0.0/24" };
const GUARDED = 2;
const OPEN = 1;

function filterWith(rules: InboundRule[], now = () => 0) {
  const filter = new PacketFilter(now);
  filter.setPolicy({ guarded: [{ port: GUARDED, rules }] });
  return filter;
}

describe("readPacket", () => {
  it("reads addresses and ports of TCP, UDP and ICMP, and nothing from ARP", () => {
    expect(readPacket(tcp(A, B, 40000, 80, SYN))).toMatchObject({
      protocol: 6,
      sourcePort: 40000,
      destinationPort: 80,
      source: 0x0a000001,
      destination: 0x0a000002,
    });
    expect(readPacket(udp(A, B, 5000, 53))).toMatchObject({ protocol: 17, destinationPort: 53 });
    expect(readPacket(icmpEcho(A, B, 8, 7))).toMatchObject({ protocol: 1, sourcePort: 7 });
    expect(readPacket(arpRequest())).toBeUndefined();
  });

  it("parses CIDR text and refuses what is not", () => {
    expect(parseCidr("10.0.0.0/24")).toEqual({ network: 0x0a000000, mask: 0xffffff00 });
    expect(parseCidr("10.0.0.9")).toEqual({ network: 0x0a000009, mask: 0xffffffff });
    expect(parseCidr("0.0.0.0/0")).toEqual({ network: 0, mask: 0 });
    expect(parseCidr("10.0.0.300/24")).toBeUndefined();
    expect(parseCidr("10.0.0.0/33")).toBeUndefined();
    expect(parseCidr("ten")).toBeUndefined();
  });
});

describe("PacketFilter", () => {
  it("lets ARP through to a guarded port, so neighbours are still found", () => {
    expect(filterWith([]).check(arpRequest(), GUARDED)).toBe(true);
  });

  it("drops a TCP connection no rule allows, and lets it in once a rule does", () => {
    const filter = filterWith([]);
    expect(filter.check(tcp(A, B, 40000, 80, SYN), GUARDED)).toBe(false);
    filter.setPolicy({ guarded: [{ port: GUARDED, rules: [WEB] }] });
    expect(filter.check(tcp(A, B, 40001, 80, SYN), GUARDED)).toBe(true);
    expect(filter.check(tcp(A, B, 40001, 22, SYN), GUARDED)).toBe(false);
  });

  it("passes the replies of a handshake the guarded VM started, and the rest of an allowed one", () => {
    const filter = filterWith([WEB]);
    // B (guarded) connects out to A's port 8080: no rule needed for A's answer.
    expect(filter.check(tcp(B, A, 50000, 8080, SYN), OPEN)).toBe(true);
    expect(filter.check(tcp(A, B, 8080, 50000, SYN_ACK), GUARDED)).toBe(true);
    // But A cannot open 8080 on B itself.
    expect(filter.check(tcp(A, B, 50001, 8080, SYN), GUARDED)).toBe(false);
    // A connection to port 80 a rule allowed goes on after the rule is gone.
    expect(filter.check(tcp(A, B, 40000, 80, SYN), GUARDED)).toBe(true);
    filter.setPolicy({ guarded: [{ port: GUARDED, rules: [] }] });
    expect(filter.check(tcp(A, B, 40000, 80, ACK), GUARDED)).toBe(true);
    expect(filter.check(tcp(A, B, 40002, 80, SYN), GUARDED)).toBe(false);
  });

  it("matches the source network and the port range", () => {
    const filter = filterWith([
      { protocol: "udp", fromPort: 5000, toPort: 5010, source: "10.0.0.1/32" },
    ]);
    expect(filter.check(udp(A, B, 1234, 5005), GUARDED)).toBe(true);
    expect(filter.check(udp(A, B, 1234, 5011), GUARDED)).toBe(false);
    expect(filter.check(udp(C, B, 1234, 5005), GUARDED)).toBe(false);
  });

  it("treats ping as a conversation: a reply to the guarded VM's ping passes, a ping to it needs a rule", () => {
    const filter = filterWith([]);
    expect(filter.check(icmpEcho(B, A, 8, 9), OPEN)).toBe(true);
    expect(filter.check(icmpEcho(A, B, 0, 9), GUARDED)).toBe(true);
    expect(filter.check(icmpEcho(A, B, 8, 10), GUARDED)).toBe(false);
    filter.setPolicy({
      guarded: [
        {
          port: GUARDED,
          rules: [{ protocol: "icmp", fromPort: 0, toPort: 0, source: "0.0.0.0/0" }],
        },
      ],
    });
    expect(filter.check(icmpEcho(A, B, 8, 11), GUARDED)).toBe(true);
  });

  it("forgets a conversation left idle", () => {
    let now = 0;
    const filter = filterWith([], () => now);
    filter.check(tcp(B, A, 50000, 8080, SYN), OPEN);
    now = FLOW_IDLE_MS + 1;
    expect(filter.check(tcp(A, B, 8080, 50000, SYN_ACK), GUARDED)).toBe(false);
  });

  it("leaves unguarded ports alone", () => {
    expect(filterWith([]).check(tcp(B, A, 50000, 22, SYN), OPEN)).toBe(true);
  });

  it("counts what it refuses at the guarded port when it sits in the switch", () => {
    const sw = new VirtualSwitch();
    const got: Uint8Array[] = [];
    const open = sw.addPort("client", () => {});
    const guarded = sw.addPort("web", (frame) => got.push(frame));
    const filter = new PacketFilter(() => 0);
    filter.setPolicy({ guarded: [{ port: guarded.id, rules: [] }] });
    sw.filter = (frame, _from, to) => filter.check(frame, to.id);
    open.send(arpRequest());
    open.send(tcp(A, B, 40000, 80, SYN));
    expect(got).toHaveLength(1);
    expect(guarded.counters.filtered).toBe(1);
  });
});
