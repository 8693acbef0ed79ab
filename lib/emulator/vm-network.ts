import { Emitter } from "./emitter";
import { setAddressCommand } from "./switch-addresses";
import type { PageSwitch, SwitchPortHandle } from "./page-switch";
import type { VmMachine, VmState } from "./vm-machine";

/**
 * One VM's network card as the page sees it: its MAC, the addresses the guest has, and its port
 * on the page's switch (none for VMs without a network).
 *
 * Why the MAC is set through the guest agent: every VM started from a snapshot wakes up with the
 * MAC the guest's driver read when the snapshot was made (the same for every VM restored from
 * one boot snapshot, and a clone's is its original's). Two VMs with one MAC break a learning
 * switch, so the agent gives each guest its own MAC once it is up, and the port forwards nothing
 * the VM sends until then. The same call gives a VM on the switch the address the host chose for
 * it, again after every restore (a snapshot carries the address of the VM it was taken from).
 */

export interface VmNetworkEvents extends Record<string, unknown> {
  change: void;
}

/** Polls while running, for addresses a learner adds or removes in the guest. */
const POLL_MS = 4000;
const HOLD_MAX_MS = 15_000;
/** eth0 appears just after the first prompt of a cold boot: ask again for a while. */
const IDENTITY_TRIES = 8;
const IDENTITY_RETRY_MS = 750;
const NO_ETH0 = 3;

/** Locally administered, unicast: 02:76:6c ("vl") + 3 random bytes. */
export function randomMac(random: (n: number) => Uint8Array = defaultRandom): string {
  const tail = random(3);
  return ["02", "76", "6c", ...Array.from(tail, (b) => b.toString(16).padStart(2, "0"))].join(":");
}

function defaultRandom(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

/** Shell for the guest agent: sets eth0's MAC, briefly taking the link down if it is up. */
export function setMacCommand(mac: string): string {
  if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(mac)) throw new Error(`not a MAC address: ${mac}`);
  return (
    `[ -e /sys/class/net/eth0 ] || exit ${NO_ETH0}; ` +
    `[ "$(cat /sys/class/net/eth0/address)" = ${mac} ] || ip link set eth0 address ${mac} 2>/dev/null || ` +
    `{ ip link set eth0 down && ip link set eth0 address ${mac} && ip link set eth0 up; }`
  );
}

/**
 * Shell for the guest agent: eth0's MTU. The guest learns its card's largest MTU when its driver
 * starts (a virtio-net card reports it); a guest restored from a boot snapshot learned it then,
 * so the host says the switch's now. A card that cannot take it (NE2000: 1500) keeps its own.
 */
export function setMtuCommand(mtu: number): string {
  if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535) throw new Error(`not an MTU: ${mtu}`);
  return `ip link set eth0 mtu ${mtu} 2>/dev/null || true`;
}

/**
 * The MAC, then (for a VM on the switch) the host's address and the switch's MTU; exit 3 while
 * eth0 is missing.
 */
export function setIdentityCommand(mac: string, address: string | undefined, mtu?: number): string {
  const setMac = setMacCommand(mac);
  if (!address) return setMac;
  const setMtu = mtu === undefined ? "" : ` && { ${setMtuCommand(mtu)}; }`;
  return `{ ${setMac}; } && { ${setAddressCommand(address)}; }${setMtu}`;
}

export const READ_ADDRESS_COMMAND =
  "cat /sys/class/net/eth0/address 2>/dev/null; ip -4 -o addr show dev eth0 2>/dev/null";

export interface GuestAddress {
  mac: string | undefined;
  /** IPv4 addresses with their prefix length, e.g. 10.0.0.1/24. */
  ips: string[];
}

export function parseGuestAddress(output: string): GuestAddress {
  const mac = /^([0-9a-f]{2}(?::[0-9a-f]{2}){5})\s*$/im.exec(output)?.[1]?.toLowerCase();
  const ips = [...output.matchAll(/\binet (\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?)/g)].map(
    (m) => m[1]!,
  );
  return { mac, ips };
}

