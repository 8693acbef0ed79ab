import type { VmMachine } from "@/lib/emulator/vm-machine";

const COLORS = [
  "#1d5fd1",
  "#c2410c",
  "#15803d",
  "#a21caf",
  "#0e7490",
  "#b45309",
  "#4338ca",
  "#be123c",
];
const WINDOW_MS = 60_000;
const W = 600;
const H = 160;
const PAD = { l: 40, r: 8, t: 8, b: 20 };

/** MIPS of every VM on one time axis (last minute), so the learner sees them share the host. */
export function MipsChart({ machines, now }: { machines: readonly VmMachine[]; now: number }) {
  const series = machines.map((m, i) => ({
    name: m.name,
    color: COLORS[i % COLORS.length]!,
    points: m.history.filter((p) => p.t >= now - WINDOW_MS),
  }));
  const max = Math.max(100, ...series.flatMap((s) => s.points.map((p) => p.mips)));
  const top = Math.ceil(max / 100) * 100;
  const x = (t: number) => PAD.l + ((t - (now - WINDOW_MS)) / WINDOW_MS) * (W - PAD.l - PAD.r);
  const y = (v: number) => H - PAD.b - (v / top) * (H - PAD.t - PAD.b);
  const total = series.reduce((sum, s) => sum + (s.points.at(-1)?.mips ?? 0), 0);
  return (
    <figure className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="h-auto w-full"
        role="img"
        aria-labelledby="mips-chart-caption"
      >
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line
              x1={PAD.l}
              x2={W - PAD.r}
              y1={y(top * f)}
              y2={y(top * f)}
              stroke="currentColor"
              strokeOpacity={0.15}
            />
            <text
              x={PAD.l - 4}
              y={y(top * f) + 4}
              fontSize={11}
              textAnchor="end"
              fill="currentColor"
            >
              {Math.round(top * f)}
            </text>
          </g>
        ))}
        <text x={PAD.l} y={H - 4} fontSize={11} fill="currentColor">
          −60 s
        </text>
        <text x={W - PAD.r} y={H - 4} fontSize={11} textAnchor="end" fill="currentColor">
          now
        </text>
        {series.map((s) =>
          s.points.length > 1 ? (
            <polyline
              key={s.name}
              fill="none"
              stroke={s.color}
              strokeWidth={2}
              points={s.points.map((p) => `${x(p.t).toFixed(1)},${y(p.mips).toFixed(1)}`).join(" ")}
            />
          ) : null,
        )}
      </svg>
      <figcaption id="mips-chart-caption" className="mt-2 text-sm">
        Guest speed (MIPS) of each VM over the last minute. All VMs together:{" "}
        <span data-stat="total-mips">{total.toFixed(0)}</span> MIPS.
        <ul className="mt-1 flex flex-wrap gap-x-4">
          {series.map((s) => (
            <li key={s.name} className="flex items-center gap-1">
              <span
                aria-hidden="true"
                className="inline-block h-2 w-4 rounded"
                style={{ background: s.color }}
              />
              {s.name}: {(s.points.at(-1)?.mips ?? 0).toFixed(0)} MIPS
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
