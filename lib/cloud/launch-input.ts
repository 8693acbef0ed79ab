import { SWITCH_PREFIX_LENGTH } from "../emulator/switch-addresses";
import { validate, z } from "../zod";
import { INSTANCE_TYPE_NAMES } from "./instance-types";

/**
 * The Launch instance form's input, checked: name, image, type, security group and user data. The
 * VM's own rules (a free name, the page's memory) are checked by the host when it is made.
 */

/** The page's network, where every instance gets its private address. */
export const PAGE_NETWORK_CIDR = `10.0.0.0/${SWITCH_PREFIX_LENGTH}`;

export const USER_DATA_MAX = 16 * 1024;

export interface LaunchInput {
  name: string;
  imageId: string;
  typeName: string;
  groupId: string;
  userData: string;
}

export type LaunchField = keyof LaunchInput;
export type LaunchErrors = Partial<Record<LaunchField | "capacity", string>>;

function launchSchema(imageIds: readonly string[], groupIds: readonly string[]) {
  return z.object({
    name: z.string().trim().min(1, "Give the instance a name."),
    imageId: z
      .string()
      .refine((id) => imageIds.includes(id), { error: "Choose an image to launch from." }),
    typeName: z.enum(INSTANCE_TYPE_NAMES, { error: "Choose an instance type." }),
    groupId: z
      .string()
      .refine((id) => groupIds.includes(id), { error: "Choose a security group." }),
    userData: z
      .string()
      .max(USER_DATA_MAX, `User data is at most ${USER_DATA_MAX / 1024} KiB.`)
      .refine((text) => !text.includes("\0"), { error: "User data is text: no NUL bytes." }),
  });
}

export function checkLaunch(
  input: unknown,
  imageIds: readonly string[],
  groupIds: readonly string[],
): { ok: true; value: LaunchInput } | { ok: false; errors: LaunchErrors } {
  const result = validate(launchSchema(imageIds, groupIds), input);
  if (result.ok) return result;
  const errors: LaunchErrors = {};
  for (const issue of result.issues) {
    const field = issue.path[0] as LaunchField | undefined;
    if (field) errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

/** An image's name as the Create image form takes it. */
const imageNameSchema = z
  .string()
  .trim()
  .min(1, "Give the image a name.")
  .max(40, "Use at most 40 characters.")
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]*$/, "Use letters, digits, space, dot, dash or underscore.");

export function imageNameError(name: unknown, taken: readonly string[]): string | undefined {
  const result = validate(imageNameSchema, name);
  if (!result.ok) return result.issues[0]!.message;
  if (taken.some((n) => n.toLowerCase() === result.value.toLowerCase()))
    return `An image named "${result.value}" already exists.`;
  return undefined;
}
