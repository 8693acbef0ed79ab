import type { MachineConfig, ManifestProfile } from "./manifest";

/**
 * The one place that turns a guest profile into v86 constructor options. The snapshot builder
 * (Node) and the browser runtime both call it, so a snapshot is always restored with the
 * options it was taken with.
 */

/** A file as v86 takes it: a URL (browser) or bytes in memory (Node, or a disk made at run time). */
export type ImageSource = { url: string; size?: number; async?: boolean } | { buffer: ArrayBuffer };

export type ProfileFileKey =
  "bios" | "vga_bios" | "bzimage" | "initrd" | "cdrom" | "hda" | "fda" | "state";

export interface V86OptionsInput {
  profile: ManifestProfile;
  /** Sources for the profile's files; a missing one is left out of the options. */
  files: Partial<Record<ProfileFileKey, ImageSource>>;
  wasmPath: string;
  /** Memory in MiB; defaults to the profile's. A snapshot needs exactly its recorded value. */
  memoryMb?: number;
  /** Restore files.state instead of booting. */
  fromSnapshot?: boolean;
  /** Extra kernel command line words (cold boot of a bzimage profile only). */
  extraCmdline?: string;
  /** MAC of the snapshot kept (off by default: clones need distinct MACs). */
  preserveMac?: boolean;
  /** The page's keyboard goes to this VM; only the focused VM of a page should have it. */
  keyboard?: boolean;
  /** Boot order override (v86 BootOrder value), e.g. hard disk first after an install. */
  bootOrder?: number;
  /** The network card, when not the profile's own (a VM's choice on the create form). */
  netDevice?: NetDevice;
  /** The MTU a virtio-net card reports to the guest (its switch's); v86's default is 1500. */
  mtu?: number;
  /**
   * Whether the machine has the memory balloon, when not the profile's own: a restored state
   * needs the devices it was saved with (a learner's snapshot from before the balloon has none).
   */
  balloon?: boolean;
}

/** The network cards a VM may have: the emulated NE2000 or the paravirtual virtio-net. */
export type NetDevice = "ne2k" | "virtio";

/**
 * The largest MTU a virtio-net card reports. A guest reads the MTU once, when its driver probes
 * the card, and takes it as its largest (max_mtu): the virtio boot snapshot is made with this one
 * so that a restored guest can be set to any switch's MTU (the host does so through the agent).
 */
export const VIRTIO_MAX_MTU = 65520;

/** The options object, minus `screen`/`screen_container` that the browser adds. */
export interface V86ConstructorOptions {
  wasm_path: string;
  memory_size: number;
  vga_memory_size: number;
  /** False: load (and restore) but leave the CPU stopped until run() (a pre-warmed VM). */
  autostart: boolean;
  disable_speaker: true;
  disable_keyboard: boolean;
  disable_mouse: boolean;
  acpi: boolean;
  uart1: boolean;
  net_device: { type: NetDevice; mtu?: number };
  fastboot: true;
  boot_order?: number;
  bios?: ImageSource;
  vga_bios?: ImageSource;
  bzimage?: ImageSource;
  initrd?: ImageSource;
  cmdline?: string;
  cdrom?: ImageSource;
  hda?: ImageSource;
  fda?: ImageSource;
  initial_state?: ImageSource;
  preserve_mac_from_state_image?: boolean;
  /** An empty in-memory 9p filesystem on virtio: the guest's /root/shared. */
  filesystem?: Record<string, never>;
  /** A virtio memory balloon (lib/emulator/memory-balloon.ts drives it). */
  virtio_balloon?: boolean;
}

/** Text mode needs 256 KiB of VGA memory (v86's floor); less VGA memory is a smaller snapshot. */
export const DEFAULT_VGA_MEMORY_KB = 256;

/** The machine every profile runs on, apart from its memory size and network card. */
export function machineFor(memoryMb: number, netDevice: NetDevice = "ne2k"): MachineConfig {
  return {
    memory_mb: memoryMb,
    vga_memory_kb: DEFAULT_VGA_MEMORY_KB,
    uart1: true,
    net_device: netDevice,
    acpi: false,
    shared_folder: true,
    balloon: true,
  };
}

export function buildV86Options(input: V86OptionsInput): V86ConstructorOptions {
  const { profile, files } = input;
  const machine: MachineConfig = {
    ...profile.machine,
    memory_mb: input.memoryMb ?? profile.machine.memory_mb,
    net_device: input.netDevice ?? profile.machine.net_device,
    balloon: input.balloon ?? profile.machine.balloon,
  };
  const virtio = machine.net_device === "virtio";
  const options: V86ConstructorOptions = {
    wasm_path: input.wasmPath,
    memory_size: machine.memory_mb * 1024 * 1024,
    vga_memory_size: machine.vga_memory_kb * 1024,
    autostart: true,
    disable_speaker: true,
    disable_keyboard: !(input.keyboard ?? false),
    disable_mouse: !(input.keyboard ?? false),
    acpi: machine.acpi,
    uart1: machine.uart1,
    net_device: virtio ? { type: "virtio", mtu: input.mtu ?? 1500 } : { type: "ne2k" },
    fastboot: true,
  };
  if (machine.shared_folder) options.filesystem = {};
  if (machine.balloon) options.virtio_balloon = true;
  const bootOrder = input.bootOrder ?? profile.boot_order;
  if (bootOrder !== undefined) options.boot_order = bootOrder;
  if (files.bios) options.bios = files.bios;
  if (files.vga_bios) options.vga_bios = files.vga_bios;
  if (input.fromSnapshot) {
    if (!files.state) throw new Error("fromSnapshot needs files.state");
    options.initial_state = files.state;
    options.preserve_mac_from_state_image = input.preserveMac ?? false;
  } else {
    if (files.bzimage) options.bzimage = files.bzimage;
    if (files.initrd) options.initrd = files.initrd;
    if (files.bzimage && profile.cmdline !== undefined) {
      options.cmdline = [profile.cmdline, input.extraCmdline].filter(Boolean).join(" ");
    }
    if (files.fda) options.fda = files.fda;
  }
  // Drives are part of the machine: a restored snapshot keeps talking to the disks it had.
  if (files.cdrom) options.cdrom = files.cdrom;
  if (files.hda) options.hda = files.hda;
  return options;
}

/** The machine a set of options describes, for comparing against a snapshot's record. */
export function machineOf(options: V86ConstructorOptions): MachineConfig {
  return {
    memory_mb: options.memory_size / (1024 * 1024),
    vga_memory_kb: options.vga_memory_size / 1024,
    uart1: options.uart1,
    net_device: options.net_device.type,
    acpi: options.acpi,
    shared_folder: options.filesystem !== undefined,
    balloon: options.virtio_balloon ?? false,
  };
}
