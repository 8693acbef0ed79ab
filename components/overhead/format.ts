/** Display helpers for the overhead panel. */

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function formatRatio(ratio: number | null): string {
  return ratio === null ? "n/a" : `${ratio.toFixed(1)}×`;
}

export function formatSize(sizeKib: number, rounds: number): string {
  const size = sizeKib >= 1024 && sizeKib % 1024 === 0 ? `${sizeKib / 1024} MiB` : `${sizeKib} KiB`;
  return `${size} × ${rounds}`;
}

export function formatTime(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}
