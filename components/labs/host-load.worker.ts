/// <reference lib="webworker" />
// A busy loop standing in for other programs on the host: it competes with the VMs for the CPU.
let sink = 0;
for (;;) {
  for (let i = 0; i < 1_000_000; i++) sink = (sink + i * 2654435761) | 0;
  if (sink === 42) postMessage(sink);
}
