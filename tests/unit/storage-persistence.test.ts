import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { afterEach, describe, expect, it } from "vitest";
import { Emitter } from "@/lib/emulator/emitter";
import { SnapshotList, type VmSnapshot } from "@/lib/emulator/snapshots";
import type { VmConfig, VmConfigInput } from "@/lib/emulator/vm-config";
import type { CreateOptions, HostEvents, VmHost } from "@/lib/emulator/vm-host";
import type { VmEvents, VmMachine, VmState, VmStats } from "@/lib/emulator/vm-machine";
import { MachinePersistence } from "@/lib/storage/machine-persistence";
import { MachineStore } from "@/lib/storage/machine-store";

const MIB = 1024 * 1024;

/** Just what MachinePersistence uses of a VmMachine: events, snapshots and the disk. */
class FakeMachine {
  readonly events = new Emitter<VmEvents>();
  readonly snapshots = new SnapshotList();
  loadDisk: (() => Promise<ArrayBuffer | undefined>) | undefined;
  network: { mac: string; address?: string } = { mac: "02:76:6c:00:00:01" };
  disk: Uint8Array;
  reads = 0;
  constructor(
    readonly id: string,
    readonly config: VmConfig,
  ) {
    this.disk = new Uint8Array(config.disk.kind === "blank" ? config.disk.sizeMb * MIB : 0);
  }
  get name() {
    return this.config.name;
  }
  async readDisk(): Promise<ArrayBuffer | undefined> {
    this.reads++;
    return this.disk.byteLength ? this.disk.slice().buffer : undefined;
  }
  write(at: number, value: number, totalWrites: number): void {
    this.disk[at] = value;
    this.events.emit("stats", { diskWriteBytes: totalWrites } as VmStats);
  }
  setState(state: VmState): void {
    this.events.emit("state", state);
  }
}

class FakeHost {
  readonly events = new Emitter<HostEvents>();
  machines: FakeMachine[] = [];
  private n = 1;
  /** Like a host whose VMs already hold every wanted address: it gives each one a new one. */
  constructor(private readonly addressesTaken = false) {}
  async manifest() {
    return { v86_version: "0.5.462" };
  }
  async create(input: VmConfigInput, options: CreateOptions = {}) {
    const config: VmConfig = {
      name: input.name,
      memoryMb: Number(input.memoryMb),
      boot: input.boot as VmConfig["boot"],
      disk:
        input.disk === "blank"
          ? { kind: "blank", sizeMb: Number(input.diskSizeMb) }
          : { kind: "none" },
      network: input.network as VmConfig["network"],
    };
    const machine = new FakeMachine(options.id ?? `vm${this.n++}`, config);
    if (options.mac) machine.network.mac = options.mac;
    if (config.network === "switch")
      machine.network.address =
        !this.addressesTaken && options.address ? options.address : `10.0.0.${40 + this.n}`;
    this.machines = [...this.machines, machine];
    this.events.emit("machines", this.machines as unknown as VmMachine[]);
    return { ok: true as const, machine };
  }
  delete(machine: FakeMachine): void {
    this.machines = this.machines.filter((m) => m !== machine);
    this.events.emit("machines", this.machines as unknown as VmMachine[]);
  }
}

const input = (name: string): VmConfigInput => ({
  name,
  memoryMb: "128",
  boot: "installer",
  disk: "blank",
  diskSizeMb: "2",
  network: "none",
});

