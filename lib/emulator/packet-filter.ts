/**
 * A stateful packet filter for the virtual switch's filter stage (security groups, lib/cloud):
 * some ports are guarded by inbound rules (protocol, port range, source network); a frame to a
 * guarded port passes when a rule allows it or when it belongs to a conversation already allowed
 * (a reply to what the guarded VM sent, the rest of a connection a rule let in). ARP and other
 * non-IPv4 frames pass (a VM must still find its neighbours), as does everything to unguarded ports.
 * Pure TypeScript: switch-service.ts runs it in the switch's worker, tests run it on real frames.
 */

export const FILTER_PROTOCOLS = ["tcp", "udp", "icmp"] as const;
export type FilterProtocol = (typeof FILTER_PROTOCOLS)[number];

export interface InboundRule {
  protocol: FilterProtocol;
  /** Destination ports, inclusive (ignored for icmp). */
  fromPort: number;
  toPort: number;
  /** Source network as CIDR text, for example `10.0.0.0/24` or `10.0.0.5/32`. */
  source: string;
}

export interface GuardedPort {
  /** The switch port's id. */
  port: number;
  rules: InboundRule[];
}

/** Which ports are guarded and by what; a port not listed takes every frame. */
export interface FilterPolicy {
  guarded: GuardedPort[];
}

const PROTOCOL_NUMBERS: Record<number, FilterProtocol> = { 1: "icmp", 6: "tcp", 17: "udp" };
const ETHERTYPE_IPV4 = 0x0800;
const ETHERNET_HEADER = 14;
/** A conversation nobody used for this long is forgotten (Linux's conntrack: minutes to days). */
export const FLOW_IDLE_MS = 120_000;
/** The table's cap: a guest opening connections without end cannot grow it without bound. */
export const MAX_FLOWS = 8192;

/** What the filter reads from a frame: its IPv4 header and the first bytes of what it carries. */
export interface Packet {
  protocol: number;
  source: number;
  destination: number;
  sourcePort: number;
  destinationPort: number;
  /** An ICMP error (unreachable, time exceeded): the conversation it is about, if readable. */
  about?: string;
}

function u16(frame: Uint8Array, at: number): number {
  return (frame[at]! << 8) | frame[at + 1]!;
}

function u32(frame: Uint8Array, at: number): number {
  return (
    ((frame[at]! << 24) | (frame[at + 1]! << 16) | (frame[at + 2]! << 8) | frame[at + 3]!) >>> 0
  );
}

/** Reads an IPv4 packet at `ip` (the frame's, or one quoted inside an ICMP error). */
function readIp(frame: Uint8Array, ip: number, quoted: boolean): Packet | undefined {
  if (frame.length < ip + 20 || frame[ip]! >> 4 !== 4) return undefined;
  const headerLength = (frame[ip]! & 0x0f) * 4;
  const protocol = frame[ip + 9]!;
  const packet: Packet = {
    protocol,
    source: u32(frame, ip + 12),
    destination: u32(frame, ip + 16),
    sourcePort: 0,
    destinationPort: 0,
  };
  const l4 = ip + headerLength;
  // A later fragment carries no ports: it is judged as port 0, so it passes only as part of a
  // conversation between the two hosts (big UDP datagrams are rare on this network).
  const laterFragment = (u16(frame, ip + 6) & 0x1fff) !== 0;
  if (laterFragment || frame.length < l4 + 8) return packet;
  if (protocol === 6 || protocol === 17) {
    packet.sourcePort = u16(frame, l4);
    packet.destinationPort = u16(frame, l4 + 2);
  } else if (protocol === 1) {
    const type = frame[l4]!;
    const id = u16(frame, l4 + 4);
    // Echo request and reply are one conversation: the request's id as its source port, the
    // reply's as its destination port, so a reply reverses the request's key.
    if (type === 8) packet.sourcePort = id;
    else if (type === 0) packet.destinationPort = id;
    else if (!quoted && (type === 3 || type === 11)) {
      const inner = readIp(frame, l4 + 8, true);
      if (inner) packet.about = flowKey(inner);
    }
  }
  return packet;
}

/** The IPv4 packet a frame carries, or undefined for anything else (ARP, IPv6, runts). */
export function readPacket(frame: Uint8Array): Packet | undefined {
  if (frame.length < ETHERNET_HEADER || u16(frame, 12) !== ETHERTYPE_IPV4) return undefined;
  return readIp(frame, ETHERNET_HEADER, false);
}

