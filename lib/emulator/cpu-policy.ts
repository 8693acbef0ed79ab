/**
 * The CPU scheduler's policy, as a hypervisor's (ESXi's shares, limits and reservations): which
 * VMs may run during the next quantum, given what each ran so far. Pure: no clock, no threads;
 * the scheduler thread (cpu-scheduler.worker.ts) feeds it measurements, and tests feed it a
 * simulated clock.
 *
 * - At most `cores` VMs run at once. A VM is "runnable" when its guest has work (not halted
 *   waiting for an interrupt); idle VMs hold no core and are never counted.
 * - Among runnable VMs, the one that has run least for its **shares** goes first: each VM's
 *   virtual time grows by the time it ran divided by its shares (stride scheduling), so twice the
 *   shares means twice the CPU when both want it.
 * - A **limit** (percent of one core) caps a VM even when cores are free: it earns that fraction
 *   of the time passing as credit and spends what it runs; without credit it waits.
 * - A **reservation** (percent of one core) is a floor: a runnable VM that got less than its
 *   reservation over the recent past goes before every VM that did not reserve or got enough.
 * - A VM that wakes from idle starts no further back than one quantum behind the others, so
 *   sleeping does not bank unbounded CPU, and interactive VMs get the next turn.
 */

export interface CpuSettings {
  /** Relative weight when VMs compete: 500 low, 1000 normal, 2000 high (ESXi's scale). */
  shares: number;
  /** Cap in percent of one core, or null for none. */
  limitPct: number | null;
  /** Guaranteed minimum in percent of one core (0 for none). */
  reservationPct: number;
}

export const SHARE_LEVELS = { low: 500, normal: 1000, high: 2000 } as const;
export const DEFAULT_CPU_SETTINGS: CpuSettings = {
  shares: SHARE_LEVELS.normal,
  limitPct: null,
  reservationPct: 0,
};

/** How far back "recent" reaches for reservations (an exponential average's time constant). */
const RECENT_MS = 1000;
/** The most credit a limited VM can bank: it may burst this long after idling. */
const MAX_CREDIT_QUANTA = 2;

interface Entry {
  settings: CpuSettings;
  runnable: boolean;
  /** Stride scheduling's pass: ran time / shares. */
  vtime: number;
  /** Limit credit in ms (only meaningful with a limit). */
  credit: number;
  /** Recent fraction of one core this VM ran (exponential average). */
  recentShare: number;
  /**
   * Run time reported beyond the time that passed (slices end in lumps of a millisecond or more
   * around a decision), charged in the next round instead of lost.
   */
  carryMs: number;
}

export class CpuPolicy {
  private readonly vms = new Map<number, Entry>();

  constructor(
    private cores: number,
    readonly quantumMs: number,
  ) {
    if (!(cores >= 1)) throw new RangeError("cores must be at least 1");
  }

  get coreCount(): number {
    return this.cores;
  }

  setCores(cores: number): void {
    if (!(cores >= 1)) throw new RangeError("cores must be at least 1");
    this.cores = cores;
  }

  add(id: number, settings: CpuSettings = DEFAULT_CPU_SETTINGS): void {
    this.vms.set(id, {
      settings,
      runnable: false,
      vtime: this.floorVtime(),
      credit: this.quantumMs,
      recentShare: 0,
      carryMs: 0,
    });
  }

  remove(id: number): void {
    this.vms.delete(id);
  }

  has(id: number): boolean {
    return this.vms.has(id);
  }

  update(id: number, settings: CpuSettings): void {
    const vm = this.vms.get(id);
    if (vm) vm.settings = settings;
  }

  setRunnable(id: number, runnable: boolean): void {
    const vm = this.vms.get(id);
    if (!vm || vm.runnable === runnable) return;
    // Waking from idle: at most one quantum (of this VM's own running) behind the others.
    if (runnable)
      vm.vtime = Math.max(vm.vtime, this.floorVtime() - this.quantumMs / vm.settings.shares);
    vm.runnable = runnable;
  }

