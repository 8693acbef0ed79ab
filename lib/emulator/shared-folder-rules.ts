/**
 * What may go in and out of a VM's shared folder (v86's virtio-9p filesystem, mounted in the
 * guest at /root/shared). Plain rules with no imports, so the VM's worker checks with the same
 * ones as the page (shared-folder.ts words them for the learner).
 */

export const SHARED_FOLDER = "/root/shared";
const MIB = 1024 * 1024;
/** One file, in either direction. */
export const SHARED_FILE_MAX_BYTES = 64 * MIB;
/** Everything in the folder together: it lives in the worker's memory and in every snapshot. */
export const SHARED_FOLDER_MAX_BYTES = 128 * MIB;
const NAME_MAX_BYTES = 255;

/** Why `name` cannot be one file or folder name in the shared folder, or undefined. */
export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return "is empty";
  if (name === "." || name === "..") return `cannot be "${name}"`;
  if (name.includes("/")) return "may not contain /";
  // Control characters (NUL, newlines) break the guest's shell and the 9p protocol's strings.
  if (/\p{Cc}/u.test(name)) return "may not contain control characters";
  if (new TextEncoder().encode(name).length > NAME_MAX_BYTES)
    return `is longer than ${NAME_MAX_BYTES} bytes`;
  return undefined;
}

export type SharedPath = { ok: true; parts: string[] } | { ok: false; problem: string };

/**
 * A path inside the shared folder, as the learner may write it: `notes.txt`, `out/log.txt`,
 * `/root/shared/out/log.txt` or `./notes.txt`. Nothing can name a place outside the folder.
 */
export function sharedPathParts(input: string): SharedPath {
  let path = input.trim();
  if (path === SHARED_FOLDER || path.startsWith(`${SHARED_FOLDER}/`))
    path = path.slice(SHARED_FOLDER.length);
  else if (path.startsWith("/")) return { ok: false, problem: `is outside ${SHARED_FOLDER}` };
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.length === 0) return { ok: false, problem: "names no file" };
  for (const part of parts) {
    const problem = nameProblem(part);
    if (problem) return { ok: false, problem: `has a part that ${problem}` };
  }
  return { ok: true, parts };
}

export function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(bytes < 10 * MIB ? 1 : 0)} MiB`;
}

/** Why a file of `bytes` cannot go in, given what the folder holds (a replaced file's bytes freed). */
export function sizeProblem(
  bytes: number,
  folder: { usedBytes: number; replacedBytes?: number },
): string | undefined {
  if (bytes > SHARED_FILE_MAX_BYTES)
    return `is ${mib(bytes)}; the shared folder takes files of up to ${mib(SHARED_FILE_MAX_BYTES)}`;
  const after = folder.usedBytes - (folder.replacedBytes ?? 0) + bytes;
  if (after > SHARED_FOLDER_MAX_BYTES)
    return `would fill the shared folder past ${mib(SHARED_FOLDER_MAX_BYTES)} (it holds ${mib(folder.usedBytes)}); delete files in ${SHARED_FOLDER} first`;
  return undefined;
}
