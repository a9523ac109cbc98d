import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { isOrdoError, OrdoError } from '../../src/kernel/errors.js';
import type { NewEvent, StoredEvent } from '../../src/kernel/event.js';
import {
  createSqliteEventStore,
  openSqliteEventStore,
  type SqliteDatabase,
  type SqliteEventStore,
  type SqliteEventStoreOptions,
  type SqliteTransaction,
} from '../../src/stores/sqlite/index.js';
import { collect, latch, recordingDatabase, type TempDatabases, tempDatabases } from './sqlite-test-support.js';

let temp: TempDatabases;
const stores: SqliteEventStore[] = [];

beforeEach(() => {
  temp = tempDatabases();
});

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  temp.dispose();
});

/** A store over a new connection to the test's file, closed after the test. */
function storeOn(database: SqliteDatabase, options: SqliteEventStoreOptions = {}): SqliteEventStore {
  const store = createSqliteEventStore({ ...options, database });
  stores.push(store);
  return store;
}

function fileStore(options: SqliteEventStoreOptions = {}): SqliteEventStore {
  return storeOn(temp.connect(), options);
}

function events(count: number, type = 'Tested'): NewEvent[] {
  return Array.from({ length: count }, (_, index) => ({ type, data: { index } }));
}

/** Awaits `action` and returns the OrdoError it rejected with (fails when it resolves or throws anything else). */
async function ordoErrorOf(action: Promise<unknown>): Promise<OrdoError> {
  let thrown: unknown;
  try {
    await action;
  } catch (error) {
    thrown = error;
  }
  if (!OrdoError.is(thrown)) throw new Error(`expected an OrdoError, got ${String(thrown)}`);
  return thrown;
}

function tableNames(database: Database.Database): string[] {
  return (
    database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
  )
    .map((row) => row.name)
    .filter((name) => name !== 'sqlite_sequence');
}

describe('SQLite store: types', () => {
  it('accepts a better-sqlite3 Database as a SqliteDatabase without any cast', () => {
    expectTypeOf<Database.Database>().toExtend<SqliteDatabase>();
  });
});

