import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

export function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

export function sha256File(path: string): string {
  return sha256(readFileSync(path));
}

/** Digest of files and folders (contents, relative names and exec bits), in a stable order. */
export function hashPaths(root: string, paths: readonly string[]): string {
  const h = createHash("sha256");
  const visit = (abs: string): void => {
    const st = statSync(abs);
    if (st.isDirectory()) {
      for (const name of readdirSync(abs).sort()) visit(join(abs, name));
      return;
    }
    h.update(`${relative(root, abs)}\0${st.mode & 0o111 ? "x" : "-"}\0`);
    h.update(readFileSync(abs));
  };
  for (const p of paths) visit(join(root, p));
  return h.digest("hex");
}

/**
 * Per-artifact build stamps: a step runs again only when the digest of its inputs changed or
 * one of its outputs is gone.
 */
export class StampStore {
  constructor(
    private readonly dir: string,
    private readonly force = false,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  isFresh(step: string, key: string, outputs: readonly string[]): boolean {
    const file = join(this.dir, `${step}.stamp`);
    if (this.force || !existsSync(file) || readFileSync(file, "utf8") !== key) return false;
    return outputs.every((o) => existsSync(o));
  }

  record(step: string, key: string): void {
    writeFileSync(join(this.dir, `${step}.stamp`), key);
  }

  async step(
    step: string,
    key: string,
    outputs: readonly string[],
    build: () => void | Promise<void>,
    log: (m: string) => void,
  ): Promise<boolean> {
    if (this.isFresh(step, key, outputs)) {
      log(`${step}: up to date`);
      return false;
    }
    const t0 = performance.now();
    await build();
    this.record(step, key);
    log(`${step}: built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return true;
  }
}
