import { toRegExp } from "./checks";
import type { Check } from "./checks";
import type { LabDefinition, StepDefinition } from "./definition";
import { evaluateHostCheck } from "./facts";
import type { LabFacts } from "./facts";

/** What a lab needs from the machines it runs on; the VM runtime provides it, tests fake it. */
export interface LabEnvironment {
  facts(): LabFacts;
  /** Everything a machine printed on its console since the lab opened (may be trimmed at the front). */
  consoleText(vm: string): string;
  /** Runs a command through the guest agent; resolves with its exit status. */
  runGuestCheck(vm: string, command: string): Promise<{ exitStatus: number }>;
  subscribe(listener: (event: LabEvent) => void): () => void;
}

/**
 * `state`/`stats`: host facts changed; `console`: a machine printed; `input`: the learner sent a
 * line to a machine (the moment a guest-side change becomes likely).
 */
export type LabEvent = { kind: "state" | "stats" } | { kind: "console" | "input"; vm: string };

export interface LabEngineOptions {
  done?: Iterable<string>;
  onDone(stepId: string): void;
  /** A guest check failed soon after the learner typed (not the slow periodic re-checks). */
  onCheckFailed?(stepId: string): void;
  /** Delay after typed input before guest checks run, and the slow re-check period while todo. */
  guestDelayMs?: number;
  guestPeriodMs?: number;
}

/**
 * Turns steps done when their checks pass. Checks run when something they depend on changes:
 * host checks on state and stats, console checks on output, guest checks shortly after input and
 * then slowly (one agent call per machine at a time), never in a tight loop.
 */
export class LabEngine {
  private readonly done: Set<string>;
  private readonly unsubscribe: () => void;
  private readonly guestBusy = new Set<string>();
  /** Machines the learner typed into since their guest checks last ran. */
  private readonly typedInto = new Set<string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Console checks' expressions, made once per step from the validated definition. */
  private readonly patterns = new Map<string, RegExp>();
  private periodic: ReturnType<typeof setInterval> | undefined;
  private destroyed = false;

  constructor(
    private readonly lab: LabDefinition,
    private readonly environment: LabEnvironment,
    private readonly options: LabEngineOptions,
  ) {
    this.done = new Set(options.done ?? []);
    this.unsubscribe = environment.subscribe((event) => this.handle(event));
    this.periodic = setInterval(() => this.scheduleGuestChecks(), options.guestPeriodMs ?? 5000);
    this.evaluateLocal();
  }

  isDone(stepId: string): boolean {
    return this.done.has(stepId);
  }

  /** Forgets every step (the lab was reset); they will turn done again as their checks pass. */
  reset(): void {
    this.done.clear();
  }

  destroy(): void {
    this.destroyed = true;
    this.unsubscribe();
    clearInterval(this.periodic);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Steps whose checks may run now: those not done, or in an ordered lab the first of them. */
  private todo(kind: Check["kind"]): StepDefinition[] {
    const open = this.lab.steps.filter((step) => !this.done.has(step.id));
    return (this.lab.ordered ? open.slice(0, 1) : open).filter((step) => step.check.kind === kind);
  }

  private handle(event: LabEvent): void {
    if (event.kind === "input") {
      this.typedInto.add(event.vm);
      this.scheduleGuestChecks(event.vm, this.options.guestDelayMs ?? 400);
    } else if (event.kind === "state") {
      this.scheduleGuestChecks(undefined, this.options.guestDelayMs ?? 400);
    }
    this.evaluateLocal();
  }

  private markDone(step: StepDefinition): void {
    if (this.destroyed || this.done.has(step.id)) return;
    this.done.add(step.id);
    this.options.onDone(step.id);
    if (this.lab.ordered) {
      // The next step's check may already hold (the learner went ahead of the list).
      this.evaluateLocal();
      this.scheduleGuestChecks();
    }
  }

  /** Host and console checks are cheap and synchronous. */
  private evaluateLocal(): void {
    const facts = this.environment.facts();
    for (const step of this.todo("host")) {
      if (step.check.kind === "host" && evaluateHostCheck(step.check, facts)) this.markDone(step);
    }
    for (const step of this.todo("console")) {
      if (step.check.kind !== "console") continue;
      let pattern = this.patterns.get(step.id);
      if (!pattern) this.patterns.set(step.id, (pattern = toRegExp(step.check.pattern)));
      if (pattern.test(this.environment.consoleText(step.check.vm))) this.markDone(step);
    }
  }

  private scheduleGuestChecks(vm?: string, delayMs = 0): void {
    const machines = vm ? [vm] : this.lab.machines.map((machine) => machine.name);
    for (const name of machines) {
      if (!this.todo("guest").some((step) => step.vm === name)) continue;
      clearTimeout(this.timers.get(name));
      this.timers.set(
        name,
        setTimeout(() => {
          this.timers.delete(name);
          void this.runGuestChecks(name);
        }, delayMs),
      );
    }
  }

  private async runGuestChecks(vm: string): Promise<void> {
    if (this.guestBusy.has(vm) || this.destroyed) return;
    if (this.environment.facts().vms[vm]?.state !== "running") return;
    this.guestBusy.add(vm);
    const doneBefore = this.done.size;
    // Only the first step still todo is the one the learner works on: a later one failing is no news.
    let reportFailure = this.typedInto.delete(vm);
    try {
      for (const step of this.todo("guest").filter((candidate) => candidate.vm === vm)) {
        if (step.check.kind !== "guest") continue;
        try {
          const { exitStatus } = await this.environment.runGuestCheck(vm, step.check.command);
          if (exitStatus === 0) this.markDone(step);
          else if (reportFailure && !this.destroyed) this.options.onCheckFailed?.(step.id);
          reportFailure = false;
        } catch {
          // The machine stopped or the agent timed out: the next event or period tries again.
          break;
        }
      }
    } finally {
      this.guestBusy.delete(vm);
      // In an ordered lab a step done here lets the next one's check run (it was busy until now).
      if (this.lab.ordered && this.done.size > doneBefore) this.scheduleGuestChecks();
    }
  }
}
