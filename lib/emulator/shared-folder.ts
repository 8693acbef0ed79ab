import { validate, z } from "../zod";
import type { SharedEntry } from "./shared-folder-fs";
import {
  nameProblem,
  sharedPathParts,
  SHARED_FILE_MAX_BYTES,
  mib,
  SHARED_FOLDER,
} from "./shared-folder-rules";
import type { WorkerLink } from "./worker-link";

/**
 * A running VM's shared folder as the page uses it: the learner's files checked (name, size)
 * before they travel to the VM's worker, which puts them in the guest's /root/shared; files
 * read back by a path inside the folder. The worker checks again and keeps the folder's total.
 */

export type { SharedEntry } from "./shared-folder-fs";
export {
  SHARED_FOLDER,
  SHARED_FILE_MAX_BYTES,
  SHARED_FOLDER_MAX_BYTES,
} from "./shared-folder-rules";

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const fileNameSchema = z.string().superRefine((name, ctx) => {
  const problem = nameProblem(name);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const pathSchema = z.string().transform((input, ctx) => {
  const path = sharedPathParts(input);
  if (path.ok) return path.parts;
  ctx.addIssue({ code: "custom", message: path.problem });
  return z.NEVER;
});

/** A file the learner dropped or chose: its name and size may go into the folder. */
export function checkIncomingFile(file: { name: string; size: number }): Checked<string> {
  const name = validate(fileNameSchema, file.name);
  if (!name.ok)
    return { ok: false, error: `"${file.name}" ${name.issues[0]!.message}: rename it first` };
  if (file.size > SHARED_FILE_MAX_BYTES)
    return {
      ok: false,
      error: `${file.name} is ${mib(file.size)}; the shared folder takes files of up to ${mib(SHARED_FILE_MAX_BYTES)}`,
    };
  return { ok: true, value: name.value };
}

/** A path the learner typed to download: the parts of a path inside the folder. */
export function checkSharedPath(input: string): Checked<string[]> {
  const path = validate(pathSchema, input);
  if (path.ok) return { ok: true, value: path.value };
  const shown = input.trim() === "" ? "The path" : `"${input.trim()}"`;
  return {
    ok: false,
    error: `${shown} ${path.issues[0]!.message}: give a file in ${SHARED_FOLDER}`,
  };
}

export async function putSharedFile(
  link: WorkerLink,
  name: string,
  data: ArrayBuffer,
): Promise<void> {
  const reply = await link.request((id) => ({ type: "put-file", id, name, data }), [data]);
  if (reply.type !== "file-put") throw new Error(`unexpected answer ${reply.type}`);
}

export async function getSharedFile(link: WorkerLink, path: string[]): Promise<Uint8Array> {
  const reply = await link.request((id) => ({ type: "get-file", id, path }));
  if (reply.type !== "file-got") throw new Error(`unexpected answer ${reply.type}`);
  return new Uint8Array(reply.data);
}

export async function listSharedFiles(
  link: WorkerLink,
): Promise<{ entries: SharedEntry[]; usedBytes: number }> {
  const reply = await link.request((id) => ({ type: "list-files", id }));
  if (reply.type !== "files-listed") throw new Error(`unexpected answer ${reply.type}`);
  return { entries: reply.entries, usedBytes: reply.usedBytes };
}
