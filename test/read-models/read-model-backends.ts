/**
 * The stores every read-model test runs against, Kysely-style: the in-memory store with the in-memory read models,
 * SQLite and PostgreSQL (PGlite always; the real server when `ORDO_PG_URL` is set) with the SQL read models. Each
 * backend opens a fresh store with the read models run inline, or async by a projection runner.
 */

import type { PGlite } from '@electric-sql/pglite';
import Database from 'better-sqlite3';
import type pg from 'pg';
import type { EventLike } from '../../src/kernel/event.js';
import type { Projection } from '../../src/kernel/projection.js';
import { withInlineProjections } from '../../src/kernel/projection-inline.js';
import { createProjectionRunner, type ProjectionRunner } from '../../src/kernel/projection-runner.js';
import type { CheckpointTransaction, TransactionalEventStore } from '../../src/kernel/transactional-store.js';
import { createErpReadModels, type ErpReadModelQueries } from '../../src/read-models/index.js';
import { createMemoryEventStore } from '../../src/stores/memory/index.js';
import { createPostgresEventStore } from '../../src/stores/postgres/index.js';
import { createSqliteEventStore } from '../../src/stores/sqlite/index.js';
import {
  closeSharedPGlite,
  createServerPool,
  dropSchema,
  HAS_POSTGRES_SERVER,
  sharedPGlite,
  uniqueSchema,
} from '../support/postgres-support.js';

/** How the read models are run. */
export type RunMode = 'inline' | 'async';

/** One opened store with the ERP read models running on it. */
export interface ReadModelHarness {
  /** Appends events to one stream (projections run inline in it, or at the next `settle`). */
  append(streamId: string, events: readonly EventLike[]): Promise<void>;
  /** Brings async read models up to date (a no-op inline). */
  settle(): Promise<void>;
  /** The read models' queries. */
  readonly queries: ErpReadModelQueries;
  /** The projections (to call a handler directly in a test). */
  readonly projections: readonly Projection<never>[];
  /** The store under the projections. */
  readonly store: TransactionalEventStore<CheckpointTransaction>;
  /** Rebuilds every read model from position 0 with a projection runner. */
  rebuild(): Promise<void>;
  /** Appends with an extra inline projection after the read models (to make an append fail after they ran). */
  withExtraProjection(projection: Projection<CheckpointTransaction>): AppendFn;
  close(): Promise<void>;
}

type AppendFn = (streamId: string, events: readonly EventLike[]) => Promise<void>;

/** A kind of store the tests loop over. */
export interface ReadModelBackend {
  readonly name: string;
  /** True for the SQL read models. */
  readonly sql: boolean;
  open(mode: RunMode): Promise<ReadModelHarness>;
}

/** The read-model-specific wiring of a backend: a fresh store and its read models. */
interface Opened<Tx extends CheckpointTransaction> {
  readonly store: TransactionalEventStore<Tx>;
  readonly projections: readonly Projection<Tx>[];
  readonly queries: ErpReadModelQueries;
  dispose(): Promise<void>;
}

async function harness<Tx extends CheckpointTransaction>(opened: Opened<Tx>, mode: RunMode): Promise<ReadModelHarness> {
  const { store, projections } = opened;
  const inline = withInlineProjections(store, projections);
  const runner: ProjectionRunner = createProjectionRunner<Tx>({ store, projections });
  const appendThrough =
    (target: TransactionalEventStore<Tx>): AppendFn =>
    async (streamId, events) => {
      await target.appendToStream(
        streamId,
        events.map((event) => ({ type: event.type, data: event.data })),
        { expectedVersion: 'any' },
      );
    };
  // Async: the projections are built now (empty), so every later event reaches them through the runner.
  if (mode === 'async') await runner.catchUp();
  else await inline.projectionsReady();
  return {
    append: appendThrough(mode === 'inline' ? inline : store),
    settle: async () => {
      if (mode === 'async') await runner.catchUp();
    },
    queries: opened.queries,
    projections: projections as readonly Projection<never>[],
    store: store as unknown as TransactionalEventStore<CheckpointTransaction>,
    rebuild: async () => {
      for (const projection of projections) await runner.rebuild(projection.name);
    },
    withExtraProjection: (projection) =>
      appendThrough(withInlineProjections(store, [...projections, projection as unknown as Projection<Tx>])),
    close: async () => {
      await runner.stop();
      await opened.dispose();
    },
  };
}

const memoryBackend: ReadModelBackend = {
  name: 'memory',
  sql: false,
  async open(mode) {
    const store = createMemoryEventStore();
    const models = createErpReadModels({ mode: 'memory' });
    return harness({ store, ...models, dispose: () => store.close() }, mode);
  },
};

const sqliteBackend: ReadModelBackend = {
  name: 'sqlite',
  sql: true,
  async open(mode) {
    const database = new Database(':memory:');
    const store = createSqliteEventStore({ database });
    const models = createErpReadModels({ mode: 'sqlite', store });
    return harness(
      {
        store,
        ...models,
        dispose: async () => {
          await store.close();
          database.close();
        },
      },
      mode,
    );
  },
};

function postgresBackend(name: string, client: () => Promise<PGlite | pg.Pool>): ReadModelBackend {
  return {
    name,
    sql: true,
    async open(mode) {
      const connection = await client();
      const schema = uniqueSchema('rm');
      const store = createPostgresEventStore({ client: connection, schema, notifications: false });
      const models = createErpReadModels({ mode: 'postgres', store, client: connection });
      return harness(
        {
          store,
          ...models,
          dispose: async () => {
            await store.close();
            await dropSchema(connection, schema);
          },
        },
        mode,
      );
    },
  };
}

let serverPool: pg.Pool | undefined;

/** The backends of this run: memory, SQLite, PGlite, and the real PostgreSQL server when `ORDO_PG_URL` is set. */
export function readModelBackends(): ReadModelBackend[] {
  const backends = [memoryBackend, sqliteBackend, postgresBackend('pglite', sharedPGlite)];
  if (HAS_POSTGRES_SERVER) {
    backends.push(
      postgresBackend('postgres server', async () => {
        serverPool ??= createServerPool(5);
        return serverPool;
      }),
    );
  }
  return backends;
}

/** Ends whatever the backends started (call in `afterAll`). */
export async function closeReadModelBackends(): Promise<void> {
  const pool = serverPool;
  serverPool = undefined;
  await pool?.end();
  await closeSharedPGlite();
}

/** Everything the read models show, through their queries, in the order the list queries return it. */
export async function snapshot(q: ErpReadModelQueries) {
  const orders = await q.orders.list({ limit: 10_000 });
  return {
    summaries: await q.customerOrderSummary.list({ limit: 10_000 }),
    days: await q.salesDashboard.daily({ from: '0001-01-01', to: '9999-12-31' }),
    orders,
    details: await Promise.all(orders.map((order) => q.orders.get(order.orderId))),
    stock: await q.stockLevels.list({ limit: 10_000 }),
    credit: await q.creditBalances.list({ limit: 10_000 }),
  };
}
