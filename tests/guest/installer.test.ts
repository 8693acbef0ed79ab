import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Manifest } from "@/lib/emulator/manifest";
import { NodeVm } from "@/guest/node-vm";
import { agentFor, IMAGES_TIMEOUT_MS, loadImages } from "./setup";

describe("installer, then booting the installed disk", () => {
  let manifest: Manifest;
  let disk: ArrayBuffer;
  const vms: NodeVm[] = [];

  beforeAll(async () => {
    manifest = await loadImages();
  }, IMAGES_TIMEOUT_MS);

  afterEach(async () => {
    for (const vm of vms.splice(0)) await vm.destroy();
  });

  it("installs onto a blank disk when the console answers its questions", async () => {
    const profile = manifest.profiles.installer!;
    expect(profile.cdrom).toBeDefined();
    disk = new ArrayBuffer(profile.hda_blank_mb! * 1024 * 1024);
    const vm = await NodeVm.boot(manifest, "installer", { files: { hda: { buffer: disk } } });
    vms.push(vm);
    await vm.waitForSerial("Hostname for the new system [vlab]: ", { timeoutMs: 90_000 });
    await vm.run("my-vm", "Install now? [y/N]: ");
    const t0 = performance.now();
    const log = await vm.run("y", /Installation complete: [^\n]*\n|Installation failed/, 180_000);
    console.log(`installer: booted at ${(t0 - vm.startedAt).toFixed(0)} ms, installed in ${(performance.now() - t0).toFixed(0)} ms`);
    expect(log).toContain("Installation complete: 'my-vm' is on /dev/sda.");
    const bytes = new Uint8Array(disk);
    expect([bytes[510], bytes[511]]).toEqual([0x55, 0xaa]);
    expect(bytes[446]).toBe(0x80); // partition 1 is marked bootable
    const agent = agentFor(vm);
    try {
      await agent.waitReady(30_000);
      // The kernel's built-in drivers found the disk, the CD and the NIC.
      const r = await agent.run("for d in /dev/sda /dev/sda1 /dev/sr0; do test -b $d && echo $d; done; test -d /sys/class/net/eth0 && echo eth0");
      expect(r).toMatchObject({ status: 0, output: "/dev/sda\n/dev/sda1\n/dev/sr0\neth0\n" });
    } finally {
      agent.dispose();
    }
  }, 300_000);

  it("boots the installed disk through the BIOS with no kernel from the host", async () => {
    const profile = manifest.profiles.disk!;
    expect(profile.bzimage ?? profile.cdrom ?? profile.initrd).toBeUndefined();
    const vm = await NodeVm.boot(manifest, "disk", { files: { hda: { buffer: disk } } });
    vms.push(vm);
    await vm.waitForSerial("root@my-vm:~# ", { timeoutMs: 120_000 });
    console.log(`disk: booted to the shell in ${(performance.now() - vm.startedAt).toFixed(0)} ms`);
    const agent = agentFor(vm);
    try {
      await agent.waitReady(30_000);
      // No initramfs: the kernel mounted root= itself (it names that mount /dev/root).
      const r = await agent.run("grep ' / ' /proc/mounts; cat /etc/hostname; grep -c root=/dev/sda1 /proc/cmdline; test -e /init || echo no-initramfs");
      expect(r.status).toBe(0);
      expect(r.output).toMatch(/^\/dev\/root \/ ext2 rw/m);
      expect(r.output).toContain("my-vm\n1\nno-initramfs\n");
    } finally {
      agent.dispose();
    }
  }, 180_000);
});
