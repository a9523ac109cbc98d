import { dirname, join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  entry: {
    index: 'src/index.ts',
    sqlite: 'src/stores/sqlite/index.ts',
    postgres: 'src/stores/postgres/index.ts',
    testing: 'src/testing/index.ts',
    cli: 'src/cli/main.ts',
  },
  dts: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  treeshake: true,
  external: ['better-sqlite3', 'pg', '@electric-sql/pglite', 'fast-check', 'vitest'],
};

export default defineConfig([
  { ...shared, format: ['esm'], splitting: true, clean: true },
  {
    ...shared,
    format: ['cjs'],
    splitting: false,
    // vitest cannot be require()d: the CommonJS build gets a stand-in that explains why.
    esbuildPlugins: [
      {
        name: 'vitest-api-cjs',
        setup(build) {
          build.onResolve({ filter: /\/vitest-api\.js$/ }, (args) => ({
            path: join(args.resolveDir, dirname(args.path), 'vitest-api.cjs.ts'),
          }));
        },
      },
    ],
  },
]);
