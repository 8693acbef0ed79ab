import { afterEach, describe, expect, it } from "vitest";
import { Emitter } from "@/lib/emulator/emitter";
import { validateVmConfig, type VmConfigInput } from "@/lib/emulator/vm-config";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import { exportDisk } from "@/lib/storage/disk-export";
import { exportSnapshot } from "@/lib/storage/snapshot-export";
import { readVmFile } from "@/lib/storage/vm-file";
import { importVmFile } from "@/lib/storage/vm-import";
import { fakeSite, liveSnapshot, manifest } from "./vm-fakes";

/** Files handed to the browser's downloads, kept by the test instead. */
function downloads() {
  const saved: { blob: Blob; fileName: string }[] = [];
  return { saved, save: (blob: Blob, fileName: string) => void saved.push({ blob, fileName }) };
}

function named(blob: Blob, name: string): Blob & { name: string } {
  return Object.assign(blob, { name });
}

const MIB = 1024 * 1024;
const expect86 = { v86Version: manifest.v86_version };

function config(input: Partial<VmConfigInput> = {}) {
  const checked = validateVmConfig(
    {
      name: "web1",
      memoryMb: "128",
      boot: "live",
      disk: "blank",
      diskSizeMb: "1",
      network: "none",
      ...input,
    },
    [],
  );
  if (!checked.ok) throw new Error("test config refused");
  return checked.config;
}

/** A VM that pauses when told (the page hears "paused" a moment later) and holds a disk. */
function diskMachine(disk: ArrayBuffer | Error, state: VmMachine["state"] = "running") {
  const events = new Emitter<{ state: VmMachine["state"] }>();
  const calls: string[] = [];
  const machine = {
    name: "web1",
    state,
    events,
    pause() {
      calls.push("pause");
      setTimeout(() => {
        machine.state = "paused";
        events.emit("state", "paused");
      }, 5);
    },
    resume() {
      calls.push("resume");
      machine.state = "running";
    },
    async readDisk() {
      calls.push(`read while ${machine.state}`);
      if (disk instanceof Error) throw disk;
      return disk;
    },
  };
  return { machine: machine as unknown as VmMachine, calls };
}

describe("exportDisk", () => {
  it("pauses a running VM for the copy, resumes it, and saves a file that reads back", async () => {
    const disk = new Uint8Array(MIB).fill(7).buffer;
    const { machine, calls } = diskMachine(disk);
    const { saved, save } = downloads();
    const progress: string[] = [];
    const done = await exportDisk(machine, { save, onProgress: (t) => progress.push(t) });
    expect(calls).toEqual(["pause", "read while paused", "resume"]);
    expect(progress).toEqual(["Copying web1's disk…", "Compressing 1.0 MB…"]);
    expect(done).toMatchObject({ ok: true, fileName: "web1.vlabs-disk", diskBytes: MIB });
    expect(saved.map((f) => f.fileName)).toEqual(["web1.vlabs-disk"]);
    if (!done.ok) return;
    expect(done.fileBytes).toBe(saved[0]!.blob.size);
    expect(done.text).toMatch(/^Exported web1\.vlabs-disk: 1\.0 MB disk, .* file, in \d+ ms\.$/);
    const read = await readVmFile(saved[0]!.blob, expect86);
    expect(read.ok && read.file.kind === "disk" && new Uint8Array(read.file.disk)[0]).toBe(7);
  });

  it("leaves a stopped VM alone, and says why when the copy fails (resuming once)", async () => {
    const stopped = diskMachine(new ArrayBuffer(512), "stopped");
    expect((await exportDisk(stopped.machine, downloads())).ok).toBe(true);
    expect(stopped.calls).toEqual(["read while stopped"]);

    const failing = diskMachine(new Error("the worker is gone"));
    const { saved, save } = downloads();
    const done = await exportDisk(failing.machine, { save });
    expect(done).toEqual({ ok: false, text: "The disk was not exported: the worker is gone" });
    expect(failing.calls.filter((c) => c === "resume")).toHaveLength(1);
    expect(saved).toHaveLength(0);
  });
});

