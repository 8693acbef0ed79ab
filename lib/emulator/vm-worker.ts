/// <reference lib="webworker" />
import { CpuGate } from "./cpu-gate";
import { DiskChangeTracker, type DiskChangesRequest } from "./disk-changes";
import { watchDisk, type IdeDisk } from "./disk-watch";
import { MemoryProbe, type MemoryCpu } from "./memory-probe";
import { KERNEL_PANIC_TEXT, TextWatch } from "./serial-watch";
import { getSharedFile, listShared, putSharedFile, type NinePFs } from "./shared-folder-fs";
import { compressState, decompressState } from "./snapshots";
import { intoNicOf, VmSwitchLine, type NicHost } from "./switch-line";
import { coalesceYields, measureTurnUs, turnGapMs } from "./yield-coalesce";
import { afterEachSlice, wakeAtOnce } from "./slice-hooks";
import type {
  BootRequest,
  HostToWorker,
  StatsSample,
  WorkerToHost,
  YieldMode,
} from "./worker-protocol";

/**
 * One VM's emulator, in its own worker so that several VMs use all the host's cores and the
 * page stays responsive. No DOM here: serial bytes and the text screen go to the page as messages.
 *
 * Over 300 lines on purpose: a worker's module state (the one emulator, its disk and change
 * record, the timers, the boot/power-off queue) is what every message handler reads and
 * changes; split into modules, that state would be passed around or shared as globals instead.
 * What stands alone already lives apart: disk-watch.ts, disk-changes.ts, serial-watch.ts.
 */

interface CpuRunner {
  /** The tick v86 waits for; a yield callback with another is stale. */
  tick_counter: number;
  /** Stop was asked (or the emulator is not running): the next slice only says it stopped. */
  running: boolean;
  stopping: boolean;
  yield(delayMs: number, tick: number): void;
  yield_callback(tick: number): void;
  unregister_yield(): void;
  cpu: {
    in_hlt: Uint8Array;
    flags: Int32Array;
    devices: {
      ide?: { primary?: { master?: IdeDisk } };
    };
  };
}
interface Emulator {
  v86: CpuRunner;
  add_listener(event: string, fn: (arg: never) => void): void;
  serial_send_bytes(port: number, bytes: Uint8Array): void;
  serial0_send(text: string): void;
  get_instruction_counter(): number;
  run(): Promise<void>;
  stop(): Promise<void>;
  destroy(): Promise<void>;
  is_running(): boolean;
  save_state(): Promise<ArrayBuffer>;
  bus: { send(event: string, value: unknown): void };
  screen_adapter?: { get_text_screen(): string[] };
  /** The shared folder's filesystem, when the machine has one (options.filesystem). */
  fs9p?: NinePFs;
}
type V86Ctor = new (options: object) => Emulator;

const scope = self as unknown as DedicatedWorkerGlobalScope;
let v86Ctor: Promise<V86Ctor> | undefined;
let emulator: Emulator | undefined;
/** helper-worker mode: the line to the yield helper the page made for this VM. */
let helperPort: MessagePort | undefined;
/** The CPU scheduler's gate, when the page runs one: every slice then waits for its turn. */
let cpuGate: CpuGate | undefined;
/** A pause asked for before the emulator ran (while a boot loads); reset by each boot. */
let pauseWanted = false;
let blankDisk: ArrayBuffer | undefined;
/** The VM's line to the switch's worker, when it is on the switch. */
let switchLine: VmSwitchLine | undefined;
/** What one event-loop turn costs this engine, measured once per worker (yield-coalesce.ts). */
let turnUs: Promise<number> | undefined;
/** Settles once the current emulator has loaded (v86 made its CPU, restored its state). */
let emulatorLoaded: Promise<unknown> = Promise.resolve();
/** How long a power-off waits for a loading emulator before destroying it anyway. */
const LOAD_WAIT_MS = 10_000;
/** Chunks of this worker's disk written since the page last took them (across power cycles). */
const diskChanges = new DiskChangeTracker();
let statsTimer: ReturnType<typeof setInterval> | undefined;
let flushTimer: ReturnType<typeof setTimeout> | undefined;
let screenTimer: ReturnType<typeof setTimeout> | undefined;
const counters = { diskReadBytes: 0, diskWriteBytes: 0, netRxPackets: 0, netTxPackets: 0 };
const pending: [number[], number[]] = [[], []];
let crashed = false;
let readyAt: number | undefined;
let screenReady: (rows: string[]) => void = () => {};

