import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fits, dbt runs and emulators are real work on a 2-core machine: generous per-test limits.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Suites that fit models use both cores through worker threads; running two files at once is enough.
    maxWorkers: 2,
  },
});
