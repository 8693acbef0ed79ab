import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { unwrap } from "idb";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { VmSnapshot } from "@/lib/emulator/snapshots";
import { CHUNK_BYTES, hasBootSector } from "@/lib/storage/disk-chunks";
import { openDatabase } from "@/lib/storage/idb";
import {
  SCHEMA,
  type VmRecord,
  type VmRecordV1,
  type VmRecordV2,
} from "@/lib/storage/machine-records";
import { changesOf } from "@/lib/emulator/disk-changes";
import {
  DamagedRecordError,
  MachineStore,
  NeedsFullSaveError,
  StorageFullError,
} from "@/lib/storage/machine-store";
import { quarantineJson } from "@/lib/storage/quarantine-file";
import { validConfig } from "./valid-config";

const MIB = 1024 * 1024;
const V86 = "0.5.462";
const DB = "test-machines";

function vmRecord(id: string, name = id, createdAt = 1): VmRecord {
  return {
    schema: 3,
    id,
    config: validConfig({
      name,
      memoryMb: 128,
      boot: "installer",
      disk: { kind: "blank", sizeMb: 4 },
      network: "none",
      nic: "virtio",
    }),
    mac: "02:76:6c:00:00:01",
    address: null,
    createdAt,
    diskInstalled: false,
  };
}

function snapshotOf(id: string, vmName: string, v86Version = V86): VmSnapshot {
  return {
    id,
    name: "snap-1",
    vmName,
    profile: "live",
    createdAt: 5,
    rawBytes: 100,
    format: "gzip",
    data: new Uint8Array([1, 2, 3, 4, 5]).buffer,
    v86Version,
    machine: { memory_mb: 128, vga_memory_kb: 2048, uart1: true, net_device: "ne2k", acpi: false },
    prompt: ":~# ",
    takeMs: 3,
  };
}

/** A 4 MiB disk with data in chunks 0 and 2 and a boot signature. */
function sampleDisk(): ArrayBuffer {
  const disk = new Uint8Array(4 * MIB);
  disk[510] = 0x55;
  disk[511] = 0xaa;
  disk.fill(7, 2 * MIB, 2 * MIB + 1000);
  return disk.buffer;
}

/** toEqual on megabytes takes vitest tens of seconds. */
function sameBytes(a: ArrayBuffer | undefined, b: ArrayBuffer): boolean {
  return a !== undefined && Buffer.from(a).equals(Buffer.from(b));
}

let factory: IDBFactory;
const open: MachineStore[] = [];
async function openStore(): Promise<MachineStore> {
  const store = await MachineStore.open(factory, DB);
  open.push(store);
  return store;
}

/** Writes raw values the way a broken or older page would have left them. */
async function rawPut(store: string, value: unknown, key: IDBValidKey): Promise<void> {
  const db = await openDatabase(factory, DB, 1, () => {});
  await db.put(store, value, key);
  db.close();
}

async function rawCount(store: string): Promise<number> {
  const db = await openDatabase(factory, DB, 1, () => {});
  const n = await db.count(store);
  db.close();
  return n;
}

afterEach(() => {
  open.splice(0).forEach((s) => s.close());
  vi.restoreAllMocks();
});

describe("disk chunks", () => {
  it("skips all-zero chunks and finds the boot signature", async () => {
    const { chunks } = changesOf(sampleDisk(), true, [], CHUNK_BYTES);
    expect(chunks.map((c) => c.data !== null)).toEqual([true, false, true, false]);
    expect(hasBootSector(sampleDisk())).toBe(true);
    expect(hasBootSector(new ArrayBuffer(MIB))).toBe(false);
  });
});

