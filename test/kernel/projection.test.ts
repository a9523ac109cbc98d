import { describe, expect, it } from 'vitest';
import { createFixedClock } from '../../src/kernel/clock.js';
import { isOrdoError } from '../../src/kernel/errors.js';
import type { StoredEvent } from '../../src/kernel/event.js';
import { defineProjection, projectionCheckpointId, projectionVersionId } from '../../src/kernel/projection.js';
import { withInlineProjections } from '../../src/kernel/projection-inline.js';
import { createProjectionRunner, type RebuildProgress } from '../../src/kernel/projection-runner.js';
import { defineStateProjection } from '../../src/kernel/projection-state.js';
import {
  createMemoryEventStore,
  type MemoryEventStore,
  type MemoryTransaction,
} from '../../src/stores/memory/memory-event-store.js';
import {
  appendIncrements,
  appliedOnce,
  countingProjection,
  createCountTable,
  expectedTotals,
  plainStore,
} from './projection-support.js';

const AMOUNTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

describe('defineProjection', () => {
  it('lists the handled types and defaults the version to 1', () => {
    const projection = defineProjection({ name: 'p', handlers: { A: () => {}, B: () => {} } });
    expect(projection.types).toEqual(['A', 'B']);
    expect(projection.version).toBe(1);
  });

  it('rejects a nameless, handler-less or version-0 projection with every issue', () => {
    let caught: unknown;
    try {
      defineProjection({ name: '', version: 0, handlers: {} });
    } catch (error) {
      caught = error;
    }
    expect(isOrdoError(caught, 'VALIDATION_FAILED')).toBe(true);
    expect((caught as { issues: { path: unknown[] }[] }).issues.map((issue) => issue.path)).toEqual([
      ['name'],
      ['version'],
      ['handlers'],
    ]);
  });
});

