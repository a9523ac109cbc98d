/**
 * Injection: stream ids, event types, data and metadata strings and keys, checkpoint ids, customer ids and names,
 * and the SQL identifiers a host configures (SQLite table prefix, PostgreSQL schema, read-model table prefix)
 * carrying SQL fragments, quotes, NUL and awkward unicode. Each either round-trips exactly or is refused with
 * `VALIDATION_FAILED`, on the memory store, SQLite and a real PostgreSQL server; and the sentinel data written
 * first is intact at the end, so no fragment ran as SQL.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { EventStore } from '../../src/kernel/event-store.js';
import { createErpReadModels } from '../../src/read-models/index.js';
import { createErp } from '../../src/services/erp.js';
import { createMemoryEventStore } from '../../src/stores/memory/index.js';
import { createPostgresEventStore } from '../../src/stores/postgres/index.js';
import { createSqliteEventStore } from '../../src/stores/sqlite/index.js';
import { ERP_SETTINGS } from './erp-fixture.js';
import { expectTypedError, HOSTILE_STRINGS, hostileString, show } from './hostile-input.js';
import {
  assertServerReachable,
  collect,
  describeError,
  dropSchema,
  RELIABILITY_SEED,
  serverPool,
  Tally,
  uniqueSchema,
  watchProcessFaults,
} from './reliability-support.js';

/** Generated hostile strings per store, on top of the curated list (env `ORDO_INJECTION_RUNS`). */
const RUNS = Number(process.env.ORDO_INJECTION_RUNS || 150);
const SENTINEL = 'sentinel-stream';

let faults: ReturnType<typeof watchProcessFaults>;
let admin: pg.Pool | undefined;
const schemas: string[] = [];

beforeAll(() => {
  faults = watchProcessFaults();
});
afterAll(async () => {
  faults.stop();
  if (admin) {
    for (const schema of schemas) await dropSchema(admin, schema);
    await admin.end();
  }
});

function report(tally: Tally, test: string): void {
  tally.corrupt.push(...faults.drain());
  tally.report(test);
}

/**
 * Runs `work` with a hostile value: a refusal must be `VALIDATION_FAILED` (recorded as corrupt otherwise) and
 * returns `undefined`; success returns what `work` returned, for the caller to compare.
 */
async function attempt<T>(tally: Tally, where: string, work: () => Promise<T>): Promise<{ value: T } | undefined> {
  tally.operations += 1;
  try {
    return { value: await work() };
  } catch (error) {
    const typed = expectTypedError(tally, error, where);
    if (typed && typed.code !== 'VALIDATION_FAILED') tally.corrupt.push(`${where}: refused with ${typed.code}`);
    return undefined;
  }
}

/** One hostile string through every string-carrying argument of a store. */
async function throughStore(
  tally: Tally,
  store: EventStore,
  name: string,
  hostile: string,
  appended: { count: number },
) {
  const where = (what: string) => `${name} ${what} ${show(hostile)}`;
  tally.faults += 1;
  // As a stream id.
  const asStream = await attempt(tally, where('stream id'), () =>
    store.appendToStream(hostile, [{ type: 'InjectionTested', data: { value: 'stream' } }], { expectedVersion: 'any' }),
  );
  if (asStream) {
    appended.count += 1;
    const events = await collect(store.readStream(hostile));
    if (events.length === 0 || events.some((event) => event.streamId !== hostile)) {
      tally.corrupt.push(`${where('stream id')}: reads back as ${show(events.map((event) => event.streamId))}`);
    }
    if ((await store.streamVersion(hostile)) !== events.length)
      tally.corrupt.push(`${where('stream id')}: version differs`);
  }
  // As an event type, found again by a type filter.
  const asType = await attempt(tally, where('event type'), () =>
    store.appendToStream('injection-types', [{ type: hostile, data: {} }], { expectedVersion: 'any' }),
  );
  if (asType) {
    appended.count += 1;
    const found = await collect(store.readAll({ types: [hostile] }));
    if (found.length === 0 || found.some((event) => event.type !== hostile)) {
      tally.corrupt.push(`${where('event type')}: the type filter finds ${show(found.map((event) => event.type))}`);
    }
  }
  // As data and metadata strings and keys.
  const data = { [hostile]: hostile, list: [hostile, { nested: hostile }] };
  const metadata = { actor: hostile, correlationId: hostile, [hostile]: hostile };
  const asData = await attempt(tally, where('data and metadata'), () =>
    store.appendToStream('injection-data', [{ type: 'InjectionTested', data, metadata }], { expectedVersion: 'any' }),
  );
  if (asData) {
    appended.count += 1;
    const [event] = await collect(store.readStream('injection-data', { direction: 'backwards', maxCount: 1 }));
    if (JSON.stringify(event?.data) !== JSON.stringify(data)) {
      tally.corrupt.push(`${where('data')}: reads back as ${show(event?.data)}`);
    }
    const stored = event?.metadata as Record<string, unknown> | undefined;
    if (stored?.actor !== hostile || stored?.correlationId !== hostile || stored?.[hostile] !== hostile) {
      tally.corrupt.push(`${where('metadata')}: reads back as ${show(stored)}`);
    }
  }
  // As a checkpoint id and a snapshot's stream.
  const asCheckpoint = await attempt(tally, where('checkpoint id'), () => store.saveCheckpoint(hostile, 7));
  if (asCheckpoint && (await store.getCheckpoint(hostile)) !== 7) tally.corrupt.push(`${where('checkpoint id')}: lost`);
  const asSnapshot = await attempt(tally, where('snapshot'), () =>
    store.saveSnapshot(hostile, { streamVersion: 1, schemaVersion: 1, state: { hostile } }),
  );
  if (asSnapshot) {
    const snapshot = await store.loadSnapshot(hostile, 1);
    if ((snapshot?.state as { hostile?: unknown } | undefined)?.hostile !== hostile) {
      tally.corrupt.push(`${where('snapshot')}: reads back as ${show(snapshot)}`);
    }
  }
}

