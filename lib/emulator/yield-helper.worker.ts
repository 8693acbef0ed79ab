/// <reference lib="webworker" />
/**
 * The other end of a VM worker's yield: answers each slice's message at once, or after the
 * idle delay v86 asks for. The page makes one per VM, beside the VM's worker, and hands each of
 * them one end of a MessageChannel. A same-origin file, so
 * `worker-src 'self'` is enough (v86's own helper is made from a blob URL).
 */
const helperScope = self as unknown as DedicatedWorkerGlobalScope;
let port: MessagePort | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;

function stopTimer(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
}

helperScope.onmessage = (event: MessageEvent<MessagePort>) => {
  stopTimer();
  port?.close();
  const current = event.data;
  port = current;
  current.onmessage = (slice: MessageEvent<{ delay: number; tick: number }>) => {
    const { delay, tick } = slice.data;
    stopTimer();
    if (delay < 1) current.postMessage(tick);
    else
      timer = setTimeout(() => {
        timer = undefined;
        current.postMessage(tick);
      }, delay);
  };
};
