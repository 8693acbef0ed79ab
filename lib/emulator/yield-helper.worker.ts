/// <reference lib="webworker" />
/**
 * The other end of a VM worker's yield: answers each slice's message at once, or after the
 * idle delay v86 asks for. A same-origin file, so `worker-src 'self'` is enough (v86's own
 * helper is made from a blob URL).
 */
const helperScope = self as unknown as DedicatedWorkerGlobalScope;
let timer: ReturnType<typeof setTimeout> | undefined;

helperScope.onmessage = (event: MessageEvent<{ delay: number; tick: number }>) => {
  const { delay, tick } = event.data;
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  if (delay < 1) helperScope.postMessage(tick);
  else
    timer = setTimeout(() => {
      timer = undefined;
      helperScope.postMessage(tick);
    }, delay);
};
