import {
  FILTER_PROTOCOLS,
  parseCidr,
  type FilterPolicy,
  type FilterProtocol,
  type InboundRule,
} from "../emulator/packet-filter";
import { validate, z, type ValidationIssue } from "../zod";

/**
 * Security groups: named sets of inbound rules. An instance is in one group; the switch's packet
 * filter (lib/emulator/packet-filter.ts) guards its port with the group's rules, replies to what
 * the instance sent pass without a rule, and a rule's source may be a network or another group
 * (its instances' addresses).
 */

export interface GroupRule {
  id: string;
  protocol: FilterProtocol;
  fromPort: number;
  toPort: number;
  /** A network as CIDR text, or a security group's id (`sg-...`). */
  source: string;
}

export interface SecurityGroup {
  id: string;
  name: string;
  description: string;
  rules: GroupRule[];
}

/** What the rule form holds: strings as typed. */
export interface RuleInput {
  protocol: string;
  fromPort: string;
  toPort: string;
  source: string;
}

const port = z
  .string()
  .trim()
  .regex(/^\d{1,5}$/, "A port is a whole number from 0 to 65535.")
  .transform(Number)
  .pipe(z.number().max(65535, "A port is a whole number from 0 to 65535."));

function ruleSchema(groupIds: readonly string[]) {
  return z
    .object({
      protocol: z.enum(FILTER_PROTOCOLS, { error: "Choose TCP, UDP or ICMP." }),
      fromPort: z.string(),
      toPort: z.string(),
      source: z
        .string()
        .trim()
        .refine((s) => groupIds.includes(s) || parseCidr(s) !== undefined, {
          error: "The source is a network such as 10.0.0.0/24, an address, or a group's id.",
        }),
    })
    .transform((input, ctx) => {
      if (input.protocol === "icmp")
        return { protocol: input.protocol, fromPort: 0, toPort: 0, source: input.source };
      const from = validate(port, input.fromPort);
      const to = validate(port, input.toPort.trim() === "" ? input.fromPort : input.toPort);
      if (!from.ok)
        ctx.addIssue({ code: "custom", path: ["fromPort"], message: from.issues[0]!.message });
      // An empty "to" is the "from" port: its problem is said once, at "from".
      if (!to.ok && input.toPort.trim() !== "")
        ctx.addIssue({ code: "custom", path: ["toPort"], message: to.issues[0]!.message });
      if (!from.ok || !to.ok) return z.NEVER;
      if (to.value < from.value) {
        ctx.addIssue({
          code: "custom",
          path: ["toPort"],
          message: "The range ends before it starts.",
        });
        return z.NEVER;
      }
      return {
        protocol: input.protocol,
        fromPort: from.value,
        toPort: to.value,
        source: input.source,
      };
    });
}

export type RuleCheck =
  { ok: true; rule: Omit<GroupRule, "id"> } | { ok: false; issues: ValidationIssue[] };

/** Checks a rule as typed; `groupIds` are the groups a rule may name as its source. */
export function checkRule(input: unknown, groupIds: readonly string[]): RuleCheck {
  const result = validate(ruleSchema(groupIds), input);
  return result.ok ? { ok: true, rule: result.value } : { ok: false, issues: result.issues };
}

const groupNameSchema = z
  .string()
  .trim()
  .min(1, "Give the group a name.")
  .max(32, "Use at most 32 characters.")
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]*$/, "Use letters, digits, space, dot, dash or underscore.");

/** Why a group cannot have this name, if it cannot (names are unique ignoring case). */
export function groupNameError(name: string, groups: readonly SecurityGroup[]): string | undefined {
  const result = validate(groupNameSchema, name);
  if (!result.ok) return result.issues[0]!.message;
  if (groups.some((g) => g.name.toLowerCase() === result.value.toLowerCase()))
    return `A group named "${result.value}" already exists.`;
  return undefined;
}

/** What a rule reads like in a table: `tcp 80 from 10.0.0.0/24`. */
export function describeRule(
  rule: Omit<GroupRule, "id">,
  groups: readonly SecurityGroup[],
): string {
  const ports =
    rule.protocol === "icmp"
      ? ""
      : rule.fromPort === rule.toPort
        ? ` ${rule.fromPort}`
        : ` ${rule.fromPort}-${rule.toPort}`;
  const group = groups.find((g) => g.id === rule.source);
  return `${rule.protocol}${ports} from ${group ? `group ${group.name}` : rule.source}`;
}

/** An instance as the filter needs it: its switch port, address and group. */
export interface GuardedInstance {
  port: number;
  address: string | undefined;
  groupId: string;
}

/**
 * The switch's filter policy for these instances: each one's port guarded by its group's rules,
 * a group named as a source standing for its instances' addresses.
 */
export function filterPolicy(
  instances: readonly GuardedInstance[],
  groups: readonly SecurityGroup[],
): FilterPolicy {
  const members = (groupId: string) =>
    instances.filter((i) => i.groupId === groupId && i.address).map((i) => `${i.address}/32`);
  return {
    guarded: instances.map((instance) => {
      const rules = groups.find((g) => g.id === instance.groupId)?.rules ?? [];
      const inbound: InboundRule[] = rules.flatMap((rule) => {
        const sources = rule.source.startsWith("sg-") ? members(rule.source) : [rule.source];
        return sources.map((source) => ({
          protocol: rule.protocol,
          fromPort: rule.fromPort,
          toPort: rule.toPort,
          source,
        }));
      });
      return { port: instance.port, rules: inbound };
    }),
  };
}
