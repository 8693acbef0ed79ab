import type { VmMachine } from "./vm-machine";

/**
 * "Pause VMs while this tab is hidden": when the page is hidden, the VMs that are running are
 * paused; when it is shown again, those same VMs (and only those) resume, and the learner is told
 * for how long they were paused. Off by default: a lab in progress keeps running in a background
 * tab. No DOM here: the caller says when the page is hidden or shown.
 */
export class HiddenTabPause {
  private paused: VmMachine[] = [];
  private hiddenAt: number | undefined;

  constructor(private readonly machines: () => readonly VmMachine[]) {}

  /** The page was hidden: pauses its running VMs. Returns how many. */
  hidden(now: number): number {
    this.hiddenAt = now;
    this.paused = this.machines().filter((m) => m.state === "running" || m.state === "booting");
    for (const machine of this.paused) machine.pause();
    return this.paused.length;
  }

  /** How long a pause asked for may take to arrive (the VM's worker says when it stopped). */
  static readonly PAUSE_ARRIVES_MS = 5000;

  /**
   * The page is shown again: resumes what it paused (a VM deleted or powered off meanwhile stays
   * as it is). Returns what to tell the learner, or undefined if nothing was paused.
   */
  shown(now: number): string | undefined {
    const asked = this.paused.filter((m) => this.machines().includes(m));
    // Pauses still on their way (shown again before the worker stopped): resumed on arrival.
    for (const machine of asked.filter((m) => m.state === "running" || m.state === "booting"))
      resumeWhenPaused(machine, HiddenTabPause.PAUSE_ARRIVES_MS);
    const paused = asked.filter((m) => m.state === "paused");
    const hiddenFor = this.hiddenAt === undefined ? 0 : now - this.hiddenAt;
    this.paused = [];
    this.hiddenAt = undefined;
    if (paused.length === 0) return undefined;
    for (const machine of paused) machine.resume();
    const names = paused.map((m) => m.name).join(", ");
    return `${names} ${paused.length === 1 ? "was" : "were"} paused for ${describeDuration(hiddenFor)} while this tab was hidden, and ${paused.length === 1 ? "has" : "have"} resumed.`;
  }
}

/** Resumes a VM as soon as the pause asked for arrives, if it does within `withinMs`. */
function resumeWhenPaused(machine: VmMachine, withinMs: number): void {
  const stop = machine.events.on("state", (state) => {
    if (state !== "paused") return;
    stop();
    clearTimeout(timer);
    machine.resume();
  });
  const timer = setTimeout(stop, withinMs);
}

export function describeDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