function post(message: WorkerToHost, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

/**
 * v86 picks its yield when the module is evaluated: with `Worker` defined it creates a helper
 * worker from a blob URL. Hiding `Worker` during the import makes it take the plain branch, which
 * we then replace per instance, so no blob worker exists (and `worker-src blob:` is not needed).
 */
function loadV86(libUrl: string, mode: YieldMode): Promise<V86Ctor> {
  v86Ctor ??= (async () => {
    const g = globalThis as { Worker?: unknown };
    const saved = g.Worker;
    if (mode !== "v86-default") g.Worker = undefined;
    try {
      const mod = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ libUrl)) as {
        V86: V86Ctor;
      };
      return mod.V86;
    } finally {
      g.Worker = saved;
    }
  })();
  return v86Ctor;
}

function installYield(runner: CpuRunner, mode: YieldMode): void {
  if (cpuGate) return installScheduledYield(runner, cpuGate);
  if (mode === "v86-default") return;
  const port = helperPort;
  if (mode === "helper-worker" && port) {
    port.onmessage = (event: MessageEvent<number>) => runner.yield_callback(event.data);
    runner.yield = (delay, tick) => port.postMessage({ delay, tick });
    runner.unregister_yield = () => (port.onmessage = null);
  } else if (mode === "message-channel" || mode === "helper-worker") {
    // helper-worker without a port (a host that makes no helper): the same ends, in this thread.
    const channel = new MessageChannel();
    let pendingTick = 0;
    let pendingDelay = 0;
    // Idle waits start their timer from the message task: a setTimeout chained from timer
    // callbacks is clamped to 4 ms after five levels, which stretches every short guest wait.
    channel.port1.onmessage = () => {
      const tick = pendingTick;
      if (pendingDelay < 1) runner.yield_callback(tick);
      else setTimeout(() => runner.yield_callback(tick), pendingDelay);
    };
    runner.yield = (delay, tick) => {
      pendingTick = tick;
      pendingDelay = delay;
      channel.port2.postMessage(null);
    };
    runner.unregister_yield = () => channel.port1.close();
  } else if (mode === "scheduler") {
    const scheduler = (
      globalThis as unknown as {
        scheduler: { postTask(cb: () => void, o: { delay: number }): void };
      }
    ).scheduler;
    runner.yield = (delay, tick) =>
      scheduler.postTask(() => runner.yield_callback(tick), { delay: Math.max(0, delay) });
  } else {
    runner.yield = (delay, tick) =>
      setTimeout(() => runner.yield_callback(tick), Math.max(0, delay));
  }
}

/**
 * Under the CPU scheduler: an in-thread round trip (no helper thread to wake once a slice), and
 * before each slice the gate, which blocks this worker while another VM has the core. A wait is
 * capped (MAX_GATE_WAIT_MS) and then goes back through the event loop, so that pause, input and
 * power-off messages are handled even while the VM gets no turn.
 */
function installScheduledYield(runner: CpuRunner, gate: CpuGate): void {
  const channel = new MessageChannel();
  // Each message carries its own tick: a refused turn is retried with the tick it was for, and
  // a tick v86 has moved past (an interrupt woke it meanwhile) is dropped before the gate.
  const nextSlice = (tick: number) => {
    if (runner.tick_counter !== tick) return;
    // A stopping or stopped emulator runs no guest code: no turn to wait for (an interrupt to a
    // paused VM would otherwise bring it back to the gate).
    if (!runner.running || runner.stopping) runner.yield_callback(tick);
    else if (gate.takeTurn()) runner.yield_callback(tick);
    else channel.port2.postMessage([0, tick]);
  };
  channel.port1.onmessage = (event: MessageEvent<[delay: number, tick: number]>) => {
    const [delay, tick] = event.data;
    if (delay < 1) nextSlice(tick);
    else setTimeout(() => nextSlice(tick), delay);
  };
  runner.yield = (delay, tick) => {
    gate.sliceEnded();
    if (delay >= 1) gate.idle();
    channel.port2.postMessage([delay, tick]);
  };
  runner.unregister_yield = () => {
    gate.off();
    channel.port1.close();
  };
}

