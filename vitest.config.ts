import { defineConfig } from 'vitest/config';

/** Files that mock modules (vi.mock) need a module registry of their own. */
const MOCKING = ['test/hostile/full-disk.test.ts', 'test/hostile/unreadable-dir.test.ts'];

/** Left out by `npm run test:fast` (the edit loop): whole CLI processes and campaigns. */
const SLOW = [
  'test/cli/cli-spawn.test.ts',
  'test/explore/cli-explore.test.ts',
  'test/package-exports.test.ts',
  'test/engine/determinism.test.ts',
];
const fast = process.env['CLUSTERSIM_TEST_FAST'] === '1';

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
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: fast ? [...MOCKING, ...SLOW] : MOCKING,
          isolate: false,
        },
      },
    ],
  },
});
