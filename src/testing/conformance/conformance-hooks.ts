/**
 * Conformance tests of `beforeCommit` hooks, for adapters that run them in a real transaction.
 */

import { isOrdoError } from '../../kernel/errors.js';
import type { NewEvent, StoredEvent } from '../../kernel/event.js';
import type { ConformanceHarness } from './conformance-harness.js';
import {
  collect,
  expectUnchanged,
  fail,
  makeEvents,
  observe,
  openWriters,
  pause,
  seed,
} from './conformance-helpers.js';
import { vitestApi } from './vitest-api.js';

const IDS = ['0190a6e0-0000-7000-8000-0000000000c1', '0190a6e0-0000-7000-8000-0000000000c2'];

function idEvents(): NewEvent[] {
  return IDS.map((eventId, index) => ({ type: 'Tested', data: { index }, eventId }));
}

/** Appends each writer makes in the hooked contention test. */
const HOOKED_APPENDS_PER_WRITER = 5;

/** A hook that yields to the event loop, so a store that checks versions before its turn lets others in. */
async function slowHook(): Promise<void> {
  await pause();
}

/** Registers the beforeCommit tests; skipped (and listed as such) when the adapter has no transactional hooks. */
export function hookTests(h: ConformanceHarness): void {
  const { describe, expect, it } = vitestApi();
  describe.skipIf(!h.capabilities.transactionalHooks)('beforeCommit hooks', () => {
    it('keeps one winner per version when writers with async beforeCommit hooks and plain writers race on one stream', async () => {
      const n = h.capabilities.concurrentWriters;
      const k = HOOKED_APPENDS_PER_WRITER;
      const writers = await openWriters(h);
      const acknowledged: number[] = [];
      let hookRuns = 0;
      await Promise.all(
        writers.map(async (store, writer) => {
          // Every other writer appends with a hook: hooked appends must exclude plain ones too.
          const hooked = writer % 2 === 0;
          for (let seq = 0, conflicts = 0; seq < k; ) {
            const version = await store.streamVersion('hooked-race');
            try {
              const result = await store.appendToStream('hooked-race', [{ type: 'Raced', data: { writer, seq } }], {
                expectedVersion: version,
                ...(hooked
                  ? {
                      beforeCommit: async () => {
                        hookRuns += 1;
                        await slowHook();
                      },
                    }
                  : {}),
              });
              expect(result.nextExpectedVersion).toBe(version + 1);
              acknowledged.push(result.nextExpectedVersion);
              seq += 1;
            } catch (error) {
              if (!isOrdoError(error, 'CONCURRENCY_CONFLICT')) throw error;
              conflicts += 1;
              if (conflicts > 2_000) fail(`writer ${writer} starved after ${conflicts} conflicts`);
            }
          }
        }),
      );
      const events = await collect(writers[0]!.readStream('hooked-race'));
      expect(events.map((event) => event.streamVersion)).toEqual(Array.from({ length: n * k }, (_, i) => i + 1));
      expect(
        [...acknowledged].sort((a, b) => a - b),
        'one acknowledged append per version',
      ).toEqual(Array.from({ length: n * k }, (_, i) => i + 1));
      expect(new Set(events.map((event) => event.globalPosition)).size).toBe(n * k);
      expect(hookRuns).toBeGreaterThanOrEqual(Math.ceil(n / 2) * k);
    });

    it("lets exactly one of several concurrent 'no_stream' appends with async hooks succeed", async () => {
      const writers = await openWriters(h);
      const outcomes = await Promise.allSettled(
        writers.map((store, writer) =>
          store.appendToStream('hooked-new', [{ type: 'Created', data: { writer } }], {
            expectedVersion: 'no_stream',
            beforeCommit: slowHook,
          }),
        ),
      );
      const winners = outcomes.flatMap((outcome, writer) => (outcome.status === 'fulfilled' ? [writer] : []));
      expect(winners).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') {
          expect(isOrdoError(outcome.reason, 'CONCURRENCY_CONFLICT'), String(outcome.reason)).toBe(true);
        }
      }
      const events = await collect(writers[0]!.readStream('hooked-new'));
      expect(events.map((event) => [event.streamVersion, event.data])).toEqual([[1, { writer: winners[0] }]]);
    });

    it('runs beforeCommit once, with the stored events (versions and positions assigned), exactly as they are then read', async () => {
      const store = await h.open();
      await seed(store, 'orders', makeEvents(1));
      const calls: StoredEvent[][] = [];
      const result = await store.appendToStream('orders', makeEvents(2, 'Tested', 'hooked'), {
        expectedVersion: 1,
        metadata: { correlationId: 'c-1' },
        beforeCommit: (events) => {
          calls.push([...events]);
        },
      });
      expect(calls).toHaveLength(1);
      const seen = calls[0] ?? [];
      expect(seen.map((event) => event.streamVersion)).toEqual([2, 3]);
      expect(seen.at(-1)?.globalPosition).toBe(result.lastPosition);
      const stored = (await collect(store.readAll())).slice(1);
      expect(seen).toEqual(stored);
    });

    it('a throwing beforeCommit rolls the append back, its error propagates, and the ids stay free', async () => {
      const store = await h.open();
      await seed(store, 'orders', makeEvents(1));
      const before = await observe(store, ['orders']);
      const failure = new Error('projection failed');
      await expect(
        store.appendToStream('orders', idEvents(), {
          expectedVersion: 1,
          beforeCommit: () => {
            throw failure;
          },
        }),
      ).rejects.toBe(failure);
      await expectUnchanged(store, before, 'an append whose hook threw');
      const retried = await store.appendToStream('orders', idEvents(), { expectedVersion: 1 });
      expect(retried.nextExpectedVersion).toBe(3);
      const events = await collect(store.readStream('orders', { fromVersion: 2 }));
      expect(events.map((event) => event.eventId)).toEqual(IDS);
    });

    it('a rejecting async beforeCommit of appendMany rolls back every stream and its error propagates', async () => {
      const store = await h.open();
      await seed(store, 'a', makeEvents(1));
      const before = await observe(store, ['a', 'b']);
      const failure = new Error('read model refused');
      await expect(
        store.appendMany(
          [
            { streamId: 'a', events: makeEvents(1), expectedVersion: 1 },
            { streamId: 'b', events: makeEvents(2), expectedVersion: 'no_stream' },
          ],
          {
            beforeCommit: async () => {
              await pause();
              throw failure;
            },
          },
        ),
      ).rejects.toBe(failure);
      await expectUnchanged(store, before, 'appendMany whose hook rejected');
    });

    it('gives the beforeCommit of appendMany the events of every stream, in the order given', async () => {
      const store = await h.open();
      let seen: readonly StoredEvent[] = [];
      await store.appendMany(
        [
          { streamId: 'b', events: makeEvents(2), expectedVersion: 'no_stream' },
          { streamId: 'a', events: makeEvents(1), expectedVersion: 'no_stream' },
        ],
        {
          beforeCommit: (events) => {
            seen = [...events];
          },
        },
      );
      expect(seen.map((event) => [event.streamId, event.streamVersion])).toEqual([
        ['b', 1],
        ['b', 2],
        ['a', 1],
      ]);
      expect(seen).toEqual(await collect(store.readAll()));
    });

    it('awaits an async beforeCommit, and no other store sees its events before it finishes', async () => {
      const writer = await h.open();
      const reader = await h.open();
      await seed(writer, 'orders', makeEvents(1));
      const before = {
        head: await reader.headPosition(),
        version: 1,
        count: (await collect(reader.readAll())).length,
      };
      let hookFinished = false;
      const seen: { what: keyof typeof before; value: number; duringHook: boolean }[] = [];
      const look = async (what: keyof typeof before, read: () => Promise<number>): Promise<void> => {
        const value = await read();
        seen.push({ what, value, duringHook: !hookFinished });
      };
      let probe: Promise<void> | undefined;
      const result = await writer.appendToStream('orders', makeEvents(2), {
        expectedVersion: 1,
        beforeCommit: async () => {
          let settled = false;
          // Not awaited directly: a single-connection database may hold readers until the commit, which is
          // fine as long as they then see all or nothing. Only a read that finishes inside the hook must
          // show the state before the append.
          probe = (async () => {
            await look('head', () => reader.headPosition());
            await look('version', () => reader.streamVersion('orders'));
            await look('count', async () => (await collect(reader.readAll())).length);
            settled = true;
          })();
          for (let turn = 0; turn < 100 && !settled; turn++) await pause();
          hookFinished = true;
        },
      });
      if (!probe) fail('the beforeCommit hook never ran');
      await probe;
      const after = { head: result.lastPosition, version: 3, count: before.count + 2 };
      for (const { what, value, duringHook } of seen) {
        if (duringHook) expect(value, `${what} read while the hook ran`).toBe(before[what]);
        else expect([before[what], after[what]], `${what} read after the hook`).toContain(value);
      }
      expect(await reader.streamVersion('orders')).toBe(3);
    });
  });
}
