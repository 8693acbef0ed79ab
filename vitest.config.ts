import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/guest/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 120_000,
    // Guest tests boot real emulators; two at once saturate this machine's two cores.
    fileParallelism: false,
  },
});
