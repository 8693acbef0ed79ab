/**
 * IPv4 addresses on the page's virtual switch. The host hands each VM on the switch one address
 * of 10.0.0.0/24 and sets it in the guest through the agent, the way a cloud gives every instance
 * a private address: learners reach one VM from another without configuring anything first.
 */

export const SWITCH_PREFIX_LENGTH = 24;
const NETWORK = "10.0.0.";
const FIRST_HOST = 1;
const LAST_HOST = 254;

/** "10.0.0.N" with N from 1 to 254, written the one way (no leading zeros). */
export function isSwitchAddress(value: unknown): value is string {
  if (typeof value !== "string" || !value.startsWith(NETWORK)) return false;
  const host = value.slice(NETWORK.length);
  return /^[1-9]\d{0,2}$/.test(host) && Number(host) >= FIRST_HOST && Number(host) <= LAST_HOST;
}

/** The lowest address no VM has, or undefined when all 254 are taken. */
export function freeSwitchAddress(taken: Iterable<string | undefined>): string | undefined {
  const used = new Set(taken);
  for (let host = FIRST_HOST; host <= LAST_HOST; host++) {
    const address = `${NETWORK}${host}`;
    if (!used.has(address)) return address;
  }
  return undefined;
}

/**
 * Shell for the guest agent, run after the MAC is set (setIdentityCommand; that part stops when
 * eth0 is missing). A guest that has the address keeps everything it has (a restore of this
 * VM's own snapshot, with addresses the learner added); one without it (a fresh boot, a clone
 * carrying its original's address) gets exactly this address, link up.
 */
export function setAddressCommand(address: string): string {
  if (!isSwitchAddress(address)) throw new Error(`not an address on the switch: ${address}`);
  const cidr = `${address}/${SWITCH_PREFIX_LENGTH}`;
  return (
    `ip -4 addr show dev eth0 | grep -qF "inet ${cidr} " || ` +
    `{ ip -4 addr flush dev eth0 && ip addr add ${cidr} dev eth0 && ip link set eth0 up; }`
  );
}
