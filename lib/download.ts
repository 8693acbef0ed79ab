/** Hands a file made in the page to the browser's downloads, as a link the learner clicked. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL; give it a moment before releasing it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