  /**
   * Charges what each VM ran during the `elapsedMs` since the last call (`ranMs` by id; VMs not
   * listed ran nothing).
   */
  account(elapsedMs: number, ranMs: ReadonlyMap<number, number>): void {
    if (elapsedMs <= 0) return;
    const decay = Math.exp(-elapsedMs / RECENT_MS);
    for (const [id, vm] of this.vms) {
      const reported = Math.max(0, ranMs.get(id) ?? 0) + vm.carryMs;
      const ran = Math.min(reported, elapsedMs);
      vm.carryMs = reported - ran;
      vm.vtime += ran / vm.settings.shares;
      vm.recentShare = vm.recentShare * decay + (ran / elapsedMs) * (1 - decay);
      const limit = vm.settings.limitPct;
      if (limit !== null)
        vm.credit = Math.min(
          vm.credit + (elapsedMs * limit) / 100 - ran,
          this.quantumMs * MAX_CREDIT_QUANTA,
        );
    }
  }

  /**
   * The VMs that may run next. When no more VMs are runnable than there are cores (and no limit
   * holds one back), every VM may run, idle ones included, so a waking guest never waits.
   */
  decide(): Set<number> {
    const allowed = [...this.vms].filter(([, vm]) => this.withinLimit(vm));
    const runnable = allowed.filter(([, vm]) => vm.runnable);
    if (runnable.length <= this.cores) return new Set(allowed.map(([id]) => id));
    const reserved = (vm: Entry) =>
      vm.settings.reservationPct > 0 && vm.recentShare * 100 < vm.settings.reservationPct;
    runnable.sort(([, a], [, b]) => {
      const byReservation = Number(reserved(b)) - Number(reserved(a));
      if (byReservation !== 0) return byReservation;
      if (reserved(a) && reserved(b))
        return (
          a.recentShare / a.settings.reservationPct - b.recentShare / b.settings.reservationPct
        );
      return a.vtime - b.vtime;
    });
    return new Set(runnable.slice(0, this.cores).map(([id]) => id));
  }

  private withinLimit(vm: Entry): boolean {
    return vm.settings.limitPct === null || vm.credit > 0;
  }

  /** The smallest virtual time among runnable VMs (0 when none is). */
  private floorVtime(): number {
    let floor = Infinity;
    for (const vm of this.vms.values()) if (vm.runnable) floor = Math.min(floor, vm.vtime);
    return floor === Infinity ? 0 : floor;
  }
}

/**
 * Checks settings for a set of VMs: each in range, and the reservations together within what
 * the host's cores can give. Returns the problems in words, naming the VMs.
 */
export function checkCpuSettings(
  vms: ReadonlyArray<{ name: string; settings: CpuSettings }>,
  cores: number,
): string[] {
  const problems: string[] = [];
  for (const { name, settings } of vms) {
    if (!Number.isInteger(settings.shares) || settings.shares < 1 || settings.shares > 100_000)
      problems.push(`${name}: shares must be a whole number from 1 to 100000`);
    if (settings.limitPct !== null && !(settings.limitPct >= 1 && settings.limitPct <= 100))
      problems.push(`${name}: the limit must be from 1 to 100 % of a core`);
    if (!(settings.reservationPct >= 0 && settings.reservationPct <= 100))
      problems.push(`${name}: the reservation must be from 0 to 100 % of a core`);
    if (settings.limitPct !== null && settings.reservationPct > settings.limitPct)
      problems.push(`${name}: the reservation is above the limit`);
  }
  const reserving = vms.filter((vm) => vm.settings.reservationPct > 0);
  const total = reserving.reduce((sum, vm) => sum + vm.settings.reservationPct, 0);
  if (total > cores * 100)
    problems.push(
      `reservations add up to ${total} % of a core, more than the ${cores * 100} % that ${cores} core${cores > 1 ? "s" : ""} for VMs can give (${reserving.map((vm) => `${vm.name} ${vm.settings.reservationPct} %`).join(", ")})`,
    );
  return problems;
}
