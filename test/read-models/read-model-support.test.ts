import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isOrdoError } from '../../src/kernel/errors.js';
import { withInlineProjections } from '../../src/kernel/projection-inline.js';
import {
  createErpReadModels,
  createSqlCustomerOrderSummary,
  createSqliteExecutor,
  type SqlExecutor,
} from '../../src/read-models/index.js';
import { pmDelete, pmEmpty, pmGet, pmKeys, pmSet, pmValues } from '../../src/read-models/persistent-map.js';
import { toPostgresPlaceholders } from '../../src/read-models/sql-executor.js';
import { createPostgresEventStore } from '../../src/stores/postgres/index.js';
import { createSqliteEventStore } from '../../src/stores/sqlite/index.js';
import { closeSharedPGlite, dropSchema, sharedPGlite, uniqueSchema } from '../support/postgres-support.js';
import { ErpWorld } from './read-model-world.js';

function validationPaths(run: () => unknown): unknown[] {
  try {
    run();
  } catch (error) {
    if (isOrdoError(error, 'VALIDATION_FAILED'))
      return (error as unknown as { issues: { path: unknown[] }[] }).issues.map((issue) => issue.path);
    throw error;
  }
  throw new Error('expected VALIDATION_FAILED');
}

describe('SQL executor', () => {
  it('rewrites ? placeholders to $1, $2, ... in order for PostgreSQL', () => {
    expect(toPostgresPlaceholders('SELECT a FROM t WHERE b = ? AND c IN (?, ?) LIMIT ?')).toBe(
      'SELECT a FROM t WHERE b = $1 AND c IN ($2, $3) LIMIT $4',
    );
  });

  it('reads integers as numbers on a SQLite connection that defaults to big integers', async () => {
    const database = new Database(':memory:');
    database.defaultSafeIntegers(true);
    const sql = createSqliteExecutor(database);
    expect(await sql.all('SELECT 41 + ? AS answer', [1])).toEqual([{ answer: 42 }]);
    database.close();
  });
});

describe('SQL read model configuration', () => {
  const executor: SqlExecutor = createSqliteExecutor(new Database(':memory:'));

  it('refuses a table prefix that is not a plain lower-case identifier, so no table name is built from raw text', () => {
    for (const tablePrefix of ['Ordo_', 'x"; DROP TABLE orders; --', 'a-b_', '1abc_', 'a'.repeat(32)]) {
      expect(validationPaths(() => createSqlCustomerOrderSummary({ executor, tablePrefix }))).toEqual([
        ['tablePrefix'],
      ]);
    }
    expect(() => createSqlCustomerOrderSummary({ executor, tablePrefix: '' })).not.toThrow();
  });

  it('refuses a schema on SQLite, where it would mean nothing', () => {
    expect(validationPaths(() => createSqlCustomerOrderSummary({ executor, schema: 'erp' }))).toEqual([['schema']]);
  });

  it('refuses an unknown mode or a store that is not of the mode', () => {
    expect(validationPaths(() => createErpReadModels({ mode: 'mongo' } as never))).toEqual([['mode']]);
    expect(validationPaths(() => createErpReadModels({ mode: 'sqlite', store: {} } as never))).toEqual([['store']]);
    expect(validationPaths(() => createErpReadModels({ mode: 'postgres', store: {} } as never))).toEqual([['store']]);
  });

  it('runs two sets of read models side by side on one SQLite store when their names and tables differ', async () => {
    const database = new Database(':memory:');
    const store = createSqliteEventStore({ database });
    const live = createErpReadModels({ mode: 'sqlite', store });
    const copy = createErpReadModels({ mode: 'sqlite', store, tablePrefix: 'copy_', namePrefix: 'copy-' });
    const inline = withInlineProjections(store, [...live.projections, ...copy.projections]);
    const world = new ErpWorld(async (streamId, events) => {
      await inline.appendToStream(streamId, [...events], { expectedVersion: 'any' });
    });
    await world.placeOrder('SO-1');
    await world.simple('SO-1', 'CancelSalesOrder');
    await world.placeOrder('SO-2', { lines: [{ rate: '3.00' }] });
    const tables = database
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'copy_%' ORDER BY name")
      .all();
    expect(tables.length).toBeGreaterThan(0);
    expect(await copy.queries.customerOrderSummary.list()).toEqual(await live.queries.customerOrderSummary.list());
    expect(await copy.queries.customerOrderSummary.get('CUST-1')).toMatchObject({
      totalOrders: 1,
      totalAmount: '30.00',
    });
    await store.close();
    database.close();
  });
});

describe('SQL read models on PostgreSQL', () => {
  afterAll(closeSharedPGlite);

  it('keep their tables in the schema they are given, creating it when missing, apart from the store', async () => {
    const pglite = await sharedPGlite();
    const storeSchema = uniqueSchema('rms');
    const readSchema = uniqueSchema('rmr');
    const store = createPostgresEventStore({ client: pglite, schema: storeSchema, notifications: false });
    const models = createErpReadModels({ mode: 'postgres', store, client: pglite, schema: readSchema });
    const inline = withInlineProjections(store, models.projections);
    const world = new ErpWorld(async (streamId, events) => {
      await inline.appendToStream(streamId, [...events], { expectedVersion: 'any' });
    });
    await world.placeOrder('SO-1');
    const { rows } = await pglite.query<{ table_schema: string }>(
      "SELECT DISTINCT table_schema FROM information_schema.tables WHERE table_name = 'ordo_rm_orders'",
    );
    expect(rows.map((row) => row.table_schema)).toContain(readSchema);
    expect(rows.map((row) => row.table_schema)).not.toContain(storeSchema);
    expect(await models.queries.orders.count()).toBe(1);
    await store.close();
    await dropSchema(pglite, readSchema);
    await dropSchema(pglite, storeSchema);
  });
});

describe('persistent map (the in-memory read models’ state)', () => {
  it('behaves like a Map and never changes a map it was derived from', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.string({ maxLength: 4 }), value: fc.integer() }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.string({ maxLength: 4 }) }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 200 }), (operations) => {
        const model = new Map<string, number>();
        let map = pmEmpty<number>();
        const history: { map: typeof map; entries: [string, number][] }[] = [];
        for (const step of operations) {
          if (step.kind === 'set') {
            map = pmSet(map, step.key, step.value);
            model.set(step.key, step.value);
          } else {
            map = pmDelete(map, step.key);
            model.delete(step.key);
          }
          history.push({ map, entries: [...model.entries()] });
        }
        for (const { map: earlier, entries } of history) {
          expect(earlier.size).toBe(entries.length);
          for (const [key, value] of entries) expect(pmGet(earlier, key)).toBe(value);
          expect(pmValues(earlier).sort()).toEqual(entries.map(([, value]) => value).sort());
          expect(pmKeys(earlier).sort()).toEqual(entries.map(([key]) => key).sort());
        }
        expect(pmGet(map, '__proto__')).toBe(model.get('__proto__'));
      }),
    );
  });
});
