import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Manifest, ManifestProfile } from "../lib/emulator/manifest";
import {
  buildV86Options,
  type ImageSource,
  type NetDevice,
  type ProfileFileKey,
  type V86ConstructorOptions,
} from "../lib/emulator/v86-options";

/**
 * Boots v86 in Node for the image build (snapshots), the guest tests and the bench.
 * One NodeVm owns one emulator; always `await vm.destroy()`.
 */

const require = createRequire(import.meta.url);
const v86Dir = dirname(require.resolve("v86/package.json"));
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const IMAGES_DIR = join(PROJECT_ROOT, "public", "images");
export const WASM_PATH = join(v86Dir, "build", "v86.wasm");

export function v86Version(): string {
  return (JSON.parse(readFileSync(join(v86Dir, "package.json"), "utf8")) as { version: string })
    .version;
}

interface V86Instance {
  add_listener(event: string, fn: (arg: unknown) => void): void;
  remove_listener(event: string, fn: (arg: unknown) => void): void;
  serial0_send(text: string): void;
  serial_send_bytes(port: number, bytes: Uint8Array): void;
  save_state(): Promise<ArrayBuffer>;
  get_instruction_counter(): number;
  stop(): Promise<void>;
  destroy(): Promise<void>;
  wait_until_vga_screen_contains?(
    text: string | RegExp,
    options?: { timeout_msec?: number },
  ): Promise<boolean>;
}
type V86Ctor = new (options: V86ConstructorOptions) => V86Instance;

let ctorPromise: Promise<V86Ctor> | undefined;
function loadV86(): Promise<V86Ctor> {
  ctorPromise ??= import(join(v86Dir, "build", "libv86.mjs")).then((m: { V86: V86Ctor }) => m.V86);
  return ctorPromise;
}

export function readImage(name: string, dir = IMAGES_DIR): ImageSource {
  const bytes = readFileSync(join(dir, name));
  return { buffer: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) };
}

/** Loads every file a profile names from public/images/ (or `dir`) as buffers. */
export function profileFiles(
  profile: ManifestProfile,
  opts: { dir?: string; withState?: boolean } = {},
): Partial<Record<ProfileFileKey, ImageSource>> {
  const files: Partial<Record<ProfileFileKey, ImageSource>> = {};
  for (const key of ["bios", "vga_bios", "bzimage", "initrd", "cdrom", "hda", "fda"] as const) {
    const f = profile[key];
    if (f) files[key] = readImage(f, opts.dir);
  }
  if (opts.withState && profile.state) files.state = readImage(profile.state, opts.dir);
  return files;
}

export class NodeVm {
  readonly serial: string[] = ["", ""];
  private readonly waiters = new Set<() => void>();
  private readonly byteListeners: [((b: number) => void)[], ((b: number) => void)[]] = [[], []];
  private destroyed = false;

  private constructor(
    readonly emulator: V86Instance,
    readonly startedAt: number,
  ) {}

  static async start(options: V86ConstructorOptions): Promise<NodeVm> {
    const V86 = await loadV86();
    const startedAt = performance.now();
    const emulator = new V86(options);
    const vm = new NodeVm(emulator, startedAt);
    for (const port of [0, 1] as const) {
      emulator.add_listener(`serial${port}-output-byte`, (b) => vm.onByte(port, b as number));
    }
    await new Promise<void>((resolve) => emulator.add_listener("emulator-loaded", () => resolve()));
    return vm;
  }

  /** Boots a manifest profile with its files read from disk. */
  static async boot(
    manifest: Manifest,
    profileName: string,
    opts: {
      fromSnapshot?: boolean;
      memoryMb?: number;
      extraCmdline?: string;
      files?: Partial<Record<ProfileFileKey, ImageSource>>;
      dir?: string;
      netDevice?: NetDevice;
      mtu?: number;
    } = {},
  ): Promise<NodeVm> {
    const profile = manifest.profiles[profileName];
    if (!profile) throw new Error(`no profile ${profileName} in the manifest`);
    const files = {
      ...profileFiles(profile, { dir: opts.dir, withState: opts.fromSnapshot }),
      ...opts.files,
    };
    return NodeVm.start(
      buildV86Options({
        profile,
        files,
        wasmPath: WASM_PATH,
        memoryMb: opts.memoryMb,
        fromSnapshot: opts.fromSnapshot,
        extraCmdline: opts.extraCmdline,
        netDevice: opts.netDevice,
        mtu: opts.mtu,
      }),
    );
  }

  private onByte(port: 0 | 1, byte: number): void {
    this.serial[port] += String.fromCharCode(byte);
    for (const l of this.byteListeners[port]) l(byte);
    for (const w of [...this.waiters]) w();
  }

  onSerialByte(port: 0 | 1, listener: (byte: number) => void): () => void {
    this.byteListeners[port].push(listener);
    return () => {
      const list = this.byteListeners[port];
      list.splice(list.indexOf(listener), 1);
    };
  }

  /** Resolves with the serial text from `from` on once it matches `pattern`. */
  waitForSerial(
    pattern: string | RegExp,
    opts: { port?: 0 | 1; from?: number; timeoutMs?: number } = {},
  ): Promise<string> {
    const port = opts.port ?? 0;
    const from = opts.from ?? 0;
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const matches = (): boolean => {
      const text = this.serial[port]!.slice(from);
      return typeof pattern === "string" ? text.includes(pattern) : pattern.test(text);
    };
    return new Promise((resolve, reject) => {
      if (matches()) return resolve(this.serial[port]!.slice(from));
      const check = (): void => {
        if (!matches()) return;
        cleanup();
        resolve(this.serial[port]!.slice(from));
      };
      const timer = setTimeout(() => {
        cleanup();
        const tail = this.serial[port]!.slice(-600);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${String(pattern)} on serial ${port}; last output:\n${tail}`,
          ),
        );
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  sendLine(text: string): void {
    this.emulator.serial0_send(`${text}\n`);
  }

  /** Sends a line on serial 0 and resolves with what the guest printed up to `until`. */
  async run(command: string, until: string | RegExp, timeoutMs = 10_000): Promise<string> {
    const from = this.serial[0]!.length;
    this.sendLine(command);
    return this.waitForSerial(until, { from, timeoutMs });
  }

  sendBytes(port: 0 | 1, bytes: Uint8Array): void {
    this.emulator.serial_send_bytes(port, bytes);
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const w of this.waiters) this.waiters.delete(w);
    await this.emulator.destroy();
  }
}
