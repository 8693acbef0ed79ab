import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Manifest } from "@/lib/emulator/manifest";
import type { AgentClient } from "@/lib/guest-agent/client";
import { NodeVm } from "@/guest/node-vm";
import { agentFor, IMAGES_TIMEOUT_MS, loadImages } from "./setup";

const PROMPT = "root@live:~# ";

describe("live profile, cold boot", () => {
  let manifest: Manifest;
  let vm: NodeVm;
  let agent: AgentClient;

  beforeAll(async () => {
    manifest = await loadImages();
    vm = await NodeVm.boot(manifest, "live");
    agent = agentFor(vm);
  }, IMAGES_TIMEOUT_MS);

  afterAll(async () => {
    agent?.dispose();
    await vm?.destroy();
  });

  it("boots to a root shell on ttyS0 with the hostname in the prompt", async () => {
    await vm.waitForSerial(PROMPT, { timeoutMs: 90_000 });
    const out = await vm.run("echo answer=$((6*7)); hostname", PROMPT);
    expect(out).toContain("answer=42");
    expect(out).toMatch(/\nlive\r?\n/);
  }, 100_000);

  it("has the lessons' tools", async () => {
    const r = await agent.run(
      "for t in ps top free df ip ping dd fdisk mke2fs mount sha256sum vi; do command -v $t >/dev/null || echo missing $t; done",
    );
    expect(r).toMatchObject({ status: 0, output: "" });
  }, 30_000);

  it("answers agent checks with status and output, including failures", async () => {
    await agent.waitReady(30_000);
    const ok = await agent.run("hostname; echo to-stderr >&2");
    expect(ok.status).toBe(0);
    expect(ok.output).toBe("live\nto-stderr\n");
    const failing = await agent.run("ls /no/such/file");
    expect(failing.status).toBe(1);
    expect(failing.output).toContain("No such file");
    const binary = await agent.run("printf '\\000\\001\\377'; exit 7");
    expect(binary.status).toBe(7);
    expect([...binary.rawOutput]).toEqual([0, 1, 255]);
    const killed = await agent.run("sleep 30", { timeoutS: 1 });
    expect(killed.status).toBe(137);
  }, 30_000);

  it("leaves the learner's console alone while the agent works", async () => {
    const before = vm.serial[0]!.length;
    await agent.run("echo private");
    expect(vm.serial[0]!.slice(before)).not.toContain("private");
  }, 20_000);

  it("has the NIC and the disk, CD and filesystem drivers built into its kernel", async () => {
    const r = await agent.run(
      "ip -o link show eth0; cat /proc/filesystems; ls /lib/modules 2>/dev/null | wc -l; test -e /proc/modules || echo no-modules",
    );
    expect(r.status).toBe(0);
    expect(r.output).toMatch(/eth0: <BROADCAST,MULTICAST/);
    // ext4 (with jbd2) is the installed systems' root; its driver also serves ext2 and ext3 mounts.
    for (const fs of ["ext4", "ext3", "ext2", "iso9660", "tmpfs", "devtmpfs"])
      expect(r.output).toMatch(new RegExp(`\\s${fs}\\n`));
    expect(r.output).toMatch(/\n0\nno-modules\n$/);
  }, 30_000);

  it("panics visibly on sysrq c and stays down (panic=0)", async () => {
    const from = vm.serial[0]!.length;
    vm.sendLine("echo c > /proc/sysrq-trigger");
    await vm.waitForSerial("Kernel panic - not syncing: sysrq triggered crash", {
      from,
      timeoutMs: 20_000,
    });
    const after = vm.serial[0]!.length;
    await new Promise((r) => setTimeout(r, 3000));
    vm.sendLine("echo still-alive");
    await new Promise((r) => setTimeout(r, 1000));
    expect(vm.serial[0]!.slice(after)).not.toMatch(/still-alive\r?\n|Linux version|root@live/);
  }, 40_000);
});
