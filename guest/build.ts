/**
 * `npm run images`: builds the guest images into public/images/ from Debian packages.
 *   --if-missing   exit at once (no apt) when the manifest matches the recipe and its files exist
 *   --force        rebuild every artifact
 *   --no-snapshot  skip the live boot snapshot
 */
import { AptUnavailableError } from "./lib/apt";
import { buildImages, imagesUpToDate } from "./lib/pipeline";

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes("--if-missing") && imagesUpToDate()) {
    console.log("[images] up to date");
    return 0;
  }
  try {
    await buildImages({
      force: argv.includes("--force"),
      snapshot: !argv.includes("--no-snapshot"),
    });
    return 0;
  } catch (err) {
    if (err instanceof AptUnavailableError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
}

process.exitCode = await main(process.argv.slice(2));
