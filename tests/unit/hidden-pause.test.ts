import { describe, expect, it } from "vitest";
import { HiddenTabPause, describeDuration } from "@/lib/emulator/hidden-pause";
import type { VmMachine, VmState } from "@/lib/emulator/vm-machine";

/** Just what HiddenTabPause uses of a machine: its name, state, pause and resume. */
function machine(name: string, state: VmState) {
  const m = {
    name,
    state,
    pause() {
      if (m.state === "running" || m.state === "booting") m.state = "paused";
    },
    resume() {
      if (m.state === "paused") m.state = "running";
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
});

describe("describeDuration", () => {
  it("says seconds, minutes or hours", () => {
    expect(describeDuration(4_400)).toBe("4 s");
    expect(describeDuration(61_000)).toBe("1 min 1 s");
    expect(describeDuration(3 * 3600_000 + 60_000)).toBe("3 h 1 min");
  });
});
