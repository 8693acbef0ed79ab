"use client";

import { useEffect, useId, useReducer, useState } from "react";
import type { VmMachine } from "@/lib/emulator/vm-machine";
import { parseManifest, type BenchmarkInfo } from "@/lib/emulator/manifest";
import { browserStore, clearHistory, loadHistory, saveRecord } from "@/lib/overhead/history";
import { workerHostRunner } from "@/lib/overhead/host-runner";
import { describePageMemory, pageMemory } from "@/lib/overhead/memory";
import { BENCH_SIZES, findSize, GUEST_REPEATS, HOST_REPEATS } from "@/lib/overhead/presets";
import type { RunRecord } from "@/lib/overhead/record";
import { median } from "@/lib/overhead/stats";
import { runBenchmark, type BenchPhase } from "@/lib/overhead/run-benchmark";
import { withBasePath } from "@/lib/site";
import { OverheadHistory } from "./overhead-history";
import { formatRatio } from "./format";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/select";

type Benchmark = { ok: true; info: BenchmarkInfo } | { ok: false; error: string } | undefined;

const PHASE_TEXT: Record<BenchPhase, string> = {
  host: `Running on this computer (WebAssembly, ${HOST_REPEATS} timed runs)…`,
  guest: `Running in the VM (${GUEST_REPEATS} timed runs after a warm-up)…`,
  memory: "Reading memory figures…",
};

function useBenchmarkInfo(): Benchmark {
  const [info, setInfo] = useState<Benchmark>();
  useEffect(() => {
    const controller = new AbortController();
    fetch(withBasePath("/images/manifest.json"), { signal: controller.signal })
      .then((res) => {
        if (!res.ok)
          throw new Error(`the guest image list could not be loaded (HTTP ${res.status})`);
        return res.json();
      })
      .then((data: unknown) => {
        const parsed = parseManifest(data);
        if (!parsed.ok) setInfo({ ok: false, error: parsed.error });
        else if (!parsed.manifest.benchmark)
          setInfo({
            ok: false,
            error: "these guest images were built without the benchmark: run npm run images",
          });
        else setInfo({ ok: true, info: parsed.manifest.benchmark });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setInfo({ ok: false, error: (error as Error).message });
      });
    return () => controller.abort();
  }, []);
  return info;
}

/** Re-renders when any machine changes state. */
function useMachineStates(machines: readonly VmMachine[]): void {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const offs = machines.map((m) => m.events.on("state", bump));
    return () => offs.forEach((off) => off());
  }, [machines]);
}

/**
 * Runs the same program on this computer and in a VM and compares the times: the price of the
 * emulated layer. Keeps earlier runs so that 1 VM alone can be compared with several at once.
 */
