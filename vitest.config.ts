import { defineConfig } from "vitest/config";

const common = { exclude: ["**/node_modules/**", "**/dist/**"] };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...common,
          name: "unit",
          include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts", "docker/checks/*.test.ts"],
          exclude: [...common.exclude, "**/*.int.test.ts"],
        },
      },
      {
        // Integration tests make real namespaces, links and mounts: one file at a time.
        test: {
          ...common,
          name: "int",
          include: ["packages/*/src/**/*.int.test.ts", "apps/*/src/**/*.int.test.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
