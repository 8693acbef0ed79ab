import type { DownloadProgress } from "@/lib/emulator/assets";
import { formatBytes } from "./format";

/** Bytes and percent of the emulator and guest images arriving; hidden when nothing is pending. */
export function DownloadProgressBar({ progress }: { progress: DownloadProgress | undefined }) {
  if (!progress || progress.totalBytes === 0) return null;
  const done = progress.loadedBytes >= progress.totalBytes;
  const percent = Math.min(100, Math.round((progress.loadedBytes / progress.totalBytes) * 100));
  return (
    <div className="text-sm" aria-live="polite">
      <label htmlFor="vm-download" className="block text-slate-700 dark:text-slate-300">
        {done ? "Downloaded" : "Downloading"} emulator and guest images:{" "}
        {formatBytes(progress.loadedBytes)} of {formatBytes(progress.totalBytes)} ({percent}%)
      </label>
      <progress
        id="vm-download"
        className="mt-1 h-2 w-full"
        max={progress.totalBytes}
        value={progress.loadedBytes}
      >
        {percent}%
      </progress>
    </div>
  );
}
