import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { Cloud } from "@/lib/cloud/cloud";
import { CloudPersistence } from "@/lib/cloud/cloud-persistence";
import {
  checkCloudRecord,
  cloudKey,
  recordsOf,
  sortCloudRecords,
  type CloudState,
  type InstanceRecord,
} from "@/lib/cloud/cloud-records";
import type { CloudImage } from "@/lib/cloud/images";
import { instanceType } from "@/lib/cloud/instance-types";
import type { FilterPolicy } from "@/lib/emulator/packet-filter";
import type { VmHost } from "@/lib/emulator/vm-host";
import { CloudStore } from "@/lib/storage/cloud-store";

const SCOPE = "cloud-page";

function instance(id: string, name: string, extra: Partial<InstanceRecord> = {}): InstanceRecord {
  return {
    id,
    name,
    typeName: "t.small",
    imageId: "img-live-linux",
    imageName: "Live Linux (course image)",
    groupId: "sg-00000001",
    userData: "httpd -h /www",
    userDataRun: { status: "done", output: "httpd-started" },
    launchedAt: 10,
    address: "10.0.0.1",
    runningMs: 5000,
    terminated: false,
    ...extra,
  };
}

const image: CloudImage = {
  id: "img-0000000a",
  name: "web image",
  description: "Made of web-1 (t.small)",
  profile: "live",
  memoryMb: 128,
  sourceInstanceId: "i-00000001",
  createdAt: 20,
  snapshot: {
    id: "s1",
    name: "snap-1",
    vmName: "web-1",
    profile: "live",
    createdAt: 20,
    rawBytes: 100,
    format: "zstd",
    data: new Uint8Array([1, 2, 3]).buffer,
    v86Version: "0.5.462",
    machine: {
      memory_mb: 128,
      vga_memory_kb: 2048,
      uart1: true,
      net_device: "virtio",
      acpi: false,
    },
    prompt: ":~# ",
    takeMs: 3,
  },
};

const state: CloudState = {
  groups: [
    { id: "sg-00000001", name: "default", description: "", rules: [] },
    {
      id: "sg-00000002",
      name: "web",
      description: "",
      rules: [{ id: "rule-1", protocol: "tcp", fromPort: 80, toPort: 80, source: "10.0.0.0/24" }],
    },
  ],
  images: [image],
  instances: [
    instance("i-00000001", "web-1"),
    instance("i-00000002", "web-2", { terminated: true }),
  ],
  scaling: [
    {
      id: "asg-00000001",
      name: "web-asg",
      imageId: "img-0000000a",
      typeName: "t.small",
      groupId: "sg-00000002",
      desired: 2,
      min: 1,
      max: 4,
      healthCheck: "true",
      userData: "",
      members: ["i-00000001"],
      activity: ["launched web-1"],
    },
  ],
  balancers: [{ name: "lb-1", instanceId: "i-00000001", scalingGroupId: "asg-00000001" }],
  stopped: [{ id: "i-00000001", snapshot: { ...image.snapshot!, id: "s2" } }],
};

/** Just what Cloud asks of a host when nothing runs: its switch's filter and its machines. */
function idleHost(): VmHost & { policies: FilterPolicy[] } {
  const policies: FilterPolicy[] = [];
  return {
    policies,
    machines: [],
    switch: { setFilter: (policy: FilterPolicy) => policies.push(policy) },
  } as unknown as VmHost & { policies: FilterPolicy[] };
}

