/**
 * Shared plumbing of the PostgreSQL adapter's tests: where the real server is (env `ORDO_PG_URL`), one PGlite
 * per test file, fresh uniquely named schemas per storage, and the marker file CI checks to know that the
 * real-server suites ran (env `ORDO_PG_MARKER`).
 */
import { appendFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { EventRegistry } from '../../src/kernel/event-registry.js';
import {
  createPostgresEventStore,
  type PostgresConnectionSource,
  type PostgresEventStore,
  type PostgresEventStoreOptions,
} from '../../src/stores/postgres/index.js';
import type { ConformanceFactory } from '../../src/testing/event-store-conformance.js';

/** The real server's URL, when the run has one (CI sets it with `scripts/ci-postgres.sh`). */
export const POSTGRES_URL: string | undefined = process.env.ORDO_PG_URL || undefined;

/** True when the real-server tests must run. */
export const HAS_POSTGRES_SERVER = POSTGRES_URL !== undefined;

let schemaCounter = 0;

/**
 * A schema name no other test, file or concurrent run uses: prefix, process id, a counter and random letters.
 * Always matches the store's schema pattern.
 */
export function uniqueSchema(prefix = 't'): string {
  schemaCounter += 1;
  const random = Math.random().toString(36).slice(2, 8);
  return `ordo_${prefix}_${process.pid}_${schemaCounter}_${random}`.toLowerCase().slice(0, 63);
}

/** Drops a schema and everything in it. The name comes from {@link uniqueSchema}, so quoting is enough. */
export async function dropSchema(client: PostgresConnectionSource, schema: string): Promise<void> {
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

/** A pool on the real server; throws when `ORDO_PG_URL` is not set. */
export function createServerPool(max = 10): pg.Pool {
  if (!POSTGRES_URL) throw new Error('ORDO_PG_URL is not set');
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max });
  // An idle client whose connection dies emits on the pool; a test that kills connections must not crash.
  pool.on('error', () => undefined);
  return pool;
}

let pglite: Promise<PGlite> | undefined;

/**
 * The PGlite instance of this test file (vitest runs each file in its own process). Starting PGlite takes
 * seconds, so storages are schemas inside one instance rather than instances of their own.
 */
export function sharedPGlite(): Promise<PGlite> {
  pglite ??= (async () => {
    const db = new PGlite();
    await db.waitReady;
    return db;
  })();
  return pglite;
}

/** Closes this file's PGlite, if it was started. */
export async function closeSharedPGlite(): Promise<void> {
  const pending = pglite;
  pglite = undefined;
  await (await pending)?.close();
}

/**
 * A conformance factory whose every storage is a fresh schema on `client` (dropped on dispose), and whose every
 * `open()` is a store over that schema, as app instances sharing one database.
 */
export function schemaStorageFactory(
  client: () => Promise<PostgresConnectionSource> | PostgresConnectionSource,
  options: PostgresEventStoreOptions = {},
): ConformanceFactory {
  return async () => {
    const connection = await client();
    const schema = uniqueSchema('conf');
    return {
      open(storeOptions?: { readonly registry?: EventRegistry }): PostgresEventStore {
        return createPostgresEventStore({
          ...options,
          client: connection,
          schema,
          ...(storeOptions?.registry === undefined ? {} : { registry: storeOptions.registry }),
        });
      },
      async dispose() {
        await dropSchema(connection, schema);
      },
    };
  };
}

/** Records in the marker file (env `ORDO_PG_MARKER`) that a real-server suite ran to its end. */
export function markServerSuiteRan(suite: string): void {
  const marker = process.env.ORDO_PG_MARKER;
  if (!marker) return;
  const where = POSTGRES_URL ? new URL(POSTGRES_URL) : undefined;
  const server = where ? `${where.hostname}:${where.port || '5432'}${where.pathname}` : 'unknown server';
  appendFileSync(marker, `${new Date().toISOString()} ${suite} ran against ${server}\n`);
}

/** Sleeps `ms` milliseconds (to widen race windows in concurrency tests, never to assert on time). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One kind of connection the store tests run against. */
export interface PostgresBackend {
  /** Shown in test names. */
  readonly name: string;
  /** True when separate stores really run on separate connections (a pool on a server), so races interleave. */
  readonly concurrent: boolean;
  /** The connection source (started on first use). */
  source(): Promise<PostgresConnectionSource>;
}

let serverPool: pg.Pool | undefined;
let serverClient: Promise<pg.Client> | undefined;

/**
 * The backends of this run: PGlite always; with `ORDO_PG_URL`, also a `pg` `Pool` and a single `pg` `Client` on
 * the real server. Close them with {@link closeBackends} in `afterAll`.
 */
export function postgresBackends(): PostgresBackend[] {
  const list: PostgresBackend[] = [{ name: 'PGlite', concurrent: false, source: sharedPGlite }];
  if (HAS_POSTGRES_SERVER) {
    list.push(
      {
        name: 'server pool',
        concurrent: true,
        source: async () => {
          serverPool ??= createServerPool(30);
          return serverPool;
        },
      },
      {
        name: 'server client',
        concurrent: false,
        source: () => {
          serverClient ??= (async () => {
            const client = new pg.Client({ connectionString: POSTGRES_URL });
            client.on('error', () => undefined);
            await client.connect();
            return client;
          })();
          return serverClient;
        },
      },
    );
  }
  return list;
}

/** Ends whatever {@link postgresBackends} started. */
export async function closeBackends(): Promise<void> {
  const pool = serverPool;
  const client = serverClient;
  serverPool = undefined;
  serverClient = undefined;
  await pool?.end();
  await (await client)?.end();
  await closeSharedPGlite();
}
