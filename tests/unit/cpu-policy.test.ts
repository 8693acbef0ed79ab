import { describe, expect, it } from "vitest";
import { CpuPolicy, checkCpuSettings, type CpuSettings } from "@/lib/emulator/cpu-policy";
import { jainIndex } from "@/lib/emulator/cpu-stats";

const Q = 20;
const normal: CpuSettings = { shares: 1000, limitPct: null, reservationPct: 0 };

/**
 * Runs the policy on a simulated clock: each quantum the granted runnable VMs run the whole
 * quantum (one core each); returns the ms each VM ran.
 */
function simulate(
  policy: CpuPolicy,
  quanta: number,
  busy: (id: number, quantum: number) => boolean,
  ids: number[],
  ran = new Map<number, number>(),
): Map<number, number> {
  for (let q = 0; q < quanta; q++) {
    for (const id of ids) if (policy.has(id)) policy.setRunnable(id, busy(id, q));
    const granted = policy.decide();
    const thisQuantum = new Map<number, number>();
    let coresLeft = policy.coreCount;
    for (const id of ids) {
      if (!granted.has(id) || !busy(id, q) || coresLeft === 0) continue;
      coresLeft--;
      thisQuantum.set(id, Q);
      ran.set(id, (ran.get(id) ?? 0) + Q);
    }
    policy.account(Q, thisQuantum);
  }
  return ran;
}

const share = (ran: Map<number, number>, id: number, quanta: number) =>
  (ran.get(id) ?? 0) / (quanta * Q);

describe("CpuPolicy", () => {
  it("gives four busy VMs with equal shares the same time on two cores", () => {
    const policy = new CpuPolicy(2, Q);
    const ids = [1, 2, 3, 4];
    ids.forEach((id) => policy.add(id, normal));
    const ran = simulate(policy, 500, () => true, ids);
    const shares = ids.map((id) => share(ran, id, 500));
    expect(jainIndex(shares)).toBeGreaterThan(0.99);
    for (const s of shares) expect(s).toBeCloseTo(0.5, 1);
  });

  it("gives twice the shares twice the time when both want a single core", () => {
    const policy = new CpuPolicy(1, Q);
    policy.add(1, { ...normal, shares: 2000 });
    policy.add(2, normal);
    const ran = simulate(policy, 600, () => true, [1, 2]);
    const ratio = (ran.get(1) ?? 0) / (ran.get(2) ?? 1);
    expect(ratio).toBeGreaterThan(1.7);
    expect(ratio).toBeLessThan(2.3);
  });

  it("holds a VM to its limit even when cores are free", () => {
    const policy = new CpuPolicy(2, Q);
    policy.add(1, { ...normal, limitPct: 25 });
    policy.add(2, normal);
    const ran = simulate(policy, 1000, () => true, [1, 2]);
    expect(share(ran, 1, 1000) * 100).toBeGreaterThan(20);
    expect(share(ran, 1, 1000) * 100).toBeLessThan(30);
    // The unlimited VM keeps its own core.
    expect(share(ran, 2, 1000)).toBeCloseTo(1, 2);
  });

  it("puts a VM below its reservation before VMs with more shares", () => {
    const policy = new CpuPolicy(1, Q);
    policy.add(1, { shares: 100, limitPct: null, reservationPct: 50 });
    policy.add(2, { ...normal, shares: 4000 });
    policy.add(3, { ...normal, shares: 4000 });
    const ran = simulate(policy, 1000, () => true, [1, 2, 3]);
    expect(share(ran, 1, 1000)).toBeGreaterThanOrEqual(0.45);
  });

  it("never counts idle VMs: with no more busy VMs than cores, every VM may run", () => {
    const policy = new CpuPolicy(2, Q);
    [1, 2, 3, 4, 5].forEach((id) => policy.add(id, normal));
    policy.setRunnable(1, true);
    policy.setRunnable(2, true);
    expect([...policy.decide()].sort()).toEqual([1, 2, 3, 4, 5]);
    const ran = simulate(policy, 100, (id) => id <= 2, [1, 2, 3, 4, 5]);
    expect(share(ran, 1, 100)).toBe(1);
    expect(share(ran, 2, 100)).toBe(1);
  });

  it("does not let a VM added mid-run take the core for the time it missed", () => {
    const policy = new CpuPolicy(1, Q);
    policy.add(1, normal);
    simulate(policy, 300, () => true, [1]);
    policy.add(2, normal);
    const ran = simulate(policy, 100, () => true, [1, 2]);
    expect(share(ran, 2, 100)).toBeGreaterThan(0.4);
    expect(share(ran, 2, 100)).toBeLessThan(0.6);
  });

  it("gives a VM that wakes from idle the next turn, but not the time it slept", () => {
    const policy = new CpuPolicy(1, Q);
    policy.add(1, normal);
    policy.add(2, normal);
    // VM 2 sleeps for 200 quanta while VM 1 runs, then both are busy.
    simulate(policy, 200, (id) => id === 1, [1, 2]);
    policy.setRunnable(2, true);
    expect(policy.decide()).toEqual(new Set([2]));
    const ran = simulate(policy, 100, () => true, [1, 2]);
    expect(share(ran, 2, 100)).toBeLessThan(0.6);
  });

  it("charges run time reported in lumps beyond a round in the next round, not never", () => {
    // Slices end a few ms past a decision: each granted quantum reports 25 ms in a 20 ms round.
    const policy = new CpuPolicy(1, Q);
    policy.add(1, { ...normal, limitPct: 50 });
    let reported = 0;
    for (let q = 0; q < 1000; q++) {
      policy.setRunnable(1, true);
      const ran = policy.decide().has(1) ? 25 : 0;
      reported += ran;
      policy.account(Q, new Map([[1, ran]]));
    }
    expect(reported / (1000 * Q)).toBeGreaterThan(0.45);
    expect(reported / (1000 * Q)).toBeLessThan(0.55);
  });

  it("gives the turns of a removed or crashed VM to the others", () => {
    const policy = new CpuPolicy(1, Q);
    [1, 2, 3].forEach((id) => policy.add(id, normal));
    simulate(policy, 30, () => true, [1, 2, 3]);
    policy.remove(3);
    // VM 2 crashed: its worker stopped, so it is no longer runnable.
    const ran = simulate(policy, 100, (id) => id !== 2, [1, 2, 3]);
    expect(share(ran, 1, 100)).toBe(1);
    expect(ran.get(2)).toBeUndefined();
  });
});

