/**
 * Concurrency: two processes × 8 writers on overlapping streams, on SQLite (one file) and on PostgreSQL (one
 * schema), for `ORDO_RELIABILITY_SECONDS` each. Raw writers race read-then-append on shared streams; ERP writers
 * place and cancel orders on shared items. Afterwards: every acknowledged event is stored exactly once, nothing
 * reported failed was stored, every batch is whole, and each item's reserved stock equals what the acknowledged
 * placements and cancellations add up to.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { Quantity } from '../../src/domain/money/index.js';
import type { StoredEvent } from '../../src/kernel/event.js';
import type { EventStore } from '../../src/kernel/event-store.js';
import { createErp } from '../../src/services/erp.js';
import { createPostgresEventStore } from '../../src/stores/postgres/index.js';
import { openSqliteEventStore } from '../../src/stores/sqlite/index.js';
import {
  checkErpInvariants,
  checkLog,
  ERP_SETTINGS,
  ITEMS,
  rebuildErp,
  seedMasterData,
  stampBatches,
  stampOf,
  WAREHOUSE,
} from './erp-fixture.js';
import {
  assertServerReachable,
  type Child,
  collect,
  dropSchema,
  PG_URL,
  RELIABILITY_SECONDS,
  RELIABILITY_SEED,
  serverPool,
  startChild,
  Tally,
  tempDirectory,
  uniqueSchema,
  watchProcessFaults,
} from './reliability-support.js';
import { RAW_EVENT_TYPE } from './stream-counts.js';

const PROCESSES = 2;

let temp: ReturnType<typeof tempDirectory>;
let faults: ReturnType<typeof watchProcessFaults>;
const children: Child[] = [];

beforeAll(() => {
  temp = tempDirectory('ordo-rel-concurrency-');
  faults = watchProcessFaults();
});
afterAll(() => {
  for (const child of children) child.kill();
  faults.stop();
  temp.dispose();
});

/** Runs the children to the end; their problems and non-zero exits are corrupt. */
async function runChildren(tally: Tally, backend: 'sqlite' | 'postgres', target: string, ackFile: string) {
  const started = Array.from({ length: PROCESSES }, (_, index) => {
    const child = startChild(
      'concurrency-child.ts',
      [backend, target, String(index), String(RELIABILITY_SECONDS), ackFile, String((RELIABILITY_SEED + index) >>> 0)],
      { ORDO_PG_URL: PG_URL },
    );
    children.push(child);
    return child;
  });
  await Promise.all(started.map((child) => child.loaded));
  for (const child of started) child.go();
  for (const [index, child] of started.entries()) {
    const { code, stderr } = await child.exited;
    if (code !== 0) tally.corrupt.push(`process ${index} exited with ${code}: ${stderr.slice(0, 2000)}`);
    for (const line of child.lines) {
      if (line.startsWith('problem ')) tally.corrupt.push(`process ${index}: ${line.slice(8)}`);
      if (line.startsWith('stats ')) {
        // The races the store had to settle: appends refused with CONCURRENCY_CONFLICT, use cases refused after
        // their retries.
        const stats = JSON.parse(line.slice(6)) as { conflicts: number; refused: number; unavailable: number };
        tally.faults += stats.conflicts + stats.refused + stats.unavailable;
      }
    }
  }
}

