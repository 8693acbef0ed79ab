import { SHARE_LEVELS, type CpuSettings } from "../emulator/cpu-policy";

/**
 * The console's instance types: a size (memory) and a weight on the page's CPU scheduler (shares),
 * with an illustrative price per hour. The prices are made up for teaching: no provider's.
 */

export type ShareLevel = keyof typeof SHARE_LEVELS;

export interface InstanceType {
  name: string;
  memoryMb: number;
  shareLevel: ShareLevel;
  /** Illustrative US dollars per hour of running; not a real price list. */
  pricePerHour: number;
  summary: string;
}

export const INSTANCE_TYPES: readonly InstanceType[] = [
  {
    name: "t.nano",
    memoryMb: 96,
    shareLevel: "low",
    pricePerHour: 0.006,
    summary: "Smallest: little memory, low CPU shares",
  },
  {
    name: "t.small",
    memoryMb: 128,
    shareLevel: "normal",
    pricePerHour: 0.023,
    summary: "General purpose: the course's usual machine",
  },
  {
    name: "m.medium",
    memoryMb: 192,
    shareLevel: "high",
    pricePerHour: 0.048,
    summary: "More memory and twice the CPU shares of t.small",
  },
];

export const INSTANCE_TYPE_NAMES = INSTANCE_TYPES.map((t) => t.name) as [string, ...string[]];

export function instanceType(name: string): InstanceType | undefined {
  return INSTANCE_TYPES.find((t) => t.name === name);
}

/** What the type asks of the CPU scheduler: its shares, no limit, no reservation. */
export function cpuSettingsOf(type: InstanceType): CpuSettings {
  return { shares: SHARE_LEVELS[type.shareLevel], limitPct: null, reservationPct: 0 };
}