describe("cloud records", () => {
  it("round-trips a whole cloud through its records", () => {
    const { state: back, moves } = sortCloudRecords(recordsOf(SCOPE, state));
    expect(moves).toEqual([]);
    expect(back).toEqual(state);
  });

  it("sets aside a damaged record, a newer one and an unknown kind, with the reason", () => {
    expect(
      checkCloudRecord("instance", { schema: 1, ...instance("i-1", "x"), typeName: 7 }),
    ).toEqual({
      ok: false,
      reason: "typeName is number, not valid",
    });
    expect(checkCloudRecord("group", { schema: 2, ...state.groups[0] })).toMatchObject({
      ok: false,
      reason: expect.stringContaining("written by a newer version of this site (schema 2"),
    });
    expect(checkCloudRecord("group", "garbage")).toEqual({
      ok: false,
      reason: 'not a record (text "garbage")',
    });
    expect(checkCloudRecord("disk", { schema: 1 })).toMatchObject({ ok: false });
    const snapshot = { ...image.snapshot!, data: "not bytes" };
    expect(checkCloudRecord("image", { schema: 1, ...image, snapshot })).toMatchObject({
      ok: false,
      reason: 'snapshot.data is text "not bytes", not valid',
    });
  });

  it("keeps the rest when one record is damaged, and drops what depended on a lost one", () => {
    const records = recordsOf(SCOPE, state).map((r) =>
      r.key[1] === "image"
        ? { ...r, value: { ...(r.value as object), memoryMb: "big" } }
        : r.key[2] === "i-00000002"
          ? { ...r, value: { ...(r.value as object), address: "192.168.1.1" } }
          : r,
    );
    const { state: back, moves } = sortCloudRecords(records);
    expect(moves.map((m) => [m.what, m.reason])).toEqual([
      ["image web image", 'memoryMb is text "big", not valid'],
      ["instance web-2", 'address is text "192.168.1.1", not valid'],
      ["auto scaling group web-asg", "its image is not stored"],
    ]);
    expect(back.groups).toEqual(state.groups);
    expect(back.instances.map((i) => i.name)).toEqual(["web-1"]);
    expect(back.balancers).toEqual(state.balancers);
    // A balancer whose instance was lost goes too.
    const noWeb1 = sortCloudRecords(
      recordsOf(SCOPE, state).filter((r) => r.key.join() !== `${SCOPE},instance,i-00000001`),
    );
    expect(noWeb1.moves.map((m) => m.what)).toEqual([
      "load balancer lb-1",
      "saved machine of instance i-00000001",
    ]);
  });
});

describe("a cloud kept in IndexedDB", () => {
  it("comes back after a reload: instances stopped or terminated, groups paused, a damaged record in quarantine", async () => {
    const factory = new IDBFactory();
    const openStore = () => CloudStore.open(factory, "test-cloud");
    const store = await openStore();
    await store.apply(recordsOf(SCOPE, state), []);
    await store.apply([{ key: cloudKey(SCOPE, "group", "sg-0000dead"), value: { schema: 1 } }], []);
    // Another scope (a lab's console) is a cloud of its own.
    await store.apply([{ key: cloudKey("lab:x", "group", "sg-00000009"), value: {} }], []);
    store.close();

    const cloud = new Cloud(idleHost());
    const kept = await CloudPersistence.open(cloud, SCOPE, { openStore });
    expect(kept.keeping.status).toBe("saved");
    expect(kept.keeping.setAside).toEqual([
      "security group sg-0000dead: id is undefined, not valid",
    ]);
    expect(cloud.groups.map((g) => g.name)).toEqual(["default", "web"]);
    expect(cloud.images.map((i) => i.name)).toEqual(["Live Linux (course image)", "web image"]);
    expect(cloud.instances.map((i) => [i.name, i.state, i.address, i.machine])).toEqual([
      ["web-1", "stopped", "10.0.0.1", undefined],
      ["web-2", "terminated", "10.0.0.1", undefined],
    ]);
    // Its running time so far is kept: the cost meter goes on from there.
    const price = instanceType("t.small")!.pricePerHour;
    expect(cloud.costOf(cloud.instances[0]!)).toBeCloseTo((price * 5) / 3600, 10);
    expect(cloud.scaling.groups[0]).toMatchObject({ name: "web-asg", paused: true });
    expect(cloud.balancers.balancers.map((b) => b.name)).toEqual(["lb-1"]);

    // A kept instance not started since the reload terminates without a VM, and that is stored.
    await cloud.terminate("i-00000001");
    expect(cloud.find("web-1")?.state).toBe("terminated");
    cloud.createGroup("db");
    await kept.flush();
    cloud.scaling.stop();
    cloud.balancers.stop();
    kept.dispose();

    const again = new Cloud(idleHost());
    const reopened = await CloudPersistence.open(again, SCOPE, { openStore });
    expect(reopened.keeping.setAside).toEqual([]);
    expect(again.groups.map((g) => g.name)).toEqual(["default", "web", "db"]);
    expect(again.find("web-1")?.state).toBe("terminated");
    const quarantine = await (await openStore()).quarantined();
    expect(quarantine.map((q) => [q.what, q.records[0]!.key])).toEqual([
      ["security group sg-0000dead", [SCOPE, "group", "sg-0000dead"]],
    ]);

    // A lab's Reset: everything forgotten, and the store follows.
    await again.clear();
    await reopened.flush();
    again.scaling.stop();
    reopened.dispose();
    expect((await (await openStore()).load(SCOPE)).map((r) => r.key[1])).toEqual(["group"]);
  });
});