/** Checks the log against the acknowledgements, then the stock balances against placements and cancellations. */
function verify(tally: Tally, events: readonly StoredEvent[], ackFile: string, label: string): void {
  const lines = readFileSync(ackFile, 'utf8').split('\n');
  const ackedEvents = lines.filter((line) => line.startsWith('event ')).map((line) => line.slice(6));
  const ackedBatches = new Set(lines.filter((line) => line.startsWith('batch ')).map((line) => line.slice(6)));
  tally.operations = ackedBatches.size;

  const storedBatches = checkLog(tally, events, label);
  const occurrences = new Map<string, number>();
  for (const event of events) occurrences.set(event.eventId, (occurrences.get(event.eventId) ?? 0) + 1);
  for (const id of ackedEvents) {
    const count = occurrences.get(id) ?? 0;
    if (count === 0) tally.lost.push(`${label}: acknowledged event ${id}`);
    if (count > 1) tally.duplicated.push(`${label}: event ${id} stored ${count}x`);
  }
  if (new Set(ackedEvents).size !== ackedEvents.length)
    tally.duplicated.push(`${label}: an event id was acknowledged twice`);
  for (const batch of ackedBatches)
    if (!storedBatches.has(batch)) tally.lost.push(`${label}: acknowledged batch ${batch}`);
  const acked = new Set(ackedEvents);
  for (const event of events) {
    const stamp = stampOf(event);
    // The seed's batches were written by this process, not a child.
    if (stamp && !ackedBatches.has(stamp.relBatch) && event.metadata.seed !== true) {
      tally.corrupt.push(`${label}: ${event.streamId}@${event.streamVersion} was stored by a write reported failed`);
    }
    if (event.type === RAW_EVENT_TYPE && !acked.has(event.eventId)) {
      tally.corrupt.push(`${label}: raw event ${event.eventId} stored but never acknowledged`);
    }
  }

  // Reserved stock per item: what the acknowledged placements added and the acknowledged cancellations took back.
  const placed = new Map<string, Map<string, number>>();
  for (const line of lines) {
    if (!line.startsWith('placed ')) continue;
    const [, orderId, spec] = line.split(' ');
    const items = new Map<string, number>();
    for (const part of (spec ?? '').split(',')) {
      const [item, qty] = part.split(':');
      items.set(String(item), (items.get(String(item)) ?? 0) + Number(qty));
    }
    placed.set(String(orderId), items);
  }
  const cancelled = new Set(lines.filter((line) => line.startsWith('cancelled ')).map((line) => line.slice(10)));
  const rebuild = rebuildErp(events);
  for (const item of ITEMS) {
    let expected = 0;
    for (const [orderId, items] of placed) if (!cancelled.has(orderId)) expected += items.get(item) ?? 0;
    const stock = rebuild.stock.get(`Stock-${item}@${WAREHOUSE}`);
    if (!stock) {
      tally.lost.push(`${label}: no stock stream for ${item}`);
      continue;
    }
    if (!Quantity.of(stock.reservedQty).equals(expected)) {
      const difference = Quantity.of(stock.reservedQty).subtract(expected);
      (difference.isPositive() ? tally.duplicated : tally.lost).push(
        `${label}: ${item} reserved ${stock.reservedQty}, acknowledged placements minus cancellations = ${expected}`,
      );
    }
  }
  checkErpInvariants(tally, rebuild, label);
}

/** Seeds master data through a store, marking the seed's events so they are not mistaken for a child's writes. */
async function seed(store: EventStore): Promise<void> {
  const marked = Object.assign(Object.create(store) as EventStore, {
    appendMany: (appends: Parameters<EventStore['appendMany']>[0], options?: Parameters<EventStore['appendMany']>[1]) =>
      store.appendMany(appends, { ...options, metadata: { ...options?.metadata, seed: true } }),
  });
  await seedMasterData(createErp({ store: stampBatches(marked), settings: ERP_SETTINGS }), '1000000');
}

describe(`two processes × 8 writers for ${RELIABILITY_SECONDS} s on overlapping streams`, () => {
  it('SQLite: every acknowledged append is stored exactly once, no failed write is stored, batches are whole and reserved stock balances', async () => {
    const tally = new Tally();
    const file = temp.file('concurrency.db');
    const ackFile = temp.file('sqlite-acks.log');
    writeFileSync(ackFile, '');
    const seedStore = await openSqliteEventStore({ path: file });
    await seed(seedStore);
    await seedStore.close();

    await runChildren(tally, 'sqlite', file, ackFile);

    const store = await openSqliteEventStore({ path: file });
    const integrity = store.database.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') tally.corrupt.push(`integrity_check says ${String(integrity)}`);
    verify(tally, await collect(store.readAll()), ackFile, 'sqlite');
    await store.close();
    tally.corrupt.push(...faults.drain());
    tally.report('sqlite-concurrency-2x8-writers');
  });

  it('PostgreSQL: every acknowledged append is stored exactly once, no failed write is stored, batches are whole and reserved stock balances', async () => {
    await assertServerReachable();
    const tally = new Tally();
    const schema = uniqueSchema('cc');
    const ackFile = temp.file('postgres-acks.log');
    writeFileSync(ackFile, '');
    const pool: pg.Pool = serverPool('ordo-rel-concurrency-parent', 4);
    try {
      const store = createPostgresEventStore({ client: pool, schema });
      await seed(store);

      await runChildren(tally, 'postgres', schema, ackFile);

      verify(tally, await collect(store.readAll()), ackFile, 'postgres');
      await store.close();
    } finally {
      await dropSchema(pool, schema);
      await pool.end();
    }
    tally.corrupt.push(...faults.drain());
    tally.report('postgres-concurrency-2x8-writers');
  });
});
