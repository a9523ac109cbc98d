/**
 * Connection loss on a real PostgreSQL server: the test's pool carries an `application_name`, and the test
 * terminates those backends (`pg_terminate_backend`) in the middle of appends and of projection batches, both at
 * chosen moments (inside the transaction, after the rows are written and before COMMIT; while the append waits for
 * a stream lock; mid-batch in a projection) and at random moments under load. Every failure must be a typed
 * `OrdoError` (`STORE_UNAVAILABLE`), nothing may be half-written, and the retry (same event ids) must succeed.
 */
import type pg from 'pg';
import { v7 as uuidV7 } from 'uuid';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { NewEvent, StoredEvent } from '../../src/kernel/event.js';
import { defineProjection, type Projection } from '../../src/kernel/projection.js';
import { createProjectionRunner } from '../../src/kernel/projection-runner.js';
import {
  createPostgresEventStore,
  type PostgresEventStore,
  type PostgresTransaction,
} from '../../src/stores/postgres/index.js';
import {
  assertServerReachable,
  collect,
  dropSchema,
  RELIABILITY_SEED,
  retryUnavailable,
  seededRandom,
  serverPool,
  sleep,
  Tally,
  terminateBackends,
  uniqueSchema,
  watchProcessFaults,
} from './reliability-support.js';

const EVENT_TYPE = 'ConnectionLossTested';
/** Random-phase length: long enough for dozens of terminations, short enough for the suite's budget. */
const RANDOM_PHASE_MS = 6000;

let admin: pg.Pool;
let processFaults: ReturnType<typeof watchProcessFaults>;
const schemas: string[] = [];
const pools: pg.Pool[] = [];

beforeAll(async () => {
  await assertServerReachable();
  processFaults = watchProcessFaults();
  admin = serverPool('ordo-reliability-admin', 3);
});

afterAll(async () => {
  processFaults.stop();
  for (const pool of pools) await pool.end().catch(() => undefined);
  for (const schema of schemas) await dropSchema(admin, schema);
  await admin.end();
});

/** A fresh schema and a store over a pool whose backends all carry `applicationName`. */
function openStore(applicationName: string, poolSize = 8): { store: PostgresEventStore; pool: pg.Pool } {
  const schema = uniqueSchema('cl');
  schemas.push(schema);
  const pool = serverPool(applicationName, poolSize);
  pools.push(pool);
  return { store: createPostgresEventStore({ client: pool, schema, pollIntervalMs: 100 }), pool };
}

/** Waits until the backend `pid` has gone from `pg_stat_activity`, so the next statement on it surely fails. */
async function waitGone(pid: number): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const { rows } = await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
    if (rows.length === 0) return;
    await sleep(5);
  }
  throw new Error(`backend ${pid} did not exit after pg_terminate_backend`);
}

/** Terminates one backend and waits for it to be gone. */
async function killBackend(pid: number): Promise<void> {
  await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  await waitGone(pid);
}

function batch(tag: string, size: number): NewEvent[] {
  return Array.from({ length: size }, (_, index) => ({
    eventId: uuidV7(),
    type: EVENT_TYPE,
    data: { tag, index, size },
  }));
}

/** Problems with a stream that must hold exactly `batches`, in order, each whole. */
function checkStream(tally: Tally, streamId: string, events: readonly StoredEvent[], batches: readonly NewEvent[][]) {
  const expected = batches.flat().map((event) => event.eventId as string);
  const actual = events.map((event) => event.eventId);
  const counts = new Map<string, number>();
  for (const id of actual) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const [id, count] of counts) if (count > 1) tally.duplicated.push(`${streamId}: event ${id} stored ${count}x`);
  const stored = new Set(actual);
  for (const id of expected) if (!stored.has(id)) tally.lost.push(`${streamId}: acknowledged event ${id} missing`);
  const wanted = new Set(expected);
  for (const id of actual) if (!wanted.has(id)) tally.corrupt.push(`${streamId}: event ${id} was never appended`);
  if (tally.lost.length === 0 && tally.duplicated.length === 0 && actual.join() !== expected.join()) {
    tally.corrupt.push(`${streamId}: events out of order`);
  }
  events.forEach((event, index) => {
    if (event.streamVersion !== index + 1)
      tally.corrupt.push(`${streamId}: version ${event.streamVersion} at ${index}`);
  });
}

