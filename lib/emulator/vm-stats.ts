import { MipsMeter } from "./mips-meter";
import type { StatsSample } from "./worker-protocol";

/** What a VM panel shows of one VM's run: speed, boot time, uptime, disk and network figures. */
export interface VmStats {
  mipsNow: number;
  mipsAverage: number;
  /** Start click to a usable prompt, in ms, for the current boot. */
  bootMs: number | undefined;
  uptimeS: number;
  memoryMb: number;
  diskReadBytes: number;
  diskWriteBytes: number;
  netRxPackets: number;
  netTxPackets: number;
  /**
   * What the CPU scheduler gave it over the last second, in percent of one core: time running,
   * and time it had work but waited for a core ("ready"). Undefined without a scheduler.
   */
  cpu?: { runPct: number; readyPct: number };
}

/** The chart keeps two minutes of once-a-second samples. */
const HISTORY_POINTS = 120;

function emptyStats(memoryMb: number): VmStats {
  return {
    mipsNow: 0,
    mipsAverage: 0,
    bootMs: undefined,
    uptimeS: 0,
    memoryMb,
    diskReadBytes: 0,
    diskWriteBytes: 0,
    netRxPackets: 0,
    netTxPackets: 0,
  };
}

/** Turns the worker's once-a-second samples and the VM's lifecycle into VmStats. */
export class VmStatsTracker {
  current: VmStats;
  /** MIPS once a second over the last two minutes, for the chart; t is performance.now(). */
  readonly history: { t: number; mips: number }[] = [];
  private readonly meter = new MipsMeter();
  private clickAt = 0;
  private uptimeMs = 0;
  private lastSampleAt: number | undefined;

  constructor(private readonly memoryMb: number) {
    this.current = emptyStats(memoryMb);
  }

  /** A new start: everything from zero, boot time counted from now. */
  restart(): void {
    this.clickAt = performance.now();
    this.current = emptyStats(this.memoryMb);
    this.uptimeMs = 0;
    this.lastSampleAt = undefined;
    this.meter.resetBaseline();
  }

  /** A boot the worker began by itself (a reset): boot time counted from now. */
  bootBegan(): void {
    this.clickAt = performance.now();
  }

  ready(): void {
    this.current = { ...this.current, bootMs: Math.round(performance.now() - this.clickAt) };
  }

  stopped(): void {
    this.current = { ...this.current, mipsNow: 0 };
  }

  /** The instruction counter jumped (a restored state): the next sample starts a new baseline. */
  resetBaseline(): void {
    this.meter.resetBaseline();
  }

  /**
   * counting: the guest ran during this second (uptime and MIPS count only then). net: the
   * switch port's packet counters, which replace the NIC's own for VMs on the switch.
   */
  sample(
    sample: StatsSample,
    counting: boolean,
    net?: { rxPackets: number; txPackets: number },
    cpu?: { runPct: number; readyPct: number },
  ): VmStats {
    const now = performance.now();
    if (this.lastSampleAt !== undefined && counting) this.uptimeMs += now - this.lastSampleAt;
    this.lastSampleAt = now;
    const mips = this.meter.sample(sample.t, sample.counter, counting);
    this.history.push({ t: now, mips: mips.now });
    if (this.history.length > HISTORY_POINTS)
      this.history.splice(0, this.history.length - HISTORY_POINTS);
    this.current = {
      ...this.current,
      mipsNow: mips.now,
      mipsAverage: mips.average,
      uptimeS: Math.floor(this.uptimeMs / 1000),
      diskReadBytes: sample.diskReadBytes,
      diskWriteBytes: sample.diskWriteBytes,
      netRxPackets: net?.rxPackets ?? sample.netRxPackets,
      netTxPackets: net?.txPackets ?? sample.netTxPackets,
      cpu: cpu && (counting ? cpu : { runPct: 0, readyPct: 0 }),
    };
    return this.current;
  }
}
