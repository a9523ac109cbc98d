/**
 * Conformance tests under contention: several stores over one storage (as several processes over one
 * database) racing on the same streams.
 */

import { isOrdoError } from '../../kernel/errors.js';
import type { StoredEvent } from '../../kernel/event.js';
import type { ConformanceHarness } from './conformance-harness.js';
import { collect, fail, openWriters, pause } from './conformance-helpers.js';
import { vitestApi } from './vitest-api.js';

/** Appends each writer makes in the contention tests. */
const APPENDS_PER_WRITER = 10;

/**
 * A writer gives up after this many conflicts: far more than a fair store ever needs, so hitting it means
 * the store starves a writer or reports conflicts that are not there.
 */
const MAX_CONFLICTS_PER_WRITER = 2_000;

interface Acknowledged {
  readonly writer: number;
  readonly seq: number;
  readonly version: number;
  readonly position: number;
}

/** Registers the concurrency tests. */
export function concurrencyTests(h: ConformanceHarness): void {
  const { describe, expect, it } = vitestApi();
  const n = h.capabilities.concurrentWriters;
  const k = APPENDS_PER_WRITER;

  describe('concurrency', () => {
    it(`${n} writers racing on one stream with read-then-append: one winner per version, versions 1..${n * k} without gaps, every acknowledged append stored once`, async () => {
      const writers = await openWriters(h);
      const acknowledged: Acknowledged[] = [];
      await Promise.all(
        writers.map(async (store, writer) => {
          let conflictsHere = 0;
          for (let seq = 0; seq < k; ) {
            const version = await store.streamVersion('contended');
            try {
              const result = await store.appendToStream('contended', [{ type: 'Raced', data: { writer, seq } }], {
                expectedVersion: version,
              });
              expect(result.nextExpectedVersion).toBe(version + 1);
              acknowledged.push({ writer, seq, version: result.nextExpectedVersion, position: result.lastPosition });
              seq += 1;
            } catch (error) {
              if (!isOrdoError(error, 'CONCURRENCY_CONFLICT')) throw error;
              conflictsHere += 1;
              if (conflictsHere > MAX_CONFLICTS_PER_WRITER)
                fail(`writer ${writer} starved after ${conflictsHere} conflicts`);
            }
          }
        }),
      );
      const reader = await h.open();
      const events = await collect(reader.readStream('contended'));
      expect(events.map((event) => event.streamVersion)).toEqual(Array.from({ length: n * k }, (_, i) => i + 1));
      expect(acknowledged).toHaveLength(n * k);
      expect(new Set(acknowledged.map((ack) => ack.version)).size, 'one winner per version').toBe(n * k);
      for (const ack of acknowledged) {
        const stored = events[ack.version - 1];
        expect(stored?.data, `append ${ack.writer}/${ack.seq} at version ${ack.version}`).toEqual({
          writer: ack.writer,
          seq: ack.seq,
        });
        expect(stored?.globalPosition).toBe(ack.position);
      }
    });

    it("lets exactly one of several concurrent 'no_stream' appends to a new stream succeed; the others get CONCURRENCY_CONFLICT", async () => {
      const writers = await openWriters(h);
      const outcomes = await Promise.allSettled(
        writers.map((store, writer) =>
          store.appendToStream('brand-new', [{ type: 'Created', data: { writer } }], { expectedVersion: 'no_stream' }),
        ),
      );
      const winners = outcomes.flatMap((outcome, writer) => (outcome.status === 'fulfilled' ? [writer] : []));
      expect(winners).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') {
          expect(isOrdoError(outcome.reason, 'CONCURRENCY_CONFLICT'), String(outcome.reason)).toBe(true);
        }
      }
      const events = await collect(writers[0]!.readStream('brand-new'));
      expect(events.map((event) => [event.streamVersion, event.data])).toEqual([[1, { writer: winners[0] }]]);
    });

    it("lets every concurrent append with 'any' to one stream succeed, with distinct consecutive versions", async () => {
      const writers = await openWriters(h);
      const versions: number[] = [];
      await Promise.all(
        writers.map(async (store, writer) => {
          for (let seq = 0; seq < k; seq++) {
            const result = await store.appendToStream('shared', [{ type: 'Any', data: { writer, seq } }], {
              expectedVersion: 'any',
            });
            versions.push(result.nextExpectedVersion);
          }
        }),
      );
      expect([...versions].sort((a, b) => a - b)).toEqual(Array.from({ length: n * k }, (_, i) => i + 1));
      const events = await collect(writers[0]!.readStream('shared'));
      expect(events).toHaveLength(n * k);
      expect(new Set(events.map((event) => JSON.stringify(event.data))).size).toBe(n * k);
    });

    it('commits concurrent appendMany calls over the same streams in opposite orders (no deadlock, nothing lost)', async () => {
      const writers = await openWriters(h);
      await Promise.all(
        writers.map(async (store, writer) => {
          const streams = writer % 2 === 0 ? ['left', 'right'] : ['right', 'left'];
          for (let seq = 0; seq < k; seq++) {
            await store.appendMany(
              streams.map((streamId) => ({
                streamId,
                events: [{ type: 'Paired', data: { writer, seq } }],
                expectedVersion: 'any' as const,
              })),
            );
          }
        }),
      );
      const left = await collect(writers[0]!.readStream('left'));
      const right = await collect(writers[0]!.readStream('right'));
      for (const events of [left, right]) {
        expect(events.map((event) => event.streamVersion)).toEqual(Array.from({ length: n * k }, (_, i) => i + 1));
      }
      const pairs = (events: readonly StoredEvent[]) => events.map((event) => JSON.stringify(event.data)).sort();
      expect(pairs(left)).toEqual(pairs(right));
    });

    it('never lets a reader that resumes after its checkpoint miss an event or see one twice while writers commit', async () => {
      const writers = await openWriters(h);
      const reader = await h.open();
      let writing = true;
      const seen: StoredEvent[] = [];
      const follow = (async () => {
        let checkpoint = 0;
        for (;;) {
          // Decide before reading whether this is the last pass, so one full pass follows the last commit.
          const last = !writing;
          for await (const event of reader.readAll({ fromPosition: checkpoint + 1, batchSize: 3 })) {
            seen.push(event);
            checkpoint = event.globalPosition;
          }
          if (last) return;
          await pause();
        }
      })();
      try {
        await Promise.all(
          writers.map(async (store, writer) => {
            for (let seq = 0; seq < k; seq++) {
              const streamId = seq % 3 === 0 ? 'followed-shared' : `followed-${writer}`;
              const events = Array.from({ length: 1 + (seq % 2) }, (_, part) => ({
                type: 'Followed',
                data: { writer, seq, part },
              }));
              await store.appendToStream(streamId, events, { expectedVersion: 'any' });
            }
          }),
        );
      } finally {
        writing = false;
      }
      await follow;
      const all = await collect(reader.readAll());
      expect(all.length).toBe(n * (k + Math.floor(k / 2)));
      expect(seen.map((event) => event.eventId)).toEqual(all.map((event) => event.eventId));
    });
  });
}