/**
 * The read model of these tests: per stream, events applied, last version, and how often an event did not follow
 * the previous one (a skipped or repeated event shows up there even when the count happens to match).
 */
function streamCounts(schema: string): {
  readonly projection: Projection<PostgresTransaction>;
  readonly table: string;
} {
  const table = `"${schema}".rel_stream_counts`;
  const projection = defineProjection<PostgresTransaction>({
    name: 'reliability-stream-counts',
    init: async (tx) => {
      await tx.query(
        `CREATE TABLE IF NOT EXISTS ${table} (stream_id text PRIMARY KEY, events integer NOT NULL, last_version bigint NOT NULL, out_of_order integer NOT NULL)`,
      );
    },
    reset: async (tx) => {
      await tx.query(`DELETE FROM ${table}`);
    },
    handlers: {
      [EVENT_TYPE]: async (tx, event) => {
        await tx.query(
          `INSERT INTO ${table} AS t (stream_id, events, last_version, out_of_order) VALUES ($1, 1, $2, 0)
           ON CONFLICT (stream_id) DO UPDATE SET events = t.events + 1, last_version = excluded.last_version,
             out_of_order = t.out_of_order + CASE WHEN t.last_version + 1 = excluded.last_version THEN 0 ELSE 1 END`,
          [event.streamId, event.streamVersion],
        );
      },
    },
  });
  return { projection, table };
}

interface CountRow {
  readonly stream_id: string;
  readonly events: number;
  readonly last_version: string;
  readonly out_of_order: number;
}

/** Compares the read model with the fold of the log: what a rebuild from position 0 must produce. */
async function checkProjection(tally: Tally, store: PostgresEventStore, table: string, label: string): Promise<void> {
  const expected = new Map<string, { events: number; last: number }>();
  for (const event of await retryUnavailable(() => collect(store.readAll()))) {
    if (event.type !== EVENT_TYPE) continue;
    const entry = expected.get(event.streamId) ?? { events: 0, last: 0 };
    expected.set(event.streamId, { events: entry.events + 1, last: event.streamVersion });
  }
  const { rows } = await admin.query<CountRow>(`SELECT * FROM ${table}`);
  const actual = new Map(rows.map((row) => [row.stream_id, row]));
  for (const [streamId, want] of expected) {
    const row = actual.get(streamId);
    if (!row) {
      tally.lost.push(`${label}: ${streamId} missing from the read model`);
      continue;
    }
    if (row.events > want.events)
      tally.duplicated.push(`${label}: ${streamId} applied ${row.events}, log has ${want.events}`);
    if (row.events < want.events)
      tally.lost.push(`${label}: ${streamId} applied ${row.events}, log has ${want.events}`);
    if (Number(row.last_version) !== want.last || row.out_of_order !== 0) {
      tally.corrupt.push(
        `${label}: ${streamId} last ${row.last_version}/${want.last}, out of order ${row.out_of_order}`,
      );
    }
  }
  for (const streamId of actual.keys()) {
    if (!expected.has(streamId)) tally.corrupt.push(`${label}: ${streamId} in the read model but not in the log`);
  }
}

/** Appends until it succeeds, each retry with the same events (ids); records every failure that is not typed. */
async function appendUntilStored(
  tally: Tally,
  label: string,
  attempt: () => Promise<unknown>,
  onFailure: () => void = () => undefined,
): Promise<boolean> {
  for (let tries = 1; tries <= 200; tries++) {
    tally.operations += 1;
    try {
      await attempt();
      return true;
    } catch (error) {
      tally.expectOrdoError(error, `${label} try ${tries}`, ['STORE_UNAVAILABLE']);
      onFailure();
      await sleep(5 + tries);
    }
  }
  tally.lost.push(`${label}: still failing after 200 retries`);
  return false;
}

