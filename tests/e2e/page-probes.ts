import type { CDPSession, Locator, Page } from "@playwright/test";

/**
 * What the exhaustion, memory and leak tests read from a page: main-thread long tasks and frame
 * gaps, outstanding object URLs and timers (counted by wrapping the page's own functions before
 * any of its scripts run), JS heap after GC, event listeners and worker heaps through CDP.
 */

const PROBES = `(() => {
  const w = window;
  const probes = { longTasks: [], gaps: [], since: performance.now() };
  w.__probes = probes;
  let last = performance.now();
  const frame = () => {
    const now = performance.now();
    probes.gaps.push(now - last);
    last = now;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) probes.longTasks.push({ start: e.startTime, ms: e.duration });
  }).observe({ type: "longtask" });

  const urls = new Set();
  const create = URL.createObjectURL.bind(URL);
  const revoke = URL.revokeObjectURL.bind(URL);
  URL.createObjectURL = (o) => { const u = create(o); urls.add(u); return u; };
  URL.revokeObjectURL = (u) => { urls.delete(u); revoke(u); };

  const intervals = new Set();
  const timeouts = new Set();
  const [si, ci, st, ct] = [w.setInterval, w.clearInterval, w.setTimeout, w.clearTimeout];
  w.setInterval = function (...args) { const id = si.apply(this, args); intervals.add(id); return id; };
  w.clearInterval = function (id) { intervals.delete(id); return ci.call(this, id); };
  w.setTimeout = function (fn, ...rest) {
    const id = st.call(this, typeof fn === "function" ? (...a) => { timeouts.delete(id); fn(...a); } : fn, ...rest);
    timeouts.add(id);
    return id;
  };
  w.clearTimeout = function (id) { timeouts.delete(id); return ct.call(this, id); };

  probes.counts = () => ({ objectUrls: urls.size, intervals: intervals.size, timeouts: timeouts.size });
})();`;

export async function installPageProbes(page: Page): Promise<void> {
  await page.addInitScript(PROBES);
}

export interface MainThreadFigures {
  /** Longest task on the page's main thread (PerformanceObserver "longtask"), ms. */
  longestTaskMs: number;
  /** Share of the window spent in long tasks, 0 to 1. */
  busyShare: number;
  /** Longest gap between two animation frames, ms. */
  longestFrameGapMs: number;
  windowMs: number;
}

/** Starts a new measuring window for mainThread(). */
export async function restartMainThreadWindow(page: Page): Promise<void> {
  await page.evaluate(() => {
    const p = (
      window as unknown as { __probes: { longTasks: unknown[]; gaps: number[]; since: number } }
    ).__probes;
    p.longTasks = [];
    p.gaps = [];
    p.since = performance.now();
  });
}

export async function mainThread(page: Page): Promise<MainThreadFigures> {
  return page.evaluate(() => {
    const p = (
      window as unknown as {
        __probes: { longTasks: { ms: number }[]; gaps: number[]; since: number };
      }
    ).__probes;
    const windowMs = performance.now() - p.since;
    const busy = p.longTasks.reduce((sum, t) => sum + t.ms, 0);
    return {
      longestTaskMs: Math.round(Math.max(0, ...p.longTasks.map((t) => t.ms))),
      busyShare: windowMs > 0 ? busy / windowMs : 0,
      longestFrameGapMs: Math.round(Math.max(0, ...p.gaps)),
      windowMs: Math.round(windowMs),
    };
  });
}

export interface PageCounts {
  objectUrls: number;
  intervals: number;
  timeouts: number;
}

export async function pageCounts(page: Page): Promise<PageCounts> {
  return page.evaluate(() =>
    (window as unknown as { __probes: { counts: () => PageCounts } }).__probes.counts(),
  );
}

const mb = (bytes: number): number => Math.round(bytes / 1e4) / 100;

/** The page's JS heap in MB after full garbage collections. */
export async function heapAfterGcMb(cdp: CDPSession): Promise<number> {
  for (let i = 0; i < 2; i++) await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  return mb(usedSize);
}

/** Event listeners registered on window and on document (DOMDebugger, not a wrapper). */
export async function globalListeners(
  cdp: CDPSession,
): Promise<{ window: number; document: number }> {
  const count = async (expression: string): Promise<number> => {
    const { result } = await cdp.send("Runtime.evaluate", { expression });
    const { listeners } = await cdp.send("DOMDebugger.getEventListeners", {
      objectId: result.objectId!,
    });
    await cdp.send("Runtime.releaseObject", { objectId: result.objectId! });
    return listeners.length;
  };
  return { window: await count("window"), document: await count("document") };
}

