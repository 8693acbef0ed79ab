import { mkdirSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { sha256, sha256File, type StampStore } from "../lib/cache";
import { run } from "../lib/run";
import { PROJECT_ROOT } from "../node-vm";

/**
 * The stand-in for libcrypto.so.3 that Debian's iperf3 runs with in the live guest
 * (guest/iperf3/libcrypto-stand-in.c says why), built with the host's gcc for i386.
 */

const DIR = join(PROJECT_ROOT, "guest/iperf3");
const SOURCE = join(DIR, "libcrypto-stand-in.c");
const VERSIONS = join(DIR, "libcrypto.map");
const FLAGS = ["-m32", "-shared", "-fPIC", "-nostdlib", "-Os", "-s", "-Wl,--hash-style=both"];

export async function buildCryptoStandIn(opts: {
  stamps: StampStore;
  cacheDir: string;
  log: (msg: string) => void;
}): Promise<{ path: string; digest: string }> {
  const dir = join(opts.cacheDir, "iperf3");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "libcrypto.so.3");
  const toolchain = run("gcc", ["--version"]);
  const key = sha256(
    [readFileSync(SOURCE, "utf8"), readFileSync(VERSIONS, "utf8"), toolchain, FLAGS.join(" ")].join(
      "\n\0",
    ),
  );
  await opts.stamps.step(
    "libcrypto-stand-in",
    key,
    [path],
    () => {
      run("gcc", [
        ...FLAGS,
        "-Wl,-soname,libcrypto.so.3",
        `-Wl,--version-script=${VERSIONS}`,
        "-o",
        `${path}.tmp`,
        SOURCE,
      ]);
      renameSync(`${path}.tmp`, path);
    },
    opts.log,
  );
  return { path, digest: sha256File(path) };
}
