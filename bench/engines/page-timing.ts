/*
 * In-page timing for "Start to first answer", sent to the page as source (each stands alone).
 * Times come from the page's own clock, so the driver's round trips do not count: click on Start
 * to the panel's running state, plus first typed key to the answer drawn in the console.
 */

interface StartTiming {
  click: number;
  running: number;
  key: number;
  answer: number;
}

// No local arrow functions held in variables here: tsx names them with a helper the page lacks.
export function armStartTiming(arg: { panel: string; expected: string }): void {
  const panel = document.querySelector(arg.panel)!;
  const t: StartTiming = { click: 0, running: 0, key: 0, answer: 0 };
  (window as unknown as { __startTiming: StartTiming }).__startTiming = t;
  panel.addEventListener("click", () => (t.click ||= performance.now()), {
    capture: true,
    once: true,
  });
  panel.addEventListener("keydown", () => (t.key ||= performance.now()), {
    capture: true,
    once: true,
  });
  const observer = new MutationObserver(() => {
    if (!t.running && panel.getAttribute("data-vm-state") === "running")
      t.running = performance.now();
    const text = panel.querySelector(".xterm-rows")?.textContent ?? "";
    if (t.key && !t.answer && text.includes(arg.expected)) {
      t.answer = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(panel, {
    attributes: true,
    subtree: true,
    childList: true,
    characterData: true,
  });
}

/** Start to first answer in ms, or null until the answer has been seen. */
export function startTiming(): { totalMs: number; bootMs: number; answerMs: number } | null {
  const t = (window as unknown as { __startTiming?: StartTiming }).__startTiming;
  if (!t?.answer) return null;
  return {
    totalMs: t.running - t.click + (t.answer - t.key),
    bootMs: t.running - t.click,
    answerMs: t.answer - t.key,
  };
}

export function statValue(arg: { panel: string; stat: string }): number {
  return Number(document.querySelector(`${arg.panel} [data-stat="${arg.stat}"]`)?.textContent);
}

/** Chromium's whole-page measure (workers included), only where cross-origin isolated. */
export async function userAgentMemoryMb(): Promise<number | null> {
  const perf = performance as Performance & {
    measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }>;
  };
  if (!crossOriginIsolated || !perf.measureUserAgentSpecificMemory) return null;
  const result = await perf.measureUserAgentSpecificMemory();
  return Math.round(result.bytes / 2 ** 20);
}

export function pageFacts(): { crossOriginIsolated: boolean; scheduler: boolean } {
  return { crossOriginIsolated, scheduler: "scheduler" in globalThis };
}

/**
 * What one yield costs this engine: a MessageChannel round trip (how v86 hands the event loop a
 * turn between ~1 ms slices), and a 0 ms setTimeout (which engines clamp), in microseconds.
 */
export async function yieldCostUs(): Promise<{ messageChannel: number; setTimeout0: number }> {
  const channel = new MessageChannel();
  const trips = 2000;
  let t0 = performance.now();
  await new Promise<void>((resolve) => {
    let left = trips;
    channel.port1.onmessage = () => {
      if (--left === 0) resolve();
      else channel.port2.postMessage(null);
    };
    channel.port2.postMessage(null);
  });
  const messageChannel = ((performance.now() - t0) * 1000) / trips;
  channel.port1.close();
  const timeouts = 200;
  t0 = performance.now();
  for (let i = 0; i < timeouts; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  return { messageChannel, setTimeout0: ((performance.now() - t0) * 1000) / timeouts };
}

/**
 * The engine's own WebAssembly speed on the same C code: vbench built for wasm (the overhead
 * panel's host side), 1024 KiB x 100, run in the page; the best of three after a warm-up.
 */
export async function hostVbenchMs(): Promise<number> {
  const bytes = await (await fetch("/images/vbench.wasm")).arrayBuffer();
  const { instance } = await WebAssembly.instantiate(bytes);
  const vbench = instance.exports.vbench as (kib: number, rounds: number) => number;
  vbench(1024, 10);
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    vbench(1024, 100);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/**
 * What compiling code costs the engine, as v86's JIT does for every hot page of guest code: a
 * small module (vbench.wasm, a few KB like one of the JIT's) compiled and instantiated 100
 * times, mean ms each; and v86.wasm itself (2 MB), once.
 */
export async function wasmCompileMs(): Promise<{ smallModule: number; emulator: number }> {
  const small = await (await fetch("/images/vbench.wasm")).arrayBuffer();
  const times = 100;
  let t0 = performance.now();
  for (let i = 0; i < times; i++) await WebAssembly.instantiate(small);
  const smallModule = (performance.now() - t0) / times;
  const emulatorBytes = await (await fetch("/v86/v86.wasm")).arrayBuffer();
  t0 = performance.now();
  await WebAssembly.compile(emulatorBytes);
  return { smallModule, emulator: performance.now() - t0 };
}
