import type { VmStats } from "@/lib/emulator/vm-machine";
import { formatBytes } from "./format";

interface Item {
  stat: string;
  label: string;
  value: string;
  unit?: string;
  title?: string;
}

/** Live overhead figures, as text; `data-stat` holds exactly the number for tests and the lab engine. */
export function VmStatsList({ stats }: { stats: VmStats }) {
  const items: Item[] = [
    { stat: "mips", label: "Speed", value: stats.mipsNow.toFixed(0), unit: "MIPS" },
    { stat: "mips-avg", label: "Average", value: stats.mipsAverage.toFixed(0), unit: "MIPS" },
    {
      stat: "boot-ms",
      label: "Start to prompt",
      value: stats.bootMs === undefined ? "" : String(stats.bootMs),
      unit: "ms",
    },
    { stat: "uptime-s", label: "Uptime", value: String(stats.uptimeS), unit: "s" },
    { stat: "memory-mb", label: "Memory", value: String(stats.memoryMb), unit: "MB" },
    {
      stat: "disk-read-bytes",
      label: "Disk read",
      value: String(stats.diskReadBytes),
      title: formatBytes(stats.diskReadBytes),
    },
    {
      stat: "disk-write-bytes",
      label: "Disk written",
      value: String(stats.diskWriteBytes),
      title: formatBytes(stats.diskWriteBytes),
    },
    { stat: "net-rx-packets", label: "Packets in", value: String(stats.netRxPackets) },
    { stat: "net-tx-packets", label: "Packets out", value: String(stats.netTxPackets) },
  ];
  if (stats.cpu)
    items.push(
      {
        stat: "cpu-run-pct",
        label: "CPU run",
        value: stats.cpu.runPct.toFixed(0),
        unit: "%",
        title: "Time it executed guest code over the last second, in % of one core",
      },
      {
        stat: "cpu-ready-pct",
        label: "CPU ready",
        value: stats.cpu.readyPct.toFixed(0),
        unit: "%",
        title: "Time it had work but waited for a core over the last second",
      },
    );
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-3">
      {items.map((item) => (
        <div
          key={item.stat}
          className="flex justify-between gap-2 border-b border-slate-200 py-0.5 dark:border-slate-800"
        >
          <dt className="text-slate-600 dark:text-slate-400">{item.label}</dt>
          <dd className="font-mono tabular-nums" title={item.title}>
            <span data-stat={item.stat}>{item.value === "" ? "–" : item.value}</span>
            {item.unit && item.value !== ""
              ? ` ${item.unit}`
              : item.stat.includes("bytes")
                ? " B"
                : ""}
          </dd>
        </div>
      ))}
    </dl>
  );
}