/** A customer with a hostile id and name through the ERP: registered and read back exactly, or refused as invalid. */
async function throughErp(tally: Tally, store: EventStore, name: string, hostile: string, index: number) {
  const erp = createErp({ store, settings: ERP_SETTINGS });
  const where = `${name} customer ${show(hostile)}`;
  tally.operations += 1;
  for (const [customerId, customerName] of [
    [`INJ-${index}`, hostile],
    [hostile, `name ${index}`],
  ] as const) {
    let result: Awaited<ReturnType<typeof erp.manageCustomer>>;
    try {
      result = await erp.manageCustomer({
        type: 'RegisterCustomer',
        customerId,
        name: customerName,
        customerGroup: 'Retail',
      });
    } catch (error) {
      tally.corrupt.push(`${where}: manageCustomer threw ${describeError(error)}`);
      continue;
    }
    if (!result.ok) {
      const codes = result.errors.map((error) => error.code);
      // Registering the same hostile id twice (fast-check repeats values) is refused as a rule, not as invalid.
      if (codes.some((code) => code !== 'VALIDATION_FAILED' && code !== 'CUSTOMER_ALREADY_EXISTS')) {
        tally.corrupt.push(`${where}: refused with ${codes.join()}`);
      }
      continue;
    }
    const read = await erp.getCustomer(customerId);
    if (read?.customerId !== customerId || read.name !== customerName) {
      tally.corrupt.push(`${where}: reads back as ${show(read)}`);
    }
  }
}

/** The hostile strings of one store's run: the curated ones, then generated ones. */
function hostileSample(runs: number): string[] {
  return [...HOSTILE_STRINGS, ...fc.sample(hostileString(), { numRuns: runs, seed: RELIABILITY_SEED })];
}

/** Writes the sentinel, runs every hostile string, then checks the sentinel and the event count. */
async function injectInto(tally: Tally, store: EventStore, name: string, runs: number): Promise<void> {
  const sentinel = [{ type: 'Sentinel', data: { keep: "me'; --" } }];
  await store.appendToStream(SENTINEL, sentinel, { expectedVersion: 'no_stream' });
  const appended = { count: 1 };
  for (const [index, hostile] of hostileSample(runs).entries()) {
    await throughStore(tally, store, name, hostile, appended);
    await throughErp(tally, store, name, hostile, index);
  }
  const kept = await collect(store.readStream(SENTINEL));
  if (kept.length !== 1 || JSON.stringify(kept[0]?.data) !== JSON.stringify(sentinel[0]?.data)) {
    tally.lost.push(`${name}: the sentinel stream changed: ${show(kept)}`);
  }
  const all = await collect(store.readAll());
  const erpEvents = all.filter((event) => event.streamId.startsWith('Customer')).length;
  if (all.length - erpEvents !== appended.count) {
    tally.corrupt.push(`${name}: ${all.length - erpEvents} events stored, ${appended.count} appended`);
  }
}

