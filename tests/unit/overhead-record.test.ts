import { describe, expect, it } from "vitest";
import { HISTORY_KEY, clearHistory, loadHistory, saveRecord } from "@/lib/overhead/history";
import { MAX_RECORDS, parseRecords, type RunRecord } from "@/lib/overhead/record";

function sampleRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id: "r1",
    at: 1_700_000_000_000,
    vm: "bench",
    sizeKib: 1024,
    rounds: 20,
    hostMs: 150.5,
    hostRunsMs: [150, 151, 150.5],
    guestMs: 700,
    guestRunsMs: [690, 700, 720],
    guestWallMs: 820,
    ratio: 4.65,
    ratioWall: 5.45,
    hostChecksum: "db6bff1e",
    guestChecksum: "db6bff1e",
    checksumsMatch: true,
    mips: 220,
    vmsRunning: 1,
    together: 1,
    guestMemoryMb: 128,
    pageMemory: { mb: 160, source: "estimate" },
    ...overrides,
  };
}

class MemoryStore {
  data = new Map<string, string>();
  failWrites = false;
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    if (this.failWrites) throw new DOMException("full", "QuotaExceededError");
    this.data.set(k, v);
  }
  removeItem(k: string) {
    this.data.delete(k);
  }
}

describe("parseRecords", () => {
  it("keeps valid records", () => {
    expect(parseRecords([sampleRecord()])).toEqual({ records: [sampleRecord()], dropped: 0 });
  });
  it("drops and counts invalid ones: wrong types, bad checksum, extra keys, out-of-range sizes", () => {
    const bad = [
      { ...sampleRecord(), hostMs: "fast" },
      sampleRecord({ guestChecksum: "DB6BFF1Z" }),
      { ...sampleRecord(), extra: 1 },
      sampleRecord({ sizeKib: 5000 }),
      sampleRecord({ vmsRunning: 0 }),
      sampleRecord({ together: 0 }),
      sampleRecord({ hostRunsMs: [] }),
      null,
      "r1",
    ];
    const parsed = parseRecords([sampleRecord({ id: "good" }), ...bad]);
    expect(parsed.records.map((r) => r.id)).toEqual(["good"]);
    expect(parsed.dropped).toBe(bad.length);
  });
  it("treats a non-array as no records", () => {
    expect(parseRecords({ records: [] })).toEqual({ records: [], dropped: 1 });
    expect(parseRecords(null)).toEqual({ records: [], dropped: 0 });
  });
  it("allows a null ratio and MIPS (timer too coarse, no sample)", () => {
    expect(
      parseRecords([sampleRecord({ ratio: null, mips: null, pageMemory: null })]).dropped,
    ).toBe(0);
  });
});

describe("history in storage", () => {
  it("survives a reload: saved records load back", () => {
    const store = new MemoryStore();
    const list = saveRecord(store, [], sampleRecord({ id: "a" })).records;
    saveRecord(store, list, sampleRecord({ id: "b", vmsRunning: 4 }));
    const loaded = loadHistory(store);
    expect(loaded.notice).toBeUndefined();
    expect(loaded.records.map((r) => [r.id, r.vmsRunning])).toEqual([
      ["a", 1],
      ["b", 4],
    ]);
  });
  it("keeps only the newest MAX_RECORDS", () => {
    const store = new MemoryStore();
    let list: RunRecord[] = [];
    for (let i = 0; i < MAX_RECORDS + 5; i++)
      list = saveRecord(store, list, sampleRecord({ id: `r${i}` })).records;
    const loaded = loadHistory(store).records;
    expect(loaded).toHaveLength(MAX_RECORDS);
    expect(loaded[0]!.id).toBe("r5");
  });
  it("says so when stored data is corrupt or partly invalid, and loses nothing valid", () => {
    const store = new MemoryStore();
    store.setItem(HISTORY_KEY, "{not json");
    expect(loadHistory(store)).toMatchObject({
      records: [],
      notice: expect.stringContaining("unreadable"),
    });
    store.setItem(HISTORY_KEY, JSON.stringify([sampleRecord(), { id: 3 }]));
    const loaded = loadHistory(store);
    expect(loaded.records).toHaveLength(1);
    expect(loaded.notice).toContain("1 stored result was invalid");
  });
  it("keeps the run in memory when storage refuses the write", () => {
    const store = new MemoryStore();
    store.failWrites = true;
    const r = saveRecord(store, [], sampleRecord());
    expect(r.saved).toBe(false);
    expect(r.records).toHaveLength(1);
  });
  it("clears", () => {
    const store = new MemoryStore();
    saveRecord(store, [], sampleRecord());
    expect(clearHistory(store)).toBe(true);
    expect(loadHistory(store).records).toEqual([]);
  });
  it("works without storage at all", () => {
    expect(loadHistory(undefined).records).toEqual([]);
    expect(saveRecord(undefined, [], sampleRecord()).saved).toBe(false);
  });
});