function snapshotNamed(id: string, vmName: string): VmSnapshot {
  return {
    id,
    name: id === "s1" ? "snap-1" : id,
    vmName,
    profile: "live",
    createdAt: 1,
    rawBytes: 10,
    format: "gzip",
    data: new Uint8Array([1, 2, 3]).buffer,
    v86Version: "0.5.462",
    machine: { memory_mb: 128, vga_memory_kb: 2048, uart1: true, net_device: "ne2k", acpi: false },
    prompt: ":~# ",
    takeMs: 1,
  };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

let factory = new IDBFactory();
const cleanup: (() => void)[] = [];
afterEach(() => {
  cleanup.splice(0).forEach((f) => f());
  factory = new IDBFactory();
});

async function start(host: FakeHost) {
  const store = await MachineStore.open(factory, "persist-test");
  const persistence = new MachinePersistence(host as unknown as VmHost, store, { quietMs: 80 });
  const saves: number[] = [];
  persistence.events.on("saved", (s) => saves.push(s.generation));
  cleanup.push(() => {
    persistence.dispose();
    store.close();
  });
  const restored = await persistence.restore();
  return { store, persistence, saves, restored };
}

async function settle(persistence: MachinePersistence): Promise<void> {
  await wait(150);
  await persistence.flush();
}

describe("machine persistence", () => {
  it("saves once after writes go quiet, and again when the VM stops", async () => {
    const host = new FakeHost();
    const { persistence, saves, store } = await start(host);
    const { machine } = await host.create(input("web1"));
    await settle(persistence);
    expect(saves).toEqual([1]); // the blank disk, once at creation
    machine.reads = 0;
    // A burst of writes: nothing is read until it goes quiet, then one save.
    for (let i = 1; i <= 5; i++) machine.write(MIB + i, i, i * 512);
    expect(machine.reads).toBe(0);
    expect(persistence.diskStatus(machine.id)).toBe("pending");
    await settle(persistence);
    expect(machine.reads).toBe(1);
    expect(saves).toEqual([1, 2]);
    expect(persistence.diskStatus(machine.id)).toBe("saved");
    machine.disk[3] = 9;
    machine.setState("stopped");
    await settle(persistence);
    expect(saves).toEqual([1, 2, 3]);
    const disk = new Uint8Array((await store.loadDisk(machine.id))!);
    expect([disk[3], disk[MIB + 5]]).toEqual([9, 5]);
  });

  it("brings VMs back with their id, MAC, snapshots and stored disk", async () => {
    const first = new FakeHost();
    const a = await start(first);
    const { machine } = await first.create(input("web1"));
    machine.network.mac = "02:76:6c:aa:bb:cc";
    await wait(10);
    machine.write(7, 42, 512);
    const snapshot = snapshotNamed("s1", "web1");
    machine.snapshots.add(snapshot);
    await settle(a.persistence);

    const second = new FakeHost();
    const b = await start(second);
    expect(b.restored.restored).toBe(1);
    const back = second.machines[0]!;
    expect([back.id, back.name]).toEqual([machine.id, "web1"]);
    expect(back.snapshots.all.map((s) => s.id)).toEqual(["s1"]);
    const disk = new Uint8Array((await back.loadDisk!())!);
    expect(disk[7]).toBe(42);
    // Restoring stored nothing again.
    await settle(b.persistence);
    expect(b.saves).toEqual([]);
  });

  it("gives a VM on the switch its stored address back, and stores a new one the host had to give", async () => {
    const first = new FakeHost();
    const a = await start(first);
    await first.create({ ...input("net1"), network: "switch" });
    const given = first.machines[0]!.network.address;
    await settle(a.persistence);

    const second = new FakeHost();
    await settle((await start(second)).persistence);
    expect(second.machines[0]!.network.address).toBe(given);

    const crowded = new FakeHost(true);
    await settle((await start(crowded)).persistence);
    const moved = crowded.machines[0]!.network.address;
    expect(moved).not.toBe(given);
    const third = new FakeHost();
    await settle((await start(third)).persistence);
    expect(third.machines[0]!.network.address).toBe(moved);
  });

  it("deletes a VM's records when it leaves the page, and a late save does not bring them back", async () => {
    const host = new FakeHost();
    const { persistence, store } = await start(host);
    const { machine } = await host.create(input("gone"));
    await settle(persistence);
    machine.write(1, 1, 512);
    host.delete(machine);
    await settle(persistence);
    expect((await store.usage()).vms).toEqual([]);
    expect(await store.loadDisk(machine.id)).toBeUndefined();
  });

  it("stores and deletes snapshots as the list changes", async () => {
    const host = new FakeHost();
    const { persistence, store } = await start(host);
    const { machine } = await host.create({ ...input("s"), disk: "none", boot: "live" });
    const snap = (id: string) => ({
      ...snapshotNamed(id, "s"),
      data: new Uint8Array([4, 5]).buffer,
    });
    machine.snapshots.add(snap("a"));
    machine.snapshots.add(snap("b"));
    await settle(persistence);
    expect((await store.usage()).vms[0]?.snapshotBytes).toBe(4);
    machine.snapshots.remove("a");
    await settle(persistence);
    expect((await store.usage()).vms[0]?.snapshotBytes).toBe(2);
  });
});
