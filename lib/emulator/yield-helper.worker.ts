/// <reference lib="webworker" />
/**
 * The other end of a VM worker's yield: answers each slice's message at once, or after the
 * idle delay v86 asks for. The page makes one per VM, beside the VM's worker, and sends it one
 * end of a MessageChannel whose other end the VM's worker holds. A same-origin file, so
 * `worker-src 'self'` is enough (v86's own helper is made from a blob URL).
 */
const helperScope = self as unknown as DedicatedWorkerGlobalScope;

helperScope.onmessage = (event: MessageEvent<MessagePort>) => {
  const port = event.data;
  let timer: ReturnType<typeof setTimeout> | undefined;
  port.onmessage = (slice: MessageEvent<{ delay: number; tick: number }>) => {
    const { delay, tick } = slice.data;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (delay < 1) port.postMessage(tick);
    else
      timer = setTimeout(() => {
        timer = undefined;
        port.postMessage(tick);
      }, delay);
  };
};
