import { defineConfig } from 'vitest/config';

/** Files that mock modules (vi.mock) need a module registry of their own. */
const MOCKING = ['test/hostile/full-disk.test.ts', 'test/hostile/unreadable-dir.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A fresh module registry per file costs about a second of imports each, half of the run:
    // the other files share one per worker (they mock nothing; spies are restored after use).
    projects: [
      { extends: true, test: { name: 'isolated', include: MOCKING, isolate: true } },
      {
        extends: true,
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: MOCKING, isolate: false },
      },
    ],
  },
});