describe('inline projections', () => {
  it('applies the events inside the append, so the read model is current when the append resolves', async () => {
    const table = createCountTable();
    const store = withInlineProjections(createMemoryEventStore(), [countingProjection(table)]);
    await appendIncrements(store, [2, 3, 4]);
    expect(table.snapshot()).toEqual({ 'counter-a': 6, 'counter-b': 3 });
    await store.appendMany([
      { streamId: 'counter-a', events: [{ type: 'Incremented', data: { by: 10 } }], expectedVersion: 2 },
      { streamId: 'counter-c', events: [{ type: 'Incremented', data: { by: 1 } }], expectedVersion: 'no_stream' },
    ]);
    expect(table.snapshot()).toEqual({ 'counter-a': 16, 'counter-b': 3, 'counter-c': 1 });
    expect(appliedOnce(table)).toBe(true);
  });

  it('rolls the append back when a projection throws: nothing is stored and the read model is unchanged', async () => {
    const table = createCountTable();
    const inner = createMemoryEventStore();
    const store = withInlineProjections(inner, [
      countingProjection(table, { failOn: (event) => (event.data as { by: number }).by === 13 }),
    ]);
    await appendIncrements(store, [2]);
    const before = table.snapshot();
    const commits: number[] = [];
    inner.onCommit(() => commits.push(1));

    await expect(
      store.appendToStream(
        'counter-a',
        [
          { type: 'Incremented', data: { by: 5 } },
          { type: 'Incremented', data: { by: 13 } },
        ],
        { expectedVersion: 1 },
      ),
    ).rejects.toThrow(/cannot project/);

    expect(await inner.headPosition()).toBe(1);
    expect(await inner.streamVersion('counter-a')).toBe(1);
    expect(table.snapshot()).toEqual(before);
    expect(await inner.getCheckpoint(projectionCheckpointId('counts'))).toBe(1);
    expect(commits).toEqual([]);
  });

  it("runs the caller's own beforeCommit hook first, in the same transaction", async () => {
    const table = createCountTable();
    const store = withInlineProjections(createMemoryEventStore(), [countingProjection(table)]);
    const seen: string[] = [];
    await store.appendToStream('counter-a', [{ type: 'Incremented', data: { by: 1 } }], {
      expectedVersion: 'no_stream',
      beforeCommit: (events, tx: MemoryTransaction) => {
        seen.push(`${tx.kind}:${events.length}:${table.totals.get('counter-a') ?? 'none'}`);
      },
    });
    expect(seen).toEqual(['memory:1:none']);
    expect(table.snapshot()).toEqual({ 'counter-a': 1 });
  });

  it('keeps every capability of the wrapped store', async () => {
    const store = withInlineProjections(createMemoryEventStore(), [countingProjection(createCountTable())]);
    let woken = 0;
    const unsubscribe = store.onCommit(() => {
      woken += 1;
    });
    await appendIncrements(store, [1]);
    unsubscribe();
    expect(woken).toBe(1);
    expect(store.kind).toBe('memory');
    expect(await store.withTransaction(async (tx) => tx.kind)).toBe('memory');
  });

  it('builds the read model from events stored before the projection was added, once, on first use', async () => {
    const inner = createMemoryEventStore();
    await appendIncrements(inner, [1, 2, 3, 4, 5]);
    const table = createCountTable();
    const store = withInlineProjections(inner, [countingProjection(table)], { batchSize: 2 });
    await appendIncrements(store, [6]);
    expect(table.snapshot()).toEqual(expectedTotals([1, 2, 3, 4, 5, 6]));
    expect(appliedOnce(table)).toBe(true);
    expect(await inner.getCheckpoint(projectionVersionId('counts'))).toBe(1);
  });

  it('stands aside while the projection is rebuilt, then resumes without applying anything twice', async () => {
    const table = createCountTable();
    const projection = countingProjection(table);
    const store = withInlineProjections(createMemoryEventStore(), [projection]);
    await appendIncrements(store, [1, 2, 3]);
    const runner = createProjectionRunner({ store, projections: [projection], batchSize: 1 });
    // An append lands while the rebuild is between its first and second batch.
    let during: Promise<void> | undefined;
    await runner.rebuild('counts', {
      onProgress: () => {
        during ??= appendIncrements(store, [4]);
      },
    });
    await during;
    await appendIncrements(store, [5]);
    expect(table.snapshot()).toEqual(expectedTotals([1, 2, 3, 4, 5]));
    expect(appliedOnce(table)).toBe(true);
  });

  it('does not go live while an append that stood aside is still unapplied', async () => {
    const inner = createMemoryEventStore();
    const table = createCountTable();
    const projection = countingProjection(table);
    const store = withInlineProjections(inner, [projection]);
    await appendIncrements(store, [2, 4, 6]);
    // The rebuild's last read lets an inline append commit between "read up to the head" and the batch's
    // transaction: the worst moment to flip the projection live.
    let interfered = false;
    const racing: MemoryEventStore = {
      ...inner,
      async *readAll(options = {}) {
        if (options.fromPosition === 3 && !interfered) {
          interfered = true;
          await appendIncrements(store, [8]);
        }
        yield* inner.readAll(options);
      },
    };
    await createProjectionRunner({ store: racing, projections: [projection], batchSize: 1 }).rebuild('counts');
    expect(interfered).toBe(true);
    await appendIncrements(store, [10]);
    expect(table.snapshot()).toEqual(expectedTotals([2, 4, 6, 8, 10]));
    expect(appliedOnce(table)).toBe(true);
  });

  it('keeps a state projection atomic with the append', async () => {
    const balance = defineStateProjection({
      name: 'balance',
      initialState: 0,
      handlers: {
        Incremented: (state, event: StoredEvent<'Incremented', { by: number }>) => {
          if (event.data.by < 0) throw new Error('no negative increments');
          return state + event.data.by;
        },
      },
    });
    const store = withInlineProjections(createMemoryEventStore(), [balance]);
    await appendIncrements(store, [5, 7]);
    expect(balance.state).toBe(12);
    await expect(appendIncrements(store, [-1])).rejects.toThrow(/negative/);
    expect(balance.state).toBe(12);
  });
});

