import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * One image build at a time per checkout (tests, `npm run images` and the site's scripts may
 * start one together). A lock left by a dead process is taken over.
 */
export async function withBuildLock<T>(
  dir: string,
  log: (m: string) => void,
  fn: () => Promise<T>,
): Promise<T> {
  const lock = join(dir, "build.lock");
  let told = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      break;
    } catch {
      let owner = 0;
      try {
        owner = Number(readFileSync(join(lock, "pid"), "utf8"));
      } catch {
        // the owner is between mkdir and writing its pid
      }
      if (owner && !alive(owner)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (!told) log(`waiting for another image build (pid ${owner || "?"})`);
      told = true;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
