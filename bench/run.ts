/**
 * `npm run bench`: every benchmark in turn, then bench/results.md with the date, the machine and
 * each figure beside its budget. Never part of `npm test`: figures, not pass/fail.
 *
 * Sections: guest images in Node (bench/guest.ts), the VM runtime in headless Chromium and Node
 * (bench/vm-browser.ts), the overhead program host vs guest (bench/overhead.ts), long-running
 * VMs' memory (bench/long-run.ts, 10 minutes), disk saves (bench/disk-save.ts), the same guest
 * in Chromium, Firefox and WebKit beside QEMU and native (bench/engines.ts), the hypervisor lesson's
 * trap cost and exits per second (bench/vmm.ts), the cloud console (bench/cloud.ts), page weight.
 * BENCH_ONLY=<id,...> runs some alone.
 */
import { execFileSync, spawn } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { CHROMIUM_PATH } from "../scripts/lib/chromium";
import { startProductionServer } from "../scripts/lib/server";

const PORT = Number(process.env.BENCH_PORT ?? 3199);

function capture(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      output += chunk.toString();
    });
    child.on("exit", (code) =>
      resolve(code === 0 ? output : `${output}\n(exited with code ${code})`),
    );
  });
}

function machine(): string {
  const chromium = (() => {
    try {
      return execFileSync(CHROMIUM_PATH, ["--version"], { encoding: "utf8" }).trim();
    } catch {
      return "not found";
    }
  })();
  return [
    `- CPU: ${cpus()[0]?.model ?? "unknown"}, ${cpus().length} cores`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node ${process.version}; ${chromium}`,
  ].join("\n");
}

type Section = {
  id: string;
  title: string;
  browser?: boolean;
  run: (url: string) => Promise<string>;
};

const env = (url: string): Record<string, string> => ({
  BENCH_URL: url,
  ROUNDS: process.env.ROUNDS ?? "3",
});
const SECTIONS: Section[] = [
  {
    id: "guest",
    title: "Guest images (Node)",
    run: () => capture("npx", ["tsx", "bench/guest.ts", "--runs=3"]),
  },
  {
    id: "vm-browser",
    title: "VM runtime (headless Chromium vs Node)",
    browser: true,
    run: (url) => capture("npx", ["tsx", "bench/vm-browser.ts"], env(url)),
  },
  {
    id: "cpu-page",
    title:
      "Several busy VMs in one page: throughput, fairness, frames and echo (CPU scheduler on and off)",
    browser: true,
    run: (url) => capture("npx", ["tsx", "bench/cpu-page.ts"], env(url)),
  },
  {
    id: "overhead",
    title: "Overhead program (host vs guest)",
    browser: true,
    run: (url) => capture("npx", ["tsx", "bench/overhead.ts"], env(url)),
  },
  {
    id: "disk-save",
    title: "Disk saves: cost per changed chunk, guest speed during saves",
    browser: true,
    run: (url) => capture("npx", ["tsx", "bench/disk-save.ts"], env(url)),
  },
  {
    id: "power-cut",
    title: "Power cuts: installed ext4 disk, browser killed or page reloaded mid-write",
    run: () =>
      capture("npx", ["playwright", "test", "tests/e2e/vm-power-cut.spec.ts", "--reporter=list"]),
  },
  {
    id: "memory",
    title: "Memory lesson: scan of a 128 MiB VM, guest speed with scans, balloon inflate (Node)",
    run: () => capture("npx", ["tsx", "bench/memory.ts"]),
  },
  {
    id: "memory-page",
    title: "Memory lesson in the page: balloon inflate from the panel, frame gaps with scans",
    browser: true,
    run: (url) => capture("npx", ["tsx", "bench/memory-page.ts"], env(url)),
  },
  {
    id: "vmm",
    title: "Hypervisor lesson: trap cost and exits per second (Node)",
    run: () => capture("npx", ["tsx", "bench/vmm.ts"]),
  },
  {
    id: "long-run",
    title: "Long-running VMs: page and worker memory",
    browser: true,
    run: (url) => capture("npx", ["tsx", "bench/long-run.ts"], env(url)),
  },
  {
    id: "engines",
    title: "Browser engines: Chromium, Firefox ESR, WebKitGTK beside QEMU TCG and native",
    browser: true,
    run: (url) => capture("npx", ["tsx", "bench/engines.ts"], env(url)),
  },
  {
    id: "network",
    title: "Two VMs on the switch: iperf3 (virtio-net, MTU 1500/9000/65520; NE2000), HTTP, ping",
    browser: true,
    run: (url) => capture("npx", ["tsx", "bench/network.ts"], env(url)),
  },
  {
    id: "cloud",
    title: "Cloud console: Launch to answering HTTP, load balancer throughput over two instances",
    browser: true,
    run: (url) => capture("npx", ["tsx", "bench/cloud.ts"], env(url)),
  },
  {
    id: "class",
    title: "Live class API: 200 learners on loopback (PGlite, then Postgres)",
    run: async () =>
      (await capture("npx", ["tsx", "bench/class-load.ts"])) +
      (await capture("npx", ["tsx", "bench/class-load.ts", "--engine=postgres"])),
  },
  {
    id: "page-weight",
    title: "Page weight (initial JavaScript, gzip)",
    run: () => capture("npx", ["tsx", "scripts/page-weight.ts"]),
  },
];

// BENCH_ONLY=long-run,overhead runs those alone and replaces only their sections.
const only = process.env.BENCH_ONLY?.split(",").map((id) => id.trim());
const unknown = only?.filter((id) => !SECTIONS.some((s) => s.id === id)) ?? [];
if (unknown.length > 0) {
  console.error(
    `BENCH_ONLY: no section ${unknown.join(", ")}; known: ${SECTIONS.map((s) => s.id).join(", ")}`,
  );
  process.exit(1);
}
const chosen = SECTIONS.filter((s) => !only || only.includes(s.id));
const server = chosen.some((s) => s.browser) ? await startProductionServer(PORT) : undefined;
const sections: Array<[string, string]> = [];
try {
  for (const section of chosen)
    sections.push([section.title, await section.run(server?.url ?? "")]);
} finally {
  await server?.stop();
}

const block = ([title, body]: [string, string]): string[] => [
  "",
  `## ${title}`,
  "",
  ...(only ? [`Run alone (BENCH_ONLY) on ${new Date().toISOString()}.`, ""] : []),
  "```text",
  body.trim(),
  "```",
];
const header = [
  "# Benchmark results",
  "",
  "Generated by `npm run bench` (bench/run.ts); do not edit by hand.",
  "",
  `Date: ${new Date().toISOString()}`,
  "",
  machine(),
  "",
  "Budgets are those of the project design: click-to-prompt from a snapshot <= 1.5 s, cold boot <= 8 s,",
  "snapshot <= 6 MB, Chromium cold boot <= 1.25x Node, Chromium/Node MIPS >= 0.9, 4 VMs aggregate",
  ">= 1.6x one VM, input latency p95 < 100 ms with 4 VMs, lesson initial JS <= 150 KB gzip.",
];
const HAND_HEADING = "\n## Measured by hand";
const previous = existsSync("bench/results.md") ? readFileSync("bench/results.md", "utf8") : "";
/** Figures measured by hand (moved out of docs/): carried over by every run. */
const byHand = previous.includes(HAND_HEADING)
  ? previous.slice(previous.indexOf(HAND_HEADING)).trimEnd()
  : "";
const report = only
  ? replaceSections(previous, sections.map(block))
  : [...header, ...sections.flatMap(block), byHand, ""].join("\n");

/** Puts each new section where the one with its title was, or at the end. */
function replaceSections(previous: string, blocks: string[][]): string {
  const hand = previous.indexOf(HAND_HEADING);
  let text = (hand < 0 ? previous : previous.slice(0, hand)).trimEnd();
  for (const lines of blocks) {
    const heading = lines[1]!;
    const start = text.indexOf(`\n${heading}\n`);
    const fresh = lines.join("\n");
    if (start < 0) text += `\n${fresh}`;
    else {
      const next = text.indexOf("\n## ", start + heading.length + 1);
      text = text.slice(0, start) + fresh + (next < 0 ? "" : `\n${text.slice(next)}`);
    }
  }
  return `${text}\n${hand < 0 ? "" : `${previous.slice(hand).trimEnd()}\n`}`;
}
writeFileSync("bench/results.md", report);
console.log("\nwrote bench/results.md");