export function flowKey(p: Packet): string {
  return `${p.protocol}|${p.source}|${p.sourcePort}|${p.destination}|${p.destinationPort}`;
}

function reverseKey(p: Packet): string {
  return `${p.protocol}|${p.destination}|${p.destinationPort}|${p.source}|${p.sourcePort}`;
}

/** Parses `a.b.c.d/n` (or a bare address, as /32) into network and mask, or undefined. */
export function parseCidr(text: string): { network: number; mask: number } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = match[5] === undefined ? 32 : Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((value, o) => value * 256 + o, 0) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { network: (address & mask) >>> 0, mask };
}

interface CompiledRule {
  protocol: number;
  fromPort: number;
  toPort: number;
  network: number;
  mask: number;
}

function compile(rule: InboundRule): CompiledRule | undefined {
  const cidr = parseCidr(rule.source);
  const protocol = Number(
    Object.entries(PROTOCOL_NUMBERS).find(([, name]) => name === rule.protocol)?.[0],
  );
  if (!cidr || !protocol) return undefined;
  return { protocol, fromPort: rule.fromPort, toPort: rule.toPort, ...cidr };
}

function allows(rule: CompiledRule, p: Packet): boolean {
  if (rule.protocol !== p.protocol || (p.source & rule.mask) >>> 0 !== rule.network) return false;
  if (p.protocol === 1) return true;
  return p.destinationPort >= rule.fromPort && p.destinationPort <= rule.toPort;
}

export class PacketFilter {
  private guarded = new Map<number, CompiledRule[]>();
  /** Conversations allowed so far (key -> last seen), oldest first. */
  private readonly flows = new Map<string, number>();
  /** Host pairs with an allowed conversation, per protocol (for later fragments). */
  private readonly pairs = new Map<string, number>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** New rules take effect at once; conversations already allowed go on. */
  setPolicy(policy: FilterPolicy): void {
    this.guarded = new Map(
      policy.guarded.map((g) => [
        g.port,
        g.rules.map(compile).filter((r): r is CompiledRule => r !== undefined),
      ]),
    );
  }

  get guardedPorts(): number[] {
    return [...this.guarded.keys()];
  }

  get flowCount(): number {
    return this.flows.size;
  }

  /** The switch's filter stage: may the frame from port `from` reach port `to`? */
  check(frame: Uint8Array, to: number): boolean {
    const packet = readPacket(frame);
    if (!packet) return !this.guarded.has(to) || !isIpv4(frame);
    const rules = this.guarded.get(to);
    if (rules && !this.admitted(packet, rules)) return false;
    this.remember(packet);
    return true;
  }

  private admitted(p: Packet, rules: CompiledRule[]): boolean {
    const now = this.now();
    if (this.fresh(this.flows, flowKey(p), now) || this.fresh(this.flows, reverseKey(p), now))
      return true;
    if (p.about !== undefined && this.fresh(this.flows, p.about, now)) return true;
    if (p.sourcePort === 0 && p.destinationPort === 0 && this.fresh(this.pairs, pairKey(p), now))
      return true;
    return rules.some((rule) => allows(rule, p));
  }

  private fresh(table: Map<string, number>, key: string, now: number): boolean {
    const seen = table.get(key);
    if (seen === undefined) return false;
    if (now - seen > FLOW_IDLE_MS) {
      table.delete(key);
      return false;
    }
    return true;
  }

  private remember(p: Packet): void {
    const now = this.now();
    touch(this.flows, flowKey(p), now);
    touch(this.pairs, pairKey(p), now);
  }
}

function isIpv4(frame: Uint8Array): boolean {
  return frame.length >= ETHERNET_HEADER && u16(frame, 12) === ETHERTYPE_IPV4;
}

/** Both directions of a host pair give one key. */
function pairKey(p: Packet): string {
  const [a, b] = p.source < p.destination ? [p.source, p.destination] : [p.destination, p.source];
  return `${p.protocol}|${a}|${b}`;
}

/** Moves `key` to the table's young end, dropping the oldest entry beyond the cap. */
function touch(table: Map<string, number>, key: string, now: number): void {
  table.delete(key);
  table.set(key, now);
  if (table.size > MAX_FLOWS) table.delete(table.keys().next().value!);
}
