import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createWarehouseExport,
  WAREHOUSE_SCHEMA,
  WAREHOUSE_TABLE_NAMES,
  type WarehouseExportProgress,
  type WarehouseRow,
} from '../../src/export/index.js';
import { createFixedClock, isOrdoError, type MemoryEventStore } from '../../src/index.js';
import { createMemoryEventStore } from '../../src/stores/memory/index.js';
import {
  collect,
  createErpWriter,
  createMemorySink,
  createValidatingStore,
  rowShapeProblems,
  seedErp,
} from './export-test-support.js';

let store: MemoryEventStore;
let head: number;
/** The rows of one uninterrupted export of `store`: what every other way of exporting it must equal. */
let reference: readonly WarehouseRow[];

beforeAll(async () => {
  store = createValidatingStore();
  await seedErp(createErpWriter(store), { orders: 25 });
  head = await store.headPosition();
  const sink = createMemorySink();
  await createWarehouseExport({ store, sink }).run();
  reference = sink.rows;
});

const keys = (rows: readonly WarehouseRow[]) => rows.map((row) => row.key);

describe('warehouse export', () => {
  it('writes rows of every table, each of its table shape, with unique keys', () => {
    expect(new Set(reference.map((row) => row.table))).toEqual(new Set(WAREHOUSE_TABLE_NAMES));
    expect(rowShapeProblems(reference)).toEqual([]);
    expect(new Set(keys(reference)).size).toBe(reference.length);
  });

  it('writes rows in event order and commits each batch with the position of its last event', async () => {
    const sink = createMemorySink();
    const summary = await createWarehouseExport({ store, sink, batchSize: 40 }).run();
    expect(sink.rows).toEqual(reference);
    const positions = sink.rows.map((row) => row.values.global_position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const events = await collect(store.readAll());
    for (const batch of sink.batches.slice(0, -1)) {
      expect(events.find((event) => event.globalPosition === batch.toPosition)).toBeDefined();
      for (const row of batch.rows) expect(row.values.global_position).toBeLessThanOrEqual(batch.toPosition);
    }
    expect(sink.batches.at(-1)?.toPosition).toBe(head);
    expect(summary).toMatchObject({
      status: 'completed',
      fromPosition: 0,
      toPosition: head,
      targetPosition: head,
      eventsRead: events.length,
      batches: Math.ceil(events.length / 40),
      totalRows: reference.length,
    });
    expect(Object.values(summary.rows).reduce((sum, count) => sum + count, 0)).toBe(reference.length);
    expect(sink.contexts[0]?.schema).toBe(WAREHOUSE_SCHEMA);
  });

  it('a second run after more events writes only the rows of the new events', async () => {
    const growing = createValidatingStore();
    const erp = createErpWriter(growing);
    await seedErp(erp, { orders: 5, seed: 3 });
    const sink = createMemorySink();
    const exporter = createWarehouseExport({ store: growing, sink, batchSize: 7 });
    const first = await exporter.run();
    const firstRows = sink.rows.length;
    await seedErp(erp, { orders: 5, seed: 4, firstOrder: 6, masterData: false });
    const second = await exporter.run();

    expect(second.fromPosition).toBe(first.toPosition);
    expect(second.toPosition).toBe(await growing.headPosition());
    for (const row of sink.rows.slice(firstRows)) expect(row.values.global_position).toBeGreaterThan(first.toPosition);
    const whole = createMemorySink();
    await createWarehouseExport({ store: growing, sink: whole }).run();
    expect(sink.rows).toEqual(whole.rows);
    expect((await exporter.run()).totalRows).toBe(0);
  });

  it('exports as of a position: exactly the rows of the events up to it, and a later run continues from it', async () => {
    const asOf = Math.floor(head / 2);
    const sink = createMemorySink();
    const summary = await createWarehouseExport({ store, sink, toPosition: asOf, batchSize: 9 }).run();
    expect(summary).toMatchObject({ status: 'completed', toPosition: asOf, targetPosition: asOf });
    expect(sink.rows).toEqual(reference.filter((row) => row.values.global_position <= asOf));
    expect(sink.position).toBe(asOf);

    await createWarehouseExport({ store, sink, batchSize: 9 }).run();
    expect(sink.rows).toEqual(reference);
  });

  it('exporting in runs split anywhere gives the same rows as one run (states of open streams are refolded)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: head }), { maxLength: 4 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 3 }),
        async (cuts, batchSize, stateCacheSize) => {
          const sink = createMemorySink();
          for (const toPosition of [...cuts].sort((a, b) => a - b)) {
            await createWarehouseExport({ store, sink, batchSize, toPosition, stateCacheSize }).run();
          }
          await createWarehouseExport({ store, sink, batchSize, stateCacheSize }).run();
          expect(keys(sink.rows)).toEqual(keys(reference));
          expect(sink.rows).toEqual(reference);
        },
      ),
      { numRuns: 10 },
    );
  });

  it('a sink already past the as-of position is left as it is', async () => {
    const sink = createMemorySink();
    await createWarehouseExport({ store, sink }).run();
    const summary = await createWarehouseExport({ store, sink, toPosition: 3 }).run();
    expect(summary).toMatchObject({ fromPosition: head, toPosition: head, targetPosition: head, totalRows: 0 });
    expect(sink.rows).toHaveLength(reference.length);
  });

  it('resumes after a batch that failed to commit, losing and repeating no row', async () => {
    const sink = createMemorySink({ failOnBatch: 3 });
    const exporter = createWarehouseExport({ store, sink, batchSize: 25 });
    await expect(exporter.run()).rejects.toThrow('batch 3 failed');
    expect(sink.closes).toBe(sink.opens);
    expect(sink.position).toBe(sink.batches.at(-1)?.toPosition);
    await exporter.run();
    expect(sink.rows).toEqual(reference);
  });

  it('stops at the head seen when the run started; events appended meanwhile go to the next run', async () => {
    const growing = createValidatingStore();
    const erp = createErpWriter(growing);
    await seedErp(erp, { orders: 3, seed: 5 });
    const startHead = await growing.headPosition();
    const sink = createMemorySink();
    let appending: Promise<unknown> | undefined;
    const exporter = createWarehouseExport({
      store: growing,
      sink,
      batchSize: 5,
      onProgress: () => {
        appending ??= seedErp(erp, { orders: 1, seed: 6, firstOrder: 4, masterData: false });
      },
    });
    const first = await exporter.run();
    await appending;
    expect(first.targetPosition).toBe(startHead);
    expect(sink.position).toBe(startHead);
    expect(await growing.headPosition()).toBeGreaterThan(startHead);
    const second = await exporter.run();
    expect(second.fromPosition).toBe(startHead);
    expect(second.totalRows).toBeGreaterThan(0);
  });

  it('reports progress after every batch: positions, events, rows per table, rate and eta, then done', async () => {
    const reports: WarehouseExportProgress[] = [];
    const sink = createMemorySink();
    await createWarehouseExport({
      store,
      sink,
      batchSize: 100,
      clock: createFixedClock('2026-01-01T00:00:00.000Z', 500),
      onProgress: (progress) => reports.push(progress),
    }).run();
    expect(reports).toHaveLength(sink.batches.length);
    expect(reports.map((report) => report.position)).toEqual(sink.batches.map((batch) => batch.toPosition));
    expect(reports.map((report) => report.done)).toEqual(reports.map((_, index) => index === reports.length - 1));
    const first = reports[0] as WarehouseExportProgress;
    expect(first).toMatchObject({ fromPosition: 0, toPosition: head, total: head, processed: first.position });
    expect(first.events).toBe(100);
    // The fixed clock moves 500 ms per reading: the start, then one reading per report.
    expect(first.rate).toBeCloseTo(first.processed / 0.5);
    expect(first.etaMs).toBe(Math.round(((head - first.processed) / first.rate) * 1000));
    const last = reports.at(-1) as WarehouseExportProgress;
    expect(last).toMatchObject({ processed: head, total: head, etaMs: 0 });
    expect(Object.values(last.rows).reduce((sum, count) => sum + count, 0)).toBe(reference.length);
    expect(last.rows.invoice_fact).toBe(reference.filter((row) => row.table === 'invoice_fact').length);
  });

  it('reports once, done, when there is nothing to export', async () => {
    const reports: WarehouseExportProgress[] = [];
    const empty = createMemoryEventStore();
    const summary = await createWarehouseExport({
      store: empty,
      sink: createMemorySink(),
      onProgress: (progress) => reports.push(progress),
    }).run();
    expect(summary).toMatchObject({ status: 'completed', fromPosition: 0, toPosition: 0, batches: 0 });
    expect(reports).toEqual([expect.objectContaining({ processed: 0, total: 0, done: true })]);
  });

  it('an aborted run keeps what it committed, drops the batch in hand, and the next run finishes the export', async () => {
    const controller = new AbortController();
    const sink = createMemorySink();
    const exporter = createWarehouseExport({ store, sink, batchSize: 30, onProgress: () => controller.abort() });
    const aborted = await exporter.run({ signal: controller.signal });
    expect(aborted).toMatchObject({ status: 'aborted', batches: 1, toPosition: sink.position });
    expect(sink.batches).toHaveLength(1);
    expect(sink.closes).toBe(1);

    const finished = await exporter.run();
    expect(finished).toMatchObject({ status: 'completed', fromPosition: aborted.toPosition, toPosition: head });
    expect(sink.rows).toEqual(reference);
  });

  it('does not start when the signal is already aborted', async () => {
    const sink = createMemorySink();
    const summary = await createWarehouseExport({ store, sink }).run({ signal: AbortSignal.abort() });
    expect(summary).toMatchObject({ status: 'aborted', toPosition: 0, batches: 0 });
    expect(sink.batches).toEqual([]);
  });

  it('queues a second run until the first has finished', async () => {
    const sink = createMemorySink();
    const exporter = createWarehouseExport({ store, sink, batchSize: 50 });
    const [first, second] = await Promise.all([exporter.run(), exporter.run()]);
    expect(first.toPosition).toBe(head);
    expect(second).toMatchObject({ fromPosition: head, totalRows: 0 });
    expect(sink.rows).toEqual(reference);
  });

  it('mirrors the committed position into the store checkpoint named by checkpointId', async () => {
    const positions: (number | undefined)[] = [];
    const sink = createMemorySink();
    await createWarehouseExport({
      store,
      sink,
      batchSize: 60,
      checkpointId: 'warehouse-export-test',
      onProgress: () => {
        positions.push(sink.position);
      },
    }).run();
    expect(await store.getCheckpoint('warehouse-export-test')).toBe(head);
    expect(positions.at(-1)).toBe(head);
  });

  it('skips events of other aggregates and still commits up to the head', async () => {
    const mixed = createMemoryEventStore();
    await seedErp(createErpWriter(mixed), { orders: 2, seed: 8 });
    await mixed.appendToStream('Audit-1', [{ type: 'SomethingAudited', data: { what: 'x' } }], {
      expectedVersion: 'any',
    });
    const sink = createMemorySink();
    const summary = await createWarehouseExport({ store: mixed, sink }).run();
    expect(summary.toPosition).toBe(await mixed.headPosition());
    expect(sink.rows.some((row) => row.values.event_type === 'SomethingAudited')).toBe(false);
  });

  it('refuses a stored event that fails its schema, naming its stream, version and type', async () => {
    const broken = createMemoryEventStore();
    await broken.appendToStream('SalesOrder-SO-9', [{ type: 'SalesOrderSubmitted', data: { orderId: 'SO-9' } }], {
      expectedVersion: 'no_stream',
    });
    const error = await createWarehouseExport({ store: broken, sink: createMemorySink() })
      .run()
      .catch((caught: unknown) => caught);
    expect(isOrdoError(error, 'CORRUPT_EVENT')).toBe(true);
    expect(error).toMatchObject({ streamId: 'SalesOrder-SO-9', streamVersion: 1, type: 'SalesOrderSubmitted' });
  });

  it('refuses a sink whose position is beyond the store head: it holds another store’s export', async () => {
    const sink = createMemorySink();
    await createWarehouseExport({ store, sink }).run();
    const error = await createWarehouseExport({ store: createMemoryEventStore(), sink })
      .run()
      .catch((caught: unknown) => caught);
    expect(isOrdoError(error, 'VALIDATION_FAILED')).toBe(true);
    expect(error).toMatchObject({ issues: [expect.objectContaining({ code: 'sink_ahead_of_store' })] });
    expect(sink.closes).toBe(sink.opens);
  });

  it('refuses invalid options with VALIDATION_FAILED naming the option', () => {
    const sink = createMemorySink();
    for (const [options, path] of [
      [{ batchSize: 0 }, 'batchSize'],
      [{ batchSize: 1.5 }, 'batchSize'],
      [{ toPosition: -1 }, 'toPosition'],
      [{ stateCacheSize: 0 }, 'stateCacheSize'],
      [{ checkpointId: '' }, 'checkpointId'],
    ] as const) {
      let error: unknown;
      try {
        createWarehouseExport({ store, sink, ...options });
      } catch (caught) {
        error = caught;
      }
      expect(isOrdoError(error, 'VALIDATION_FAILED'), path).toBe(true);
      expect(error).toMatchObject({ issues: [expect.objectContaining({ path: [path] })] });
    }
  });
});
