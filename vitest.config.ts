import { defineConfig } from "vitest/config";

const common = { exclude: ["**/node_modules/**", "**/dist/**"] };
// better-sqlite3 is built for one Node ABI. A run under another Node (.ci/run's Node 22 unit
// run) points this at a copy built for that Node, kept outside the clone.
const betterSqlite3 = process.env.NSATLAS_TEST_BETTER_SQLITE3;
// Projects do not inherit the root config: each gets it.
const resolve = betterSqlite3 ? { resolve: { alias: { "better-sqlite3": betterSqlite3 } } } : {};

export default defineConfig({
  test: {
    projects: [
      {
        ...resolve,
        test: {
          ...common,
          name: "unit",
          include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts", "docker/checks/*.test.ts"],
          exclude: [...common.exclude, "**/*.int.test.ts", "**/*.deploy.test.ts"],
        },
      },
      {
        // Integration tests make real namespaces, links and mounts: one file at a time.
        ...resolve,
        test: {
          ...common,
          name: "int",
          include: ["packages/*/src/**/*.int.test.ts", "apps/*/src/**/*.int.test.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Builds both images and runs them under a dockerd of its own (minutes; docker/README.md).
        test: {
          ...common,
          name: "deploy",
          include: ["docker/checks/*.deploy.test.ts"],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 1_800_000,
        },
      },
    ],
  },
});
