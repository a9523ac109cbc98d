// The PostgreSQL event store, runnable: `npx tsx examples/postgres-store.ts`.
// Uses the server at ORDO_PG_URL through a `pg` Pool when it is set, otherwise PGlite (PostgreSQL in process).
// Two store instances share one schema, as two app instances would: one appends with an inline SQL read model,
// the other follows the log through LISTEN/NOTIFY. Everything is dropped at the end.
import { PGlite } from '@electric-sql/pglite';
import { defineProjection, isOrdoError, type StoredEvent, withInlineProjections } from 'ordo';
import { createPostgresEventStore, type PostgresConnectionSource, type PostgresTransaction } from 'ordo/postgres';
import pg from 'pg';

type LineAdded = StoredEvent<'LineAdded', { sku: string; qty: number; amount: string }>;

const url = process.env.ORDO_PG_URL;
const pool = url ? new pg.Pool({ connectionString: url }) : undefined;
const pglite = pool ? undefined : new PGlite();
const client: PostgresConnectionSource = pool ?? (pglite as PGlite);
const schema = `ordo_example_${process.pid}`;
console.log(`PostgreSQL: ${pool ? 'server (ORDO_PG_URL)' : 'PGlite in process'}, schema ${schema}`);

// An inline read model: a table written through the append's transaction, so it never lags its events.
const orderTotals = defineProjection<PostgresTransaction>({
  name: 'order_totals',
  init: async (tx) => {
    await tx.query(
      `CREATE TABLE IF NOT EXISTS "${tx.schema}".order_totals (order_id text PRIMARY KEY, lines int NOT NULL, qty int NOT NULL)`,
    );
  },
  reset: async (tx) => {
    await tx.query(`DELETE FROM "${tx.schema}".order_totals`);
  },
  handlers: {
    LineAdded: async (tx, event: LineAdded) => {
      await tx.query(
        `INSERT INTO "${tx.schema}".order_totals (order_id, lines, qty) VALUES ($1, 1, $2)
         ON CONFLICT (order_id) DO UPDATE SET lines = order_totals.lines + 1, qty = order_totals.qty + excluded.qty`,
        [event.streamId, event.data.qty],
      );
    },
  },
});

// Two "app instances" over one schema. close() leaves the pool or PGlite open: they are ours to end.
const writerStore = createPostgresEventStore({ client, schema });
const followerStore = createPostgresEventStore({ client, schema });
try {
  const migration = await writerStore.migrate();
  console.log('migrated:', migration);
  const store = withInlineProjections(writerStore, [orderTotals]);

  // The follower wakes on NOTIFY (or its poll) and reads on from its checkpoint: gap-safe, so it never skips.
  let followed = 0;
  let reading = Promise.resolve();
  const follow = (): Promise<void> => {
    reading = reading.then(async () => {
      const from = ((await followerStore.getCheckpoint('example-follower')) ?? 0) + 1;
      for await (const event of followerStore.readAll({ fromPosition: from })) {
        followed += 1;
        await followerStore.saveCheckpoint('example-follower', event.globalPosition);
      }
    });
    return reading;
  };
  const stopFollowing = followerStore.onCommit((notice) => {
    if (notice.source !== 'local') void follow();
  });

  const first = await store.appendToStream(
    'order-1',
    [
      { type: 'LineAdded', data: { sku: 'PEN', qty: 2, amount: '3.20' } },
      { type: 'LineAdded', data: { sku: 'INK', qty: 1, amount: '7.90' } },
    ],
    { expectedVersion: 'no_stream', metadata: { actor: 'example', correlationId: 'req-1' } },
  );
  console.log('appended: version', first.nextExpectedVersion, 'position', first.lastPosition);

  // A writer that read version 1 and appends after the stream moved on gets CONCURRENCY_CONFLICT, nothing written.
  try {
    await store.appendToStream('order-1', [{ type: 'LineAdded', data: { sku: 'PAD', qty: 5, amount: '1.00' } }], {
      expectedVersion: 1,
    });
  } catch (error) {
    if (!isOrdoError(error, 'CONCURRENCY_CONFLICT')) throw error;
    console.log('conflict:', error.message);
  }

  // A hot stream: load, decide and append under an exclusive lock, so competing instances queue instead of retrying.
  await store.withStreamLock('order-1', async () => {
    const version = await store.streamVersion('order-1');
    await store.appendToStream('order-1', [{ type: 'LineAdded', data: { sku: 'PAD', qty: 5, amount: '1.00' } }], {
      expectedVersion: version,
    });
  });
  await store.appendToStream('order-2', [{ type: 'OrderNoted', data: { note: 'call back' } }], {
    expectedVersion: 'no_stream',
  });

  const totals = await store.withTransaction((tx) =>
    tx.query(`SELECT order_id, lines, qty FROM "${schema}".order_totals ORDER BY order_id`),
  );
  console.log('order_totals:', totals.rows);

  for await (const event of store.readStream('order-1')) {
    console.log(`order-1 v${event.streamVersion}`, event.type, event.data);
  }
  // readAll pages by position (batchSize rows per query) and never shows a position while a lower one may commit.
  for await (const event of store.readAll({ types: ['OrderNoted'], batchSize: 100 })) {
    console.log(`position ${event.globalPosition}`, event.streamId, event.type);
  }

  // Competing consumers: one lease per job, held by one instance at a time (expiry by the server's clock).
  console.log('lease for instance A:', await store.lease.acquire('job:export', 'instance-a', 10_000));
  console.log('lease for instance B:', await followerStore.lease.acquire('job:export', 'instance-b', 10_000));
  await store.lease.release('job:export', 'instance-a');

  await follow();
  stopFollowing();
  await reading;
  console.log('follower read', followed, 'events; head', await followerStore.headPosition());
} finally {
  await followerStore.close();
  await writerStore.close();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool?.end();
  await pglite?.close();
}