describe("checkCpuSettings", () => {
  it("refuses reservations above what the cores can give, naming the VMs", () => {
    const problems = checkCpuSettings(
      [
        { name: "web", settings: { ...normal, reservationPct: 80 } },
        { name: "db", settings: { ...normal, reservationPct: 70 } },
        { name: "idle", settings: normal },
      ],
      1,
    );
    expect(problems).toEqual([
      "reservations add up to 150 % of a core, more than the 100 % that 1 core for VMs can give (web 80 %, db 70 %)",
    ]);
    expect(
      checkCpuSettings([{ name: "web", settings: { ...normal, reservationPct: 80 } }], 1),
    ).toEqual([]);
  });

  it("says which value is out of range", () => {
    const problems = checkCpuSettings(
      [{ name: "a", settings: { shares: 0, limitPct: 150, reservationPct: Number.NaN } }],
      2,
    );
    expect(problems).toEqual([
      "a: shares must be a whole number from 1 to 100000",
      "a: the limit must be from 1 to 100 % of a core",
      "a: the reservation must be from 0 to 100 % of a core",
    ]);
    expect(
      checkCpuSettings(
        [{ name: "b", settings: { shares: 1000, limitPct: 20, reservationPct: 30 } }],
        2,
      ),
    ).toEqual(["b: the reservation is above the limit"]);
  });
});

describe("jainIndex", () => {
  it("is 1 for equal amounts and 1/n when one gets everything", () => {
    expect(jainIndex([3, 3, 3, 3])).toBe(1);
    expect(jainIndex([4, 0, 0, 0])).toBe(0.25);
  });
});