describe("machine store", () => {
  factory = new IDBFactory();
  afterEach(() => {
    factory = new IDBFactory();
  });

  it("round-trips a VM, its disk and its snapshot", async () => {
    const store = await openStore();
    await store.putVm(vmRecord("vm1", "web1"));
    const saved = await store.saveDisk("vm1", sampleDisk());
    expect(saved).toMatchObject({ generation: 1, chunksWritten: 2, installed: true });
    expect(saved.storedBytes).toBe(2 * CHUNK_BYTES);
    await store.putSnapshot("vm1", snapshotOf("s1", "web1"));
    const loaded = await (await openStore()).loadAll({ v86Version: V86 });
    expect(loaded.problems).toEqual([]);
    expect(loaded.machines).toHaveLength(1);
    const [machine] = loaded.machines;
    expect(machine!.record).toMatchObject({ id: "vm1", diskInstalled: true });
    expect(machine!.disk?.generation).toBe(1);
    expect(machine!.snapshots.map((s) => [s.id, new Uint8Array(s.data).join()])).toEqual([
      ["s1", "1,2,3,4,5"],
    ]);
    const disk = await store.loadDisk("vm1");
    expect(sameBytes(disk, sampleDisk())).toBe(true);
    expect(await rawCount("chunks")).toBe(2);
  });

  it("rewrites only changed chunks and drops chunks that became zero", async () => {
    const store = await openStore();
    await store.putVm(vmRecord("vm1"));
    await store.saveDisk("vm1", sampleDisk());
    const next = new Uint8Array(sampleDisk());
    next.fill(0, 2 * MIB, 3 * MIB);
    next[3 * MIB + 5] = 9;
    const saved = await store.saveDisk("vm1", next.buffer);
    expect(saved).toMatchObject({ generation: 2, chunksWritten: 1, chunksDeleted: 1 });
    const unchanged = await store.saveDisk("vm1", next.buffer);
    expect(unchanged).toMatchObject({ generation: 2, chunksWritten: 0, chunksDeleted: 0 });
    expect(sameBytes(await store.loadDisk("vm1"), next.buffer)).toBe(true);
    expect(await rawCount("chunks")).toBe(2);
  });

  it("keeps the previous generation whole when a save's transaction aborts", async () => {
    const store = await openStore();
    await store.putVm(vmRecord("vm1"));
    await store.saveDisk("vm1", sampleDisk());
    const next = new Uint8Array(sampleDisk());
    next.fill(1, 0, 100);
    next.fill(3, 3 * MIB, 4 * MIB);
    // The manifest is written after the chunks: abort right there, as a crash or quota error would.
    const proto = Object.getPrototypeOf(
      unwrap(
        (await openDatabase(factory, "probe", 1, (db) => db.createObjectStore("s")))
          .transaction("s", "readwrite")
          .objectStore("s"),
      ),
    ) as IDBObjectStore;
    const put = proto.put;
    vi.spyOn(proto, "put").mockImplementation(function (this: IDBObjectStore, value, key) {
      if (this.name === "disks") this.transaction.abort();
      return put.call(this, value, key);
    });
    await expect(store.saveDisk("vm1", next.buffer)).rejects.toThrow();
    vi.restoreAllMocks();
    expect(sameBytes(await store.loadDisk("vm1"), sampleDisk())).toBe(true);
    const again = await store.saveDisk("vm1", next.buffer);
    expect(again.generation).toBe(2);
  });

  it("stores changed chunks on top of the stored disk, and refuses them when there is none", async () => {
    const store = await openStore();
    await store.putVm(vmRecord("vm1"));
    const next = new Uint8Array(sampleDisk());
    await expect(store.saveDiskChanges("vm1", changesOf(next.buffer, false, [1]))).rejects.toThrow(
      NeedsFullSaveError,
    );
    await store.saveDisk("vm1", sampleDisk());
    next[MIB + 3] = 4;
    next[510] = 0;
    const saved = await store.saveDiskChanges("vm1", changesOf(next.buffer, false, [0, 1]));
    expect(saved).toMatchObject({ generation: 2, chunksWritten: 2, installed: false });
    expect(sameBytes(await store.loadDisk("vm1"), next.buffer)).toBe(true);
    // A disk of another size cannot be built on.
    await expect(
      store.saveDiskChanges("vm1", changesOf(new ArrayBuffer(2 * MIB), false, [0])),
    ).rejects.toThrow(NeedsFullSaveError);
  });

  it("says the browser's storage is full when a save is refused for quota, and keeps the previous disk", async () => {
    const store = await openStore();
    await store.putVm(vmRecord("vm1"));
    await store.saveDisk("vm1", sampleDisk());
    const next = new Uint8Array(sampleDisk());
    next.fill(5, 0, 3 * MIB);
    const proto = Object.getPrototypeOf(
      unwrap(
        (await openDatabase(factory, "probe2", 1, (db) => db.createObjectStore("s")))
          .transaction("s", "readwrite")
          .objectStore("s"),
      ),
    ) as IDBObjectStore;
    const put = proto.put;
    let puts = 0;
    vi.spyOn(proto, "put").mockImplementation(function (this: IDBObjectStore, value, key) {
      // The second chunk does not fit: the first one must not stay either.
      if (this.name === "chunks" && ++puts === 2)
        throw new DOMException("quota reached", "QuotaExceededError");
      return put.call(this, value, key);
    });
    const refused = store.saveDisk("vm1", next.buffer);
    await expect(refused).rejects.toThrow(StorageFullError);
    await expect(refused).rejects.toThrow(/storage for this site is full.*last save is intact/);
    vi.restoreAllMocks();
    expect(sameBytes(await store.loadDisk("vm1"), sampleDisk())).toBe(true);
  });

  it("migrates a version 1 VM record and writes it back", async () => {
    const store = await openStore();
    const { diskInstalled: _, address: __, ...rest } = vmRecord("vm1");
    const v1: VmRecordV1 = { ...rest, schema: 1 };
    await rawPut("vms", v1, "vm1");
    const loaded = await store.loadAll({ v86Version: V86 });
    expect(loaded.problems).toEqual([]);
    expect(loaded.machines[0]!.record).toEqual({ ...vmRecord("vm1"), diskInstalled: false });
    const db = await openDatabase(factory, DB, 1, () => {});
    const stored: unknown = await db.get("vms", "vm1");
    db.close();
    expect(stored).toMatchObject({ schema: SCHEMA.vm, diskInstalled: false });
  });

  it("migrates a version 2 VM record: its disk state kept, no address until the host gives one", async () => {
    const store = await openStore();
    const { address: _, ...rest } = { ...vmRecord("vm1"), diskInstalled: true };
    const v2: VmRecordV2 = { ...rest, schema: 2 };
    await rawPut("vms", v2, "vm1");
    const loaded = await store.loadAll({ v86Version: V86 });
    expect(loaded.problems).toEqual([]);
    expect(loaded.machines[0]!.record).toEqual({ ...v2, schema: 3, address: null });
  });

  it("sets aside a VM record whose address is not one of the switch's", async () => {
    const store = await openStore();
    await store.putVm({ ...vmRecord("vm1", "good"), address: "10.0.0.7" });
    await rawPut("vms", { ...vmRecord("vm2", "bad"), address: "10.0.0.255" }, "vm2");
    const loaded = await store.loadAll({ v86Version: V86 });
    expect(loaded.machines.map((m) => m.record.address)).toEqual(["10.0.0.7"]);
    expect(loaded.problems).toEqual([
      { what: "VM record vm2", reason: expect.stringContaining("address") },
    ]);
  });

  it("quarantines a corrupt VM record (and what belongs to it) while the others load", async () => {
    const store = await openStore();
    await store.putVm(vmRecord("vm1", "good", 1));
    await store.putVm(vmRecord("vm2", "bad", 2));
    await store.saveDisk("vm2", sampleDisk());
    await store.putSnapshot("vm2", snapshotOf("s2", "bad"));
    await rawPut("vms", { ...vmRecord("vm2"), config: "garbage" }, "vm2");
    await rawPut("vms", "not even an object", "vm3");

    const loaded = await store.loadAll({ v86Version: V86 });
    expect(loaded.machines.map((m) => m.record.config.name)).toEqual(["good"]);
    expect(loaded.problems).toEqual(
      expect.arrayContaining([
        { what: "VM record vm2", reason: expect.stringContaining("config") },
        { what: "VM record vm3", reason: expect.stringContaining("not a record") },
        { what: "disk of vm2", reason: expect.stringContaining("not stored") },
        { what: "snapshot snap-1 of bad", reason: expect.stringContaining("not stored") },
      ]),
    );
    const quarantined = await store.quarantined();
    expect(quarantined).toHaveLength(4);
    const disk = quarantined.find((q) => q.what === "disk of vm2")!;
    expect(disk.bytes).toBe(2 * MIB);
    expect(await rawCount("chunks")).toBe(0);
    // Nothing was dropped: the download carries the record exactly as stored.
    const entry = await store.quarantineEntry(
      quarantined.find((q) => q.what === "VM record vm2")!.id,
    );
    expect(JSON.parse(quarantineJson(entry!)).records[0].value).toEqual({
      ...vmRecord("vm2"),
      config: "garbage",
    });
    const chunkFile = JSON.parse(quarantineJson((await store.quarantineEntry(disk.id))!));
    expect(chunkFile.records.some((r: { store: string }) => r.store === "chunks")).toBe(true);
    await store.deleteQuarantined(disk.id);
    expect(await store.quarantined()).toHaveLength(3);
    // A second load finds nothing new.
    expect((await store.loadAll({ v86Version: V86 })).problems).toEqual([]);
  });

  it("quarantines records from a newer schema and snapshots from another emulator version", async () => {
    const store = await openStore();
    await store.putVm(vmRecord("vm1", "web1"));
    await rawPut("vms", { ...vmRecord("vm2"), schema: 9 }, "vm2");
    await store.putSnapshot("vm1", snapshotOf("s-old", "web1", "0.4.0"));
    await store.putSnapshot("vm1", snapshotOf("s-ok", "web1"));
    const loaded = await store.loadAll({ v86Version: V86 });
    expect(loaded.machines[0]!.snapshots.map((s) => s.id)).toEqual(["s-ok"]);
    expect(loaded.problems).toEqual(
      expect.arrayContaining([
        { what: "VM record vm2", reason: expect.stringContaining("newer version") },
        { what: "snapshot snap-1 of web1", reason: expect.stringContaining("v86 0.4.0") },
      ]),
    );
  });

  it("detects a damaged disk chunk, quarantines the disk and reports which chunk", async () => {
    const store = await openStore();
    await store.putVm(vmRecord("vm1", "web1"));
    await store.saveDisk("vm1", sampleDisk());
    const db = await openDatabase(factory, DB, 1, () => {});
    const chunk = (await db.get("chunks", ["vm1", 2])) as { bytes: ArrayBuffer };
    db.close();
    const bytes = new Uint8Array(chunk.bytes);
    bytes[5] = bytes[5]! ^ 0xff;
    await rawPut("chunks", chunk, ["vm1", 2]);

    const error = await store.loadDisk("vm1", "web1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DamagedRecordError);
    expect((error as DamagedRecordError).reason).toBe("chunk 2 does not match its SHA-256");
    expect(await store.loadDisk("vm1")).toBeUndefined();
    expect((await store.quarantined()).map((q) => q.what)).toEqual(["disk of web1"]);
    // The VM itself still loads, now without a stored disk.
    expect((await store.loadAll({ v86Version: V86 })).machines).toHaveLength(1);
  });

  it("does not save the disk of a VM that is not stored (a save finishing after a delete)", async () => {
    const store = await openStore();
    await expect(store.saveDisk("gone", sampleDisk())).rejects.toThrow("VM gone is not stored");
    expect(await rawCount("chunks")).toBe(0);
    expect(await rawCount("disks")).toBe(0);
  });

  it("reports a snapshot whose bytes changed", async () => {
    const store = await openStore();
    await store.putVm(vmRecord("vm1", "web1"));
    await store.putSnapshot("vm1", snapshotOf("s1", "web1"));
    await rawPut(
      "snapshot-data",
      { schema: 1, id: "s1", data: new Uint8Array([9, 9, 9, 9, 9]).buffer },
      "s1",
    );
    const loaded = await store.loadAll({ v86Version: V86 });
    expect(loaded.machines[0]!.snapshots).toEqual([]);
    expect(loaded.problems).toEqual([
      { what: "snapshot snap-1 of web1", reason: "its bytes do not match their SHA-256" },
    ]);
  });

  it("counts usage and deletes a VM with everything it owns in one go", async () => {
    const store = await openStore();
    await store.putVm(vmRecord("vm1"));
    await store.saveDisk("vm1", sampleDisk());
    await store.putSnapshot("vm1", snapshotOf("s1", "vm1"));
    expect(await store.usage()).toEqual({
      vms: [{ vmId: "vm1", stored: true, installed: true, diskBytes: 2 * MIB, snapshotBytes: 5 }],
      quarantineBytes: 0,
      totalBytes: 2 * MIB + 5,
    });
    await store.deleteVm("vm1");
    expect((await store.usage()).totalBytes).toBe(0);
    for (const s of ["vms", "disks", "chunks", "snapshots", "snapshot-data"])
      expect(await rawCount(s)).toBe(0);
  });
});
