import { validate, z, type ValidationIssue } from "../zod";
import type { InstanceState } from "./instance-state";
import { INSTANCE_TYPE_NAMES } from "./instance-types";
import { USER_DATA_MAX } from "./launch-input";

/**
 * Auto scaling groups: a desired number of instances from one image, type and security group,
 * kept there by the console (scaling-controller.ts): it launches what is missing, replaces an
 * instance that stopped, crashed, was terminated or failed its health check too often, and
 * terminates the newest beyond the desired count. This file is the pure part: the form's checks
 * and the decision for one round.
 */

/** The most instances one group may have: every one is a VM in this page. */
export const SCALING_MAX = 4;
export const DEFAULT_HEALTH_CHECK = "timeout 3 wget -q -O /dev/null http://127.0.0.1/";
/** Failed health checks in a row before an instance is replaced. */
export const UNHEALTHY_AFTER = 3;

export interface ScalingGroupSpec {
  name: string;
  imageId: string;
  typeName: string;
  groupId: string;
  desired: number;
  min: number;
  max: number;
  /** A shell command run in each running member through the agent; exit 0 is healthy. */
  healthCheck: string;
  /** User data each new member runs at its first boot. */
  userData: string;
}

const count = z
  .string()
  .trim()
  .regex(/^\d$/, `A count is a whole number from 0 to ${SCALING_MAX}.`)
  .transform(Number)
  .pipe(z.number().max(SCALING_MAX, `A count is a whole number from 0 to ${SCALING_MAX}.`));

function specSchema(imageIds: readonly string[], groupIds: readonly string[]) {
  return z
    .object({
      name: z
        .string()
        .trim()
        .regex(
          /^[a-z][a-z0-9-]{0,11}$/,
          "Use 1 to 12 lowercase letters, digits or dashes, starting with a letter.",
        ),
      imageId: z.string().refine((id) => imageIds.includes(id), { error: "Choose an image." }),
      typeName: z.enum(INSTANCE_TYPE_NAMES, { error: "Choose an instance type." }),
      groupId: z
        .string()
        .refine((id) => groupIds.includes(id), { error: "Choose a security group." }),
      desired: count,
      min: count,
      max: count,
      healthCheck: z.string().trim().max(500, "Keep the health check under 500 characters."),
      userData: z
        .string()
        .optional()
        .transform((text) => text ?? "")
        .pipe(z.string().max(USER_DATA_MAX, `User data is at most ${USER_DATA_MAX / 1024} KiB.`)),
    })
    .refine((s) => s.min <= s.desired && s.desired <= s.max, {
      path: ["desired"],
      error: "Desired must be between min and max.",
    });
}

export function checkScalingSpec(
  input: unknown,
  imageIds: readonly string[],
  groupIds: readonly string[],
): { ok: true; spec: ScalingGroupSpec } | { ok: false; issues: ValidationIssue[] } {
  const result = validate(specSchema(imageIds, groupIds), input);
  if (!result.ok) return result;
  const spec = result.value;
  return { ok: true, spec: { ...spec, healthCheck: spec.healthCheck || DEFAULT_HEALTH_CHECK } };
}

export interface Member {
  id: string;
  state: InstanceState;
  /** Health checks failed in a row. */
  failures: number;
}

export interface ScalingPlan {
  /** Members to terminate and replace: stopped, or unhealthy. */
  replace: string[];
  /** Members to terminate because the group has more than desired (newest first). */
  trim: string[];
  /** Members gone for good (terminated): dropped from the group. */
  gone: string[];
  /** New instances to launch. */
  launch: number;
}

/** One round's decision for a group whose members are listed oldest first. */
export function planScaling(desired: number, members: readonly Member[]): ScalingPlan {
  const gone = members.filter((m) => m.state === "terminated").map((m) => m.id);
  const replace = members
    .filter(
      // A stopping member is on its way to stopped (replaced then) or terminated (dropped then).
      (m) => m.state === "stopped" || (m.state === "running" && m.failures >= UNHEALTHY_AFTER),
    )
    .map((m) => m.id);
  const serving = members.filter((m) => !gone.includes(m.id) && !replace.includes(m.id));
  const trim = serving
    .slice(desired)
    .map((m) => m.id)
    .reverse();
  return { replace, trim, gone, launch: Math.max(0, desired - serving.length) };
}
