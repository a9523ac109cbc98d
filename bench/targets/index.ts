/**
 * Makes a fresh {@link BenchTarget} per store. Each factory is imported only when its store is asked for,
 * so `--stores memory` needs no SQL driver and no database.
 */
import type { BenchTarget, StoreName } from '../lib/types.js';

/** The PostgreSQL server to use (`ORDO_PG_URL`), or `undefined` for PGlite. */
export function postgresUrl(): string | undefined {
  const url = process.env.ORDO_PG_URL;
  return url === undefined || url === '' ? undefined : url;
}

/** A fresh target for `store`: new storage, cleaned up by its `close()`. */
export async function createTarget(store: StoreName): Promise<BenchTarget> {
  switch (store) {
    case 'memory':
      return (await import('./memory-target.js')).createMemoryTarget();
    case 'sqlite':
      return (await import('./sqlite-target.js')).createSqliteTarget();
    case 'postgres':
      return (await import('./postgres-target.js')).createPostgresTarget(postgresUrl());
  }
}

/** Releases what targets share across a process (the PGlite instance). Call after the last target closed. */
export async function disposeTargets(): Promise<void> {
  if (postgresUrl() === undefined) {
    await (await import('./postgres-target.js')).closeSharedPglite();
  }
}