export function OverheadPanel({
  machines,
  headingLevel = 2,
}: {
  machines: readonly VmMachine[];
  headingLevel?: 2 | 3;
}) {
  useMachineStates(machines);
  const benchmark = useBenchmarkInfo();
  const [history, setHistory] = useState(() => loadHistory(browserStore()));
  const [vmChoice, setVmChoice] = useState("");
  const [sizeId, setSizeId] = useState<string>(BENCH_SIZES[0]!.id);
  const [phase, setPhase] = useState<BenchPhase | undefined>();
  const [status, setStatus] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [latest, setLatest] = useState<readonly RunRecord[]>([]);
  const [together, setTogether] = useState(false);
  const id = useId();
  const Heading = headingLevel === 2 ? "h2" : "h3";

  const eligible = machines.filter((m) => m.state === "running" && m.profileName === "live");
  const target = eligible.find((m) => m.name === vmChoice) ?? eligible[0];
  const busy = phase !== undefined;
  const size = findSize(sizeId) ?? BENCH_SIZES[0]!;
  const canRun = !busy && target !== undefined && benchmark?.ok === true;
  const all = together && eligible.length > 1;

  async function run() {
    if (!target || benchmark?.ok !== true) return;
    setError(undefined);
    setStatus("");
    const vmsRunning = machines.filter((m) => m.state === "running").length;
    try {
      const records = await runBenchmark({
        machines: all ? eligible : [target],
        sizeKib: size.sizeKib,
        rounds: size.rounds,
        wasmUrl: withBasePath(`/images/${benchmark.info.wasm}`),
        guestPath: benchmark.info.guest_path,
        hostRunner: workerHostRunner(),
        vmsRunning,
        pageMemory: (mb) => pageMemory(mb),
        onPhase: (p) => {
          setPhase(p);
          setStatus(PHASE_TEXT[p]);
        },
      });
      const saved = saveRecord(browserStore(), history.records, records);
      setHistory({
        records: saved.records,
        notice: saved.saved
          ? undefined
          : "This result is kept for this visit only: it could not be saved in the browser.",
      });
      setLatest(records);
      const wrong = records.filter((r) => !r.checksumsMatch);
      if (wrong.length > 0) {
        setError(
          `The checksums differ (host ${wrong[0]!.hostChecksum}, ${wrong.map((r) => `${r.vm} ${r.guestChecksum}`).join(", ")}): the two sides did not compute the same thing, so the times cannot be compared.`,
        );
        setStatus("Benchmark finished, but the checksums differ.");
      } else {
        const ratios = records.flatMap((r) => {
          const v = r.ratio ?? r.ratioWall;
          return v === null ? [] : [v];
        });
        const ratio = ratios.length ? median(ratios) : null;
        setStatus(
          `Benchmark finished: the guest${records.length > 1 ? "s" : ""} took ${formatRatio(ratio)} the host's time.`,
        );
      }
    } catch (caught) {
      setError(`The benchmark could not run: ${(caught as Error).message}`);
      setStatus("Benchmark failed.");
    } finally {
      setPhase(undefined);
    }
  }

  function clear() {
    clearHistory(browserStore());
    setHistory({ records: [] });
    setStatus("Earlier results cleared.");
  }

  return (
    <section
      aria-labelledby={`${id}-heading`}
      data-overhead-panel
      className="grid gap-4 rounded-xl border border-slate-300 bg-white p-4 dark:border-slate-700 dark:bg-slate-950"
    >
      <Heading id={`${id}-heading`} className="text-xl font-semibold">
        Measure the overhead
      </Heading>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Runs one program (integer work, memory copies, a sort and a CRC-32) on this computer as
        WebAssembly, then the same C source built for i386 inside the VM, and compares the times.
        Both print a checksum: they must agree, or the times mean nothing.
      </p>
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          void run();
        }}
      >
        <label className="grid gap-1 text-sm font-medium">
          Virtual machine
          <Select
            value={target?.name ?? ""}
            onChange={(event) => setVmChoice(event.target.value)}
            disabled={busy || eligible.length === 0 || all}
            aria-describedby={eligible.length === 0 ? `${id}-novm` : undefined}
          >
            {eligible.length === 0 && <option value="">No running VM</option>}
            {eligible.map((m) => (
              <option key={m.id} value={m.name}>
                {m.name}
              </option>
            ))}
          </Select>
        </label>
        <label className="grid gap-1 text-sm font-medium">
          Workload
          <Select
            value={size.id}
            onChange={(event) => setSizeId(event.target.value)}
            disabled={busy}
          >
            {BENCH_SIZES.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </Select>
        </label>
        <label className="flex items-center gap-2 self-center text-sm font-medium">
          <input
            type="checkbox"
            checked={together}
            onChange={(event) => setTogether(event.target.checked)}
            disabled={busy || eligible.length < 2}
            className="size-4"
          />
          Every running live VM at once ({eligible.length})
        </label>
        <Button type="submit" variant="primary" disabled={!canRun}>
          Run benchmark
        </Button>
      </form>
      {eligible.length === 0 && (
        <p id={`${id}-novm`} className="text-sm text-slate-700 dark:text-slate-300">
          Start a Live Linux VM first: the benchmark runs in a running live guest.
        </p>
      )}
      {benchmark?.ok === false && (
        <p
          role="alert"
          className="rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-slate-800 dark:text-red-300"
        >
          The benchmark is not available: {benchmark.error}.
        </p>
      )}
      <p
        role="status"
        aria-live="polite"
        data-bench-status={busy ? "running" : "idle"}
        className="min-h-5 text-sm"
      >
        {status}
      </p>
      {error && (
        <p
          role="alert"
          className="rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-slate-800 dark:text-red-300"
        >
          {error}
        </p>
      )}
      {latest.length > 0 && <LatestRun records={latest} />}
      <OverheadHistory
        records={history.records}
        notice={history.notice}
        onClear={clear}
        disabled={busy}
        headingLevel={headingLevel}
      />
    </section>
  );
}

