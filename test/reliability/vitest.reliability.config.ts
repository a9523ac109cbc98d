import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The reliability suite: `npm run test:reliability`. The main config excludes this folder. */
const SECONDS = Number(process.env.ORDO_RELIABILITY_SECONDS || 30);
const SOAK_SECONDS = Number(process.env.ORDO_SOAK_SECONDS || 60);

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/reliability/**/*.reliability.test.ts'],
    // One file at a time: the tests start child processes and measure under load, and the machine has few cores.
    fileParallelism: false,
    pool: 'forks',
    // Timed tests run for the knobs' durations, plus time to start children, check and rebuild.
    testTimeout: (Math.max(SECONDS * 2, SOAK_SECONDS) + 180) * 1000,
    hookTimeout: 120_000,
    // Each test prints its result line; keep it visible.
    silent: false,
  },
});
