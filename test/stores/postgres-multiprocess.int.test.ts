import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/kernel/event.js';
import { createPostgresEventStore } from '../../src/stores/postgres/index.js';
import { type PostgresFixture, startPostgresFixture } from '../support/postgres-child-process.js';
import {
  createServerPool,
  dropSchema,
  HAS_POSTGRES_SERVER,
  markServerSuiteRan,
  POSTGRES_URL,
  sleep,
  uniqueSchema,
} from '../support/postgres-support.js';
import { expectProcessesRaced, writerSwitches } from '../support/process-race.js';

const WRITERS = 2;
const APPENDS_PER_WRITER = 60;
const STREAMS = 3;
/** How often, at least, consecutive versions of a stream must come from different processes. */
const MIN_WRITER_SWITCHES = 10;

interface Ack {
  readonly writer: number;
  readonly seq: number;
  readonly streamId: string;
  readonly firstVersion: number;
  readonly count: number;
  readonly lastPosition: number;
}

function parseAcks(writer: number, lines: readonly string[]): Ack[] {
  return lines
    .filter((line) => line.startsWith('ack '))
    .map((line) => {
      const [, seq, streamId, firstVersion, count, lastPosition] = line.split(' ');
      return {
        writer,
        seq: Number(seq),
        streamId: String(streamId),
        firstVersion: Number(firstVersion),
        count: Number(count),
        lastPosition: Number(lastPosition),
      };
    });
}

let children: PostgresFixture[] = [];
afterEach(() => {
  for (const fixture of children) fixture.child.kill('SIGKILL');
  children = [];
});

// Only the real server has several connections; without ORDO_PG_URL this file reports itself skipped.
describe.runIf(HAS_POSTGRES_SERVER)('PostgreSQL store: two Node processes on one schema', () => {
  afterAll(() => markServerSuiteRan('postgres-multiprocess'));

  it(`${WRITERS} processes migrating at once and racing read-then-append on shared streams: one migration, every acknowledged append stored once, no version twice, and a follower in a third process misses nothing`, async () => {
    const pool = createServerPool(5);
    const schema = uniqueSchema('mp');
    const barrier = mkdtempSync(join(tmpdir(), 'ordo-pg-barrier-'));
    // autoMigrate off: the children must race each other for the migration, not this follower.
    const follower = createPostgresEventStore({ client: pool, schema, visibilityWaitMs: 0, autoMigrate: false });
    try {
      children = Array.from({ length: WRITERS }, (_, writer) =>
        startPostgresFixture(
          'postgres-multiprocess-writer.ts',
          [schema, String(writer), String(APPENDS_PER_WRITER), String(STREAMS), barrier, String(WRITERS)],
          { ORDO_PG_URL: POSTGRES_URL as string },
        ),
      );
      await Promise.all(children.map((fixture) => fixture.ready));
      for (const fixture of children) fixture.go();

      // Follow the log from this process while the children write, checkpoint by checkpoint.
      let writing = true;
      // Once the writers are done: the last position they acknowledged, which the follower reads on to (another
      // test file's transaction on the same server can hold the cluster-wide horizon back for a while).
      let lastAcked = Number.POSITIVE_INFINITY;
      const followed: StoredEvent[] = [];
      const following = (async () => {
        let checkpoint = 0;
        let deadline = Number.POSITIVE_INFINITY;
        for (;;) {
          const last = !writing;
          if (last && deadline === Number.POSITIVE_INFINITY) deadline = Date.now() + 30_000;
          try {
            for await (const event of follower.readAll({ fromPosition: checkpoint + 1, batchSize: 7 })) {
              followed.push(event);
              checkpoint = event.globalPosition;
            }
          } catch (error) {
            // Before the first child has migrated, the schema does not exist yet; keep waiting for it.
            if (!String((error as Error).message).includes('migrate')) throw error;
          }
          if (last && (checkpoint >= lastAcked || Date.now() > deadline)) return;
          await sleep(2);
        }
      })();
      const exits = await Promise.all(children.map((fixture) => fixture.exit)).finally(() => {
        const positions = children
          .flatMap((fixture, writer) => parseAcks(writer, fixture.lines))
          .map((ack) => ack.lastPosition);
        lastAcked = Math.max(0, ...positions);
        writing = false;
      });
      await following;
      exits.forEach(({ code, stderr }, writer) => {
        expect(code, `writer ${writer} exited with ${code}: ${stderr}`).toBe(0);
      });

      const migrations = children.map((fixture) => fixture.lines.find((line) => line.startsWith('migrated ')));
      expect(migrations.sort()).toEqual(['migrated [1,2]', 'migrated []']);
      for (const fixture of children) expect(fixture.lines.at(-1)).toMatch(/^done \d+$/);
      const conflicts = children.map((fixture) => Number(fixture.lines.at(-1)?.split(' ')[1]));

      const acks = children.flatMap((fixture, writer) => parseAcks(writer, fixture.lines));
      const reader = createPostgresEventStore({ client: pool, schema, visibilityWaitMs: 30_000 });
      const all = await (async () => {
        const out: StoredEvent[] = [];
        for await (const event of reader.readAll()) out.push(event);
        return out;
      })();
      await reader.close();

      expect(all.length).toBe(acks.reduce((sum, ack) => sum + ack.count, 0));
      expect(new Set(all.map((event) => event.eventId)).size).toBe(all.length);
      all.forEach((event, index) => {
        if (index > 0) expect(event.globalPosition).toBeGreaterThan((all[index - 1] as StoredEvent).globalPosition);
      });
      for (let stream = 0; stream < STREAMS; stream++) {
        const streamId = `shared-${stream}`;
        const versions = all.filter((event) => event.streamId === streamId).map((event) => event.streamVersion);
        expect(
          versions.sort((a, b) => a - b),
          streamId,
        ).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
      }
      const byPlace = new Map(all.map((event) => [`${event.streamId}#${event.streamVersion}`, event]));
      for (const ack of acks) {
        for (let part = 0; part < ack.count; part++) {
          const event = byPlace.get(`${ack.streamId}#${ack.firstVersion + part}`);
          expect(event?.data, `ack ${JSON.stringify(ack)} part ${part}`).toMatchObject({
            writer: ack.writer,
            seq: ack.seq,
            part,
          });
        }
        expect(byPlace.get(`${ack.streamId}#${ack.firstVersion + ack.count - 1}`)?.globalPosition).toBe(
          ack.lastPosition,
        );
      }
      expect(followed.map((event) => event.eventId)).toEqual(all.map((event) => event.eventId));

      const streams = Array.from({ length: STREAMS }, (_, stream) =>
        all.filter((event) => event.streamId === `shared-${stream}`).sort((a, b) => a.streamVersion - b.streamVersion),
      );
      expectProcessesRaced(conflicts, writerSwitches(streams), MIN_WRITER_SWITCHES);
    } finally {
      await follower.close();
      await dropSchema(pool, schema);
      await pool.end();
      rmSync(barrier, { recursive: true, force: true });
    }
  });
});
