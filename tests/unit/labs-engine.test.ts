import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { extractActivities } from "@/lib/content/activities";
import { LabEngine } from "@/lib/labs/engine";
import type { LabEnvironment, LabEvent } from "@/lib/labs/engine";
import type { LabFacts, VmFacts } from "@/lib/labs/facts";

const SOURCE = `
<Lab id="demo" title="Demo">
  <Machine name="alpha" profile="live" />
  <Machine name="beta" profile="live" />
  <Step id="both" title="Both" check="host: running >= 2"><Solution do="click alpha Start; click beta Start" /></Step>
  <Step id="note" title="Note" vm="alpha" check="guest: test -f /root/note"><Solution do="type alpha: touch /root/note" /></Step>
  <Step id="missing" title="Missing" check="console beta: /No such file/"><Solution do="type beta: cat /root/note" /></Step>
</Lab>`;
const lab = extractActivities("demo.mdx", SOURCE).labs[0]!;

function vm(state: VmFacts["state"]): VmFacts {
  return { state, rx: 0, tx: 0, mips: 0, "disk-write": 0, "disk-read": 0, uptime: 0 };
}

class FakeEnvironment implements LabEnvironment {
  facts_: LabFacts = { snapshots: 0, hostLoad: 0, vms: {} };
  consoles: Record<string, string> = {};
  files = new Set<string>();
  guestCalls: Array<{ vm: string; command: string }> = [];
  private listeners = new Set<(event: LabEvent) => void>();
  facts = () => this.facts_;
  consoleText = (vm: string) => this.consoles[vm] ?? "";
  async runGuestCheck(vmName: string, command: string) {
    this.guestCalls.push({ vm: vmName, command });
    return { exitStatus: this.files.has(command.replace("test -f ", "")) ? 0 : 1 };
  }
  subscribe(listener: (event: LabEvent) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(event: LabEvent) {
    for (const listener of this.listeners) listener(event);
  }
  get listenerCount() {
    return this.listeners.size;
  }
}

describe("LabEngine", () => {
  let environment: FakeEnvironment;
  let done: string[];
  let engine: LabEngine;

  beforeEach(() => {
    vi.useFakeTimers();
    environment = new FakeEnvironment();
    done = [];
    engine = new LabEngine(lab, environment, {
      onDone: (id) => done.push(id),
      guestDelayMs: 100,
      guestPeriodMs: 5000,
    });
  });
  afterEach(() => {
    engine.destroy();
    vi.useRealTimers();
  });

  it("turns a host step done when the facts satisfy it, once", () => {
    environment.facts_.vms = { alpha: vm("running"), beta: vm("booting") };
    environment.emit({ kind: "state" });
    expect(done).toEqual([]);
    environment.facts_.vms.beta = vm("running");
    environment.emit({ kind: "state" });
    environment.emit({ kind: "stats" });
    expect(done).toEqual(["both"]);
  });

  it("turns a console step done when the machine prints the pattern", () => {
    environment.consoles.beta = "cat: can't open '/root/note': No such file or directory";
    environment.emit({ kind: "console", vm: "beta" });
    expect(done).toEqual(["missing"]);
  });

  it("runs guest checks shortly after input to that machine, only while it runs", async () => {
    environment.facts_.vms = { alpha: vm("stopped") };
    environment.emit({ kind: "input", vm: "alpha" });
    await vi.advanceTimersByTimeAsync(200);
    expect(environment.guestCalls).toEqual([]);

    environment.facts_.vms = { alpha: vm("running") };
    environment.emit({ kind: "input", vm: "alpha" });
    await vi.advanceTimersByTimeAsync(200);
    expect(environment.guestCalls).toEqual([{ vm: "alpha", command: "test -f /root/note" }]);
    expect(done).toEqual([]);

    environment.files.add("/root/note");
    environment.emit({ kind: "input", vm: "alpha" });
    await vi.advanceTimersByTimeAsync(200);
    expect(done).toEqual(["note"]);
  });

  it("debounces bursts of input into one agent call and re-checks slowly while todo", async () => {
    environment.facts_.vms = { alpha: vm("running") };
    for (let i = 0; i < 10; i++) environment.emit({ kind: "input", vm: "alpha" });
    await vi.advanceTimersByTimeAsync(200);
    expect(environment.guestCalls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(environment.guestCalls).toHaveLength(3);
  });

  it("reports a guest check that fails after input, not the periodic re-checks", async () => {
    const failed: string[] = [];
    engine.destroy();
    engine = new LabEngine(lab, environment, {
      onDone: (id) => done.push(id),
      onCheckFailed: (id) => failed.push(id),
      guestDelayMs: 100,
      guestPeriodMs: 5000,
    });
    environment.facts_.vms = { alpha: vm("running") };
    environment.emit({ kind: "input", vm: "alpha" });
    await vi.advanceTimersByTimeAsync(200);
    expect(failed).toEqual(["note"]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(environment.guestCalls.length).toBeGreaterThan(1);
    expect(failed).toEqual(["note"]);
    environment.files.add("/root/note");
    environment.emit({ kind: "input", vm: "alpha" });
    await vi.advanceTimersByTimeAsync(200);
    expect(failed).toEqual(["note"]);
    expect(done).toEqual(["note"]);
  });

  it("keeps steps done from saved progress and stops after destroy", async () => {
    engine.destroy();
    engine = new LabEngine(lab, environment, { done: ["note"], onDone: (id) => done.push(id) });
    expect(engine.isDone("note")).toBe(true);
    environment.facts_.vms = { alpha: vm("running") };
    await vi.advanceTimersByTimeAsync(10_000);
    expect(environment.guestCalls).toEqual([]);
    engine.destroy();
    expect(environment.listenerCount).toBe(0);
  });
});

describe("LabEngine in an ordered lab", () => {
  const ordered = extractActivities(
    "ordered.mdx",
    SOURCE.replace('<Lab id="demo" title="Demo">', '<Lab id="demo" title="Demo" ordered="true">'),
  ).labs[0]!;

  afterEach(() => vi.useRealTimers());

  it("counts a check only once the steps before it are done, then catches up", async () => {
    vi.useFakeTimers();
    const environment = new FakeEnvironment();
    const done: string[] = [];
    const engine = new LabEngine(ordered, environment, {
      onDone: (id) => done.push(id),
      guestDelayMs: 100,
    });
    // The learner went ahead: the last step's console text and the note are already there.
    environment.consoles.beta = "No such file or directory";
    environment.files.add("/root/note");
    environment.emit({ kind: "console", vm: "beta" });
    expect(done).toEqual([]);
    environment.facts_ = {
      snapshots: 0,
      hostLoad: 0,
      vms: { alpha: vm("running"), beta: vm("running") },
    };
    environment.emit({ kind: "state" });
    expect(done).toEqual(["both"]);
    await vi.advanceTimersByTimeAsync(200);
    expect(done).toEqual(["both", "note", "missing"]);
    engine.destroy();
  });
});
