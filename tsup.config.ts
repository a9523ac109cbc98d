import { dirname, join } from 'node:path';
import { defineConfig } from 'tsup';

const libraryEntries = {
  index: 'src/index.ts',
  sqlite: 'src/stores/sqlite/index.ts',
  postgres: 'src/stores/postgres/index.ts',
  testing: 'src/testing/index.ts',
};

export default defineConfig({
  // The CLI (`bin: ordo`, dist/cli.js) is built too, but has no types to declare.
  entry: { ...libraryEntries, cli: 'src/cli/main.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: libraryEntries },
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  external: ['better-sqlite3', 'pg', '@electric-sql/pglite', 'fast-check', 'vitest'],
  esbuildPlugins: [
    {
      // vitest cannot be require()d: the CommonJS build gets a stand-in that explains why.
      name: 'vitest-api-cjs',
      setup(build) {
        if (build.initialOptions.format !== 'cjs') return;
        build.onResolve({ filter: /\/vitest-api\.js$/ }, (args) => ({
          path: join(args.resolveDir, dirname(args.path), 'vitest-api.cjs.ts'),
        }));
      },
    },
  ],
});