function queueSerial(port: 0 | 1, byte: number): void {
  pending[port].push(byte);
  flushTimer ??= setTimeout(flushSerial, 4);
}

function flushSerial(): void {
  flushTimer = undefined;
  for (const port of [0, 1] as const) {
    if (pending[port].length === 0) continue;
    const bytes = Uint8Array.from(pending[port]);
    pending[port] = [];
    post({ type: "serial", port, bytes }, [bytes.buffer]);
  }
}

function queueScreen(): void {
  screenTimer ??= setTimeout(() => {
    screenTimer = undefined;
    const rows = emulator?.screen_adapter?.get_text_screen();
    if (!rows) return;
    screenReady(rows);
    post({ type: "screen", rows });
  }, 150);
}

function crash(reason: string): void {
  if (crashed) return;
  crashed = true;
  post({ type: "crashed", reason });
  // A crashed guest spins; stopping it gives its share of the host back to the others.
  void emulator?.stop();
}

function sampleStats(): void {
  if (!emulator) return;
  const running = emulator.is_running();
  const sample: StatsSample = {
    t: performance.now(),
    counter: emulator.get_instruction_counter(),
    running,
    ...counters,
    cpuTicks: cpuGate?.ticks(),
  };
  post({ type: "stats", sample });
  // A CPU halted with interrupts off never wakes up again.
  const cpu = emulator.v86.cpu;
  if (running && cpu.in_hlt[0] === 1 && (cpu.flags[0]! & 0x200) === 0)
    crash("the CPU halted with interrupts disabled");
}

async function boot(req: BootRequest): Promise<void> {
  await powerOff();
  crashed = false;
  pauseWanted = false;
  Object.assign(counters, {
    diskReadBytes: 0,
    diskWriteBytes: 0,
    netRxPackets: 0,
    netTxPackets: 0,
  });
  const startedAt = performance.now();
  post({ type: "booting", startedAt });
  const V86 = await loadV86(req.libUrl, req.yieldMode);
  const gapMs = turnGapMs(await (turnUs ??= measureTurnUs()));
  const initialState = req.options.initial_state;
  // A learner's snapshot is gzip (CompressionStream); v86 itself reads only zstd or raw.
  if (initialState && "buffer" in initialState)
    initialState.buffer = await decompressState(initialState.buffer);
  const options: Record<string, unknown> = {
    ...req.options,
    autostart: !req.prepareOnly,
    wasm_fn: async (imports: WebAssembly.Imports) =>
      (await WebAssembly.instantiate(req.wasmModule, imports)).exports,
  };
  if (req.blankDiskBytes > 0) {
    if (!blankDisk && req.diskImage?.byteLength === req.blankDiskBytes) blankDisk = req.diskImage;
    blankDisk ??= new ArrayBuffer(req.blankDiskBytes);
    options.hda = { buffer: blankDisk };
  }
  const emu = new V86(options);
  emulator = emu;
  emulatorLoaded = new Promise((resolve) => emu.add_listener("emulator-loaded", resolve));
  memory.reset();
  // v86 makes its CPU runner once the wasm is instantiated, before the first slice runs.
  let runner: CpuRunner | undefined;
  Object.defineProperty(emu, "v86", {
    configurable: true,
    get: () => runner,
    set: (value: CpuRunner) => {
      runner = value;
      installYield(value, req.yieldMode);
      // Under the scheduler every slice goes through the gate: coalesced slices would run (and
      // wake from idle) without a turn and without being counted.
      if (!cpuGate) {
        coalesceYields(value, gapMs);
        wakeAtOnce(value);
      }
      afterEachSlice(value, () => switchLine?.afterSlice());
    },
  });

  const panic = new TextWatch(KERNEL_PANIC_TEXT, () =>
    crash("the guest kernel panicked (Kernel panic on the serial console)"),
  );
  readyAt = undefined;
  const ready = new TextWatch(req.readyText, () => {
    if (readyAt === undefined) {
      readyAt = performance.now();
      post({ type: "ready", at: readyAt });
    }
  });
  screenReady = (rows) => {
    if (readyAt === undefined && rows.some((r) => r.includes(req.readyText)))
      ready.push(req.readyText);
  };
  emu.add_listener("serial0-output-byte", (b: number) => {
    queueSerial(0, b);
    const text = String.fromCharCode(b);
    panic.push(text);
    if (readyAt === undefined) ready.push(text);
  });
  emu.add_listener("serial1-output-byte", (b: number) => queueSerial(1, b));
  emu.add_listener("screen-put-char", () => queueScreen());
  emu.add_listener("screen-set-size", () => queueScreen());
  emu.add_listener(
    "ide-read-end",
    ([, bytes]: [number, number]) => (counters.diskReadBytes += bytes),
  );
  emu.add_listener(
    "ide-write-end",
    ([, bytes]: [number, number]) => (counters.diskWriteBytes += bytes),
  );
  emu.add_listener("eth-receive-end", () => counters.netRxPackets++);
  emu.add_listener("eth-transmit-end", () => counters.netTxPackets++);
  if (req.forwardFrames)
    emu.add_listener("net0-send", (frame: Uint8Array) => switchLine?.send(frame));
  emu.add_listener("emulator-started", () => {
    post({ type: "running" });
    if (pauseWanted) void emu.stop();
  });
  emu.add_listener("emulator-stopped", () => {
    cpuGate?.off();
    if (emulator === emu) post({ type: "paused" });
  });
  emu.add_listener("emulator-loaded", () => {
    if (req.prepareOnly) post({ type: "prepared" });
    watchLiveDisk();
    if (req.readyText === "") ready.push("");
    if (req.nudgeAfterRestore) emu.serial0_send("\n");
    statsTimer ??= setInterval(sampleStats, 1000);
    sampleStats();
  });
}

