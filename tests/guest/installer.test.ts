import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Manifest } from "@/lib/emulator/manifest";
import { NodeVm } from "@/guest/node-vm";
import type { AgentClient } from "@/lib/guest-agent/client";
import { agentFor, IMAGES_TIMEOUT_MS, loadImages } from "./setup";

/** What /etc/rc prints once the root filesystem was checked (vlabs-fsck-root's last line). */
const FSCK_VERDICT = /fsck: \/dev\/sda1: ([^\r\n]*)\r?\n/;
const PROMPT = "root@my-vm:~# ";

/** A booted installed system with its agent. */
interface DiskGuest {
  vm: NodeVm;
  /** The disk the VM reads and writes (v86 works on this buffer in place). */
  disk: ArrayBuffer;
  agent: AgentClient;
  bootMs: number;
}

describe("installer, then booting the installed disk", () => {
  let manifest: Manifest;
  let disk: ArrayBuffer;
  /** Every VM and agent a test started; closed after all tests (later tests reuse booted guests). */
  const open: { vm: NodeVm; agent?: AgentClient }[] = [];
  let installed: DiskGuest | undefined;

  beforeAll(async () => {
    manifest = await loadImages();
  }, IMAGES_TIMEOUT_MS);

  afterAll(async () => {
    for (const { vm, agent } of open.splice(0)) {
      agent?.dispose();
      await vm.destroy();
    }
  });

  /** Boots the disk profile from `buffer` (the VM writes into it) and waits for the shell. */
  async function bootDisk(buffer: ArrayBuffer): Promise<DiskGuest> {
    const vm = await NodeVm.boot(manifest, "disk", { files: { hda: { buffer } } });
    const entry: { vm: NodeVm; agent?: AgentClient } = { vm };
    open.push(entry);
    await vm.waitForSerial(PROMPT, { timeoutMs: 120_000 });
    const bootMs = performance.now() - vm.startedAt;
    const agent = agentFor(vm);
    entry.agent = agent;
    await agent.waitReady(30_000);
    return { vm, disk: buffer, agent, bootMs };
  }

  async function close(guest: DiskGuest): Promise<void> {
    const i = open.findIndex((e) => e.vm === guest.vm);
    if (i >= 0) open.splice(i, 1);
    guest.agent.dispose();
    await guest.vm.destroy();
  }

  /** The fsck verdict of the boot, and the kernel's ext4 error lines (there must be none). */
  async function checkedBoot(guest: DiskGuest): Promise<{ verdict: string; ext4Errors: number }> {
    const verdict =
      FSCK_VERDICT.exec(guest.vm.serial[0]!)?.[1] ?? "(no fsck verdict on the console)";
    const r = await guest.agent.run("dmesg | grep -c 'EXT4-fs error'");
    return { verdict, ext4Errors: Number(r.output.trim()) };
  }

  it("installs onto a blank disk when the console answers its questions", async () => {
    const profile = manifest.profiles.installer!;
    expect(profile.cdrom).toBeDefined();
    disk = new ArrayBuffer(profile.hda_blank_mb! * 1024 * 1024);
    const vm = await NodeVm.boot(manifest, "installer", { files: { hda: { buffer: disk } } });
    const agent = agentFor(vm);
    open.push({ vm, agent });
    await vm.waitForSerial("Hostname for the new system [vlab]: ", { timeoutMs: 90_000 });
    await vm.run("my-vm", "Install now? [y/N]: ");
    const t0 = performance.now();
    const log = await vm.run("y", /Installation complete: [^\n]*\n|Installation failed/, 180_000);
    console.log(
      `installer: booted at ${(t0 - vm.startedAt).toFixed(0)} ms, installed in ${(performance.now() - t0).toFixed(0)} ms`,
    );
    expect(log).toContain("[2/5] Making an ext4 filesystem (with a journal) on /dev/sda1...");
    expect(log).toContain("Installation complete: 'my-vm' is on /dev/sda.");
    const bytes = new Uint8Array(disk);
    expect([bytes[510], bytes[511]]).toEqual([0x55, 0xaa]);
    expect(bytes[446]).toBe(0x80); // partition 1 is marked bootable
    await agent.waitReady(30_000);
    // The kernel's built-in drivers found the disk, the CD and the NIC.
    const r = await agent.run(
      "for d in /dev/sda /dev/sda1 /dev/sr0; do test -b $d && echo $d; done; test -d /sys/class/net/eth0 && echo eth0",
    );
    expect(r).toMatchObject({ status: 0, output: "/dev/sda\n/dev/sda1\n/dev/sr0\neth0\n" });
    // e2fsprogs made an ext4 with a journal (Debian's features), unmounted cleanly.
    const fs = await agent.run(
      "dumpe2fs -h /dev/sda1 2>/dev/null | grep -E '^(Filesystem features|Filesystem state|Journal size|Total journal size):'",
    );
    expect(fs.output).toMatch(/^Filesystem features: .*\bhas_journal\b.*\bextent\b/m);
    expect(fs.output).toMatch(/^Filesystem state: +clean$/m);
    open.splice(0);
    agent.dispose();
    await vm.destroy();
  }, 300_000);

  it("boots the installed disk through the BIOS, checks its ext4 root with e2fsck, mounts it read-write", async () => {
    const profile = manifest.profiles.disk!;
    expect(profile.bzimage ?? profile.cdrom ?? profile.initrd).toBeUndefined();
    installed = await bootDisk(disk);
    console.log(`disk: booted to the shell in ${installed.bootMs.toFixed(0)} ms`);
    const { vm, agent } = installed;
    // The boot entry mounts root read-only so that it can be checked; rc says what e2fsck found.
    expect(vm.serial[0]).toMatch(/^fsck: vlabs-root: clean, \d+\/\d+ files, \d+\/\d+ blocks/m);
    expect(await checkedBoot(installed)).toEqual({ verdict: "clean", ext4Errors: 0 });
    // No initramfs: the kernel mounted root= itself (it names that mount /dev/root).
    const r = await agent.run(
      "grep ' / ' /proc/mounts; cat /etc/hostname; cat /etc/fstab; grep -o 'root=[^ ]* ro rootfstype=ext4' /proc/cmdline; test -e /init || echo no-initramfs",
    );
    expect(r.status).toBe(0);
    expect(r.output).toMatch(/^\/dev\/root \/ ext4 rw[, ]/m);
    expect(r.output).toContain(
      "my-vm\n/dev/sda1 / ext4 rw 0 1\nroot=/dev/sda1 ro rootfstype=ext4\nno-initramfs\n",
    );
    // The tools came along with the system.
    const tools = await agent.run(
      "for t in mke2fs mkfs.ext4 e2fsck fsck.ext4 tune2fs dumpe2fs; do test -x /sbin/$t && echo $t; done",
    );
    expect(tools.output).toBe("mke2fs\nmkfs.ext4\ne2fsck\nfsck.ext4\ntune2fs\ndumpe2fs\n");
  }, 180_000);

  it("says clearly when e2fsck leaves errors or is missing, and leaves root alone", async () => {
    const { agent } = installed!;
    // A stand-in e2fsck that reports what e2fsck -p says about damage it may not repair alone.
    const r = await agent.run(
      [
        "mkdir -p /tmp/fake && printf '#!/bin/sh\\necho \"vlabs-root: UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY.\"\\nexit 4\\n' > /tmp/fake/e2fsck",
        "chmod +x /tmp/fake/e2fsck",
        "PATH=/tmp/fake:$PATH /sbin/vlabs-fsck-root /dev/sda1; echo status=$?",
        "mkdir -p /tmp/none && PATH=/tmp/none /sbin/vlabs-fsck-root /dev/sda1; echo status=$?",
      ].join("\n"),
    );
    expect(r.output).toContain("fsck: vlabs-root: UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY.\n");
    expect(r.output).toContain(
      "fsck: /dev/sda1: ERRORS LEFT UNCORRECTED (e2fsck exit status 4).\n",
    );
    expect(r.output).toContain(
      "The root filesystem stays read-only. To repair it, run: e2fsck -f /dev/sda1\n",
    );
    expect(r.output).toMatch(/status=1\n/);
    expect(r.output).toContain(
      "fsck: /dev/sda1: e2fsck is not available (status 127), root filesystem not checked\nstatus=0\n",
    );
  }, 60_000);

  it("survives power cuts while writing: journal replayed, clean, every synced file whole", async () => {
    let guest = installed!;
    installed = undefined;
    const rounds: { dir: string; synced: number; present?: number }[] = [];
    for (const waitMs of [1500, 4000]) {
      // Files f1, f2, ... of 48 KiB each; "synced N" is printed once `sync` returned after fN.
      const dir = `/root/cut${rounds.length + 1}`;
      const from = guest.vm.serial[0]!.length;
      guest.vm.sendLine(
        `mkdir -p ${dir}; i=0; while :; do i=$((i+1)); yes "${dir} $i" | head -c 49152 > ${dir}/f$i; sync; echo "synced $i"; done`,
      );
      await guest.vm.waitForSerial(/synced 3\r?\n/, { from, timeoutMs: 60_000 });
      await new Promise((r) => setTimeout(r, waitMs));
      // The power cut: the disk as it is at this instant, between two of the emulator's slices,
      // most likely in the middle of a write.
      const cut = guest.disk.slice(0);
      const synced = Math.max(
        ...[...guest.vm.serial[0]!.slice(from).matchAll(/synced (\d+)\r?\n/g)].map((m) =>
          Number(m[1]),
        ),
      );
      await close(guest);
      rounds.push({ dir, synced });

      guest = await bootDisk(cut);
      const { verdict, ext4Errors } = await checkedBoot(guest);
      const replays = (
        await guest.agent.run("dmesg | grep -c 'EXT4-fs (sda1): recovery complete'")
      ).output.trim();
      console.log(
        `power cut ${rounds.length}: ${synced} files synced before it; next boot to the shell ${guest.bootMs.toFixed(0)} ms, fsck: ${verdict}, journal replays: ${replays}`,
      );
      expect(verdict).toMatch(/^(journal recovered, )?clean$/);
      expect(ext4Errors).toBe(0);
      // Every file synced before any of the cuts is there and whole; a folder no longer written
      // to keeps what the boot after its cut found.
      for (const round of rounds) {
        const check = await guest.agent.run(
          [
            "bad=0",
            `for i in $(seq 1 ${round.synced}); do`,
            `  [ "$(md5sum < ${round.dir}/f$i)" = "$(yes "${round.dir} $i" | head -c 49152 | md5sum)" ] || bad=$((bad+1))`,
            "done",
            `echo "$bad $(ls ${round.dir} | wc -l)"`,
          ].join("\n"),
          { timeoutS: 60 },
        );
        const [bad, present] = check.output.trim().split(" ").map(Number);
        expect(bad, `${round.dir}: synced files missing or damaged`).toBe(0);
        expect(present).toBeGreaterThanOrEqual(round.synced);
        if (round.present !== undefined) expect(present).toBe(round.present);
        round.present = present;
      }
    }
    installed = guest;
  }, 300_000);

  it("repairs damage at the next boot, reboots once so the kernel sees the repair, then boots clean", async () => {
    const guest = installed!;
    installed = undefined;
    // Damage e2fsck -p repairs by itself (a missing /lost+found), and the kernel's record of an
    // error in the superblock (what ext4 does when it meets damage), which forces a full check.
    const r = await guest.agent.run(
      "rmdir /lost+found && echo 'test error' > /sys/fs/ext4/sda1/trigger_fs_error; sync; dmesg | grep -c 'EXT4-fs error'",
    );
    expect(r.output).toBe("1\n");
    const cut = guest.disk.slice(0);
    await close(guest);

    const next = await bootDisk(cut);
    const console0 = next.vm.serial[0]!;
    const verdicts = [...console0.matchAll(new RegExp(FSCK_VERDICT, "g"))].map((m) => m[1]);
    console.log(
      `after damage: fsck verdicts ${JSON.stringify(verdicts)}; to the shell (with the reboot) ${next.bootMs.toFixed(0)} ms`,
    );
    expect(console0).toContain(
      "fsck: vlabs-root contains a file system with errors, check forced.",
    );
    expect(console0).toContain("fsck: vlabs-root: /lost+found not found.  CREATED.");
    expect(verdicts).toHaveLength(2);
    expect(verdicts[0]).toMatch(
      /^(journal recovered, )?errors corrected; rebooting so that the kernel sees the repaired filesystem$/,
    );
    expect(verdicts[1]).toBe("clean");
    expect((await checkedBoot(next)).ext4Errors).toBe(0);
    const state = await next.agent.run(
      "grep ' / ' /proc/mounts; test -d /lost+found && echo lost+found; dumpe2fs -h /dev/sda1 2>/dev/null | grep '^Filesystem state:'",
    );
    expect(state.output).toMatch(
      /^\/dev\/root \/ ext4 rw[, ].*\nlost\+found\nFilesystem state: +clean\n$/s,
    );
  }, 180_000);
});
