import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { Emitter } from "@/lib/emulator/emitter";
import { cloneFromSnapshot, restoreSnapshot, takeSnapshot } from "@/lib/emulator/snapshot-actions";
import { stateReached } from "@/lib/emulator/state-reached";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import type { MachinePersistence, PersistenceEvents } from "@/lib/storage/machine-persistence";
import { MachineStore, type StorageUsage } from "@/lib/storage/machine-store";
import { openPlaygroundStorage, type PlaygroundStorage } from "@/lib/storage/playground-storage";
import { StorageOverview, storageRows, type BrowserStorage } from "@/lib/storage/storage-overview";
import { fakeSite, liveSnapshot, settle } from "./vm-fakes";

const usage: StorageUsage = {
  vms: [
    { vmId: "a", stored: true, installed: true, diskBytes: 2048, snapshotBytes: 0 },
    { vmId: "gone", stored: false, installed: false, diskBytes: 0, snapshotBytes: 0 },
    { vmId: "old", stored: false, installed: false, diskBytes: 0, snapshotBytes: 99 },
  ],
  quarantineBytes: 10,
  totalBytes: 2157,
};

/** A persistence with a store that records what it was asked to do. */
function fakePersistence() {
  const calls: string[] = [];
  const store = {
    usage: async () => (calls.push("usage"), usage),
    quarantined: async () => [
      { id: 3, what: "VM x", reason: "damaged", quarantinedAt: 1, bytes: 10 },
    ],
    quarantineEntry: async (id: number) =>
      id === 3
        ? { what: "VM x", reason: "damaged", quarantinedAt: 1, records: [], schema: 1 }
        : undefined,
    deleteQuarantined: async (id: number) => void calls.push(`deleteQuarantined ${id}`),
    clearAll: async () => void calls.push("clearAll"),
  };
  const persistence = {
    events: new Emitter<PersistenceEvents>(),
    problems: [],
    store,
    diskStatus: () => ({ state: "saved", savedAt: undefined }),
    forgetDisk: async (id: string) => void calls.push(`forgetDisk ${id}`),
    forgetSnapshots: async (id: string) => void calls.push(`forgetSnapshots ${id}`),
    flush: async () => void calls.push("flush"),
  };
  return { persistence: persistence as unknown as MachinePersistence, calls };
}

function browserStorage(grant: boolean): BrowserStorage & { asked: number } {
  return {
    asked: 0,
    estimate: async () => ({ usage: 100, quota: 1000 }),
    persisted: async () => false,
    async persist() {
      this.asked++;
      return grant;
    },
  };
}

const saved = (ms: number) => ({
  vmId: "a",
  vmName: "web1",
  ms,
  sizeBytes: 4096,
  generation: 2,
  chunksWritten: 1,
  chunksDeleted: 0,
  storedBytes: 2048,
  installed: true,
});

describe("StorageOverview", () => {
  it("reads the figures once for several changes in a row, and follows saves", async () => {
    const { persistence, calls } = fakePersistence();
    const host = { machines: [], delete: async () => {} };
    const overview = new StorageOverview(persistence, host, {
      browserStorage: browserStorage(true),
      refreshDelayMs: 5,
    });
    overview.start();
    let heard = 0;
    overview.subscribe(() => heard++);
    persistence.events.emit("changed", undefined);
    persistence.events.emit("changed", undefined);
    await until(() => overview.current.estimate !== undefined);
    // Two changes in a row, one refresh.
    await settle(20);
    expect(calls.filter((c) => c === "usage")).toHaveLength(1);
    expect(overview.current.usage).toBe(usage);
    expect(overview.current.quarantine).toHaveLength(1);
    expect(overview.current.estimate).toEqual({ usage: 100, quota: 1000, persisted: false });

    persistence.events.emit("saved", saved(40));
    persistence.events.emit("saved", saved(10));
    expect(overview.current.lastSave?.ms).toBe(10);
    expect(overview.current.slowest?.ms).toBe(40);
    persistence.events.emit("status", "a");
    expect(overview.current.statusVersion).toBe(1);
    expect(heard).toBeGreaterThan(3);
    overview.stop();
    persistence.events.emit("saved", saved(99));
    expect(overview.current.lastSave?.ms).toBe(10);
  });

  it("does each action with one call and says what it did", async () => {
    const { persistence, calls } = fakePersistence();
    const deleted: string[] = [];
    const machines = [{ name: "web1" }, { name: "web2" }] as unknown as VmMachine[];
    const host = {
      get machines() {
        return machines;
      },
      delete: async (m: VmMachine) => {
        deleted.push(m.name);
        machines.splice(machines.indexOf(m), 1);
      },
    };
    const files: string[] = [];
    const storage = browserStorage(false);
    const overview = new StorageOverview(persistence, host, {
      browserStorage: storage,
      save: (_blob, name) => files.push(name),
    });

    await overview.forgetDisk({ vmId: "a", name: "web1" });
    expect(overview.current.note).toBe("Deleted web1's stored disk.");
    await overview.forgetSnapshots({ vmId: "a", name: "web1" });
    expect(overview.current.note).toBe("Deleted web1's snapshots.");

    expect(await overview.askToKeep()).toBe(false);
    expect(storage.asked).toBe(1);
    expect(overview.current.estimate.persisted).toBe(false);
    expect(overview.current.note).toMatch(/did not agree/);

    await overview.downloadQuarantined(3);
    await overview.downloadQuarantined(4);
    expect(files).toEqual(["vlabs-quarantine-3-VM-x.json"]);
    await overview.deleteQuarantined(3);

    await overview.deleteEverything();
    expect(deleted).toEqual(["web1", "web2"]);
    expect(calls).toEqual([
      "forgetDisk a",
      "forgetSnapshots a",
      "deleteQuarantined 3",
      "usage",
      "flush",
      "clearAll",
      "usage",
    ]);
    expect(overview.current.note).toBe("Deleted everything stored for the playground.");
  });

  it("lists the VMs stored, holding bytes, or on the page", () => {
    const machines = [
      { id: "a", name: "web1", state: "running" },
      { id: "gone", name: "new", state: "stopped" },
    ] as const;
    const rows = storageRows(usage, machines);
    expect(rows.map((r) => [r.name, r.running])).toEqual([
      ["web1", true],
      ["new", false],
      ["old (not on this page)", false],
    ]);
    expect(storageRows(usage, []).map((r) => r.vmId)).toEqual(["a", "old"]);
    expect(storageRows(undefined, machines)).toEqual([]);
  });
});

