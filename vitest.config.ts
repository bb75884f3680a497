import { defineConfig } from 'vitest/config';

/**
 * Five test layers:
 * - unit: pure code next to its source (and the benchmark's and scripts'), no mocks, no I/O; `test/static/` checks files shipped in the repo;
 * - handlers: webhook handlers and the GitHub adapter against nock;
 * - queue: BullMQ and the run store on the real Redis at REDIS_URL, one file at a time;
 * - e2e: the real app against local HTTP fakes;
 * - chaos: whole runs through an app process while it is killed, flushed, replayed or faulted.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'src/**/*.test.ts',
            'test/static/**/*.test.ts',
            'bench/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
          environment: 'node',
          // Static checks start bash and python; on a loaded two-core machine that takes seconds.
          testTimeout: 20_000,
        },
      },
      { test: { name: 'handlers', include: ['test/handlers/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'queue',
          include: ['test/queue/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 30_000,
          globalSetup: ['test/helpers/require-redis.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Whole runs through an app process that is killed, flushed, replayed or faulted (the short
        // suite; `npm run chaos` runs the whole one). Mostly waiting: `npm test` starts it in a vitest
        // process of its own beside the other projects, since one vitest on two cores runs files one by one.
        test: {
          name: 'chaos',
          include: ['test/chaos/**/*.test.ts'],
          environment: 'node',
          testTimeout: 900_000,
          globalSetup: ['test/helpers/require-redis.ts'],
        },
      },
    ],
  },
});
