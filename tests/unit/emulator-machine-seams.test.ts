import { afterEach, describe, expect, it } from "vitest";
import type { StatsSample } from "@/lib/emulator/worker-protocol";
import { createMachine, fakeSite, settle, type FakeSite } from "./vm-fakes";

/** The parts a VmMachine is given (network card, disk source) and the one way a run ends. */

const MIB = 1024 * 1024;
const realFetch = globalThis.fetch;
let site: FakeSite | undefined;
afterEach(async () => {
  await site?.host.destroy();
  site = undefined;
  globalThis.fetch = realFetch;
});

const sample = (over: Partial<StatsSample> = {}): StatsSample => ({
  t: performance.now(),
  counter: 0,
  running: true,
  diskReadBytes: 0,
  diskWriteBytes: 0,
  netRxPackets: 7,
  netTxPackets: 9,
  ...over,
});

describe("VmMachine's network card", () => {
  it("is there from creation: a port and an address on the switch, none without a network", async () => {
    site = fakeSite();
    const switched = await createMachine(site, { name: "a", network: "switch" });
    const alone = await createMachine(site, { name: "b" });
    expect(switched.network.port).toBeDefined();
    expect(switched.network.address).toMatch(/^10\.0\.0\.\d+$/);
    expect(alone.network.port).toBeUndefined();
    expect(alone.network.address).toBeUndefined();
    expect(switched.network.mac).not.toBe(alone.network.mac);
    expect(site.host.switch.ports).toHaveLength(1);
  });

  it("counts packets from its switch port, and from the NIC without one", async () => {
    site = fakeSite();
    const switched = await createMachine(site, { name: "a", network: "switch" });
    const alone = await createMachine(site, { name: "b" });
    switched.network.port!.counters.rxPackets = 3;
    switched.network.port!.counters.txPackets = 4;
    for (const machine of [switched, alone]) await machine.start();
    const seen: [number, number][] = [];
    for (const machine of [switched, alone])
      machine.events.on("stats", (s) => seen.push([s.netRxPackets, s.netTxPackets]));
    site.workers[0]!.say({ type: "stats", sample: sample() });
    site.workers[1]!.say({ type: "stats", sample: sample() });
    expect(seen).toEqual([
      [3, 4],
      [7, 9],
    ]);
  });

  it("leaves the switch when its VM is deleted", async () => {
    site = fakeSite();
    const machine = await createMachine(site, { name: "a", network: "switch" });
    await site.host.delete(machine);
    expect(site.host.switch.ports).toHaveLength(0);
  });
});

describe("VmMachine.attachDiskSource", () => {
  it("gives a new worker the stored disk, and after the detach a blank one", async () => {
    site = fakeSite();
    const machine = await createMachine(site, { name: "a", disk: "blank" });
    const stored = new Uint8Array(MIB);
    stored[5] = 42;
    let loads = 0;
    const detach = machine.attachDiskSource({
      load: async () => {
        loads++;
        return stored.slice().buffer;
      },
    });
    expect(new Uint8Array((await machine.readDisk())!)[5]).toBe(42);
    await machine.start();
    const boot = site.workers[0]!.boots[0]!;
    expect(new Uint8Array(boot.diskImage!)[5]).toBe(42);
    expect(loads).toBe(2);
    detach();
    // The worker is gone (a failure): the next one starts blank.
    site.workers[0]!.say({ type: "error", message: "gone" });
    await machine.start();
    expect(site.workers[1]!.boots[0]!.diskImage).toBeUndefined();
    expect(loads).toBe(2);
  });
});

describe("VmMachine ending a run", () => {
  it("rejects what waits on the worker and terminates it when the worker fails", async () => {
    site = fakeSite();
    const machine = await createMachine(site, { name: "a", disk: "blank" });
    await machine.start();
    site.workers[0]!.say({ type: "ready", at: performance.now() });
    const reading = machine.readDisk();
    site.workers[0]!.say({ type: "error", message: "out of memory" });
    await expect(reading).rejects.toThrow("a stopped: out of memory");
    expect(site.workers[0]!.terminated).toBe(true);
    expect(machine.state).toBe("stopped");
  });

  it("keeps the worker on power-off and reset, but drops what waited", async () => {
    site = fakeSite();
    const machine = await createMachine(site, { name: "a", disk: "blank" });
    await machine.start();
    site.workers[0]!.say({ type: "ready", at: performance.now() });
    const reading = machine.readDisk();
    machine.reset();
    await expect(reading).rejects.toThrow("a was reset");
    await settle();
    const again = machine.readDisk();
    site.workers[0]!.say({ type: "stopped" });
    await expect(again).rejects.toThrow("a was powered off");
    expect(site.workers).toHaveLength(1);
    expect(site.workers[0]!.terminated).toBe(false);
  });
});