describe('injection', () => {
  it('hostile stream ids, event types, data, metadata, checkpoint ids and customer names round-trip exactly or are refused as VALIDATION_FAILED on the memory store', async () => {
    const tally = new Tally();
    await injectInto(tally, createMemoryEventStore(), 'memory', RUNS);
    report(tally, 'injection-memory');
  });

  it('hostile stream ids, event types, data, metadata, checkpoint ids, customer names and table prefixes round-trip exactly or are refused as VALIDATION_FAILED on SQLite', async () => {
    const tally = new Tally();
    const database = new Database(':memory:');
    await injectInto(tally, createSqliteEventStore({ database }), 'sqlite', RUNS);
    for (const hostile of hostileSample(Math.ceil(RUNS / 3))) {
      tally.faults += 1;
      const where = `sqlite tablePrefix ${show(hostile)}`;
      const made = await attempt(tally, where, async () => {
        const store = createSqliteEventStore({ database, tablePrefix: hostile });
        await store.appendToStream('prefixed', [{ type: 'InjectionTested', data: { hostile } }], {
          expectedVersion: 'any',
        });
        return store;
      });
      if (made) {
        const events = await collect(made.value.readStream('prefixed'));
        const table = database
          .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?")
          .get(`${hostile}events`);
        if (!table || events.length === 0)
          tally.corrupt.push(`${where}: accepted, but no "${hostile}events" table holds the event`);
      }
      const models = await attempt(tally, `sqlite read-model ${where}`, async () =>
        createErpReadModels({ mode: 'sqlite', store: { database }, tablePrefix: hostile }),
      );
      if (models && !/^[a-z_][a-z0-9_]{0,30}$|^$/.test(hostile)) {
        tally.corrupt.push(`sqlite read-model ${where}: accepted a prefix that is not a plain identifier`);
      }
    }
    const sentinel = await collect(createSqliteEventStore({ database }).readStream(SENTINEL));
    if (sentinel.length !== 1) tally.lost.push('sqlite: the sentinel stream changed after the prefix attempts');
    database.close();
    report(tally, 'injection-sqlite');
  });

  it('hostile stream ids, event types, data, metadata, checkpoint ids, customer names and schema names round-trip exactly or are refused as VALIDATION_FAILED on PostgreSQL', async () => {
    await assertServerReachable();
    const tally = new Tally();
    admin = serverPool('ordo-rel-injection', 4);
    const schema = uniqueSchema('inj');
    schemas.push(schema);
    const store = createPostgresEventStore({ client: admin, schema });
    await injectInto(tally, store, 'postgres', Math.ceil(RUNS / 2));
    await store.close();
    const existing = new Set(
      (await admin.query<{ nspname: string }>('SELECT nspname FROM pg_namespace')).rows.map((row) => row.nspname),
    );
    for (const hostile of [...hostileSample(Math.ceil(RUNS / 3)), 'pg_catalog', 'pg_toast', 'pg_rel_reserved']) {
      tally.faults += 1;
      const where = `postgres schema ${show(hostile)}`;
      // A schema that already exists (a system schema) is only read, never migrated into: the store must refuse
      // the name, or report the schema as not migrated (STORE_UNAVAILABLE). A new one is created and dropped after.
      const preexisting = existing.has(hostile);
      tally.operations += 1;
      try {
        const candidate = createPostgresEventStore({ client: admin, schema: hostile, autoMigrate: !preexisting });
        if (!preexisting) schemas.push(hostile);
        await candidate.appendToStream('schema-check', [{ type: 'InjectionTested', data: { hostile } }], {
          expectedVersion: 'any',
        });
        const events = await collect(candidate.readStream('schema-check'));
        if (events.length === 0) tally.corrupt.push(`${where}: accepted, but the event does not read back`);
        if (preexisting) tally.corrupt.push(`${where}: wrote into a schema that existed before`);
        await candidate.close();
      } catch (error) {
        const typed = expectTypedError(tally, error, where);
        const allowed = preexisting ? ['VALIDATION_FAILED', 'STORE_UNAVAILABLE'] : ['VALIDATION_FAILED'];
        if (typed && !allowed.includes(typed.code)) tally.corrupt.push(`${where}: refused with ${typed.code}`);
      }
    }
    const check = createPostgresEventStore({ client: admin, schema });
    const sentinel = await collect(check.readStream(SENTINEL));
    if (sentinel.length !== 1) tally.lost.push('postgres: the sentinel stream changed after the schema attempts');
    await check.close();
    report(tally, 'injection-postgres');
  });
});
