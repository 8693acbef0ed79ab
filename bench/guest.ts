/**
 * `npm run bench:guest`: guest image sizes, cold boot and snapshot restore times in Node.
 *   --runs=N   boots per measurement (default 2)
 */
import { ensureImages } from "../guest/images";
import { NodeVm } from "../guest/node-vm";

const runs = Number(process.argv.find((a) => a.startsWith("--runs="))?.slice(7) ?? 2);
const manifest = await ensureImages();
const live = manifest.profiles.live;
if (!live) throw new Error("manifest has no live profile");

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;
const rows: [string, string][] = [];
for (const [file, info] of Object.entries(manifest.files))
  rows.push([`image ${file}`, mb(info.bytes)]);
if (live.snapshot) {
  rows.push(["snapshot raw (save_state)", mb(live.snapshot.raw_bytes)]);
  rows.push(["snapshot compressed (zstd -19)", mb(manifest.files[live.snapshot.file]?.bytes ?? 0)]);
}

async function timeIt(label: string, fn: () => Promise<number>): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await fn());
  rows.push([label, times.map((t) => `${(t / 1000).toFixed(2)} s`).join(", ")]);
}

await timeIt("live cold boot to prompt (Node)", async () => {
  const vm = await NodeVm.boot(manifest, "live");
  try {
    await vm.waitForSerial(live.ready_text, { timeoutMs: 120_000 });
    return performance.now() - vm.startedAt;
  } finally {
    await vm.destroy();
  }
});

if (live.state) {
  await timeIt("live restore to answered command (Node)", async () => {
    const t0 = performance.now();
    const vm = await NodeVm.boot(manifest, "live", { fromSnapshot: true });
    try {
      await vm.run("echo bench-$((1+1))", /bench-2\r?\n/, 30_000);
      return performance.now() - t0;
    } finally {
      await vm.destroy();
    }
  });
}

await timeIt("baremetal boot to banner (Node)", async () => {
  const vm = await NodeVm.boot(manifest, "baremetal");
  try {
    await vm.waitForSerial(manifest.profiles.baremetal!.ready_text, { timeoutMs: 30_000 });
    return performance.now() - vm.startedAt;
  } finally {
    await vm.destroy();
  }
});

const width = Math.max(...rows.map(([k]) => k.length));
console.log(`\nGuest bench (v86 ${manifest.v86_version}, ${runs} run(s) each)\n`);
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