export class VmNetwork {
  readonly events = new Emitter<VmNetworkEvents>();
  /** What the guest reports (after the MAC is applied, the assigned one). */
  guest: GuestAddress = { mac: undefined, ips: [] };
  /** Goes up on every change, for React's useSyncExternalStore. */
  version = 0;
  private held = false;
  private holdTimer: ReturnType<typeof setTimeout> | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private polling = false;
  private lastState: VmState;
  private readonly off: (() => void)[];

  constructor(
    private readonly machine: VmMachine,
    /** The MAC this VM's guest is given. */
    readonly mac: string,
    /** Its switch port, when the VM is on the page's switch. */
    readonly port: SwitchPortHandle | undefined,
    /** The address the host gave it on the switch (10.0.0.N), when it is on the switch. */
    readonly address?: string,
    /** The switch, for its MTU (set in the guest with the address). */
    private readonly onSwitch?: PageSwitch,
  ) {
    this.lastState = machine.state;
    this.off = [
      machine.events.on("state", (state) => this.onState(state)),
      machine.events.on("diskReplaced", () => {
        if (this.machine.state === "running") void this.applyIdentity();
      }),
    ];
    if (port) this.off.push(port.events.on("cable", () => this.changed()));
    if (onSwitch)
      this.off.push(
        onSwitch.events.on("mtu", (mtu) => {
          if (this.machine.state === "running")
            void this.machine.runCheck(setMtuCommand(mtu), { timeoutS: 5 }).catch(() => {});
        }),
      );
  }

  get plugged(): boolean {
    return this.port?.plugged ?? false;
  }

  /** Re-reads the guest's addresses now (after a restore, or when the panel asks). */
  async refresh(): Promise<void> {
    if (this.polling || this.machine.state !== "running") return;
    this.polling = true;
    try {
      const result = await this.machine.runCheck(READ_ADDRESS_COMMAND, { timeoutS: 5 });
      this.update(parseGuestAddress(result.output));
    } catch {
      // No agent, or the VM stopped meanwhile: keep what was shown.
    } finally {
      this.polling = false;
    }
  }

  dispose(): void {
    this.off.forEach((off) => off());
    this.stopTimers();
    this.events.clear();
  }

  private onState(state: VmState): void {
    const previous = this.lastState;
    this.lastState = state;
    if (state === "booting" && previous !== "paused") {
      this.hold();
      this.update({ mac: undefined, ips: [] });
    } else if (state === "running" && previous === "booting") {
      void this.applyIdentity();
      if (this.port) this.pollTimer ??= setInterval(() => void this.refresh(), POLL_MS);
    } else if (state === "stopped" || state === "crashed") {
      this.stopTimers();
      this.setHeld(false);
      // A stopped guest answers for no MAC any more.
      this.port?.forgetMacs();
      if (state === "stopped") this.update({ mac: undefined, ips: [] });
    }
  }

  private hold(): void {
    this.setHeld(true);
    clearTimeout(this.holdTimer);
    // Never hold forever: a guest without an agent keeps the MAC it has.
    this.holdTimer = setTimeout(() => this.setHeld(false), HOLD_MAX_MS);
  }

  /** The switch drops what a held VM sends (it runs in its own worker: it is told). */
  private setHeld(held: boolean): void {
    if (this.held === held) return;
    this.held = held;
    this.port?.hold(held);
  }

  private async applyIdentity(): Promise<void> {
    const command = setIdentityCommand(this.mac, this.address, this.onSwitch?.mtu);
    for (let attempt = 1; attempt <= IDENTITY_TRIES; attempt++) {
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, IDENTITY_RETRY_MS));
      try {
        const result = await this.machine.runCheck(command, { timeoutS: 10 });
        if (result.status !== NO_ETH0) break;
      } catch {
        break; // No agent, or the VM stopped: the guest keeps its MAC and addresses.
      }
    }
    this.setHeld(false);
    clearTimeout(this.holdTimer);
    await this.refresh();
  }

  private update(next: GuestAddress): void {
    const same = next.mac === this.guest.mac && next.ips.join(" ") === this.guest.ips.join(" ");
    this.guest = next;
    if (!same) this.changed();
  }

  private changed(): void {
    this.version++;
    this.events.emit("change", undefined);
  }

  private stopTimers(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    clearTimeout(this.holdTimer);
  }
}