function LatestRun({ records }: { records: readonly RunRecord[] }) {
  const first = records[0]!;
  const n = records.length;
  const ms = (v: number) => (v >= 100 ? Math.round(v) : v.toFixed(1));
  const mid = (pick: (r: RunRecord) => number | null) => {
    const values = records.flatMap((r) => {
      const v = pick(r);
      return v === null ? [] : [v];
    });
    return values.length ? median(values) : null;
  };
  const each = (pick: (r: RunRecord) => string) =>
    n > 1 ? ` (median of ${n} VMs: ${records.map((r) => `${r.vm} ${pick(r)}`).join(", ")})` : "";
  const guestMs = mid((r) => r.guestMs)!;
  const wallMs = mid((r) => r.guestWallMs)!;
  const guestRatio = mid((r) => r.ratio);
  // A guest whose clock did not advance (0 ms) gives no ratio of its own: fall back to the page's.
  const ratio = guestRatio ?? mid((r) => r.ratioWall);
  const mips = mid((r) => r.mips);
  const totalMips = records.reduce((sum, r) => sum + (r.mips ?? 0), 0);
  const match = records.every((r) => r.checksumsMatch);
  // [data-stat, label, the number (as text, for tests and screen readers), its unit or remark]
  const rows: [string, string, string | number, string][] = [
    ["host-ms", "On this computer (median)", ms(first.hostMs), "ms"],
    [
      "guest-ms",
      "In the VM, guest's own clock (median)",
      ms(guestMs),
      `ms${each((r) => `${ms(r.guestMs)} ms`)}`,
    ],
    ["guest-wall-ms", "In the VM, timed by the page (agent included)", ms(wallMs), "ms"],
    [
      "ratio",
      "Slowdown (guest / host)",
      ratio === null ? "n/a" : ratio.toFixed(1),
      guestRatio === null && ratio !== null
        ? "times the host's time, from the page's timing: the guest's clock gave no usable time"
        : `times the host's time${each((r) => formatRatio(r.ratio))}`,
    ],
    [
      "bench-mips",
      "Guest MIPS during the run",
      mips === null ? "n/a" : Math.round(mips),
      `million instructions per second${n > 1 ? ` per VM (all ${n} together: ${totalMips})` : ""}`,
    ],
    [
      "checksum-match",
      "Checksums",
      match ? "match" : "differ",
      match
        ? `(all ${first.hostChecksum})`
        : `(host ${first.hostChecksum}, ${records.map((r) => `${r.vm} ${r.guestChecksum}`).join(", ")})`,
    ],
    [
      "vms-running",
      "VMs running",
      first.vmsRunning,
      n > 1 ? `(${n} ran the benchmark at once)` : "",
    ],
    ["guest-memory-mb", "Memory given to the guest", first.guestMemoryMb, n > 1 ? "MB each" : "MB"],
    [
      "page-memory-mb",
      "Memory the page holds",
      first.pageMemory?.mb ?? "unknown",
      first.pageMemory ? `MB (${describePageMemory(first.pageMemory)})` : "",
    ],
  ];
  return (
    <dl aria-label="Latest run" className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
      {rows.map(([key, label, value, unit]) => (
        <div key={key} className="contents">
          <dt className="font-medium text-slate-700 dark:text-slate-300">{label}</dt>
          <dd className="tabular-nums">
            <span data-stat={key}>{value}</span> {unit}
          </dd>
        </div>
      ))}
    </dl>
  );
}