describe('projection runner', () => {
  it('catches up from readAll in batches and applies each event exactly once', async () => {
    const store = createMemoryEventStore();
    await appendIncrements(store, AMOUNTS);
    const table = createCountTable();
    const runner = createProjectionRunner({ store, projections: [countingProjection(table)], batchSize: 3 });

    expect(await runner.catchUp()).toEqual({ applied: AMOUNTS.length, standby: [] });
    expect(await runner.catchUp()).toEqual({ applied: 0, standby: [] });
    expect(table.snapshot()).toEqual(expectedTotals(AMOUNTS));
    expect(table.applied.size).toBe(AMOUNTS.length);
    expect(appliedOnce(table)).toBe(true);
    const [status] = await runner.status();
    expect(status).toMatchObject({ name: 'counts', version: 1, liveVersion: 1, position: 11, head: 11, lag: 0 });
  });

  it('reads only the types it handles but moves its checkpoint past the others', async () => {
    const store = createMemoryEventStore();
    await appendIncrements(store, [1, 2]);
    await store.appendToStream('other', [{ type: 'Unrelated', data: {} }], { expectedVersion: 'any' });
    const table = createCountTable();
    const runner = createProjectionRunner({ store, projections: [countingProjection(table)] });
    await runner.catchUp();
    expect(await store.getCheckpoint(projectionCheckpointId('counts'))).toBe(3);
  });

  it('after a crash mid-batch neither skips nor double-counts an event: the result equals a rebuild', async () => {
    const store = createMemoryEventStore();
    await appendIncrements(store, AMOUNTS);
    const table = createCountTable();
    const poisoned = new Set<number>([5]);
    const crashing = createProjectionRunner({
      store,
      batchSize: 3,
      projections: [countingProjection(table, { failOn: (event) => poisoned.has(event.globalPosition) })],
    });
    await expect(crashing.catchUp()).rejects.toThrow(/cannot project/);
    // The batch 4-6 rolled back whole, with its checkpoint.
    expect(await store.getCheckpoint(projectionCheckpointId('counts'))).toBe(3);
    expect(table.snapshot()).toEqual(expectedTotals(AMOUNTS.slice(0, 3)));
    const [failed] = await crashing.status();
    expect(failed?.state).toBe('failed');

    const restarted = createProjectionRunner({ store, batchSize: 3, projections: [countingProjection(table)] });
    await restarted.catchUp();

    const reference = createCountTable();
    await createProjectionRunner({
      store,
      projections: [countingProjection(reference, { name: 'reference' })],
    }).catchUp();
    expect(table.snapshot()).toEqual(reference.snapshot());
    expect(table.snapshot()).toEqual(expectedTotals(AMOUNTS));
    expect(appliedOnce(table)).toBe(true);
  });

  it('a failing projection does not stop the others', async () => {
    const store = createMemoryEventStore();
    await appendIncrements(store, [1, 2, 3]);
    const broken = createCountTable();
    const healthy = createCountTable();
    const runner = createProjectionRunner({
      store,
      projections: [
        countingProjection(broken, { name: 'broken', failOn: () => true }),
        countingProjection(healthy, { name: 'healthy' }),
      ],
    });
    await expect(runner.catchUp()).rejects.toThrow(/cannot project/);
    expect(healthy.snapshot()).toEqual(expectedTotals([1, 2, 3]));
    expect((await runner.status()).map((status) => [status.name, status.state])).toEqual([
      ['broken', 'failed'],
      ['healthy', 'idle'],
    ]);
  });

  it('a rebuild from position 0 gives the same read model as following live', async () => {
    const store = createMemoryEventStore();
    const table = createCountTable();
    const runner = createProjectionRunner({ store, projections: [countingProjection(table)], batchSize: 4 });
    runner.start();
    await appendIncrements(store, AMOUNTS.slice(0, 5));
    await runner.whenCaughtUp();
    await appendIncrements(store, AMOUNTS.slice(5));
    await runner.whenCaughtUp();
    const live = table.snapshot();
    expect(live).toEqual(expectedTotals(AMOUNTS));

    await runner.rebuild('counts');
    await runner.stop();
    expect(table.snapshot()).toEqual(live);
    expect(appliedOnce(table)).toBe(true);
  });

  it('a started runner is woken by commits and reports its lag as zero once caught up', async () => {
    const store = createMemoryEventStore();
    const table = createCountTable();
    // A poll interval far beyond the test: only the commit notification can wake it.
    const runner = createProjectionRunner({ store, projections: [countingProjection(table)], pollIntervalMs: 600_000 });
    runner.start();
    await runner.whenCaughtUp();
    await appendIncrements(store, [3, 4]);
    await runner.whenCaughtUp();
    expect(table.snapshot()).toEqual(expectedTotals([3, 4]));
    expect((await runner.status())[0]).toMatchObject({ state: 'running', lag: 0 });
    await runner.stop();
    expect((await runner.status())[0]?.state).toBe('idle');
  });

  it('bumping the version resets the read model and rebuilds it from position 0', async () => {
    const store = createMemoryEventStore();
    await appendIncrements(store, AMOUNTS);
    const table = createCountTable();
    await createProjectionRunner({ store, projections: [countingProjection(table)] }).catchUp();
    expect(table.snapshot()).toEqual(expectedTotals(AMOUNTS));

    const progress: RebuildProgress[] = [];
    const v2 = createProjectionRunner({
      store,
      batchSize: 5,
      projections: [countingProjection(table, { version: 2, factor: 10 })],
      onProgress: (report) => progress.push(report),
    });
    await v2.catchUp();
    expect(table.snapshot()).toEqual(expectedTotals(AMOUNTS, undefined, 10));
    expect(appliedOnce(table)).toBe(true);
    expect((await v2.status())[0]).toMatchObject({ version: 2, liveVersion: 2, position: 11 });
    expect(progress.at(-1)).toMatchObject({ projection: 'counts', version: 2, processed: 11, total: 11, done: true });
  });

  it('a rebuild interrupted by a crash resumes where it stopped instead of starting over', async () => {
    const store = createMemoryEventStore();
    await appendIncrements(store, AMOUNTS);
    const table = createCountTable();
    await createProjectionRunner({ store, projections: [countingProjection(table)] }).catchUp();

    const crashing = createProjectionRunner({
      store,
      batchSize: 2,
      projections: [
        countingProjection(table, { version: 2, factor: 10, failOn: (event) => event.globalPosition === 7 }),
      ],
    });
    await expect(crashing.catchUp()).rejects.toThrow(/cannot project/);
    expect(await store.getCheckpoint(projectionVersionId('counts'))).toBe(0);
    expect(await store.getCheckpoint(projectionCheckpointId('counts'))).toBe(6);

    const resumed = createProjectionRunner({
      store,
      batchSize: 2,
      projections: [countingProjection(table, { version: 2, factor: 10 })],
    });
    expect((await resumed.catchUp()).applied).toBe(5);
    expect(table.snapshot()).toEqual(expectedTotals(AMOUNTS, undefined, 10));
    expect(appliedOnce(table)).toBe(true);
  });

  it('reports rebuild progress after every batch: processed, total, rate and ETA', async () => {
    const store = createMemoryEventStore();
    await appendIncrements(store, AMOUNTS.slice(0, 10));
    // Each reading of the clock moves it one second on: one reading at the start, one per report.
    const clock = createFixedClock('2026-01-01T00:00:00.000Z', 1000);
    const runner = createProjectionRunner({
      store,
      batchSize: 4,
      clock,
      projections: [countingProjection(createCountTable())],
    });
    await runner.catchUp();
    const reports: RebuildProgress[] = [];
    await runner.rebuild('counts', { onProgress: (report) => reports.push(report) });
    expect(
      reports.map(({ processed, total, events, rate, etaMs, done }) => ({
        processed,
        total,
        events,
        rate,
        etaMs,
        done,
      })),
    ).toEqual([
      { processed: 4, total: 10, events: 4, rate: 4, etaMs: 1500, done: false },
      { processed: 8, total: 10, events: 8, rate: 4, etaMs: 500, done: false },
      { processed: 10, total: 10, events: 10, rate: 10 / 3, etaMs: 0, done: true },
    ]);
  });

  it('keeps a state projection consistent when a batch fails', async () => {
    const store = createMemoryEventStore();
    await appendIncrements(store, [1, 2, 3, 4]);
    let failAt: number | undefined = 4;
    const sum = defineStateProjection({
      name: 'sum',
      initialState: { total: 0, events: 0 },
      handlers: {
        Incremented: (state, event: StoredEvent<'Incremented', { by: number }>) => {
          if (event.globalPosition === failAt) throw new Error('not now');
          return { total: state.total + event.data.by, events: state.events + 1 };
        },
      },
    });
    const runner = createProjectionRunner({ store, projections: [sum], batchSize: 2 });
    await expect(runner.catchUp()).rejects.toThrow(/not now/);
    expect(sum.state).toEqual({ total: 3, events: 2 });
    failAt = undefined;
    await runner.catchUp();
    expect(sum.state).toEqual({ total: 10, events: 4 });
    await runner.rebuild('sum');
    expect(sum.state).toEqual({ total: 10, events: 4 });
  });

  it('runs init once, before the first event, and reset then init on a rebuild', async () => {
    const store = createMemoryEventStore();
    await appendIncrements(store, [1, 2]);
    const calls: string[] = [];
    const projection = defineProjection<MemoryTransaction>({
      name: 'hooks',
      init: () => {
        calls.push('init');
      },
      reset: () => {
        calls.push('reset');
      },
      handlers: {
        Incremented: (_tx, event) => {
          calls.push(`event ${event.globalPosition}`);
        },
      },
    });
    const runner = createProjectionRunner({ store, projections: [projection] });
    await runner.catchUp();
    await runner.catchUp();
    await runner.rebuild('hooks');
    expect(calls).toEqual(['init', 'event 1', 'event 2', 'reset', 'init', 'event 1', 'event 2']);
  });

  it('refuses a store without transactions, two projections with one name, and an unknown rebuild', () => {
    const store = createMemoryEventStore();
    const table = createCountTable();
    expect(() =>
      createProjectionRunner<MemoryTransaction>({
        store: plainStore(store) as never,
        projections: [countingProjection(table)],
      }),
    ).toThrow(/withTransaction/);
    expect(() =>
      createProjectionRunner({ store, projections: [countingProjection(table), countingProjection(table)] }),
    ).toThrow(/two projections have this name/);
    const runner = createProjectionRunner({ store, projections: [countingProjection(table)] });
    expect(() => runner.rebuild('nope')).toThrow(/no projection named "nope"/);
  });
});