describe("exportSnapshot", () => {
  it("writes <vm>-<snap>.vlabs-snapshot with the VM's disk size and network", async () => {
    const { saved, save } = downloads();
    const machine = { name: "web1", config: config({ network: "switch" }) };
    const done = await exportSnapshot(machine, liveSnapshot("web1"), save);
    expect(done.fileName).toBe("web1-snap-1.vlabs-snapshot");
    expect(done.text).toBe(`Exported web1-snap-1.vlabs-snapshot (${done.fileBytes} B).`);
    const read = await readVmFile(saved[0]!.blob, expect86);
    expect(read.ok && read.file.kind === "snapshot" && read.file.metadata.vm).toEqual({
      diskMb: 1,
      network: "switch",
    });
  });
});

describe("importVmFile", () => {
  const originalFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = originalFetch;
  });

  async function snapshotFile(diskMb: number) {
    const { saved, save } = downloads();
    await exportSnapshot(
      {
        name: "web1",
        config: config({ diskSizeMb: String(diskMb || 1), disk: diskMb ? "blank" : "none" }),
      },
      liveSnapshot("web1"),
      save,
    );
    return named(saved[0]!.blob, saved[0]!.fileName);
  }

  it("makes a VM that boots from an imported disk, named after the file", async () => {
    const { host } = fakeSite();
    const { saved, save } = downloads();
    await exportDisk(diskMachine(new ArrayBuffer(MIB), "stopped").machine, { save });
    const done = await importVmFile(host, named(saved[0]!.blob, "my disk.vlabs-disk"));
    expect(done.ok).toBe(true);
    expect(done.text).toMatch(/^Created .* with the 1\.0 MB disk from the file; Start boots it/);
    expect(host.machines).toHaveLength(1);
    expect(host.machines[0]!.config).toMatchObject({ boot: "disk", memoryMb: 128 });
  });

  it("refuses a file that is not ours, with the file's name, and makes nothing", async () => {
    const { host } = fakeSite();
    const done = await importVmFile(host, named(new Blob(["hello"]), "notes.txt"));
    expect(done.ok).toBe(false);
    expect(done.text).toMatch(/^notes\.txt: /);
    expect(host.machines).toHaveLength(0);
  });

  it("adds a snapshot to a chosen VM that can restore it, and refuses one of another disk size", async () => {
    const { host } = fakeSite();
    const made = await host.create({
      name: "web2",
      memoryMb: "128",
      boot: "live",
      disk: "none",
      diskSizeMb: "",
      network: "none",
      // The snapshot was taken on an NE2000 card: it restores on no other.
      nic: "ne2k",
    });
    if (!made.ok) throw new Error("not created");
    const added = await importVmFile(host, await snapshotFile(0), made.machine);
    expect(added).toMatchObject({ ok: true, text: "Added snap-1 to web2's snapshots." });
    expect(made.machine.snapshots.all.map((s) => s.name)).toEqual(["snap-1"]);

    const again = await importVmFile(host, await snapshotFile(0), made.machine);
    expect(again.text).toBe("Added snap-2 to web2's snapshots.");

    const refused = await importVmFile(host, await snapshotFile(4), made.machine);
    expect(refused.ok).toBe(false);
    expect(refused.text).toContain("It cannot go to web2: the snapshot holds a 4 MB disk");
    expect(host.machines).toHaveLength(1);
  });

  it("starts a new VM from a snapshot when no VM is chosen", async () => {
    const { host, workers } = fakeSite();
    const done = await importVmFile(host, await snapshotFile(0));
    expect(done.text).toMatch(/^Started .* from web1's snapshot snap-1\.$/);
    expect(host.machines).toHaveLength(1);
    expect(host.machines[0]!.snapshots.all).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(workers.length).toBe(1);
  });
});