async function powerOff(): Promise<void> {
  if (statsTimer) clearInterval(statsTimer);
  statsTimer = undefined;
  if (screenTimer) clearTimeout(screenTimer);
  screenTimer = undefined;
  const emu = emulator;
  if (!emu) return;
  // Restoring a snapshot gives v86's disk a new buffer: keep that one for the next power-on.
  blankDisk = liveDisk() ?? blankDisk;
  emulator = undefined;
  flushSerial();
  // v86 cannot be destroyed before it has made its CPU ("this.v86 is undefined"): a Start that
  // overtakes a pre-warming boot still compiling its wasm (slow in WebKit) waits for it here.
  await Promise.race([emulatorLoaded, new Promise((resolve) => setTimeout(resolve, LOAD_WAIT_MS))]);
  await emu.destroy();
}

/**
 * Boots and power-offs run one after another: a boot that arrives while the previous one still
 * awaits must find that emulator made, to destroy it, or two would run in this worker.
 */
let lifecycle: Promise<void> = Promise.resolve();
function inTurn(step: () => Promise<void>): Promise<void> {
  const next = lifecycle.then(step);
  lifecycle = next.catch(() => undefined);
  return next;
}

async function handle(msg: HostToWorker): Promise<void> {
  switch (msg.type) {
    case "yield-port":
      helperPort = msg.port;
      return;
    case "cpu-seat":
      cpuGate = new CpuGate(new Int32Array(msg.board), msg.slot);
      return;
    case "boot":
      return inTurn(() => boot(msg));
    case "pause":
      // A boot still loading starts by itself (autostart): it is stopped when it does.
      pauseWanted = true;
      await emulator?.stop();
      return;
    case "resume":
      pauseWanted = false;
      await emulator?.run();
      return;
    case "power-off":
      return inTurn(async () => {
        await powerOff();
        post({ type: "stopped" });
      });
    case "serial":
      emulator?.serial_send_bytes(msg.port, msg.bytes);
      return;
    case "net-line":
      switchLine?.close();
      switchLine = new VmSwitchLine(msg.line, msg.credits, (frame) =>
        intoNicOf(emulator as NicHost | undefined, frame),
      );
      return;
    case "save-state":
      return saveState(msg.id).catch((e: unknown) => requestFailed(msg.id, e));
    case "read-disk":
      return readDisk(msg.id);
    case "read-disk-changes":
      return readDiskChanges(msg.id, msg);
    case "scancodes":
      for (const code of msg.codes) emulator?.bus.send("keyboard-code", code);
      return;
    case "put-file":
    case "get-file":
    case "list-files":
      return sharedFolder(msg).catch((e: unknown) => requestFailed(msg.id, e));
    case "scan-memory":
    case "balloon":
    case "hint-free-pages":
      return memoryRequest(msg).catch((e: unknown) => requestFailed(msg.id, e));
  }
}

