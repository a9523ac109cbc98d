import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isOrdoError } from '../../src/kernel/errors.js';
import type { NewEvent, StoredEvent } from '../../src/kernel/event.js';
import { uuidV7Ids } from '../../src/kernel/ids.js';
import {
  createPostgresEventStore,
  POSTGRES_MIGRATIONS,
  POSTGRES_SCHEMA_VERSION,
  type PostgresCommitNotice,
  type PostgresConnectionSource,
  type PostgresEventStore,
  type PostgresEventStoreOptions,
  type PostgresTransaction,
} from '../../src/stores/postgres/index.js';
import { EVENT_ID_LOCK_LIMIT } from '../../src/stores/postgres/postgres-schema.js';
import {
  closeBackends,
  createServerPool,
  dropSchema,
  HAS_POSTGRES_SERVER,
  markServerSuiteRan,
  type PostgresBackend,
  postgresBackends,
  sharedPGlite,
  sleep,
  uniqueSchema,
} from '../support/postgres-support.js';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

function events(count: number, tag = 'e'): NewEvent[] {
  return Array.from({ length: count }, (_, index) => ({ type: 'Tested', data: { tag, index } }));
}

async function codeOf(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
  } catch (error) {
    return isOrdoError(error) ? error.code : `not an OrdoError: ${String(error)}`;
  }
  return 'succeeded';
}

/** Stores opened by a test, closed and their schemas dropped after it. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(closeBackends);
// Starting PGlite can take tens of seconds on a busy machine: do it once, up front, with room to spare.
beforeAll(async () => {
  await sharedPGlite();
}, 180_000);

/** A fresh schema on the backend, and a function that opens stores over it (all closed after the test). */
async function freshSchema(backend: PostgresBackend) {
  const client = await backend.source();
  const schema = uniqueSchema('st');
  cleanups.push(() => dropSchema(client, schema));
  const open = (options: PostgresEventStoreOptions = {}): PostgresEventStore => {
    const store = createPostgresEventStore({ client, schema, ...options });
    cleanups.push(() => store.close());
    return store;
  };
  return { client, schema, open };
}

describe('createPostgresEventStore: configuration', () => {
  const fakeClient = { query: async () => ({ rows: [] }) };

  it.each([
    ['upper case', 'Ordo'],
    ['a leading digit', '1ordo'],
    ['a quote (identifier injection)', 'ordo"; DROP SCHEMA public CASCADE; --'],
    ['a dot', 'public.events'],
    ['a space', 'my schema'],
    ['a hyphen', 'my-schema'],
    ['the empty string', ''],
    ['64 characters', 'a'.repeat(64)],
    ['a non-ASCII letter', 'ordö'],
  ])('refuses a schema name with %s with VALIDATION_FAILED, before touching the database', async (_what, schema) => {
    let queried = false;
    const client = {
      query: async () => {
        queried = true;
        return { rows: [] };
      },
    };
    expect(await codeOf(async () => createPostgresEventStore({ client, schema }))).toBe('VALIDATION_FAILED');
    expect(queried).toBe(false);
  });

  it('accepts a 63-character schema name and names the store after it', () => {
    const schema = `s${'a'.repeat(62)}`;
    expect(createPostgresEventStore({ client: fakeClient, schema }).schema).toBe(schema);
    expect(createPostgresEventStore({ client: fakeClient }).schema).toBe('ordo');
  });

  it('refuses a missing client and out-of-range numeric options with VALIDATION_FAILED', async () => {
    const noClient = { client: undefined } as unknown as Parameters<typeof createPostgresEventStore>[0];
    expect(await codeOf(async () => createPostgresEventStore(noClient))).toBe('VALIDATION_FAILED');
    for (const options of [{ batchSize: 0 }, { batchSize: 1.5 }, { pollIntervalMs: 0 }, { visibilityWaitMs: -1 }]) {
      expect(await codeOf(async () => createPostgresEventStore({ client: fakeClient, ...options }))).toBe(
        'VALIDATION_FAILED',
      );
    }
  });

  it('close() ends the pool, client or PGlite only with closeClientOnClose: true', async () => {
    const ended: string[] = [];
    const query = async () => ({ rows: [] });
    const pool = {
      query,
      totalCount: 0,
      connect: async () => Promise.reject(new Error('unused')),
      end: async () => void ended.push('pool'),
    };
    const client = { query, end: async () => void ended.push('client') };
    const pglite = {
      query,
      transaction: async <T>(work: (tx: { query: typeof query }) => Promise<T>) => work({ query }),
      close: async () => void ended.push('pglite'),
    };
    for (const source of [pool, client, pglite]) {
      await createPostgresEventStore({ client: source }).close();
    }
    expect(ended).toEqual([]);
    for (const source of [pool, client, pglite]) {
      await createPostgresEventStore({ client: source, closeClientOnClose: true }).close();
    }
    expect(ended).toEqual(['pool', 'client', 'pglite']);
  });

  it('reports an unreachable server as STORE_UNAVAILABLE, for appends and reads alike', async () => {
    const pool = new pg.Pool({
      connectionString: 'postgres://postgres@127.0.0.1:1/none',
      connectionTimeoutMillis: 2000,
    });
    const store = createPostgresEventStore({ client: pool, schema: uniqueSchema('down') });
    try {
      expect(await codeOf(() => store.appendToStream('s', events(1), { expectedVersion: 'any' }))).toBe(
        'STORE_UNAVAILABLE',
      );
      expect(await codeOf(() => collect(store.readAll()))).toBe('STORE_UNAVAILABLE');
      expect(await codeOf(() => store.migrate())).toBe('STORE_UNAVAILABLE');
    } finally {
      await store.close();
      await pool.end();
    }
  });
});

