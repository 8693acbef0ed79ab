import { afterEach, describe, expect, it } from "vitest";
import { validConfig } from "./valid-config";
import { createMachine, fakeSite, liveSnapshot, settle, type FakeSite } from "./vm-fakes";

const live = {
  name: "web1",
  memoryMb: "128",
  boot: "live",
  disk: "none",
  diskSizeMb: "",
  network: "none",
};

const realFetch = globalThis.fetch;
let site: FakeSite | undefined;
afterEach(async () => {
  await site?.host.destroy();
  site = undefined;
  globalThis.fetch = realFetch;
});

describe("VmMachine while its first start still downloads the images", () => {
  it("powers off at once, and the boot never reaches a worker", async () => {
    site = fakeSite({ holdImages: true });
    const machine = await createMachine(site, { name: "web1" });
    const started = machine.start();
    await settle();
    expect(machine.state).toBe("booting");
    machine.powerOff();
    expect(machine.state).toBe("stopped");
    site.releaseImages();
    await started;
    await settle();
    expect(machine.state).toBe("stopped");
    expect(site.workers.flatMap((w) => w.boots)).toEqual([]);
  });

  it("pauses at once, holds the boot until Resume, then boots", async () => {
    site = fakeSite({ holdImages: true });
    const machine = await createMachine(site, { name: "web1" });
    const started = machine.start();
    await settle();
    machine.pause();
    expect(machine.state).toBe("paused");
    site.releaseImages();
    await settle();
    expect(machine.state).toBe("paused");
    expect(site.workers.flatMap((w) => w.boots)).toEqual([]);
    machine.resume();
    expect(machine.state).toBe("booting");
    await started;
    expect(site.workers.flatMap((w) => w.boots)).toHaveLength(1);
  });

  it("powers off from a pause taken during the download", async () => {
    site = fakeSite({ holdImages: true });
    const machine = await createMachine(site, { name: "web1" });
    const started = machine.start();
    await settle();
    machine.pause();
    machine.powerOff();
    expect(machine.state).toBe("stopped");
    site.releaseImages();
    await started;
    expect(site.workers.flatMap((w) => w.boots)).toEqual([]);
    // Nothing is left over from the start that was powered off: the next one boots.
    await machine.start();
    expect(site.workers.flatMap((w) => w.boots)).toHaveLength(1);
  });
});

describe("VmHost.clone", () => {
  it("downloads no kernel or initrd: the clone starts from the snapshot's memory", async () => {
    site = fakeSite();
    const original = await createMachine(site, { name: "web1" });
    const made = await site.host.clone(liveSnapshot(original.name), original.config);
    expect(made.ok).toBe(true);
    await settle();
    const boots = site.workers.flatMap((w) => w.boots);
    expect(boots).toHaveLength(1);
    expect(boots[0]!.options.initial_state).toBeDefined();
    expect(boots[0]!.options.bzimage).toBeUndefined();
    expect(site.fetched).not.toContain("/images/vmlinuz");
    expect(site.fetched).not.toContain("/images/live-initrd.img");
    // Nor the profile's own boot snapshot: the learner's replaces it.
    expect(site.fetched).not.toContain("/images/live-state.bin.zst");
  });
});

describe("VmMachine when its worker fails", () => {
  it("ends its guest agent: a check waiting on it is refused at once", async () => {
    site = fakeSite();
    const machine = await createMachine(site, { name: "web1" });
    await machine.start({ cold: true });
    const worker = site.workers[0]!;
    worker.say({ type: "ready", at: 1 });
    expect(machine.state).toBe("running");
    const check = machine.runCheck("true");
    const outcome = Promise.race([
      check.then(
        () => "answered",
        (error: Error) => error.message,
      ),
      settle(500).then(() => "still waiting"),
    ]);
    worker.say({ type: "error", message: "the emulator broke" });
    expect(machine.state).toBe("stopped");
    expect(await outcome).toMatch(/disposed/);
  });
});

describe("VmHost.add and clone, with configs checked already", () => {
  it("a clone is its original's config under the next free name", async () => {
    site = fakeSite();
    const original = await createMachine(site, { name: "web1" });
    const first = await site.host.clone(liveSnapshot(original.name), original.config);
    const second = await site.host.clone(liveSnapshot(original.name), original.config);
    // ... on the network card the snapshot was taken with (liveSnapshot's: an NE2000).
    expect(first.ok && first.machine.config).toEqual({
      ...original.config,
      name: "web1-clone-1",
      nic: "ne2k",
    });
    expect(second.ok && second.machine.name).toBe("web1-clone-2");
  });

  it("refuses a checked config whose name this page has taken, or that exceeds its memory", async () => {
    site = fakeSite();
    const original = await createMachine(site, { name: "web1" });
    const again = await site.host.add(original.config);
    expect(again.ok || again.errors.name).toMatch(/already exists/);
    const big = site.host.validate({ ...live, name: "big", memoryMb: "512" });
    if (!big.ok) throw new Error("512 MB is a valid size");
    await site.host.add(validConfig({ ...big.config, name: "big1" }));
    const over = await site.host.add(validConfig({ ...big.config, name: "big2" }));
    expect(over.ok || over.budget).toMatch(/MB/);
    expect(site.host.machines.map((m) => m.name)).toEqual(["web1", "big1"]);
  });
});
