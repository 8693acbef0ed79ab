import { nameProblem, sizeProblem, SHARED_FILE_MAX_BYTES, mib } from "./shared-folder-rules";

/**
 * The host's side of a VM's shared folder, in its worker: v86's in-memory 9p filesystem, whose
 * root is the guest's /root/shared. Only that filesystem is reachable from here, so nothing
 * outside the folder can be read; names and sizes are checked again (the page checked first).
 */

interface Inode {
  mode: number;
  size: number;
  mtime: number;
  /** A folder's entries (name to inode id), "." and ".." among them. */
  direntries: Map<string, number>;
}
/** The parts of v86's FS (lib/filesystem.js) this uses; v86 does not type them. */
export interface NinePFs {
  SearchPath(path: string): { id: number; parentid: number };
  GetInode(id: number): Inode;
  CreateBinaryFile(name: string, parentId: number, data: Uint8Array): Promise<number>;
  set_data(id: number, data: Uint8Array): Promise<void>;
  read_file(path: string): Promise<Uint8Array | null>;
  read_dir(path: string): string[] | undefined;
}

export interface SharedEntry {
  name: string;
  bytes: number;
  kind: "file" | "folder" | "other";
}

const S_IFMT = 0xf000;
const S_IFREG = 0x8000;
const S_IFDIR = 0x4000;

function kindOf(inode: Inode): SharedEntry["kind"] {
  const type = inode.mode & S_IFMT;
  return type === S_IFREG ? "file" : type === S_IFDIR ? "folder" : "other";
}

/** Puts `data` in the folder as `name`, replacing a file of that name. */
export async function putSharedFile(fs: NinePFs, name: string, data: Uint8Array): Promise<void> {
  const bad = nameProblem(name);
  if (bad) throw new Error(`"${name}" ${bad}`);
  const found = fs.SearchPath(`/${name}`);
  const existing = found.id === -1 ? undefined : fs.GetInode(found.id);
  if (existing && kindOf(existing) !== "file")
    throw new Error(`${name} is a ${kindOf(existing)} in the shared folder, not a file`);
  const tooBig = sizeProblem(data.byteLength, {
    usedBytes: usedBytes(fs),
    replacedBytes: existing?.size,
  });
  if (tooBig) throw new Error(`${name} ${tooBig}`);
  if (!existing) {
    await fs.CreateBinaryFile(name, 0, data);
    return;
  }
  await fs.set_data(found.id, data.slice());
  existing.size = data.byteLength;
  existing.mtime = Math.round(Date.now() / 1000);
}

/** The bytes of the file at `parts` (a path inside the folder, already split). */
export async function getSharedFile(fs: NinePFs, parts: string[]): Promise<Uint8Array> {
  const shown = parts.join("/");
  for (const part of parts) {
    const bad = nameProblem(part);
    if (bad) throw new Error(`"${shown}" has a part that ${bad}`);
  }
  const path = `/${shown}`;
  const found = fs.SearchPath(path);
  if (found.id === -1) throw new Error(`there is no ${shown} in the shared folder`);
  const inode = fs.GetInode(found.id);
  const kind = kindOf(inode);
  if (kind !== "file") throw new Error(`${shown} is a ${kind}, not a file`);
  if (inode.size > SHARED_FILE_MAX_BYTES)
    throw new Error(
      `${shown} is ${mib(inode.size)}; downloads go up to ${mib(SHARED_FILE_MAX_BYTES)}`,
    );
  return (await fs.read_file(path)) ?? new Uint8Array(0);
}

/** What is at the top of the folder, sorted by name, and how many bytes the folder holds. */
export function listShared(fs: NinePFs): { entries: SharedEntry[]; usedBytes: number } {
  const entries = (fs.read_dir("/") ?? []).sort().map((name) => {
    const inode = fs.GetInode(fs.SearchPath(`/${name}`).id);
    return { name, bytes: inode.size, kind: kindOf(inode) };
  });
  return { entries, usedBytes: usedBytes(fs) };
}

/** Bytes of every file in the folder (v86's own count covers only files it loaded itself). */
function usedBytes(fs: NinePFs): number {
  let total = 0;
  const seen = new Set<number>();
  const walk = (id: number): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const inode = fs.GetInode(id);
    if (kindOf(inode) === "file") total += inode.size;
    if (kindOf(inode) !== "folder") return;
    for (const [name, child] of inode.direntries) if (name !== "." && name !== "..") walk(child);
  };
  walk(0);
  return total;
}