describe('PostgreSQL: connection loss', () => {
  it('an append whose backend dies after writing its rows and before COMMIT, or while it waits for a stream lock, fails with STORE_UNAVAILABLE, writes nothing, and its retry with the same ids succeeds', async () => {
    const tally = new Tally();
    const app = 'ordo-rel-cl-append';
    const { store } = openStore(app);
    await store.migrate();
    const random = seededRandom(RELIABILITY_SEED);
    const stored = new Map<string, NewEvent[][]>();
    const rounds = 12;
    for (let round = 0; round < rounds; round++) {
      const streamA = `order-${round % 3}`;
      const streamB = `stock-${round % 2}`;
      const eventsA = batch(`a${round}`, 1 + Math.floor(random() * 8));
      const eventsB = batch(`b${round}`, 1 + Math.floor(random() * 4));
      const before = await collect(store.readAll());
      const versionA = await store.streamVersion(streamA);
      const versionB = await store.streamVersion(streamB);
      const expectedA = versionA === 0 ? ('no_stream' as const) : versionA;
      const expectedB = versionB === 0 ? ('no_stream' as const) : versionB;
      const mode = round % 3;
      let failure: unknown;
      tally.operations += 1;
      try {
        if (mode === 0) {
          // Rows written, hook running, backend killed: COMMIT cannot happen.
          await store.appendToStream(streamA, eventsA, {
            expectedVersion: expectedA,
            beforeCommit: async (_events, tx) => {
              const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
              await killBackend((rows[0] as { pid: number }).pid);
              tally.faults += 1;
            },
          });
        } else if (mode === 1) {
          // The same across two streams: neither may keep its part.
          await store.appendMany(
            [
              { streamId: streamA, events: eventsA, expectedVersion: expectedA },
              { streamId: streamB, events: eventsB, expectedVersion: expectedB },
            ],
            {
              beforeCommit: async (_events, tx) => {
                const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
                await killBackend((rows[0] as { pid: number }).pid);
                tally.faults += 1;
              },
            },
          );
        } else {
          // No hook: one statement in autocommit. Hold the stream's append lock so it waits inside the append
          // function, then kill it there.
          const holder = await admin.connect();
          try {
            await holder.query('BEGIN');
            await holder.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [
              `ordo:stream:${store.schema}`,
              streamA,
            ]);
            const pending = store.appendToStream(streamA, eventsA, { expectedVersion: expectedA });
            pending.catch(() => undefined);
            let victim: number | undefined;
            for (let wait = 0; wait < 1000 && victim === undefined; wait++) {
              const { rows } = await admin.query<{ pid: number }>(
                "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock' AND query LIKE '%append_events%'",
                [app],
              );
              victim = rows[0]?.pid;
              if (victim === undefined) await sleep(5);
            }
            if (victim === undefined) throw new Error('the append never waited for the stream lock');
            await killBackend(victim);
            tally.faults += 1;
            await pending;
          } finally {
            await holder.query('ROLLBACK').catch(() => undefined);
            holder.release();
          }
        }
      } catch (error) {
        failure = error;
      }
      if (failure === undefined)
        tally.corrupt.push(`round ${round} (mode ${mode}): the append succeeded on a dead backend`);
      else tally.expectOrdoError(failure, `round ${round} (mode ${mode})`, ['STORE_UNAVAILABLE']);

      const after = await collect(store.readAll());
      if (after.length !== before.length) {
        tally.corrupt.push(`round ${round}: ${after.length - before.length} events written by a failed append`);
      }
      // The retry: the very same events, ids included, at the same expected versions.
      const retried = await appendUntilStored(tally, `round ${round} retry`, () =>
        mode === 1
          ? store.appendMany([
              { streamId: streamA, events: eventsA, expectedVersion: expectedA },
              { streamId: streamB, events: eventsB, expectedVersion: expectedB },
            ])
          : store.appendToStream(streamA, eventsA, { expectedVersion: expectedA }),
      );
      if (retried) {
        stored.set(streamA, [...(stored.get(streamA) ?? []), eventsA]);
        if (mode === 1) stored.set(streamB, [...(stored.get(streamB) ?? []), eventsB]);
      }
    }
    await sleep(300);
    for (const [streamId, batches] of stored) {
      checkStream(tally, streamId, await retryUnavailable(() => collect(store.readStream(streamId))), batches);
    }
    await store.close();
    tally.corrupt.push(...processFaults.drain());
    tally.report('postgres-append-connection-killed-at-chosen-moments');
  });

  it('appends under random backend terminations: every failure is a typed STORE_UNAVAILABLE, and with retries of the same ids no batch is lost, partial or stored twice', async () => {
    const tally = new Tally();
    const app = 'ordo-rel-cl-random';
    const { store } = openStore(app, 6);
    await store.migrate();
    const random = seededRandom(RELIABILITY_SEED + 1);
    const appenders = 6;
    const stored = new Map<string, NewEvent[][]>();
    const until = Date.now() + RANDOM_PHASE_MS;
    // The killer stops at the deadline, so the retries in flight then can succeed.
    const killer = (async () => {
      while (Date.now() < until) {
        await sleep(20 + Math.floor(random() * 120));
        tally.faults += await terminateBackends(admin, app);
      }
    })();
    const work = Array.from({ length: appenders }, async (_, appender) => {
      const own = `appender-${appender}`;
      const pair = `appender-${appender}-pair`;
      let versions = { own: 0, pair: 0 };
      for (let sequence = 0; Date.now() < until; sequence++) {
        const events = batch(`${appender}-${sequence}`, 1 + (sequence % 7));
        const many = sequence % 3 === 0;
        const pairEvents = many ? batch(`${appender}-${sequence}-pair`, 1 + (sequence % 2)) : [];
        const hooked = sequence % 2 === 0;
        const expected = (version: number) => (version === 0 ? ('no_stream' as const) : version);
        const ok = await appendUntilStored(tally, `${own} #${sequence}`, async () => {
          const hook = hooked ? { beforeCommit: async () => sleep(Math.floor(random() * 4)) } : {};
          if (many) {
            await store.appendMany(
              [
                { streamId: own, events, expectedVersion: expected(versions.own) },
                { streamId: pair, events: pairEvents, expectedVersion: expected(versions.pair) },
              ],
              hook,
            );
          } else {
            const result = await store.appendToStream(own, events, {
              expectedVersion: expected(versions.own),
              ...hook,
            });
            if (result.nextExpectedVersion !== versions.own + events.length) {
              tally.corrupt.push(`${own} #${sequence}: next version ${result.nextExpectedVersion}`);
            }
          }
        });
        if (!ok) return;
        stored.set(own, [...(stored.get(own) ?? []), events]);
        if (many) stored.set(pair, [...(stored.get(pair) ?? []), pairEvents]);
        versions = { own: versions.own + events.length, pair: versions.pair + pairEvents.length };
      }
    });
    await Promise.all(work);
    await killer;
    await sleep(300);
    for (const [streamId, batches] of stored) {
      checkStream(tally, streamId, await retryUnavailable(() => collect(store.readStream(streamId))), batches);
    }
    const all = await retryUnavailable(() => collect(store.readAll()));
    if (all.length !== [...stored.values()].flat(2).length) {
      tally.corrupt.push(`readAll has ${all.length} events, ${[...stored.values()].flat(2).length} were acknowledged`);
    }
    await store.close();
    if (tally.faults === 0) tally.corrupt.push('no backend was terminated: the test injected nothing');
    tally.corrupt.push(...processFaults.drain());
    tally.report('postgres-append-connection-killed-at-random');
  });

  it('a projection batch whose backend dies mid-batch rolls back with its checkpoint, surfaces STORE_UNAVAILABLE, and the retry makes the read model equal to its rebuild', async () => {
    const tally = new Tally();
    const app = 'ordo-rel-cl-projection';
    const { store } = openStore(app);
    const { projection, table } = streamCounts(store.schema);
    let killAt = -1;
    let applied = 0;
    const killing = defineProjection<PostgresTransaction>({
      name: projection.name,
      init: projection.init as (tx: PostgresTransaction) => Promise<void>,
      reset: projection.reset as (tx: PostgresTransaction) => Promise<void>,
      handlers: {
        [EVENT_TYPE]: async (tx, event) => {
          applied += 1;
          if (applied === killAt) {
            const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
            await killBackend((rows[0] as { pid: number }).pid);
            tally.faults += 1;
          }
          await (projection.handlers[EVENT_TYPE] as (tx: PostgresTransaction, event: StoredEvent) => Promise<void>)(
            tx,
            event,
          );
        },
      },
    });
    const runner = createProjectionRunner({ store, projections: [killing], batchSize: 25 });
    await runner.catchUp();
    const random = seededRandom(RELIABILITY_SEED + 2);
    for (let round = 0; round < 10; round++) {
      let appended = 0;
      for (let stream = 0; stream < 4; stream++) {
        const count = 3 + Math.floor(random() * 10);
        appended += count;
        await store.appendToStream(`p-${stream}`, batch(`r${round}`, count), {
          expectedVersion: 'any',
        });
      }
      const checkpointBefore = await store.getCheckpoint('projection:reliability-stream-counts');
      const rowsBefore = (await admin.query(`SELECT * FROM ${table} ORDER BY stream_id`)).rows;
      // Kill the backend on the 2nd to 20th event of the next batch (never past what this round appended, or the
      // kill would not happen): earlier events of the batch are written.
      applied = 0;
      killAt = 2 + Math.floor(random() * Math.min(19, appended - 1));
      tally.operations += 1;
      let failure: unknown;
      try {
        await runner.catchUp();
      } catch (error) {
        failure = error;
      }
      killAt = -1;
      if (failure === undefined) tally.corrupt.push(`round ${round}: catchUp succeeded although its backend died`);
      else tally.expectOrdoError(failure, `round ${round} catchUp`, ['STORE_UNAVAILABLE']);
      const checkpointAfter = await store.getCheckpoint('projection:reliability-stream-counts');
      const rowsAfter = (await admin.query(`SELECT * FROM ${table} ORDER BY stream_id`)).rows;
      // The batch with the kill rolled back whole; batches committed before it may have moved both, together.
      if (checkpointAfter === checkpointBefore && JSON.stringify(rowsAfter) !== JSON.stringify(rowsBefore)) {
        tally.corrupt.push(`round ${round}: read model changed but its checkpoint did not`);
      }
      await appendUntilStored(tally, `round ${round} catchUp retry`, () => runner.catchUp());
      await checkProjection(tally, store, table, `round ${round}`);
    }
    await runner.rebuild(projection.name);
    await checkProjection(tally, store, table, 'after rebuild');
    await runner.stop();
    await store.close();
    tally.corrupt.push(...processFaults.drain());
    tally.report('postgres-projection-connection-killed-mid-batch');
  });

  it('a running projection and its writers under random backend terminations end with the read model equal to a rebuild', async () => {
    const tally = new Tally();
    const app = 'ordo-rel-cl-runner';
    const { store } = openStore(app, 6);
    const { projection, table } = streamCounts(store.schema);
    const runner = createProjectionRunner({
      store,
      projections: [projection],
      batchSize: 20,
      pollIntervalMs: 50,
      onError: (error) => {
        tally.expectOrdoError(error, 'runner onError', ['STORE_UNAVAILABLE']);
      },
    });
    await appendUntilStored(tally, 'initial catchUp', () => runner.catchUp());
    runner.start();
    const random = seededRandom(RELIABILITY_SEED + 3);
    const until = Date.now() + RANDOM_PHASE_MS;
    const killer = (async () => {
      while (Date.now() < until) {
        await sleep(30 + Math.floor(random() * 150));
        tally.faults += await terminateBackends(admin, app);
      }
    })();
    await Promise.all(
      Array.from({ length: 4 }, async (_, writer) => {
        for (let sequence = 0; Date.now() < until; sequence++) {
          const events = batch(`${writer}-${sequence}`, 1 + (sequence % 5));
          await appendUntilStored(tally, `writer ${writer} #${sequence}`, () =>
            store.appendToStream(`w-${writer}-${sequence % 3}`, events, { expectedVersion: 'any' }),
          );
        }
      }),
    );
    await killer;
    await sleep(300);
    await runner.stop();
    await appendUntilStored(tally, 'final catchUp', () => runner.catchUp());
    await checkProjection(tally, store, table, 'after the faults');
    await runner.rebuild(projection.name);
    await checkProjection(tally, store, table, 'after rebuild');
    await store.close();
    tally.corrupt.push(...processFaults.drain());
    tally.report('postgres-projection-connection-killed-at-random');
  });
});
