import { buildImages, imagesUpToDate, readManifest } from "./lib/pipeline";
import type { Manifest } from "../lib/emulator/manifest";

export { buildImages, imagesUpToDate, readManifest };

/** The manifest of up-to-date images, building them first when they are missing or stale. */
export async function ensureImages(log?: (msg: string) => void): Promise<Manifest> {
  if (!imagesUpToDate()) await buildImages({ log });
  const manifest = readManifest();
  if (!manifest)
    throw new Error("public/images/manifest.json is missing or invalid after `npm run images`");
  return manifest;
}
