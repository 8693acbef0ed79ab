import type { VmSnapshot } from "../emulator/snapshots";

/**
 * Images ("AMIs") the console launches from: the course's live Linux profile, booted afresh, and
 * images the learner made of an instance (its snapshot: memory, processes and files, since the
 * live guest keeps its files in memory).
 */

export interface CloudImage {
  id: string;
  name: string;
  description: string;
  /** The guest profile a VM from it boots (the course's images are profiles). */
  profile: "live";
  /** The learner's image: the machine state new instances start from. */
  snapshot?: VmSnapshot;
  /** Memory the image's machine had: only a type with as much can start it. */
  memoryMb?: number;
  /** The instance it was made of (its id). */
  sourceInstanceId?: string;
  createdAt: number;
}

export const BASE_IMAGES: readonly CloudImage[] = [
  {
    id: "img-live-linux",
    name: "Live Linux (course image)",
    description:
      "Linux 6.1 built from Debian sources with a busybox userland (httpd, wget, nc), booted fresh",
    profile: "live",
    createdAt: 0,
  },
];

/** Why an image cannot start on a type with this memory, if it cannot. */
export function imageTypeError(image: CloudImage, memoryMb: number): string | undefined {
  if (image.memoryMb === undefined || image.memoryMb === memoryMb) return undefined;
  return `${image.name} holds a machine with ${image.memoryMb} MiB of memory: choose a type with ${image.memoryMb} MiB.`;
}
