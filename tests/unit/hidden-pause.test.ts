import { describe, expect, it } from "vitest";
import { Emitter } from "@/lib/emulator/emitter";
import { HiddenTabPause, describeDuration } from "@/lib/emulator/hidden-pause";
import type { VmMachine, VmState } from "@/lib/emulator/vm-machine";

/**
 * Just what HiddenTabPause uses of a machine: name, state, events, pause and resume. With
 * `slowPause` the pause arrives only when `arrive()` is called, as a worker's answer does.
 */
function machine(name: string, state: VmState, { slowPause = false } = {}) {
  const events = new Emitter<{ state: VmState }>();
  const setState = (s: VmState) => {
    m.state = s;
    events.emit("state", s);
  };
  const m = {
    name,
    state,
    events,
    arrive: () => {},
    pause() {
      if (m.state !== "running" && m.state !== "booting") return;
      if (slowPause) m.arrive = () => setState("paused");
      else setState("paused");
    },
    resume() {
      if (m.state === "paused") setState("running");
    },
  };
  return m;
}

describe("HiddenTabPause", () => {
  it("pauses the running VMs when hidden and resumes only those when shown", () => {
    const web = machine("web", "running");
    const db = machine("db", "paused");
    const off = machine("off", "stopped");
    const list = [web, db, off] as unknown as VmMachine[];
    const pause = new HiddenTabPause(() => list);
    expect(pause.hidden(1000)).toBe(1);
    expect(web.state).toBe("paused");
    expect(pause.shown(1000 + 125_000)).toBe(
      "web was paused for 2 min 5 s while this tab was hidden, and has resumed.",
    );
    expect(web.state).toBe("running");
    // The learner paused db before: it stays paused.
    expect(db.state).toBe("paused");
    expect(off.state).toBe("stopped");
  });

  it("leaves alone a VM deleted or powered off while the tab was hidden", () => {
    const a = machine("a", "running");
    const b = machine("b", "running");
    const list = [a, b] as unknown as VmMachine[];
    const pause = new HiddenTabPause(() => list);
    pause.hidden(0);
    list.splice(1, 1);
    a.state = "stopped";
    expect(pause.shown(5000)).toBeUndefined();
    expect(a.state).toBe("stopped");
  });
  it("resumes a VM whose pause arrives after the tab was shown again", () => {
    const slow = machine("slow", "running", { slowPause: true });
    const list = [slow] as unknown as VmMachine[];
    const pause = new HiddenTabPause(() => list);
    pause.hidden(0);
    expect(slow.state).toBe("running");
    expect(pause.shown(300)).toBeUndefined();
    slow.arrive();
    expect(slow.state).toBe("running");
  });
});

describe("describeDuration", () => {
  it("says seconds, minutes or hours", () => {
    expect(describeDuration(4_400)).toBe("4 s");
    expect(describeDuration(61_000)).toBe("1 min 1 s");
    expect(describeDuration(3 * 3600_000 + 60_000)).toBe("3 h 1 min");
  });
});
