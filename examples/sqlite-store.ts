// The SQLite event store, runnable: `npx tsx examples/sqlite-store.ts`.
// Opens a file in a temp directory, appends with optimistic concurrency, keeps an inline SQL read model in the
// append's transaction, reads a stream and the global log in pages, and cleans up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineProjection, isOrdoError, type StoredEvent, withInlineProjections } from 'ordo';
import { openSqliteEventStore, type SqliteTransaction } from 'ordo/sqlite';

type LineAdded = StoredEvent<'LineAdded', { sku: string; qty: number; amount: string }>;

// An inline read model: a table updated in the same SQLite transaction as the events it comes from.
const orderTotals = defineProjection<SqliteTransaction>({
  name: 'order_totals',
  init: (tx) => {
    tx.database.exec('CREATE TABLE IF NOT EXISTS order_totals (order_id TEXT PRIMARY KEY, lines INTEGER, qty INTEGER)');
  },
  reset: (tx) => {
    tx.database.exec('DELETE FROM order_totals');
  },
  handlers: {
    LineAdded: (tx, event: LineAdded) => {
      tx.database
        .prepare(
          `INSERT INTO order_totals (order_id, lines, qty) VALUES (?, 1, ?)
           ON CONFLICT (order_id) DO UPDATE SET lines = lines + 1, qty = qty + excluded.qty`,
        )
        .run(event.streamId, event.data.qty);
    },
  },
});

const directory = mkdtempSync(join(tmpdir(), 'ordo-sqlite-example-'));
const path = join(directory, 'erp.db');
// WAL, synchronous NORMAL and a 5 s busy timeout by default; `synchronous: 'full'` survives power loss too.
const sqlite = await openSqliteEventStore({ path });
const store = withInlineProjections(sqlite, [orderTotals]);
try {
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
  await store.appendToStream('order-1', [{ type: 'LineAdded', data: { sku: 'PAD', qty: 5, amount: '1.00' } }], {
    expectedVersion: first.nextExpectedVersion,
  });
  await store.appendToStream('order-2', [{ type: 'OrderNoted', data: { note: 'call back' } }], {
    expectedVersion: 'no_stream',
  });

  // The read model committed with the events.
  console.log('order_totals:', sqlite.database.prepare('SELECT * FROM order_totals').all());

  for await (const event of store.readStream('order-1')) {
    console.log(`order-1 v${event.streamVersion}`, event.type, event.data);
  }
  // readAll pages by position (batchSize rows per query), in commit order; a checkpoint p resumes at p + 1.
  for await (const event of store.readAll({ fromPosition: 1, types: ['OrderNoted'], batchSize: 100 })) {
    console.log(`position ${event.globalPosition}`, event.streamId, event.type);
  }
  await store.saveCheckpoint('example-subscriber', await store.headPosition());
  console.log('checkpoint:', await store.getCheckpoint('example-subscriber'));
} finally {
  await store.close();
  rmSync(directory, { recursive: true, force: true });
}
