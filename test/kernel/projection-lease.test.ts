import { describe, expect, it } from 'vitest';
import { createFixedClock } from '../../src/kernel/clock.js';
import { isOrdoError } from '../../src/kernel/errors.js';
import { createMemoryLease, type Lease } from '../../src/kernel/lease.js';
import { createProjectionRunner } from '../../src/kernel/projection-runner.js';
import { createMemoryEventStore } from '../../src/stores/memory/memory-event-store.js';
import {
  appendIncrements,
  appliedOnce,
  countingProjection,
  createCountTable,
  expectedTotals,
} from './projection-support.js';

describe('memory lease', () => {
  it('is exclusive until it expires, then anyone may take it', async () => {
    const clock = createFixedClock();
    const lease = createMemoryLease({ clock });
    expect(await lease.acquire('job', 'a', 1000)).toBe(true);
    expect(await lease.acquire('job', 'b', 1000)).toBe(false);
    expect(await lease.renew('job', 'b', 1000)).toBe(false);
    clock.advance(999);
    expect(lease.holder('job')).toBe('a');
    clock.advance(1);
    expect(lease.holder('job')).toBeUndefined();
    expect(await lease.renew('job', 'a', 1000)).toBe(false);
    expect(await lease.acquire('job', 'b', 1000)).toBe(true);
  });

  it('is extended by its holder, through renew or a second acquire', async () => {
    const clock = createFixedClock();
    const lease = createMemoryLease({ clock });
    await lease.acquire('job', 'a', 1000);
    clock.advance(800);
    expect(await lease.renew('job', 'a', 1000)).toBe(true);
    clock.advance(800);
    expect(await lease.acquire('job', 'a', 1000)).toBe(true);
    clock.advance(800);
    expect(lease.holder('job')).toBe('a');
  });

  it('is handed over at once on release, and only its holder can release it', async () => {
    const lease = createMemoryLease();
    await lease.acquire('job', 'a', 60_000);
    await lease.release('job', 'b');
    expect(lease.holder('job')).toBe('a');
    await lease.release('job', 'a');
    expect(await lease.acquire('job', 'b', 60_000)).toBe(true);
  });

  it('rejects a ttl that is not a positive integer', async () => {
    const lease = createMemoryLease();
    const attempt = lease.acquire('job', 'a', 0);
    await expect(attempt).rejects.toSatisfy((error) => isOrdoError(error, 'VALIDATION_FAILED'));
  });
});

describe('projection runners competing through a lease', () => {
  /** A lease as seen from a process that can be cut off from it (crashed, hung or partitioned). */
  function partitionable(lease: Lease): Lease & { cut(): void } {
    let cut = false;
    return {
      acquire: async (...args) => !cut && lease.acquire(...args),
      renew: async (...args) => !cut && lease.renew(...args),
      release: async (...args) => {
        if (!cut) await lease.release(...args);
      },
      cut: () => {
        cut = true;
      },
    };
  }

  it('runs a projection in one runner only; another takes over once the holder stops renewing', async () => {
    const store = createMemoryEventStore();
    const clock = createFixedClock();
    const lease = createMemoryLease({ clock });
    const table = createCountTable();
    const runner = (owner: string) =>
      createProjectionRunner({
        store,
        clock,
        projections: [countingProjection(table)],
        lease: { lease, owner, ttlMs: 5000 },
      });
    const a = runner('a');
    const b = runner('b');

    await appendIncrements(store, [1, 2, 3]);
    expect(await a.catchUp()).toEqual({ applied: 3, standby: [] });
    await appendIncrements(store, [4]);
    expect(await b.catchUp()).toEqual({ applied: 0, standby: ['counts'] });
    expect((await b.status())[0]).toMatchObject({ state: 'standby', position: 3, lag: 1 });

    // `a` never renews again; once its lease has run out, `b` carries on from a's checkpoint.
    clock.advance(5000);
    expect(await b.catchUp()).toEqual({ applied: 1, standby: [] });
    expect(table.snapshot()).toEqual(expectedTotals([1, 2, 3, 4]));
    expect(appliedOnce(table)).toBe(true);
    expect(await a.catchUp()).toEqual({ applied: 0, standby: ['counts'] });
  });

  it('hands the work over at once when the holder stops gracefully', async () => {
    const store = createMemoryEventStore();
    const lease = createMemoryLease();
    const table = createCountTable();
    const runner = (owner: string) =>
      createProjectionRunner({
        store,
        pollIntervalMs: 5,
        projections: [countingProjection(table)],
        lease: { lease, owner, ttlMs: 60_000 },
      });
    const a = runner('a');
    const b = runner('b');
    a.start();
    await a.whenCaughtUp();
    b.start();
    await appendIncrements(store, [1, 2]);
    await a.whenCaughtUp();
    await a.stop();

    await appendIncrements(store, [3]);
    await b.whenCaughtUp();
    expect(lease.holder('projection:counts')).toBe('b');
    await b.stop();
    expect(table.snapshot()).toEqual(expectedTotals([1, 2, 3]));
    expect(appliedOnce(table)).toBe(true);
  });

  it('moves a started projection to a standby runner when the holder is cut off from the lease', async () => {
    const store = createMemoryEventStore();
    const clock = createFixedClock();
    const lease = createMemoryLease({ clock });
    const aLease = partitionable(lease);
    const table = createCountTable();
    const a = createProjectionRunner({
      store,
      clock,
      pollIntervalMs: 5,
      projections: [countingProjection(table)],
      lease: { lease: aLease, owner: 'a', ttlMs: 3000 },
    });
    const b = createProjectionRunner({
      store,
      clock,
      pollIntervalMs: 5,
      projections: [countingProjection(table)],
      lease: { lease, owner: 'b', ttlMs: 3000 },
    });
    a.start();
    await a.whenCaughtUp();
    b.start();
    await appendIncrements(store, [1]);
    await a.whenCaughtUp();

    aLease.cut();
    clock.advance(3000);
    await appendIncrements(store, [2, 3]);
    await b.whenCaughtUp();
    expect(lease.holder('projection:counts')).toBe('b');
    await Promise.all([a.stop(), b.stop()]);
    expect(table.snapshot()).toEqual(expectedTotals([1, 2, 3]));
    expect(appliedOnce(table)).toBe(true);
  });
});
