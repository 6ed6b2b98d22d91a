import { defineConfig } from "vitest/config";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";

// Sized for a 2-core machine under load (docs/ARCHITECTURE.md, "Tests"): one test process per
// core but the one that runs vitest itself, and timeouts that a slow machine does not reach
// while a test that hangs still fails. Each test file gets its own database (tests/helpers.ts).
const workers = Math.max(1, availableParallelism() - 1);

export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    include: ["tests/**/*.test.ts", "tests/**/*.test.tsx"],
    exclude: ["tests/e2e/**", "node_modules/**"],
    setupFiles: ["tests/setup.ts"],
    pool: "forks",
    maxWorkers: workers,
    minWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
