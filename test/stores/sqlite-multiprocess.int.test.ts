import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/kernel/event.js';
import { createSqliteEventStore } from '../../src/stores/sqlite/index.js';
import { expectProcessesRaced, writerSwitches } from '../support/process-race.js';
import { type FixtureChild, startFixture } from './sqlite-child-process.js';
import { collect, type TempDatabases, tempDatabases } from './sqlite-test-support.js';

const WRITERS = 2;
const APPENDS_PER_WRITER = 120;
const STREAMS = 3;
/** How often, at least, consecutive versions of a stream must come from different processes. */
const MIN_WRITER_SWITCHES = 50;

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

interface Ack {
  readonly writer: number;
  readonly streamId: string;
  readonly firstVersion: number;
  readonly count: number;
  readonly lastPosition: number;
  readonly seq: number;
}

describe('SQLite store: several processes on one file', () => {
  it(`${WRITERS} processes migrating at once and racing read-then-append on shared streams: one migration, every acknowledged append stored once, no version twice`, async () => {
    const file = temp.file('shared.db');
    children = Array.from({ length: WRITERS }, (_, writer) =>
      startFixture('sqlite-multiprocess-writer.ts', [
        file,
        String(writer),
        String(APPENDS_PER_WRITER),
        String(STREAMS),
        temp.file('barrier'),
        String(WRITERS),
      ]),
    );
    const acks: Ack[] = [];
    const migrations: number[][] = [];
    const conflicts: number[] = [];
    children.forEach((child, writer) => {
      child.onLine((line) => {
        const [kind, ...rest] = line.split(' ');
        if (kind === 'migrated') migrations.push(JSON.parse(rest.join(' ')) as number[]);
        else if (kind === 'done') conflicts.push(Number(rest[0]));
        else if (kind === 'ack') {
          const [streamId, firstVersion, count, lastPosition, seq] = rest;
          acks.push({
            writer,
            streamId: streamId ?? '',
            firstVersion: Number(firstVersion),
            count: Number(count),
            lastPosition: Number(lastPosition),
            seq: Number(seq),
          });
        }
      });
    });
    await Promise.all(children.map((child) => child.loaded));
    for (const child of children) child.go();
    const exits = await Promise.all(children.map((child) => child.exited));
    expect(exits.map(({ code, stderr }) => ({ code, stderr }))).toEqual(exits.map(() => ({ code: 0, stderr: '' })));

    expect(migrations.map((applied) => applied.join(',')).sort()).toEqual(['', '1']);
    expect(acks).toHaveLength(WRITERS * APPENDS_PER_WRITER);

    const database = temp.connect(file);
    const store = createSqliteEventStore({ database });
    const events = await collect(store.readAll());
    await store.close();
    const byStream = new Map<string, StoredEvent[]>();
    for (const event of events) byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
    for (const [streamId, streamEvents] of byStream) {
      expect(
        streamEvents.map((event) => event.streamVersion),
        `${streamId}: versions 1..n, none twice`,
      ).toEqual(streamEvents.map((_, index) => index + 1));
    }
    expect(events).toHaveLength(acks.reduce((total, ack) => total + ack.count, 0));
    for (const ack of acks) {
      const stored = byStream.get(ack.streamId)?.slice(ack.firstVersion - 1, ack.firstVersion - 1 + ack.count) ?? [];
      expect(
        stored.map((event) => event.data),
        `append ${ack.writer}/${ack.seq}`,
      ).toEqual(Array.from({ length: ack.count }, (_, part) => ({ writer: ack.writer, seq: ack.seq, part })));
      expect(stored.at(-1)?.globalPosition).toBe(ack.lastPosition);
    }

    expect(conflicts).toHaveLength(WRITERS);
    expectProcessesRaced(conflicts, writerSwitches(byStream.values()), MIN_WRITER_SWITCHES);
  });
});