/** Waits (up to 5 s) until `done` holds: under a loaded full run, IndexedDB work takes a while. */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done() && waited < 5000; waited += 10) await settle(10);
}

describe("openPlaygroundStorage", () => {
  it("opens the store, puts stored VMs back, and closes it all", async () => {
    const factory = new IDBFactory();
    const first = fakeSite();
    const states: PlaygroundStorage[] = [];
    const session = openPlaygroundStorage(first.host, (s) => states.push(s), {
      openStore: () => MachineStore.open(factory),
    });
    await until(() => states.length > 0);
    expect(states.map((s) => s.kind)).toEqual(["ready"]);
    const made = await first.host.create({
      name: "kept",
      memoryMb: "128",
      boot: "live",
      disk: "none",
      diskSizeMb: "",
      network: "none",
    });
    expect(made.ok).toBe(true);
    const ready = states[0];
    if (ready?.kind !== "ready") throw new Error("not ready");
    await ready.persistence.flush();
    for (let waited = 0; waited < 5000; waited += 10) {
      if ((await ready.persistence.store.usage()).vms.some((v) => v.stored)) break;
      await settle(10);
    }
    session.close();

    const second = fakeSite();
    const again: PlaygroundStorage[] = [];
    const reopened = openPlaygroundStorage(second.host, (s) => again.push(s), {
      openStore: () => MachineStore.open(factory),
    });
    await until(() => again.length > 0);
    expect(again[0]).toMatchObject({ kind: "ready", restored: 1 });
    expect(second.host.machines.map((m) => m.name)).toEqual(["kept"]);
    reopened.close();
  });

  it("says why storage is unavailable and reports nothing after close", async () => {
    const states: PlaygroundStorage[] = [];
    openPlaygroundStorage(fakeSite().host, (s) => states.push(s), {
      openStore: () => Promise.reject(new Error("quota is zero")),
    });
    await until(() => states.length > 0);
    expect(states).toEqual([{ kind: "unavailable", reason: "quota is zero" }]);

    const late: PlaygroundStorage[] = [];
    const session = openPlaygroundStorage(fakeSite().host, (s) => late.push(s), {
      openStore: () => MachineStore.open(new IDBFactory()),
    });
    session.close();
    await settle(30);
    expect(late).toEqual([]);
  });
});

describe("snapshot actions", () => {
  it("take, restore and clone say what they did", async () => {
    const snap = { ...liveSnapshot("web1"), rawBytes: 2048, takeMs: 12 };
    const machine = {
      takeSnapshot: async () => snap,
      restoreSnapshot: async () => 41.6,
      config: {},
    } as unknown as VmMachine;
    expect(await takeSnapshot(machine)).toEqual({
      text: "Saved snap-1: 2.0 KB, 64 B raw, in 12 ms.",
      ms: 12,
    });
    expect(await restoreSnapshot(machine, snap)).toEqual({
      text: "Restored snap-1 in 42 ms.",
      ms: 41.6,
    });
    const refused = { clone: async () => ({ ok: false as const, errors: {}, budget: "No room." }) };
    await expect(cloneFromSnapshot(refused, machine, snap)).rejects.toThrow("No room.");
  });

  it("stateReached resolves on the state, or false after the timeout", async () => {
    const events = new Emitter<{ state: VmMachine["state"] }>();
    const machine = { state: "running" as VmMachine["state"], events } as unknown as VmMachine;
    const paused = stateReached(machine, "paused", 1000);
    events.emit("state", "booting");
    events.emit("state", "paused");
    expect(await paused).toBe(true);
    expect(await stateReached(machine, "stopped", 10)).toBe(false);
    expect(await stateReached({ ...machine, state: "stopped" }, "stopped", 10)).toBe(true);
  });
});