/** The VM's RAM and balloon (memory-probe.ts); the scan's keys travel, not a copy. */
const memory = new MemoryProbe(() => emulator?.v86?.cpu as MemoryCpu | undefined);
async function memoryRequest(
  msg: Extract<HostToWorker, { type: "scan-memory" | "balloon" | "hint-free-pages" }>,
): Promise<void> {
  if (msg.type === "scan-memory") {
    const scan = memory.scan();
    post({ type: "memory-scanned", id: msg.id, scan }, [scan.keys.buffer]);
  } else if (msg.type === "balloon") {
    post({ type: "balloon-read", id: msg.id, balloon: await memory.balloon(msg.targetMb) });
  } else {
    post({ type: "free-pages-hinted", id: msg.id, bytes: await memory.hintFreePages() });
  }
}

/** The shared folder's requests; it lives in the emulator, so none without one running. */
async function sharedFolder(
  msg: Extract<HostToWorker, { type: "put-file" | "get-file" | "list-files" }>,
): Promise<void> {
  const fs = emulator?.fs9p;
  if (!fs)
    throw new Error(emulator ? "this machine has no shared folder" : "the VM is not running");
  if (msg.type === "put-file") {
    await putSharedFile(fs, msg.name, new Uint8Array(msg.data));
    post({ type: "file-put", id: msg.id });
  } else if (msg.type === "get-file") {
    const data = (await getSharedFile(fs, msg.path)).slice().buffer;
    post({ type: "file-got", id: msg.id, data }, [data]);
  } else {
    post({ type: "files-listed", id: msg.id, ...listShared(fs) });
  }
}

/** The disk v86 reads and writes now (a restored snapshot replaces the buffer it started with). */
function liveDisk(): ArrayBuffer | undefined {
  return emulator?.v86?.cpu.devices.ide?.primary?.master?.buffer?.buffer;
}

function readDisk(id: number): void {
  const disk = liveDisk() ?? blankDisk;
  const data = disk?.slice(0);
  post({ type: "disk-read", id, data }, data ? [data] : []);
}

/** False when v86's disk could not be watched: the page then gets every chunk, every time. */
let diskWatched = true;

function watchLiveDisk(): void {
  const disk = emulator?.v86?.cpu.devices.ide?.primary?.master;
  if (!disk?.buffer) return;
  try {
    diskWatched = watchDisk(
      disk,
      diskChanges,
      () => post({ type: "disk-dirty" }),
      () => post({ type: "disk-flush" }),
    );
  } catch {
    diskWatched = false;
  }
}

/** Runs between two emulator slices: the copies are one instant of the disk. */
function readDiskChanges(id: number, request: DiskChangesRequest): void {
  const disk = liveDisk() ?? blankDisk;
  const full = request.full || !diskWatched;
  const changes = disk ? diskChanges.take(disk, { ...request, full }) : undefined;
  const transfer = changes?.chunks.flatMap((c) => (c.data ? [c.data] : [])) ?? [];
  post({ type: "disk-changes", id, changes }, transfer);
}

/** A failed save or restore is reported to its caller; the VM itself carries on. */
function requestFailed(id: number, error: unknown): void {
  post({
    type: "request-failed",
    id,
    message: error instanceof Error ? error.message : String(error),
  });
}

async function saveState(id: number): Promise<void> {
  const emu = emulator;
  if (!emu) return post({ type: "request-failed", id, message: "the VM is not running" });
  const startedAt = performance.now();
  const raw = await emu.save_state();
  const { data, format } = await compressState(raw);
  const ms = performance.now() - startedAt;
  post({ type: "state-saved", id, data, rawBytes: raw.byteLength, format, ms }, [data]);
}

scope.onmessage = (event: MessageEvent<HostToWorker>) => {
  handle(event.data).catch((error: unknown) =>
    post({ type: "error", message: error instanceof Error ? error.message : String(error) }),
  );
};
