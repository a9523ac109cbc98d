import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/kernel/event.js';
import { createSqliteEventStore } from '../../src/stores/sqlite/index.js';
import { type FixtureChild, startFixture } from './sqlite-child-process.js';
import { collect, type TempDatabases, tempDatabases } from './sqlite-test-support.js';

const ROUNDS = 8;
/** Children loading ahead of the running one: tsx takes seconds to start on a busy machine. */
const PRELOADED = 4;

let temp: TempDatabases;
let children: FixtureChild[] = [];
beforeEach(() => {
  temp = tempDatabases();
});
afterEach(() => {
  for (const child of children) child.process.kill('SIGKILL');
  children = [];
  temp.dispose();
});

/** Releases a loaded writer, lets it commit once and then run `runMs` more, and SIGKILLs it. */
async function runAndKill(child: FixtureChild, runMs: number): Promise<string[]> {
  const acknowledged: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  child.onLine((line) => {
    if (line === 'ready') timer ??= setTimeout(() => child.process.kill('SIGKILL'), runMs);
    else if (line.startsWith('ack ')) acknowledged.push(line.slice(4));
  });
  await child.loaded;
  child.go();
  const { code, signal, stderr } = await child.exited;
  clearTimeout(timer);
  if (signal !== 'SIGKILL') throw new Error(`writer exited on its own (code ${code}): ${stderr}`);
  return acknowledged;
}

interface CrashData {
  readonly batchId: string;
  readonly size: number;
  readonly index: number;
  readonly hooked: boolean;
}

/** Every way the file breaks the crash guarantees; empty when it keeps them. */
function findProblems(
  events: readonly StoredEvent[],
  projection: ReadonlyMap<string, number>,
  acknowledged: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  for (let i = 1; i < events.length; i++) {
    if ((events[i]?.globalPosition ?? 0) <= (events[i - 1]?.globalPosition ?? 0)) problems.push(`positions at ${i}`);
  }
  const byStream = new Map<string, StoredEvent[]>();
  for (const event of events) {
    const list = byStream.get(event.streamId) ?? [];
    list.push(event);
    byStream.set(event.streamId, list);
  }
  const batches = new Set<string>();
  const hookedPerStream = new Map<string, number>();
  for (const [streamId, streamEvents] of byStream) {
    streamEvents.forEach((event, index) => {
      if (event.streamVersion !== index + 1) problems.push(`${streamId}: version ${event.streamVersion} at ${index}`);
    });
    for (let at = 0; at < streamEvents.length; ) {
      const head = streamEvents[at]?.data as CrashData;
      if (batches.has(head.batchId)) problems.push(`batch ${head.batchId} stored twice`);
      batches.add(head.batchId);
      for (let index = 0; index < head.size; index++) {
        const data = streamEvents[at + index]?.data as CrashData | undefined;
        if (data?.batchId !== head.batchId || data.index !== index || data.size !== head.size) {
          problems.push(`batch ${head.batchId} in ${streamId} is not whole (event ${index} of ${head.size})`);
          break;
        }
      }
      if (head.hooked) hookedPerStream.set(streamId, (hookedPerStream.get(streamId) ?? 0) + head.size);
      at += head.size;
    }
  }
  for (const batchId of acknowledged) if (!batches.has(batchId)) problems.push(`acknowledged ${batchId} lost`);
  for (const streamId of new Set([...projection.keys(), ...hookedPerStream.keys()])) {
    if (projection.get(streamId) !== hookedPerStream.get(streamId)) {
      problems.push(
        `${streamId}: projection ${projection.get(streamId)} vs hooked events ${hookedPerStream.get(streamId)}`,
      );
    }
  }
  return problems;
}

describe('SQLite store: crash safety', () => {
  it(`keeps the file intact, every batch whole and every acknowledged batch stored across ${ROUNDS} SIGKILLs of a writer mid-append`, async () => {
    const file = temp.file('crash.db');
    const acknowledged = new Set<string>();
    let seed = 0x2545f491;
    const seeds = Array.from({ length: ROUNDS }, () => {
      seed = (seed * 1_103_515_245 + 12_345) >>> 0;
      return seed;
    });
    const start = (round: number): FixtureChild => {
      const child = startFixture('sqlite-crash-writer.ts', [file, String(round), String(seeds[round])]);
      children.push(child);
      return child;
    };
    const waiting = Array.from({ length: Math.min(PRELOADED, ROUNDS) }, (_, round) => start(round));
    let totalEvents = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const child = waiting.shift() as FixtureChild;
      if (round + waiting.length + 1 < ROUNDS) waiting.push(start(round + waiting.length + 1));
      for (const batchId of await runAndKill(child, 10 + ((seeds[round] ?? 0) % 200))) acknowledged.add(batchId);

      const database = temp.connect(file);
      expect(database.pragma('integrity_check', { simple: true }), `integrity after kill ${round}`).toBe('ok');
      const store = createSqliteEventStore({ database });
      const events = await collect(store.readAll());
      await store.close();
      const rows = database.prepare('SELECT stream_id, events FROM crash_projection').all() as {
        stream_id: string;
        events: number;
      }[];
      database.close();
      expect(
        findProblems(events, new Map(rows.map((row) => [row.stream_id, row.events])), acknowledged),
        `after kill ${round}`,
      ).toEqual([]);
      expect(events.length, 'the writer got to write').toBeGreaterThan(totalEvents);
      totalEvents = events.length;
    }
  });
});
