import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests and examples import the package by its public names; point them at the sources.
    alias: [
      { find: /^ordo$/, replacement: src('index.ts') },
      { find: /^ordo\/sqlite$/, replacement: src('stores/sqlite/index.ts') },
      { find: /^ordo\/postgres$/, replacement: src('stores/postgres/index.ts') },
      { find: /^ordo\/testing$/, replacement: src('testing/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/reliability/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