describe('SQLite store: table prefix', () => {
  const hostile = [
    'ordo"; DROP TABLE ordo_events; --',
    "x'; DELETE FROM y; --",
    'a b',
    'a-b',
    '1abc',
    'ordo.events',
    'ordo_`x`',
    'préfixe_',
    'a'.repeat(32),
    ' ordo',
  ];

  it.each(hostile)('rejects the prefix %j with VALIDATION_FAILED and creates no table', (tablePrefix) => {
    const database = temp.connect();
    let thrown: unknown;
    try {
      createSqliteEventStore({ database, tablePrefix });
    } catch (error) {
      thrown = error;
    }
    expect(isOrdoError(thrown, 'VALIDATION_FAILED')).toBe(true);
    expect((thrown as { issues: { path: unknown[] }[] }).issues[0]?.path).toEqual(['tablePrefix']);
    expect(tableNames(database)).toEqual([]);
  });

  it('rejects a prefix that is not a string', () => {
    const database = temp.connect();
    expect(() => createSqliteEventStore({ database, tablePrefix: 42 as unknown as string })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });

  it("creates its tables under the prefix ('ordo_' by default), and stores with different prefixes in one file do not see each other", async () => {
    const database = temp.connect();
    const plain = storeOn(database);
    const tenant = storeOn(database, { tablePrefix: 'Tenant_42_' });
    const bare = storeOn(database, { tablePrefix: '' });
    await plain.appendToStream('s', events(1), { expectedVersion: 'no_stream' });
    await tenant.appendToStream('s', events(2), { expectedVersion: 'no_stream' });
    await bare.appendToStream('s', events(3), { expectedVersion: 'no_stream' });
    expect(tableNames(database)).toEqual([
      'Tenant_42_checkpoints',
      'Tenant_42_events',
      'Tenant_42_migrations',
      'Tenant_42_snapshots',
      'checkpoints',
      'events',
      'migrations',
      'ordo_checkpoints',
      'ordo_events',
      'ordo_migrations',
      'ordo_snapshots',
      'snapshots',
    ]);
    expect(await plain.streamVersion('s')).toBe(1);
    expect(await tenant.streamVersion('s')).toBe(2);
    expect(await bare.streamVersion('s')).toBe(3);
    expect(tenant.tables.events).toBe('Tenant_42_events');
  });
});

describe('SQLite store: connection settings', () => {
  it('sets WAL, synchronous NORMAL and a 5 s busy timeout by default', () => {
    const database = temp.connect();
    storeOn(database);
    expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(database.pragma('synchronous', { simple: true })).toBe(1);
    expect(database.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('applies synchronous FULL and a custom busy timeout when asked', () => {
    const database = temp.connect();
    storeOn(database, { synchronous: 'full', busyTimeoutMs: 1234 });
    expect(database.pragma('synchronous', { simple: true })).toBe(2);
    expect(database.pragma('busy_timeout', { simple: true })).toBe(1234);
  });

  it('defaults synchronous to FULL outside WAL mode', () => {
    const database = temp.connect();
    storeOn(database, { journalMode: 'delete' });
    expect(database.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(database.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('leaves the connection as the host set it with configureConnection: false', () => {
    const database = temp.connect();
    database.pragma('synchronous = OFF');
    storeOn(database, { configureConnection: false });
    expect(database.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(database.pragma('synchronous', { simple: true })).toBe(0);
  });

  it('rejects every malformed option in one VALIDATION_FAILED with the paths', () => {
    const database = temp.connect();
    let thrown: unknown;
    try {
      createSqliteEventStore({
        database,
        batchSize: 0,
        busyTimeoutMs: -1,
        journalMode: 'wal; DROP TABLE x' as 'wal',
        synchronous: 'sometimes' as 'full',
      });
    } catch (error) {
      thrown = error;
    }
    expect(isOrdoError(thrown, 'VALIDATION_FAILED')).toBe(true);
    expect((thrown as { issues: { path: unknown[] }[] }).issues.map((issue) => issue.path)).toEqual([
      ['batchSize'],
      ['busyTimeoutMs'],
      ['journalMode'],
      ['synchronous'],
    ]);
  });

  it('rejects something that is not a database with VALIDATION_FAILED', () => {
    expect(() => createSqliteEventStore({ database: {} as SqliteDatabase })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });
});

describe('SQLite store: migrations', () => {
  it('creates the schema on first use by default and records version 1 once', async () => {
    const database = temp.connect();
    const store = storeOn(database);
    expect(tableNames(database)).toEqual([]);
    expect(await store.headPosition()).toBe(0);
    expect(database.prepare('SELECT version FROM ordo_migrations').all()).toEqual([{ version: 1 }]);
  });

  it('is idempotent: a second migrate() applies nothing and keeps the data', async () => {
    const store = fileStore({ autoMigrate: false });
    expect(await store.migrate()).toEqual({ applied: [1], version: 1 });
    await store.appendToStream('s', events(2), { expectedVersion: 'no_stream' });
    expect(await store.migrate()).toEqual({ applied: [], version: 1 });
    expect(await store.streamVersion('s')).toBe(2);
  });

  it('lets two connections migrate the same file at once: one applies, the other finds it done', async () => {
    const first = fileStore({ autoMigrate: false });
    const second = fileStore({ autoMigrate: false });
    const results = await Promise.all([first.migrate(), second.migrate()]);
    expect(results.map((result) => result.applied).sort()).toEqual([[], [1]]);
    expect(temp.connect().prepare('SELECT count(*) AS n FROM ordo_migrations').get()).toEqual({ n: 1 });
  });

  it('fails with STORE_UNAVAILABLE, naming migrate(), when autoMigrate is off and the schema is missing', async () => {
    const store = fileStore({ autoMigrate: false });
    const error = await ordoErrorOf(store.streamVersion('s'));
    expect(error.code).toBe('STORE_UNAVAILABLE');
    expect(error.message).toContain('migrate()');
    await store.migrate();
    expect(await store.streamVersion('s')).toBe(0);
  });

  it('refuses a database whose schema is newer than this version of Ordo knows', async () => {
    const database = temp.connect();
    await storeOn(database).migrate();
    database.prepare("INSERT INTO ordo_migrations (version, name, applied_at) VALUES (99, 'future', 'x')").run();
    const error = await ordoErrorOf(storeOn(database).migrate());
    expect(error.code).toBe('STORE_UNAVAILABLE');
    expect(error.message).toContain('99');
  });
});

describe('SQLite store: locking never leaks SQLITE_BUSY', () => {
  it('turns a write lock held past the busy timeout by another connection into STORE_UNAVAILABLE, writing nothing', async () => {
    const store = fileStore({ busyTimeoutMs: 20 });
    await store.appendToStream('s', events(1), { expectedVersion: 'no_stream' });
    const blocker = temp.connect();
    blocker.exec('BEGIN IMMEDIATE');
    try {
      const append = await ordoErrorOf(store.appendToStream('s', events(1), { expectedVersion: 1 }));
      expect(append.code).toBe('STORE_UNAVAILABLE');
      expect((append as Error).cause).toMatchObject({ code: 'SQLITE_BUSY' });
      const hooked = await ordoErrorOf(
        store.appendToStream('s', events(1), { expectedVersion: 1, beforeCommit: () => undefined }),
      );
      expect(hooked.code).toBe('STORE_UNAVAILABLE');
      expect((await ordoErrorOf(store.saveCheckpoint('sub', 1))).code).toBe('STORE_UNAVAILABLE');
    } finally {
      blocker.exec('ROLLBACK');
    }
    expect(await store.streamVersion('s')).toBe(1);
    const result = await store.appendToStream('s', events(1), { expectedVersion: 1 });
    expect(result.nextExpectedVersion).toBe(2);
  });

  it('queues a second connection of this process behind an async hook instead of waiting on SQLite: the loser gets CONCURRENCY_CONFLICT', async () => {
    const writer = fileStore();
    // A busy timeout of 0: had the second writer gone to SQLite while the lock was held, it would fail at once.
    const rival = fileStore({ busyTimeoutMs: 0 });
    await writer.appendToStream('s', events(1), { expectedVersion: 'no_stream' });
    const hold = latch();
    const entered = latch();
    const first = writer.appendToStream('s', events(1), {
      expectedVersion: 1,
      beforeCommit: async () => {
        entered.open();
        await hold.promise;
      },
    });
    await entered.promise;
    const second = rival.appendToStream('s', events(1), { expectedVersion: 1 });
    const third = rival.appendToStream('s', events(1), { expectedVersion: 'any' });
    hold.open();
    expect((await first).nextExpectedVersion).toBe(2);
    const conflict = await ordoErrorOf(second);
    expect(conflict.code).toBe('CONCURRENCY_CONFLICT');
    expect(conflict.toJSON()).toMatchObject({ expected: 1, actual: 2 });
    expect((await third).nextExpectedVersion).toBe(3);
  });

  it('fails fast instead of waiting forever when a hook calls something that needs the lock the hook holds', async () => {
    const store = fileStore();
    const other = fileStore();
    const outcomes: string[] = [];
    await store.appendToStream('s', events(1), {
      expectedVersion: 'no_stream',
      beforeCommit: async () => {
        for (const call of [
          () => store.appendToStream('t', events(1), { expectedVersion: 'any' }),
          () => other.saveCheckpoint('sub', 1),
          () => store.migrate(),
        ]) {
          outcomes.push((await ordoErrorOf(call())).code);
        }
      },
    });
    expect(outcomes).toEqual(['STORE_UNAVAILABLE', 'STORE_UNAVAILABLE', 'STORE_UNAVAILABLE']);
    expect(await store.streamVersion('s')).toBe(1);
    expect(await store.streamVersion('t')).toBe(0);
  });

  it('refuses to append while the host holds its own transaction on the connection', async () => {
    const database = temp.connect();
    const store = storeOn(database);
    await store.migrate();
    database.exec('BEGIN');
    try {
      expect((await ordoErrorOf(store.appendToStream('s', events(1), { expectedVersion: 'any' }))).code).toBe(
        'STORE_UNAVAILABLE',
      );
    } finally {
      database.exec('ROLLBACK');
    }
  });
});

describe('SQLite store: beforeCommit transaction', () => {
  const projection = (tx: SqliteTransaction, count: number): void => {
    tx.database
      .prepare('INSERT INTO order_count (id, n) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET n = n + ?')
      .run(count, count);
  };

  it('commits writes made through tx.database with the events, and rolls them back with them', async () => {
    const database = temp.connect();
    database.exec('CREATE TABLE order_count (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)');
    const store = storeOn(database);
    await store.appendToStream('s', events(2), {
      expectedVersion: 'no_stream',
      beforeCommit: (stored, tx) => projection(tx, stored.length),
    });
    const failure = new Error('after the projection wrote');
    await expect(
      store.appendToStream('s', events(3), {
        expectedVersion: 2,
        beforeCommit: async (stored, tx) => {
          projection(tx, stored.length);
          await Promise.resolve();
          throw failure;
        },
      }),
    ).rejects.toBe(failure);
    expect(database.prepare('SELECT n FROM order_count').get()).toEqual({ n: 2 });
    expect(await store.streamVersion('s')).toBe(2);
  });

  it('joins a checkpoint saved by the hook to the append: kept on commit, gone on rollback', async () => {
    const store = fileStore();
    await store.appendToStream('s', events(1), {
      expectedVersion: 'no_stream',
      beforeCommit: async (stored) => store.saveCheckpoint('inline', stored[0]?.globalPosition ?? -1),
    });
    expect(await store.getCheckpoint('inline')).toBe(1);
    await expect(
      store.appendToStream('s', events(1), {
        expectedVersion: 1,
        beforeCommit: async (stored) => {
          await store.saveCheckpoint('inline', stored[0]?.globalPosition ?? -1);
          throw new Error('projection failed');
        },
      }),
    ).rejects.toThrow('projection failed');
    expect(await store.getCheckpoint('inline')).toBe(1);
  });

  it('hides the open transaction from reads through the same store while the hook runs', async () => {
    const store = fileStore();
    await store.appendToStream('s', events(1), { expectedVersion: 'no_stream' });
    const hold = latch();
    const entered = latch();
    const pending = store.appendToStream('s', events(2), {
      expectedVersion: 1,
      beforeCommit: async () => {
        entered.open();
        await hold.promise;
      },
    });
    await entered.promise;
    expect(await store.headPosition()).toBe(1);
    expect(await store.streamVersion('s')).toBe(1);
    expect((await collect(store.readAll())).map((event) => event.globalPosition)).toEqual([1]);
    expect((await collect(store.readStream('s', { direction: 'backwards' }))).map((e) => e.streamVersion)).toEqual([1]);
    hold.open();
    await pending;
    expect(await store.headPosition()).toBe(3);
  });
});

describe('SQLite store: withTransaction', () => {
  const setUp = (database: Database.Database): void => {
    database.exec('CREATE TABLE IF NOT EXISTS totals (id TEXT PRIMARY KEY, n INTEGER NOT NULL)');
  };

  it('commits writes through tx.database and checkpoints together, and rolls both back when the work throws', async () => {
    const database = temp.connect();
    setUp(database);
    const store = storeOn(database);
    const result = await store.withTransaction(async (tx) => {
      tx.database.prepare("INSERT INTO totals (id, n) VALUES ('a', 1)").run();
      await tx.saveCheckpoint('totals', 7);
      return await tx.getCheckpoint('totals');
    });
    expect(result).toBe(7);
    const failure = new Error('batch failed');
    await expect(
      store.withTransaction(async (tx) => {
        tx.database.prepare("UPDATE totals SET n = 2 WHERE id = 'a'").run();
        await tx.saveCheckpoint('totals', 9);
        await store.saveCheckpoint('other', 1);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(database.prepare('SELECT n FROM totals').all()).toEqual([{ n: 1 }]);
    expect(await store.getCheckpoint('totals')).toBe(7);
    expect(await store.getCheckpoint('other')).toBeUndefined();
  });

  it('makes appends of this process wait for it (no SQLITE_BUSY), and refuses appends made from inside it', async () => {
    const store = fileStore();
    const rival = fileStore({ busyTimeoutMs: 0 });
    const hold = latch();
    const entered = latch();
    let inside: string | undefined;
    const transaction = store.withTransaction(async (tx) => {
      entered.open();
      inside = (await ordoErrorOf(store.appendToStream('s', events(1), { expectedVersion: 'any' }))).code;
      await hold.promise;
      await tx.saveCheckpoint('p', 1);
    });
    await entered.promise;
    const append = rival.appendToStream('s', events(1), { expectedVersion: 'no_stream' });
    hold.open();
    await transaction;
    expect(inside).toBe('STORE_UNAVAILABLE');
    expect((await append).nextExpectedVersion).toBe(1);
  });

  it('refuses a transaction handle used after its transaction ended', async () => {
    const store = fileStore();
    let kept: SqliteTransaction | undefined;
    await store.withTransaction(async (tx) => {
      kept = tx;
    });
    expect((await ordoErrorOf(kept?.saveCheckpoint('late', 1) ?? Promise.resolve())).code).toBe('STORE_UNAVAILABLE');
    expect(await store.getCheckpoint('late')).toBeUndefined();
  });

  it('gives beforeCommit hooks the same checkpoint methods, committed with the events', async () => {
    const store = fileStore();
    await store.appendToStream('s', events(2), {
      expectedVersion: 'no_stream',
      beforeCommit: async (stored, tx) => tx.saveCheckpoint('inline', stored.at(-1)?.globalPosition ?? -1),
    });
    expect(await store.getCheckpoint('inline')).toBe(2);
  });
});

describe('SQLite store: bounded reads', () => {
  const TOTAL = 20_000;

  it(`reads ${TOTAL} events in pages of batchSize rows, never asking the driver for more`, async () => {
    const { database, queries } = recordingDatabase(temp.connect());
    const store = storeOn(database, { batchSize: 100 });
    for (let start = 0; start < TOTAL; start += 1000) {
      await store.appendToStream('big', events(1000), { expectedVersion: start === 0 ? 'no_stream' : start });
    }
    const pages = (): RecordedQuery[] => queries.splice(0).filter((query) => query.sql.includes('data, metadata'));
    type RecordedQuery = (typeof queries)[number];
    pages();

    let count = 0;
    let expected = 1;
    for await (const event of store.readStream('big')) {
      expect(event.streamVersion).toBe(expected++);
      count += 1;
    }
    expect(count).toBe(TOTAL);
    const streamPages = pages();
    expect(streamPages.length).toBeGreaterThanOrEqual(TOTAL / 100);
    expect(Math.max(...streamPages.map((page) => page.rows))).toBe(100);

    count = 0;
    for await (const _ of store.readAll({ batchSize: 250 })) count += 1;
    expect(count).toBe(TOTAL);
    const allPages = pages();
    expect(allPages.length).toBeGreaterThanOrEqual(TOTAL / 250);
    expect(Math.max(...allPages.map((page) => page.rows))).toBe(250);
  });

  it('fetches only the pages a reader consumes', async () => {
    const { database, queries } = recordingDatabase(temp.connect());
    const store = storeOn(database, { batchSize: 10 });
    await store.appendToStream('s', events(100), { expectedVersion: 'no_stream' });
    queries.splice(0);
    let seen = 0;
    for await (const _ of store.readStream('s', { direction: 'backwards' })) {
      if (++seen === 15) break;
    }
    expect(queries.filter((query) => query.sql.includes('data, metadata'))).toHaveLength(2);
  });

  it('pages readAll by position when filtering types, yielding only those types in order', async () => {
    const store = fileStore({ batchSize: 7 });
    for (let index = 0; index < 30; index++) {
      await store.appendToStream(`s-${index % 4}`, events(1, index % 3 === 0 ? 'Wanted' : 'Other'), {
        expectedVersion: 'any',
      });
    }
    const wanted = await collect(store.readAll({ types: ['Wanted'] }));
    expect(wanted.map((event) => event.globalPosition)).toEqual(Array.from({ length: 10 }, (_, i) => i * 3 + 1));
  });
});

describe('SQLite store: values round-trip', () => {
  const awkward = [
    'O\'Reilly "quoted" stream',
    "'; DROP TABLE ordo_events; --",
    'Robert"); DELETE FROM ordo_snapshots WHERE ("1"="1',
    '%_ LIKE wildcards \\ backslash',
    'Ünïcödé 流水 🚀 \u200b zero-width',
    'line\nbreak\ttab',
  ];

  it.each(awkward)('stores and finds the stream id, type and data %j exactly', async (text) => {
    const store = fileStore();
    const data = { text, nested: [text, { [text]: text }], amount: '12.34' };
    await store.appendToStream(text, [{ type: text, data, metadata: { actor: text, [text]: text } }], {
      expectedVersion: 'no_stream',
    });
    const [event] = await collect(store.readStream(text));
    expect(event).toMatchObject({ streamId: text, type: text, data, streamVersion: 1 });
    expect(event?.metadata).toMatchObject({ actor: text, [text]: text });
    expect((await collect(store.readAll({ types: [text] }))).map((e) => e.streamId)).toEqual([text]);
    expect(await store.streamVersion(text)).toBe(1);
    await store.saveCheckpoint(text, 1);
    expect(await store.getCheckpoint(text)).toBe(1);
    await store.saveSnapshot(text, { streamVersion: 1, schemaVersion: 1, state: data });
    expect((await store.loadSnapshot(text, 1))?.state).toEqual(data);
    expect(await store.headPosition()).toBe(1);
  });
});

describe('SQLite store: positions and storage', () => {
  it('never hands out a position again after the newest event row is deleted (AUTOINCREMENT)', async () => {
    const database = temp.connect();
    const store = storeOn(database);
    await store.appendToStream('s', events(3), { expectedVersion: 'no_stream' });
    database.prepare('DELETE FROM ordo_events WHERE global_position = 3').run();
    const result = await store.appendToStream('t', events(1), { expectedVersion: 'no_stream' });
    expect(result.lastPosition).toBe(4);
  });

  it('returns positions as numbers even on a connection with safe integers on', async () => {
    const database = temp.connect();
    database.defaultSafeIntegers(true);
    const store = storeOn(database);
    const result = await store.appendToStream('s', events(2), { expectedVersion: 'no_stream' });
    expect(result).toEqual({ nextExpectedVersion: 2, lastPosition: 2 });
    const [event] = await collect(store.readAll());
    expect(typeof event?.globalPosition).toBe('number');
    expect(await store.streamVersion('s')).toBe(2);
  });

  it('numbers a batch larger than one INSERT statement consecutively, the same in the hook as on read', async () => {
    const store = fileStore();
    await store.appendToStream('other', events(3), { expectedVersion: 'no_stream' });
    let hooked: readonly StoredEvent[] = [];
    const result = await store.appendToStream('big', events(100), {
      expectedVersion: 'no_stream',
      beforeCommit: (stored) => {
        hooked = stored;
      },
    });
    expect(result).toEqual({ nextExpectedVersion: 100, lastPosition: 103 });
    const read = await collect(store.readStream('big'));
    expect(read.map((event) => [event.streamVersion, event.globalPosition])).toEqual(
      Array.from({ length: 100 }, (_, index) => [index + 1, index + 4]),
    );
    expect(hooked).toEqual(read);
    expect(read.map((event) => event.data)).toEqual(events(100).map((event) => event.data));
  });

  it('rolls back a whole multi-statement batch when an id deep inside it is already stored elsewhere', async () => {
    const store = fileStore();
    const taken = '0190a6e0-0000-7000-8000-00000000c070';
    await store.appendToStream('first', [{ type: 'A', data: {}, eventId: taken }], { expectedVersion: 'no_stream' });
    const batch = events(100).map((event, index) => (index === 70 ? { ...event, eventId: taken } : event));
    const error = await ordoErrorOf(store.appendToStream('second', batch, { expectedVersion: 'no_stream' }));
    expect(error.toJSON()).toMatchObject({ code: 'DUPLICATE_EVENT_ID', eventId: taken });
    expect(await store.streamVersion('second')).toBe(0);
    expect(await store.headPosition()).toBe(1);
  });

  it('treats a re-appended single event as a no-op for every form of expected version, and its id elsewhere as DUPLICATE_EVENT_ID', async () => {
    const store = fileStore();
    const event = { type: 'A', data: { n: 1 }, eventId: '0190a6e0-0000-7000-8000-00000000b001' };
    await store.appendToStream('s', events(1), { expectedVersion: 'no_stream' });
    const original = await store.appendToStream('s', [event], { expectedVersion: 1 });
    await store.appendToStream('s', events(1), { expectedVersion: 2 });
    for (const expectedVersion of [1, 'any', 'stream_exists'] as const) {
      expect(await store.appendToStream('s', [event], { expectedVersion })).toEqual(original);
    }
    expect((await ordoErrorOf(store.appendToStream('s', [event], { expectedVersion: 3 }))).code).toBe(
      'DUPLICATE_EVENT_ID',
    );
    expect((await ordoErrorOf(store.appendToStream('t', [event], { expectedVersion: 'any' }))).code).toBe(
      'DUPLICATE_EVENT_ID',
    );
    expect(await store.headPosition()).toBe(3);
  });

  it('reports the actual version in a single-event conflict and writes nothing', async () => {
    const store = fileStore();
    await store.appendToStream('s', events(2), { expectedVersion: 'no_stream' });
    for (const expectedVersion of [1, 5, 'no_stream'] as const) {
      const conflict = await ordoErrorOf(store.appendToStream('s', events(1), { expectedVersion }));
      expect(conflict.toJSON()).toMatchObject({ code: 'CONCURRENCY_CONFLICT', expected: expectedVersion, actual: 2 });
    }
    const missing = await ordoErrorOf(store.appendToStream('new', events(1), { expectedVersion: 'stream_exists' }));
    expect(missing.toJSON()).toMatchObject({ code: 'CONCURRENCY_CONFLICT', actual: 0 });
    expect(await store.headPosition()).toBe(2);
  });

  it('replays a re-append of stored ids with expectedVersion any without writing, via the id constraint', async () => {
    const store = fileStore();
    const batch = [
      { type: 'A', data: {}, eventId: '0190a6e0-0000-7000-8000-00000000a001' },
      { type: 'A', data: {}, eventId: '0190a6e0-0000-7000-8000-00000000a002' },
    ];
    const original = await store.appendToStream('s', batch, { expectedVersion: 'any' });
    await store.appendToStream('s', events(1), { expectedVersion: 2 });
    expect(await store.appendToStream('s', batch, { expectedVersion: 'any' })).toEqual(original);
    expect(await store.headPosition()).toBe(3);
    const clash = await ordoErrorOf(
      store.appendMany([
        { streamId: 'fresh', events: events(1), expectedVersion: 'no_stream' },
        { streamId: 'other', events: [batch[0] as NewEvent], expectedVersion: 'any' },
      ]),
    );
    expect(clash.code).toBe('DUPLICATE_EVENT_ID');
    expect(await store.streamVersion('fresh')).toBe(0);
    const next = await store.appendToStream('fresh', events(1), { expectedVersion: 'no_stream' });
    expect(next.lastPosition).toBe(4);
  });
});

describe('SQLite store: lifecycle', () => {
  it('leaves a connection it was given open on close, and refuses calls afterwards with STORE_CLOSED', async () => {
    const database = temp.connect();
    const store = createSqliteEventStore({ database });
    await store.appendToStream('s', events(1), { expectedVersion: 'no_stream' });
    await store.close();
    expect(database.open).toBe(true);
    expect((await ordoErrorOf(store.streamVersion('s'))).code).toBe('STORE_CLOSED');
    expect((await ordoErrorOf(store.appendToStream('s', events(1), { expectedVersion: 1 }))).code).toBe('STORE_CLOSED');
    await expect(collect(store.readAll())).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });

  it('openSqliteEventStore creates the file, migrates, and closes its own connection on close', async () => {
    const path = temp.file('opened.db');
    const store = await openSqliteEventStore({ path, synchronous: 'full' });
    await store.appendToStream('s', events(2), { expectedVersion: 'no_stream' });
    expect(store.database.pragma('synchronous', { simple: true })).toBe(2);
    await store.close();
    expect(store.database.open).toBe(false);
    const reopened = await openSqliteEventStore({ path });
    expect(await reopened.streamVersion('s')).toBe(2);
    await reopened.close();
  });

  it('openSqliteEventStore rejects an empty path with VALIDATION_FAILED', async () => {
    expect((await ordoErrorOf(openSqliteEventStore({ path: '' }))).code).toBe('VALIDATION_FAILED');
  });

  it('notifies onCommit listeners of commits made through any store of this process on the file', async () => {
    const listening = fileStore();
    const writing = fileStore();
    let commits = 0;
    const unsubscribe = listening.onCommit(() => {
      commits += 1;
    });
    await writing.appendToStream('s', events(1), { expectedVersion: 'no_stream' });
    await writing.appendToStream('s', events(1), { expectedVersion: 1, beforeCommit: () => undefined });
    await expect(writing.appendToStream('s', events(1), { expectedVersion: 0 })).rejects.toMatchObject({
      code: 'CONCURRENCY_CONFLICT',
    });
    unsubscribe();
    await writing.appendToStream('s', events(1), { expectedVersion: 2 });
    expect(commits).toBe(2);
  });
});