/** Worker targets the browser knows for this page (VM workers and the helpers they start). */
export async function workerTargets(cdp: CDPSession): Promise<string[]> {
  const { targetInfos } = await cdp.send("Target.getTargets");
  return targetInfos.filter((t) => t.type === "worker").map((t) => t.title);
}

/**
 * JS heap after GC of each worker the page started (VM workers), through CDP target sessions.
 * Workers' wasm memory (the guest's RAM) is outside the JS heap and not counted.
 */
export async function workerHeapsMb(cdp: CDPSession): Promise<{ title: string; mb: number }[]> {
  const sessions = new Map<string, string>();
  const onAttached = (e: { sessionId: string; targetInfo: { title: string } }): void => {
    sessions.set(e.sessionId, e.targetInfo.title);
  };
  cdp.on("Target.attachedToTarget", onAttached);
  await cdp.send("Target.setAutoAttach", {
    autoAttach: true,
    waitForDebuggerOnStart: false,
    flatten: false,
  });
  // Already running workers are announced right after the call; give the events a moment.
  await new Promise((resolve) => setTimeout(resolve, 300));
  let nextId = 1;
  const call = (sessionId: string, method: string): Promise<{ usedSize?: number }> =>
    new Promise((resolve) => {
      const id = nextId++;
      const onMessage = (e: { sessionId?: string; message: string }): void => {
        if (e.sessionId !== sessionId) return;
        const reply = JSON.parse(e.message) as { id?: number; result?: { usedSize?: number } };
        if (reply.id !== id) return;
        cdp.off("Target.receivedMessageFromTarget", onMessage);
        resolve(reply.result ?? {});
      };
      cdp.on("Target.receivedMessageFromTarget", onMessage);
      void cdp.send("Target.sendMessageToTarget", {
        sessionId,
        message: JSON.stringify({ id, method }),
      });
    });
  try {
    const heaps: { title: string; mb: number }[] = [];
    for (const [sessionId, title] of sessions) {
      await call(sessionId, "HeapProfiler.collectGarbage");
      heaps.push({ title, mb: mb((await call(sessionId, "Runtime.getHeapUsage")).usedSize ?? 0) });
    }
    return heaps;
  } finally {
    cdp.off("Target.attachedToTarget", onAttached);
    await cdp.send("Target.setAutoAttach", {
      autoAttach: false,
      waitForDebuggerOnStart: false,
      flatten: false,
    });
  }
}

/** Types a line in the VM's "Command for" field (no waiting for output: for commands that flood). */
export async function sendCommand(panel: Locator, line: string): Promise<void> {
  const input = panel.getByRole("textbox", { name: /^Command for / });
  await input.fill(line);
  await input.press("Enter");
}

export interface HeapSnapshotFacts {
  /** Strings in the heap that match, cut to 80 characters. */
  strings: string[];
  /** DOM nodes no longer in the document but still reachable from JS ("Detached <div>"...). */
  detachedNodes: number;
}

/** A full heap snapshot of the page (after GC), reduced to the facts the leak test reads. */
export async function heapSnapshotFacts(
  cdp: CDPSession,
  pattern: RegExp,
): Promise<HeapSnapshotFacts> {
  const chunks: string[] = [];
  const onChunk = (e: { chunk: string }): void => {
    chunks.push(e.chunk);
  };
  cdp.on("HeapProfiler.addHeapSnapshotChunk", onChunk);
  try {
    await cdp.send("HeapProfiler.collectGarbage");
    await cdp.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
  } finally {
    cdp.off("HeapProfiler.addHeapSnapshotChunk", onChunk);
  }
  const snapshot = JSON.parse(chunks.join("")) as {
    snapshot: { meta: { node_fields: string[] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const nameAt = fields.indexOf("name");
  let detachedNodes = 0;
  for (let i = 0; i < snapshot.nodes.length; i += fields.length)
    if (snapshot.strings[snapshot.nodes[i + nameAt]!]!.startsWith("Detached ")) detachedNodes++;
  const strings = snapshot.strings.filter((s) => pattern.test(s)).map((s) => s.slice(0, 80));
  return { strings, detachedNodes };
}
