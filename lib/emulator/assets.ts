import { parseManifest, type Manifest, type ManifestProfile } from "./manifest";
import type { ProfileFileKey } from "./v86-options";

/**
 * Downloads what a VM needs (emulator code, wasm, guest images) once per page, with byte
 * progress, and shares the results between VMs.
 */

export interface DownloadProgress {
  loadedBytes: number;
  totalBytes: number;
  /** What is downloading now, for the progress label. */
  label: string;
}

export interface SiteUrls {
  /** Prefixes a site path with the base path (static export under a sub-path). */
  url(path: string): string;
}

type ProgressListener = (p: DownloadProgress) => void;

export class AssetStore {
  private manifestPromise: Promise<Manifest> | undefined;
  private wasmPromise: Promise<WebAssembly.Module> | undefined;
  private libPromise: Promise<void> | undefined;
  private readonly files = new Map<string, Promise<ArrayBuffer>>();
  private readonly progress = new Map<string, { loaded: number; total: number }>();
  private readonly listeners = new Set<ProgressListener>();
  private readonly controller = new AbortController();

  constructor(private readonly site: SiteUrls) {}

  get libUrl(): string {
    return this.site.url("/v86/libv86.mjs");
  }
  get wasmUrl(): string {
    return this.site.url("/v86/v86.wasm");
  }

  onProgress(listener: ProgressListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  manifest(): Promise<Manifest> {
    this.manifestPromise ??= (async () => {
      const res = await fetch(this.site.url("/images/manifest.json"), {
        signal: this.controller.signal,
      });
      if (!res.ok)
        throw new Error(
          `the guest image list could not be loaded (HTTP ${res.status}); run npm run images`,
        );
      let data: unknown;
      try {
        data = await res.json();
      } catch {
        throw new Error("the guest image list is damaged (not JSON); run npm run images");
      }
      const parsed = parseManifest(data);
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.manifest;
    })();
    // A failed load is tried again next time (a VM started after the network came back).
    this.manifestPromise.catch(() => (this.manifestPromise = undefined));
    return this.manifestPromise;
  }

  /** The emulator's code, fetched here only to show its progress; the worker imports it from cache. */
  emulatorCode(): Promise<void> {
    this.libPromise ??= this.download(this.libUrl, "emulator").then(() => undefined);
    return this.libPromise;
  }

  wasm(): Promise<WebAssembly.Module> {
    this.wasmPromise ??= this.download(this.wasmUrl, "emulator").then((bytes) =>
      WebAssembly.compile(bytes).catch((error: unknown) => {
        throw new Error(`the emulator (v86.wasm) is damaged: ${(error as Error).message}`);
      }),
    );
    // Damaged bytes are not kept: the next start downloads them again.
    this.wasmPromise.catch(() => {
      this.wasmPromise = undefined;
      this.files.delete(this.wasmUrl);
    });
    return this.wasmPromise;
  }

  /** A guest image from public/images/, size from the manifest for the progress bar. */
  image(manifest: Manifest, file: string): Promise<ArrayBuffer> {
    return this.download(this.site.url(`/images/${file}`), file, manifest.files[file]?.bytes);
  }

  /**
   * The profile's files a start needs: a cold boot its kernel, initrd and floppy; a start from
   * the profile's boot snapshot that snapshot; a start from a learner's snapshot (a clone, a
   * restore) neither, since the snapshot holds the guest's memory. Drives are part of every one.
   */
  async profileFiles(
    manifest: Manifest,
    profile: ManifestProfile,
    from: "cold" | "boot-snapshot" | "learner-snapshot",
    /** The boot snapshot's file, when not the profile's `state` (another network card's). */
    stateFile?: string,
  ): Promise<Partial<Record<ProfileFileKey, ArrayBuffer>>> {
    const keys: ProfileFileKey[] =
      from === "cold"
        ? ["bios", "vga_bios", "bzimage", "initrd", "cdrom", "hda", "fda"]
        : from === "boot-snapshot"
          ? ["bios", "vga_bios", "state", "cdrom", "hda"]
          : ["bios", "vga_bios", "cdrom", "hda"];
    const entries = await Promise.all(
      keys.map(async (key) => {
        const file = key === "state" ? (stateFile ?? profile.state) : profile[key];
        return file ? ([key, await this.image(manifest, file)] as const) : undefined;
      }),
    );
    return Object.fromEntries(entries.filter((e) => e !== undefined));
  }

  private download(url: string, label: string, expectedBytes?: number): Promise<ArrayBuffer> {
    let promise = this.files.get(url);
    if (promise) return promise;
    promise = (async () => {
      const res = await fetch(url, { signal: this.controller.signal });
      if (!res.ok || !res.body) throw new Error(`could not download ${label} (HTTP ${res.status})`);
      const total = expectedBytes ?? Number(res.headers.get("content-length") ?? 0);
      const entry = { loaded: 0, total };
      this.progress.set(url, entry);
      const chunks: Uint8Array[] = [];
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        entry.loaded += value.byteLength;
        this.report(label);
      }
      entry.total = Math.max(entry.total, entry.loaded);
      this.report(label);
      const out = new Uint8Array(entry.loaded);
      let offset = 0;
      for (const c of chunks) {
        out.set(c, offset);
        offset += c.byteLength;
      }
      return out.buffer;
    })();
    promise.catch(() => this.files.delete(url));
    this.files.set(url, promise);
    return promise;
  }

  private report(label: string): void {
    let loadedBytes = 0;
    let totalBytes = 0;
    for (const p of this.progress.values()) {
      loadedBytes += p.loaded;
      totalBytes += p.total;
    }
    for (const l of this.listeners) l({ loadedBytes, totalBytes, label });
  }

  destroy(): void {
    this.controller.abort();
    this.listeners.clear();
    this.files.clear();
  }
}
