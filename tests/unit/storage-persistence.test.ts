import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { afterEach, describe, expect, it } from "vitest";
import { DiskChangeTracker, type DiskChangesRequest } from "@/lib/emulator/disk-changes";
import { Emitter } from "@/lib/emulator/emitter";
import { SnapshotList, type VmSnapshot } from "@/lib/emulator/snapshots";
import { validateVmConfig, type VmConfig, type VmConfigInput } from "@/lib/emulator/vm-config";
import type { CreateOptions, HostEvents, VmHost } from "@/lib/emulator/vm-host";
import type { DiskSource, VmEvents, VmMachine, VmState, VmStats } from "@/lib/emulator/vm-machine";
import { MachinePersistence } from "@/lib/storage/machine-persistence";
import { MachineStore, StorageFullError } from "@/lib/storage/machine-store";

const MIB = 1024 * 1024;

/** Just what MachinePersistence uses of a VmMachine: events, snapshots and the disk. */
class FakeMachine {
  readonly events = new Emitter<VmEvents>();
  readonly snapshots = new SnapshotList();
  diskSource: DiskSource | undefined;
  network: { mac: string; address?: string } = { mac: "02:76:6c:00:00:01" };
  disk: Uint8Array<ArrayBuffer>;
  reads = 0;
  /** What the VM's worker does: notes written chunks and hands them over at one instant. */
  readonly changes = new DiskChangeTracker();
  readonly taken: number[][] = [];
  constructor(
    readonly id: string,
    readonly config: VmConfig,
  ) {
    this.disk = new Uint8Array(config.disk.kind === "blank" ? config.disk.sizeMb * MIB : 0);
  }
  get name() {
    return this.config.name;
  }
  attachDiskSource(source: DiskSource): () => void {
    this.diskSource = source;
    return () => {
      if (this.diskSource === source) this.diskSource = undefined;
    };
  }
  async readDiskChanges(request: DiskChangesRequest) {
    this.reads++;
    if (!this.disk.byteLength) return undefined;
    const changes = this.changes.take(this.disk.buffer, request);
    this.taken.push(changes.chunks.map((c) => c.index));
    return changes;
  }
  write(at: number, value: number, totalWrites: number): void {
    this.disk[at] = value;
    if (this.changes.noteWrite(at, 1)) this.events.emit("diskDirty", undefined);
    this.events.emit("stats", { diskWriteBytes: totalWrites } as VmStats);
  }
  flushDisk(): void {
    this.events.emit("diskFlush", undefined);
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
    const checked = validateVmConfig(input, []);
    if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
    return this.add(checked.config, options);
  }
  async add(config: VmConfig, options: CreateOptions = {}) {
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

async function start(
  host: FakeHost,
  timing: { quietMs?: number; maxWaitMs?: number } = {},
  wrap: (store: MachineStore) => MachineStore = (s) => s,
) {
  const store = wrap(await MachineStore.open(factory, "persist-test"));
  const persistence = new MachinePersistence(host as unknown as VmHost, store, {
    quietMs: 80,
    maxWaitMs: 1000,
    ...timing,
  });
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
    expect(persistence.diskStatus(machine.id).state).toBe("unsaved");
    await settle(persistence);
    expect(machine.reads).toBe(1);
    expect(saves).toEqual([1, 2]);
    expect(persistence.diskStatus(machine.id)).toMatchObject({ state: "saved" });
    expect(persistence.diskStatus(machine.id).savedAt).toBeGreaterThan(0);
    machine.write(3, 9, 6 * 512);
    machine.setState("stopped");
    await settle(persistence);
    expect(saves).toEqual([1, 2, 3]);
    const disk = new Uint8Array((await store.loadDisk(machine.id))!);
    expect([disk[3], disk[MIB + 5]]).toEqual([9, 5]);
  });

  it("saves a disk that never stops changing every maxWaitMs, and only its changed chunks", async () => {
    const host = new FakeHost();
    const { persistence, store } = await start(host, { quietMs: 80, maxWaitMs: 200 });
    const { machine } = await host.create(input("busy"));
    const saved: { at: number; chunks: number }[] = [];
    persistence.events.on("saved", (s) => saved.push({ at: Date.now(), chunks: s.chunksWritten }));
    await settle(persistence);
    saved.length = 0;
    const began = Date.now();
    // Writes every 20 ms for a second: never quiet for 80 ms.
    for (let i = 1; i <= 50; i++) {
      machine.write(MIB + (i % 7), i, i * 512);
      await wait(20);
    }
    expect(saved.length).toBeGreaterThanOrEqual(3);
    const gaps = [began, ...saved.map((s) => s.at)]
      .slice(1)
      .map((t, i, all) => t - (all[i - 1] ?? began));
    expect(Math.max(...gaps)).toBeLessThan(200 + 250);
    // Only the second chunk changed: each save took and wrote just that one.
    expect(machine.taken.slice(-3).every((t) => t.length === 1 && t[0] === 1)).toBe(true);
    expect(saved.every((s) => s.chunks <= 1)).toBe(true);
    await settle(persistence);
    const disk = new Uint8Array((await store.loadDisk(machine.id))!);
    expect(disk[MIB + (50 % 7)]).toBe(50);
  });

  it("saves at once when the guest flushes its disk", async () => {
    const host = new FakeHost();
    const { persistence, saves } = await start(host, { quietMs: 10_000, maxWaitMs: 10_000 });
    const { machine } = await host.create(input("sync"));
    await wait(100);
    expect(saves).toEqual([1]);
    machine.write(5, 5, 512);
    await wait(50);
    expect(saves).toEqual([1]);
    machine.flushDisk();
    await wait(100);
    expect(saves).toEqual([1, 2]);
    expect(persistence.diskStatus(machine.id).state).toBe("saved");
  });

  it("a refused save keeps the previous disk, reports it once, and its chunks go into the next save", async () => {
    const host = new FakeHost();
    let refuse = 0;
    const { persistence, store } = await start(host, { quietMs: 20, maxWaitMs: 50 }, (s) => {
      const save = s.saveDiskChanges.bind(s);
      s.saveDiskChanges = (vmId, changes) =>
        refuse-- > 0
          ? Promise.reject(new StorageFullError(`the disk of ${vmId}`))
          : save(vmId, changes);
      return s;
    });
    const problems: string[] = [];
    persistence.events.on("problems", (p) => problems.push(...p.map((x) => x.reason)));
    const { machine } = await host.create(input("full"));
    await settle(persistence);
    machine.write(10, 1, 512);
    await settle(persistence);
    refuse = 2;
    machine.write(MIB + 100, 2, 1024);
    await wait(80);
    expect(persistence.diskStatus(machine.id).state).not.toBe("saved");
    expect(new Uint8Array((await store.loadDisk(machine.id))!)[10]).toBe(1);
    // Two refusals in a row, one message that says what to do.
    await wait(600);
    expect(problems.filter((p) => p.includes("storage for this site is full"))).toHaveLength(1);
    expect(problems[0]).toMatch(/delete snapshots or VMs/);
    await persistence.flush();
    expect(persistence.diskStatus(machine.id).state).toBe("saved");
    const disk = new Uint8Array((await store.loadDisk(machine.id))!);
    expect([disk[10], disk[MIB + 100]]).toEqual([1, 2]);
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
    const disk = new Uint8Array((await back.diskSource!.load())!);
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