describe.each(postgresBackends())('PostgreSQL store on $name', (backend) => {
  describe('migrations', () => {
    it('applies every version once: a second migrate() applies nothing and keeps the data', async () => {
      const { client, schema, open } = await freshSchema(backend);
      const store = open({ autoMigrate: false });
      expect(POSTGRES_SCHEMA_VERSION).toBe(2);
      expect(await store.migrate()).toEqual({ applied: [1, 2], version: POSTGRES_SCHEMA_VERSION });
      await store.appendToStream('kept', events(2), { expectedVersion: 'no_stream' });
      expect(await store.migrate()).toEqual({ applied: [], version: POSTGRES_SCHEMA_VERSION });
      expect(await open({ autoMigrate: false }).migrate()).toEqual({ applied: [], version: POSTGRES_SCHEMA_VERSION });
      expect(await store.streamVersion('kept')).toBe(2);
      const rows = await client.query(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
      expect(rows.rows).toEqual([{ version: 1 }, { version: 2 }]);
    });

    it('upgrades a version-1 schema to version 2 in place: the data stays, and appends lock caller-supplied ids', async () => {
      const { client, schema, open } = await freshSchema(backend);
      // A schema as the version-1 release left it: its statements, recorded as migration 1.
      const [v1] = POSTGRES_MIGRATIONS;
      await client.query(`CREATE SCHEMA "${schema}"`);
      await client.query(`CREATE TABLE "${schema}".schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      for (const statement of v1?.statements(schema) ?? []) await client.query(statement);
      await client.query(`INSERT INTO "${schema}".schema_migrations (version, name) VALUES (1, $1)`, [v1?.name]);
      const functionText = async () => {
        const { rows } = await client.query(`SELECT pg_get_functiondef($1::regproc) AS text`, [
          `"${schema}".append_events`,
        ]);
        return String((rows[0] as { text: string }).text);
      };
      expect(await functionText()).not.toContain('ordo:event-id:');
      const old = open({ autoMigrate: false });
      const before = await old.appendToStream('kept', events(2), { expectedVersion: 'no_stream' });

      expect(await open({ autoMigrate: false }).migrate()).toEqual({ applied: [2], version: 2 });
      expect(await functionText()).toContain(`ordo:event-id:${schema}`);
      const store = open();
      expect((await collect(store.readAll())).map((event) => event.globalPosition)).toEqual([1, before.lastPosition]);
      const eventId = uuidV7Ids.next();
      const appended = await store.appendToStream('kept', [{ type: 'Tested', data: {}, eventId }], {
        expectedVersion: 2,
      });
      expect(appended).toEqual({ nextExpectedVersion: 3, lastPosition: 3 });
      expect(
        await store.appendToStream('kept', [{ type: 'Tested', data: {}, eventId }], { expectedVersion: 2 }),
      ).toEqual(appended);
      expect(
        await codeOf(() =>
          store.appendToStream('elsewhere', [{ type: 'Tested', data: {}, eventId }], { expectedVersion: 'any' }),
        ),
      ).toBe('DUPLICATE_EVENT_ID');
    });

    it('lets several stores migrate one schema at the same time: exactly one applies it, none fails', async () => {
      const { client, schema, open } = await freshSchema(backend);
      const stores = Array.from({ length: 5 }, () => open({ autoMigrate: false }));
      const results = await Promise.all(stores.map((store) => store.migrate()));
      expect(results.filter((result) => result.applied.length > 0)).toEqual([{ applied: [1, 2], version: 2 }]);
      expect(results.every((result) => result.version === POSTGRES_SCHEMA_VERSION)).toBe(true);
      const rows = await client.query(`SELECT count(*)::int AS n FROM "${schema}".schema_migrations`);
      expect(rows.rows).toEqual([{ n: 2 }]);
    });

    it('with autoMigrate: false, fails with STORE_UNAVAILABLE naming migrate() until the schema exists', async () => {
      const { open } = await freshSchema(backend);
      const store = open({ autoMigrate: false });
      const error = await store.appendToStream('s', events(1), { expectedVersion: 'any' }).catch((e: unknown) => e);
      expect(isOrdoError(error, 'STORE_UNAVAILABLE')).toBe(true);
      expect(String((error as Error).message)).toContain('migrate()');
      await store.migrate();
      expect((await store.appendToStream('s', events(1), { expectedVersion: 'any' })).nextExpectedVersion).toBe(1);
    });

    it('refuses to use a schema migrated by a newer release (STORE_UNAVAILABLE) and changes nothing', async () => {
      const { client, schema, open } = await freshSchema(backend);
      await open().migrate();
      await client.query(`INSERT INTO "${schema}".schema_migrations (version, name) VALUES ($1, $2)`, [99, 'future']);
      expect(await codeOf(() => open().migrate())).toBe('STORE_UNAVAILABLE');
      expect(await codeOf(() => open().streamVersion('s'))).toBe('STORE_UNAVAILABLE');
    });
  });

  describe('values are parameters, never SQL', () => {
    it('round-trips event types, stream ids, subscriber ids and snapshot streams holding quotes and SQL, and leaves the tables intact', async () => {
      const { client, schema, open } = await freshSchema(backend);
      const store = open();
      const nasty = [
        "x'); DROP TABLE events; --",
        `"; DROP SCHEMA "${schema}" CASCADE; --`,
        '$$; SELECT pg_sleep(10); $$',
        "\\'; TRUNCATE streams; --",
        'Grüße \' " ` 🧾',
      ];
      for (const [index, text] of nasty.entries()) {
        await store.appendToStream(text, [{ type: text, data: { text }, metadata: { actor: text } }], {
          expectedVersion: 'no_stream',
        });
        await store.saveSnapshot(text, { streamVersion: 1, schemaVersion: index, state: { text } });
        await store.saveCheckpoint(text, index);
      }
      const all = await collect(store.readAll({ types: nasty }));
      expect(all.map((event) => [event.streamId, event.type, event.data, event.metadata.actor])).toEqual(
        nasty.map((text) => [text, text, { text }, text]),
      );
      for (const [index, text] of nasty.entries()) {
        expect(await store.streamVersion(text)).toBe(1);
        expect((await store.loadSnapshot(text, index))?.state).toEqual({ text });
        expect(await store.getCheckpoint(text)).toBe(index);
      }
      const tables = await client.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
        [schema],
      );
      expect(tables.rows.map((row) => (row as { table_name: string }).table_name)).toEqual([
        'checkpoints',
        'events',
        'leases',
        'schema_migrations',
        'snapshots',
        'streams',
      ]);
    });
  });

  describe('global positions', () => {
    it('returns bigint positions as exact JavaScript numbers up to Number.MAX_SAFE_INTEGER, and refuses to go past it writing nothing', async () => {
      const { client, schema, open } = await freshSchema(backend);
      const store = open();
      await store.migrate();
      await client.query('SELECT setval($1::regclass, $2::bigint)', [
        `"${schema}".events_position_seq`,
        String(Number.MAX_SAFE_INTEGER - 2),
      ]);
      const result = await store.appendToStream('edge', events(1), { expectedVersion: 'no_stream' });
      expect(result.lastPosition).toBe(Number.MAX_SAFE_INTEGER - 1);
      const [event] = await collect(store.readAll({ fromPosition: Number.MAX_SAFE_INTEGER - 1 }));
      expect(event?.globalPosition).toBe(Number.MAX_SAFE_INTEGER - 1);
      expect(await store.headPosition()).toBe(Number.MAX_SAFE_INTEGER - 1);
      expect(await codeOf(() => store.appendToStream('edge', events(2), { expectedVersion: 1 }))).toBe(
        'STORE_UNAVAILABLE',
      );
      expect(await store.streamVersion('edge')).toBe(1);
      expect((await collect(store.readAll())).length).toBe(1);
    });
  });

  describe('paging', () => {
    it('reads streams and the log in keyset pages of batchSize rows, never more in one query', async () => {
      const source = await backend.source();
      const pageSizes: number[] = [];
      // Counts the rows each read query returns; every other property is the real connection's.
      const counting = new Proxy(source, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver) as unknown;
          if (property !== 'query' || typeof value !== 'function') {
            return typeof value === 'function' ? value.bind(target) : value;
          }
          return async (text: string, params?: unknown[]) => {
            const result = (await value.call(target, text, params)) as { rows: unknown[] };
            if (/FROM "[a-z0-9_]+"\.events e\b/.test(text)) pageSizes.push(result.rows.length);
            return result;
          };
        },
      }) as PostgresConnectionSource;
      const schema = uniqueSchema('page');
      cleanups.push(() => dropSchema(source, schema));
      const store = createPostgresEventStore({ client: counting, schema, batchSize: 7 });
      cleanups.push(() => store.close());
      for (let chunk = 0; chunk < 5; chunk++) {
        await store.appendToStream('long', events(10, `c${chunk}`), { expectedVersion: 'any' });
      }
      pageSizes.length = 0;
      const forwards = await collect(store.readStream('long'));
      expect(forwards.map((event) => event.streamVersion)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(pageSizes).toEqual([7, 7, 7, 7, 7, 7, 7, 1]);
      pageSizes.length = 0;
      const backwards = await collect(store.readStream('long', { direction: 'backwards', maxCount: 20 }));
      expect(backwards.map((event) => event.streamVersion)).toEqual(Array.from({ length: 20 }, (_, i) => 50 - i));
      expect(pageSizes).toEqual([7, 7, 6]);
      pageSizes.length = 0;
      expect((await collect(store.readAll({ batchSize: 20 }))).length).toBe(50);
      expect(pageSizes).toEqual([20, 20, 10]);
    });
  });

  describe('transactions for projections', () => {
    it("lets a beforeCommit hook write a read model through tx.query in the append's transaction: kept on commit, gone on rollback", async () => {
      const { client, schema, open } = await freshSchema(backend);
      const store = open();
      await store.migrate();
      await client.query(`CREATE TABLE "${schema}".order_totals (stream_id text PRIMARY KEY, events int NOT NULL)`);
      const project = async (batch: readonly StoredEvent[], tx: PostgresTransaction): Promise<void> => {
        for (const event of batch) {
          await tx.query(
            `INSERT INTO "${schema}".order_totals (stream_id, events) VALUES ($1, 1)
             ON CONFLICT (stream_id) DO UPDATE SET events = order_totals.events + 1`,
            [event.streamId],
          );
        }
      };
      await store.appendToStream('order-1', events(2), { expectedVersion: 'no_stream', beforeCommit: project });
      const failure = new Error('after the projection wrote');
      await expect(
        store.appendToStream('order-1', events(3), {
          expectedVersion: 2,
          beforeCommit: async (batch, tx) => {
            await project(batch, tx);
            throw failure;
          },
        }),
      ).rejects.toBe(failure);
      const rows = await client.query(`SELECT stream_id, events FROM "${schema}".order_totals`);
      expect(rows.rows).toEqual([{ stream_id: 'order-1', events: 2 }]);
      expect(await store.streamVersion('order-1')).toBe(2);
    });

    it('withTransaction commits a read-model change and its checkpoint together, and rolls both back on error', async () => {
      const { client, schema, open } = await freshSchema(backend);
      const store = open();
      await store.migrate();
      await client.query(`CREATE TABLE "${schema}".seen (position bigint PRIMARY KEY)`);
      await store.withTransaction(async (tx) => {
        await tx.query(`INSERT INTO "${schema}".seen (position) VALUES ($1)`, [1]);
        await tx.saveCheckpoint('projector', 1);
        expect(await tx.getCheckpoint('projector')).toBe(1);
      });
      const failure = new Error('crash mid-batch');
      await expect(
        store.withTransaction(async (tx) => {
          await tx.query(`INSERT INTO "${schema}".seen (position) VALUES ($1)`, [2]);
          await tx.saveCheckpoint('projector', 2);
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await store.getCheckpoint('projector')).toBe(1);
      const rows = await client.query(`SELECT position::int AS position FROM "${schema}".seen`);
      expect(rows.rows).toEqual([{ position: 1 }]);
    });
  });

  describe('gap-safe readAll', () => {
    it('8 concurrent writers on streams of their own, with random delays and rollbacks in their transactions: a follower reading from its checkpoint sees every committed event once, in the final global order, and none rolled back', async () => {
      const { client, schema, open } = await freshSchema(backend);
      const writers = Array.from({ length: 8 }, () => open());
      // No visibility wait: the follower reads whatever is safe at each instant, so the filter alone is tested.
      const follower = open({ visibilityWaitMs: 0 });
      await follower.migrate();
      const committed = new Set<string>();
      const rolledBack = new Set<string>();
      const commitOrder: number[] = [];
      let writing = true;
      const seen: StoredEvent[] = [];
      // Only on a pool: a statement sent on a single client while an append's transaction is open would run in it.
      /** The positions committed just before each of the follower's reads, straight from the table (no filter). */
      const committedBeforeRead: number[][] = [];
      /** How often the follower's checkpoint stayed below a position committed before its read began. */
      let lagged = 0;
      const follow = (async () => {
        let checkpoint = 0;
        // The visibility horizon is cluster-wide: a transaction of another test file on the same server can hold
        // it back for a while after the writers are done, so the follower reads on until it has the last commit.
        const deadline = () => Date.now() > finishedAt + 30_000;
        let finishedAt = Number.POSITIVE_INFINITY;
        for (;;) {
          const last = !writing;
          if (last && finishedAt === Number.POSITIVE_INFINITY) finishedAt = Date.now();
          let before: number[] = [];
          if (backend.concurrent) {
            const { rows } = await client.query(
              `SELECT coalesce(array_agg(global_position::int), '{}') AS positions FROM "${schema}".events`,
            );
            before = (rows[0] as { positions: number[] }).positions;
            committedBeforeRead.push(before);
          }
          for await (const event of follower.readAll({ fromPosition: checkpoint + 1, batchSize: 4 })) {
            expect(event.globalPosition).toBeGreaterThan(checkpoint);
            seen.push(event);
            checkpoint = event.globalPosition;
          }
          if (checkpoint < Math.max(0, ...before)) lagged += 1;
          await follower.saveCheckpoint('follower', checkpoint);
          if (last && (checkpoint >= Math.max(0, ...commitOrder) || deadline())) return;
          await sleep(1);
        }
      })();
      try {
        await Promise.all(
          writers.map(async (store, writer) => {
            for (let seq = 0; seq < 16; seq++) {
              const batch = Array.from({ length: 1 + ((writer + seq) % 3) }, (_, part) => ({
                type: 'Written',
                data: { writer, seq, part },
                eventId: uuidV7Ids.next(),
              }));
              const rollback = (writer * 7 + seq) % 5 === 0;
              try {
                // Streams of its own, so no stream lock makes the writers take turns: all 8 transactions can be
                // open at once, and each stays open long enough (up to 25 ms) for the follower to read past it.
                const result = await store.appendToStream(`stream-${writer}-${seq % 2}`, batch, {
                  expectedVersion: 'any',
                  beforeCommit: async () => {
                    await sleep(Math.floor(Math.random() * 26));
                    if (rollback) throw new Error('rolled back on purpose');
                  },
                });
                commitOrder.push(result.lastPosition);
                for (const event of batch) committed.add(event.eventId);
              } catch (error) {
                if (!rollback) throw error;
                for (const event of batch) rolledBack.add(event.eventId);
              }
            }
          }),
        );
      } finally {
        writing = false;
      }
      await follow;
      const all = await collect(open().readAll());
      expect(new Set(all.map((event) => event.eventId))).toEqual(committed);
      expect(seen.map((event) => event.eventId)).toEqual(all.map((event) => event.eventId));
      expect(seen.filter((event) => rolledBack.has(event.eventId))).toEqual([]);
      expect(rolledBack.size).toBeGreaterThan(0);
      expect(await follower.getCheckpoint('follower')).toBe(all.at(-1)?.globalPosition);
      if (backend.concurrent) {
        // The point of the test: appends committed out of position order, which is what could open gaps.
        const inversions = commitOrder.filter(
          (position, index) => index > 0 && position < (commitOrder[index - 1] ?? 0),
        );
        expect(inversions.length).toBeGreaterThan(0);
        // And the race window opened while the follower was reading: just before some read, a position was
        // committed while a lower one, committed later, was still in an open transaction. A reader without the
        // visibility filter would have moved its checkpoint past that lower position there, and never seen it.
        const final = new Set(all.map((event) => event.globalPosition));
        const windows = committedBeforeRead.filter((positions) => {
          const now = new Set(positions);
          const top = Math.max(0, ...positions);
          return [...final].some((position) => position < top && !now.has(position));
        });
        expect(windows.length).toBeGreaterThan(0);
        // ...and the filter held the follower back there: its checkpoint stayed below what had been committed.
        expect(lagged).toBeGreaterThan(0);
      }
    });

    it.runIf(backend.concurrent)(
      'does not expose a committed position while a lower one is still in an open transaction, in readAll or headPosition',
      async () => {
        const { open } = await freshSchema(backend);
        const slow = open();
        const fast = open();
        const reader = open({ visibilityWaitMs: 0 });
        const waitingReader = open({ visibilityWaitMs: 30_000 });
        await reader.appendToStream('before', events(1), { expectedVersion: 'no_stream' });
        let release!: () => void;
        const released = new Promise<void>((resolve) => {
          release = resolve;
        });
        let entered!: (position: number) => void;
        const inHook = new Promise<number>((resolve) => {
          entered = resolve;
        });
        const slowAppend = slow.appendToStream('slow', events(1), {
          expectedVersion: 'no_stream',
          beforeCommit: async (batch) => {
            entered(batch[0]?.globalPosition ?? 0);
            await released;
          },
        });
        const slowPosition = await inHook;
        // Whatever happens below, let the slow transaction end, or dropping the schema would wait for it.
        cleanups.push(async () => {
          release();
          await slowAppend.catch(() => undefined);
        });
        const fastResult = await fast.appendToStream('fast', events(1), { expectedVersion: 'no_stream' });
        expect(fastResult.lastPosition).toBeGreaterThan(slowPosition);

        // 'before' committed long ago, but a transaction of another test file on the same server can hold the
        // cluster-wide horizon below it for a moment: wait for it, then check that nothing past 'slow' shows.
        let whileOpen = await collect(reader.readAll());
        for (let tries = 0; whileOpen.length === 0 && tries < 300; tries++) {
          await sleep(100);
          whileOpen = await collect(reader.readAll());
        }
        expect(whileOpen.map((event) => event.streamId)).toEqual(['before']);
        expect(await reader.headPosition()).toBeLessThan(slowPosition);
        expect(await fast.streamVersion('fast')).toBe(1);

        // A reader that may wait returns both once the older transaction ends (it started after 'fast' committed).
        const waited = collect(waitingReader.readAll());
        release();
        await slowAppend;
        expect((await waited).map((event) => event.streamId)).toEqual(['before', 'slow', 'fast']);
        expect((await collect(waitingReader.readAll())).map((event) => event.globalPosition)).toEqual([
          1,
          slowPosition,
          fastResult.lastPosition,
        ]);
        expect(await waitingReader.headPosition()).toBe(fastResult.lastPosition);
      },
    );
  });

  describe('event ids held by an open transaction', () => {
    it('appends more caller-supplied ids than it locks one by one (the exclusive gate): stored once, replayed, refused elsewhere', async () => {
      const { open } = await freshSchema(backend);
      const store = open();
      const size = EVENT_ID_LOCK_LIMIT + 36;
      const batch = Array.from({ length: size }, (_, index) => ({
        type: 'Tested',
        data: { index },
        eventId: uuidV7Ids.next(),
      }));
      const first = await store.appendToStream('bulk', batch, { expectedVersion: 'no_stream' });
      expect(first).toEqual({ nextExpectedVersion: size, lastPosition: size });
      expect(await store.appendToStream('bulk', batch, { expectedVersion: 'no_stream' })).toEqual(first);
      expect(await codeOf(() => store.appendToStream('other', batch, { expectedVersion: 'any' }))).toBe(
        'DUPLICATE_EVENT_ID',
      );
      expect((await collect(store.readAll())).length).toBe(size);
    });

    it.for([
      { what: 'one id, the holder commits', size: 1, outcome: 'commit', reuse: 'DUPLICATE_EVENT_ID' },
      {
        what: 'a batch past the per-id locks, the holder commits',
        size: 100,
        outcome: 'commit',
        reuse: 'DUPLICATE_EVENT_ID',
      },
      { what: 'one id, the holder rolls back', size: 1, outcome: 'rollback', reuse: 'succeeded' },
    ] as const)(
      'an append reusing an event id another transaction holds uncommitted ($what) waits before the critical section: an append to an unrelated stream commits meanwhile, and the reuse then ends as $reuse',
      async ({ size, outcome, reuse }, ctx) => {
        ctx.skip(
          !backend.concurrent,
          'one connection: the second append cannot start before the first transaction ends, so nothing can queue',
        );
        const { client, schema, open } = await freshSchema(backend);
        const holder = open();
        const reuser = open();
        const bystander = open();
        await bystander.migrate();
        /** Appends of this schema waiting on a lock inside the append function, as the server sees them. */
        const waitingAppends = async (): Promise<number> => {
          const { rows } = await client.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND position($1 in query) > 0`,
            [`"${schema}".append_events(`],
          );
          return (rows[0] as { n: number }).n;
        };
        const shared = uuidV7Ids.next();
        let release!: () => void;
        const released = new Promise<void>((resolve) => {
          release = resolve;
        });
        let entered!: () => void;
        const inHook = new Promise<void>((resolve) => {
          entered = resolve;
        });
        const held = holder.appendToStream('a', [{ type: 'Tested', data: {}, eventId: shared }], {
          expectedVersion: 'no_stream',
          beforeCommit: async () => {
            entered();
            await released;
            if (outcome === 'rollback') throw new Error('rolled back on purpose');
          },
        });
        await inHook;
        // Whatever happens below, let the held transaction and the appends behind it end before the schema is
        // dropped: a DROP racing them would wait for them, or fail.
        const pending: Promise<unknown>[] = [];
        cleanups.push(async () => {
          release();
          await Promise.allSettled([held, ...pending]);
        });

        let reuseSettled = false;
        const reuseBatch = [shared, ...Array.from({ length: size - 1 }, () => uuidV7Ids.next())].map(
          (eventId, index) => ({ type: 'Tested', data: { index }, eventId }),
        );
        const reused = reuser
          .appendToStream('b', reuseBatch, { expectedVersion: 'no_stream' })
          .then(
            () => 'succeeded',
            (error: unknown) => (isOrdoError(error) ? error.code : String(error)),
          )
          .finally(() => {
            reuseSettled = true;
          });
        pending.push(reused);
        // The reuse has to wait for the holder: once it does, it is inside the append function, on a lock.
        while (!reuseSettled && (await waitingAppends()) < 1) await sleep(2);
        expect(reuseSettled, 'the reuse did not wait for the transaction holding its id').toBe(false);

        // Ordering, not time: the unrelated append must commit while the hook is still open. Had the reuse
        // entered the critical section (and waited there on the unique index), this one would queue behind it
        // as a second waiting append, and would only finish after the release.
        let bystanderDone = false;
        const bystanderAppend = bystander
          .appendToStream('c', events(1), { expectedVersion: 'no_stream' })
          .finally(() => {
            bystanderDone = true;
          });
        pending.push(bystanderAppend);
        while (!bystanderDone && (await waitingAppends()) < 2) await sleep(2);
        expect(bystanderDone, 'the append to an unrelated stream queued behind the reuse').toBe(true);
        expect(reuseSettled).toBe(false);
        expect((await bystanderAppend).nextExpectedVersion).toBe(1);

        release();
        if (outcome === 'commit') expect((await held).nextExpectedVersion).toBe(1);
        else await expect(held).rejects.toThrow('rolled back on purpose');
        expect(await reused).toBe(reuse);
        expect(await bystander.streamVersion('a')).toBe(outcome === 'commit' ? 1 : 0);
        expect(await bystander.streamVersion('b')).toBe(reuse === 'succeeded' ? size : 0);
        const stored = await collect(bystander.readAll());
        expect(stored.filter((event) => event.eventId === shared).map((event) => event.streamId)).toEqual([
          outcome === 'commit' ? 'a' : 'b',
        ]);
      },
    );
  });

  describe('commit notifications', () => {
    it("wakes an onCommit listener of another store with a 'notify' carrying the appended position (LISTEN/NOTIFY)", async () => {
      const { open } = await freshSchema(backend);
      // A poll interval of an hour: only a notification can deliver the wake-up within the test.
      const follower = open({ pollIntervalMs: 3_600_000 });
      const writer = open();
      await follower.migrate();
      const notices: PostgresCommitNotice[] = [];
      let woken!: () => void;
      const wake = new Promise<void>((resolve) => {
        woken = resolve;
      });
      let target = Number.POSITIVE_INFINITY;
      const unsubscribe = follower.onCommit((notice) => {
        notices.push(notice);
        if (notice.source === 'notify' && (notice.position ?? 0) >= target) woken();
      });
      // LISTEN is set up asynchronously; keep appending until a notification comes through.
      for (let attempt = 0; ; attempt++) {
        const result = await writer.appendToStream('notified', events(1), { expectedVersion: 'any' });
        target = Math.min(target, result.lastPosition);
        const outcome = await Promise.race([
          wake.then(() => 'woken' as const),
          sleep(200).then(() => 'not yet' as const),
        ]);
        if (outcome === 'woken') break;
        if (attempt > 100) throw new Error(`no notification after ${attempt} appends: ${JSON.stringify(notices)}`);
      }
      expect(notices.some((notice) => notice.source === 'notify' && notice.position === target)).toBe(true);
      unsubscribe();
    });

    it("falls back to polling when notifications are off: the listener hears a 'poll' with the new safe head", async () => {
      const { open } = await freshSchema(backend);
      const follower = open({ notifications: false, pollIntervalMs: 10 });
      const writer = open({ notifications: false });
      await follower.migrate();
      const result = await writer.appendToStream('polled', events(2), { expectedVersion: 'no_stream' });
      const notice = await new Promise<PostgresCommitNotice>((resolve) => {
        const unsubscribe = follower.onCommit((heard) => {
          if (heard.source === 'poll' && heard.position === result.lastPosition) {
            unsubscribe();
            resolve(heard);
          }
        });
      });
      expect(notice).toEqual({ source: 'poll', position: result.lastPosition });
    });

    it("tells the store's own listeners of its commits at once ('local'), and stops after unsubscribe", async () => {
      const { open } = await freshSchema(backend);
      const store = open({ pollIntervalMs: 3_600_000, notifications: false });
      const heard: PostgresCommitNotice[] = [];
      const unsubscribe = store.onCommit((notice) => heard.push(notice));
      const first = await store.appendToStream('local', events(1), { expectedVersion: 'no_stream' });
      expect(heard).toContainEqual({ source: 'local', position: first.lastPosition });
      unsubscribe();
      const count = heard.length;
      await store.appendToStream('local', events(1), { expectedVersion: 1 });
      expect(heard.length).toBe(count);
    });
  });

  describe('exclusive stream lock', () => {
    it('withStreamLock makes concurrent read-decide-append cycles on one stream queue instead of conflicting', async () => {
      const { open } = await freshSchema(backend);
      const stores = Array.from({ length: 6 }, () => open());
      await stores[0]?.migrate();
      let conflicts = 0;
      await Promise.all(
        stores.map(async (store, worker) => {
          for (let cycle = 0; cycle < 5; cycle++) {
            await store.withStreamLock('hot', async () => {
              const version = await store.streamVersion('hot');
              await sleep(Math.floor(Math.random() * 3));
              try {
                await store.appendToStream('hot', [{ type: 'Decided', data: { worker, cycle } }], {
                  expectedVersion: version,
                });
              } catch (error) {
                if (!isOrdoError(error, 'CONCURRENCY_CONFLICT')) throw error;
                conflicts += 1;
              }
            });
          }
        }),
      );
      expect(conflicts).toBe(0);
      expect(await stores[0]?.streamVersion('hot')).toBe(30);
    });

    it('takes the locks of several streams in one order, so callers locking overlapping sets in opposite orders never deadlock', async () => {
      const { open } = await freshSchema(backend);
      const stores = Array.from({ length: 4 }, () => open());
      await stores[0]?.migrate();
      await Promise.all(
        stores.map(async (store, worker) => {
          const order = worker % 2 === 0 ? ['left', 'right'] : ['right', 'left'];
          for (let cycle = 0; cycle < 5; cycle++) {
            await store.withStreamLock(order, async () => {
              await store.appendMany(
                order.map((streamId) => ({ streamId, events: events(1), expectedVersion: 'any' as const })),
              );
            });
          }
        }),
      );
      expect(await stores[0]?.streamVersion('left')).toBe(20);
      expect(await stores[0]?.streamVersion('right')).toBe(20);
    });

    it('releases the lock when the work throws, and refuses bad stream ids with VALIDATION_FAILED', async () => {
      const { open } = await freshSchema(backend);
      const store = open();
      const failure = new Error('decide refused');
      await expect(store.withStreamLock('s', () => Promise.reject(failure))).rejects.toBe(failure);
      expect(await store.withStreamLock('s', async () => 'again')).toBe('again');
      expect(await codeOf(() => store.withStreamLock([], async () => 1))).toBe('VALIDATION_FAILED');
      expect(await codeOf(() => store.withStreamLock(['ok', ''], async () => 1))).toBe('VALIDATION_FAILED');
    });
  });

  describe('leases', () => {
    it('gives a lease to one owner at a time across stores, renews it for that owner only, and frees it on release', async () => {
      const { open } = await freshSchema(backend);
      const one = open().lease;
      const other = open().lease;
      expect(await one.acquire('projection:totals', 'worker-a', 60_000)).toBe(true);
      expect(await other.acquire('projection:totals', 'worker-b', 60_000)).toBe(false);
      expect(await one.acquire('projection:totals', 'worker-a', 60_000)).toBe(true);
      expect(await other.renew('projection:totals', 'worker-b', 60_000)).toBe(false);
      expect(await one.renew('projection:totals', 'worker-a', 60_000)).toBe(true);
      await other.release('projection:totals', 'worker-b');
      expect(await other.acquire('projection:totals', 'worker-b', 60_000)).toBe(false);
      await one.release('projection:totals', 'worker-a');
      expect(await other.acquire('projection:totals', 'worker-b', 60_000)).toBe(true);
    });

    it('lets another owner take a lease its holder stopped renewing once it expired; the old holder cannot renew it', async () => {
      const { open } = await freshSchema(backend);
      const { lease } = open();
      expect(await lease.acquire('bus:orders', 'crashed', 1)).toBe(true);
      await sleep(20);
      expect(await lease.acquire('bus:orders', 'successor', 60_000)).toBe(true);
      expect(await lease.renew('bus:orders', 'crashed', 60_000)).toBe(false);
    });

    it('races of many owners for one free lease have exactly one winner', async () => {
      const { open } = await freshSchema(backend);
      const stores = Array.from({ length: 6 }, () => open());
      await stores[0]?.migrate();
      const won = await Promise.all(
        stores.map((store, index) => store.lease.acquire('race', `owner-${index}`, 60_000)),
      );
      expect(won.filter(Boolean)).toHaveLength(1);
    });

    it('refuses an empty name or owner and a non-positive ttl with VALIDATION_FAILED', async () => {
      const { open } = await freshSchema(backend);
      const { lease } = open();
      expect(await codeOf(() => lease.acquire('', 'a', 1000))).toBe('VALIDATION_FAILED');
      expect(await codeOf(() => lease.acquire('n', '', 1000))).toBe('VALIDATION_FAILED');
      expect(await codeOf(() => lease.renew('n', 'a', 0))).toBe('VALIDATION_FAILED');
    });
  });

  describe('closing', () => {
    it("close() leaves the host's connection open and is idempotent; the closed store refuses work with STORE_CLOSED", async () => {
      const { client, open } = await freshSchema(backend);
      const store = open();
      await store.appendToStream('s', events(1), { expectedVersion: 'no_stream' });
      await store.close();
      await store.close();
      expect(await codeOf(() => store.streamVersion('s'))).toBe('STORE_CLOSED');
      const rows = await client.query('SELECT 1 AS one');
      expect(rows.rows).toEqual([{ one: 1 }]);
    });
  });
});

describe.runIf(HAS_POSTGRES_SERVER)('PostgreSQL store on a server: lost connections', () => {
  it('a connection killed while an append is open surfaces as STORE_UNAVAILABLE and writes nothing; the store carries on', async () => {
    const pool = createServerPool(5);
    const admin = createServerPool(2);
    const schema = uniqueSchema('lost');
    const store = createPostgresEventStore({ client: pool, schema });
    try {
      await store.appendToStream('other', events(1), { expectedVersion: 'no_stream' });
      const error = await store
        .appendToStream('victim', events(3), {
          expectedVersion: 'no_stream',
          beforeCommit: async (_batch, tx) => {
            const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
            // Waits until the backend has exited, so the COMMIT that follows meets a dead connection.
            await admin.query('SELECT pg_terminate_backend($1, 10000)', [rows[0]?.pid]);
          },
        })
        .catch((caught: unknown) => caught);
      expect(isOrdoError(error, 'STORE_UNAVAILABLE'), String(error)).toBe(true);
      expect(await store.streamVersion('victim')).toBe(0);
      expect((await collect(store.readAll())).map((event) => event.streamId)).toEqual(['other']);
      expect(
        (await store.appendToStream('victim', events(1), { expectedVersion: 'no_stream' })).nextExpectedVersion,
      ).toBe(1);
    } finally {
      await store.close();
      await dropSchema(pool, schema);
      await pool.end();
      await admin.end();
    }
  });
});

if (HAS_POSTGRES_SERVER) afterAll(() => markServerSuiteRan('postgres-store'));
