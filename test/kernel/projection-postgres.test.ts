// Projections, subscriptions and the event bus over the PostgreSQL store (PGlite, in process): read models as
// SQL tables written through the transaction handle. The rules are those of the in-memory tests; this file
// proves they hold where "the transaction" is a database transaction on a single connection.
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/kernel/event.js';
import { createEventBus } from '../../src/kernel/event-bus.js';
import { deadLetterStreamId } from '../../src/kernel/event-bus-dead-letters.js';
import { defineProjection } from '../../src/kernel/projection.js';
import { withInlineProjections } from '../../src/kernel/projection-inline.js';
import { createProjectionRunner } from '../../src/kernel/projection-runner.js';
import { subscribe } from '../../src/kernel/subscription.js';
import {
  createPostgresEventStore,
  type PostgresEventStore,
  type PostgresTransaction,
} from '../../src/stores/postgres/index.js';
import { closeSharedPGlite, dropSchema, sharedPGlite, uniqueSchema } from '../support/postgres-support.js';
import { appendIncrements, expectedTotals } from './projection-support.js';

let db: PGlite;
const schemas: string[] = [];

beforeAll(async () => {
  db = await sharedPGlite();
});

afterAll(async () => {
  for (const schema of schemas) await dropSchema(db, schema);
  await closeSharedPGlite();
});

function newStore(): PostgresEventStore {
  const schema = uniqueSchema('proj');
  schemas.push(schema);
  return createPostgresEventStore({ client: db, schema });
}

/**
 * Totals per stream in a table, plus a table of applied event ids whose primary key makes applying an event
 * twice an error rather than a silent miscount.
 */
function totalsProjection(
  store: PostgresEventStore,
  options: { name?: string; version?: number; factor?: number; failAt?: number } = {},
) {
  const table = `"${store.schema}"."${options.name ?? 'totals'}"`;
  const applied = `"${store.schema}"."${options.name ?? 'totals'}_applied"`;
  const factor = options.factor ?? 1;
  return defineProjection<PostgresTransaction>({
    name: options.name ?? 'totals',
    version: options.version ?? 1,
    async init(tx) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (stream_id text PRIMARY KEY, total integer NOT NULL)`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${applied} (event_id text PRIMARY KEY)`);
    },
    async reset(tx) {
      await tx.query(`DROP TABLE IF EXISTS ${table}`);
      await tx.query(`DROP TABLE IF EXISTS ${applied}`);
    },
    handlers: {
      async Incremented(tx, event: StoredEvent<'Incremented', { by: number }>) {
        if (event.globalPosition === options.failAt) throw new Error(`cannot project ${event.globalPosition}`);
        await tx.query(`INSERT INTO ${applied} (event_id) VALUES ($1)`, [event.eventId]);
        await tx.query(
          `INSERT INTO ${table} (stream_id, total) VALUES ($1, $2)
           ON CONFLICT (stream_id) DO UPDATE SET total = ${table}.total + EXCLUDED.total`,
          [event.streamId, event.data.by * factor],
        );
      },
    },
  });
}

async function readTotals(store: PostgresEventStore, name = 'totals'): Promise<Record<string, number>> {
  const result = await db.query<{ stream_id: string; total: number }>(
    `SELECT stream_id, total FROM "${store.schema}"."${name}" ORDER BY stream_id`,
  );
  return Object.fromEntries(result.rows.map((row) => [row.stream_id, row.total]));
}

describe('projections over PostgreSQL (PGlite)', () => {
  it('an inline projection writes its table in the append transaction; a failure rolls both back', async () => {
    const raw = newStore();
    const store = withInlineProjections(raw, [totalsProjection(raw, { failAt: 4 })]);
    await appendIncrements(store, [2, 3, 4]);
    expect(await readTotals(raw)).toEqual(expectedTotals([2, 3, 4]));

    await expect(appendIncrements(store, [5])).rejects.toThrow(/cannot project 4/);
    expect(await raw.headPosition()).toBe(3);
    expect(await readTotals(raw)).toEqual(expectedTotals([2, 3, 4]));
    await raw.close();
  });

  it('an async runner resumes after a failed batch without skipping or re-applying, and equals a rebuild', async () => {
    const store = newStore();
    const amounts = [1, 2, 3, 4, 5, 6, 7, 8];
    await appendIncrements(store, amounts);
    const crashing = createProjectionRunner({
      store,
      batchSize: 3,
      projections: [totalsProjection(store, { failAt: 5 })],
    });
    await expect(crashing.catchUp()).rejects.toThrow(/cannot project 5/);
    expect(await readTotals(store)).toEqual(expectedTotals(amounts.slice(0, 3)));

    const runner = createProjectionRunner({ store, batchSize: 3, projections: [totalsProjection(store)] });
    await runner.catchUp();
    const live = await readTotals(store);
    expect(live).toEqual(expectedTotals(amounts));
    await runner.rebuild('totals');
    expect(await readTotals(store)).toEqual(live);

    const v2 = createProjectionRunner({ store, projections: [totalsProjection(store, { version: 2, factor: 10 })] });
    await v2.catchUp();
    expect(await readTotals(store)).toEqual(expectedTotals(amounts, undefined, 10));
    await store.close();
  });

  it('a subscription catches up, then follows commits live', async () => {
    const store = newStore();
    await appendIncrements(store, [1, 2]);
    const seen: number[] = [];
    const subscription = subscribe(store, {
      id: 'pg-follower',
      handler: (event) => void seen.push(event.globalPosition),
    });
    await subscription.whenCaughtUp();
    await appendIncrements(store, [3]);
    await subscription.whenCaughtUp();
    await subscription.stop();
    expect(seen).toEqual([1, 2, 3]);
    expect(await store.getCheckpoint('pg-follower')).toBe(3);
    await store.close();
  });

  it('the event bus dead-letters into a stream and replays from it', async () => {
    const store = newStore();
    let broken = true;
    const handled: number[] = [];
    const bus = createEventBus({ store, name: 'pg', retry: { maxAttempts: 2 }, sleep: async () => {} }).on(
      'picky',
      'Incremented',
      (event) => {
        if (broken) throw new Error('not yet');
        handled.push(event.globalPosition);
      },
    );
    await bus.start();
    await appendIncrements(store, [1]);
    await bus.whenCaughtUp();
    await bus.stop();
    expect(await store.streamVersion(deadLetterStreamId('pg'))).toBe(1);
    broken = false;
    expect((await bus.replayDeadLetters()).map((replay) => replay.outcome)).toEqual(['resolved']);
    expect(handled).toEqual([1]);
    expect(await bus.deadLetters()).toEqual([]);
    await store.close();
  });
});
