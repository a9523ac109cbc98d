/**
 * Child of concurrency.reliability.test.ts: 8 concurrent writers in one process for a given time, on streams the
 * other process writes too.
 * - 5 raw writers: read a shared stream's version and append with it as the expected version (retrying on
 *   `CONCURRENCY_CONFLICT`), some `appendMany` across two shared streams, some with `'any'`;
 * - 3 ERP writers: place and cancel orders through `createErp` on the shared items, customers and ledgers.
 * On SQLite each writer has a connection of its own; on PostgreSQL the process shares one pool.
 *
 * Usage: node --import tsx concurrency-child.ts <sqlite|postgres> <file|schema> <process> <seconds> <ackFile> <seed>
 * Ack lines (appended to the ack file once the write committed): `event <id>` per raw event, `batch <id>` per
 * committed batch, `placed <orderId> <item>:<qty>,...`, `cancelled <orderId>`. Stdout: `problem <text>` for a
 * broken guarantee seen here, `stats <json>` at the end.
 */
import pg from 'pg';
import { v7 as uuidV7 } from 'uuid';
import { isOrdoError } from '../../../src/kernel/errors.js';
import type { EventStore, StreamAppend } from '../../../src/kernel/event-store.js';
import { createErp } from '../../../src/services/erp.js';
import { createPostgresEventStore } from '../../../src/stores/postgres/index.js';
import { openSqliteEventStore } from '../../../src/stores/sqlite/index.js';
import { createErpDriver } from '../erp-driver.js';
import { committedBatches, ERP_SETTINGS, stampBatches, type TrackedAppend, withCall } from '../erp-fixture.js';
import { RAW_EVENT_TYPE } from '../stream-counts.js';
import { ack, argv, seededRandom, sleep, waitForGo } from './child-support.js';

const [backend, target, processIndex, secondsText, ackFile, seedText] = argv(
  6,
  'concurrency-child <sqlite|postgres> <file|schema> <process> <seconds> <ackFile> <seed>',
) as [string, string, string, string, string, string];
if (backend !== 'sqlite' && backend !== 'postgres') throw new Error(`unknown backend ${backend}`);
const random = seededRandom(Number(seedText));
const RAW_WRITERS = 5;
const ERP_WRITERS = 3;
const SHARED_STREAMS = 4;

const problem = (text: string): void => {
  process.stdout.write(`problem ${text.replaceAll('\n', ' ')}\n`);
};
const stats = { appends: 0, conflicts: 0, unavailable: 0, placed: 0, cancelled: 0, refused: 0 };

let pool: pg.Pool | undefined;
const stores: EventStore[] = [];
/** A store for one writer: its own SQLite connection, or the process's pool. */
async function openStore(): Promise<EventStore> {
  if (backend === 'sqlite') {
    const store = await openSqliteEventStore({ path: target, busyTimeoutMs: 10_000 });
    stores.push(store);
    return store;
  }
  pool ??= new pg.Pool({
    connectionString: process.env.ORDO_PG_URL,
    max: 10,
    application_name: `ordo-rel-concurrency-${processIndex}`,
  });
  pool.on('error', () => undefined);
  const store = createPostgresEventStore({ client: pool, schema: target });
  stores.push(store);
  return store;
}

/** Classifies a thrown error: expected typed failures are counted, anything else is a problem. */
function failed(error: unknown, where: string): void {
  if (isOrdoError(error, 'CONCURRENCY_CONFLICT')) stats.conflicts += 1;
  else if (isOrdoError(error, 'STORE_UNAVAILABLE')) stats.unavailable += 1;
  else problem(`${where}: ${isOrdoError(error) ? error.code : 'untyped'} ${String(error)}`);
}

async function rawWriter(writer: number, until: number): Promise<void> {
  const store = stampBatches(await openStore());
  for (let sequence = 0; Date.now() < until; sequence++) {
    const streamId = `shared-${Math.floor(random() * SHARED_STREAMS)}`;
    const other = `shared-${(Number(streamId.slice(7)) + 1) % SHARED_STREAMS}`;
    const size = 1 + Math.floor(random() * 4);
    const events = Array.from({ length: size }, (_, index) => ({
      eventId: uuidV7(),
      type: RAW_EVENT_TYPE,
      data: { process: processIndex, writer, sequence, index },
    }));
    const mode = random();
    const appends: TrackedAppend[] = [];
    try {
      await withCall(async () => {
        if (mode < 0.2) {
          await store.appendToStream(streamId, events, { expectedVersion: 'any' });
          return;
        }
        const version = await store.streamVersion(streamId);
        const expected = version === 0 ? ('no_stream' as const) : version;
        if (mode < 0.45) {
          const half = Math.ceil(size / 2);
          const otherVersion = await store.streamVersion(other);
          const entries: StreamAppend[] = [
            { streamId, events: events.slice(0, half), expectedVersion: expected },
            {
              streamId: other,
              events: events.slice(half),
              expectedVersion: otherVersion === 0 ? 'no_stream' : otherVersion,
            },
          ];
          await store.appendMany(entries.filter((entry) => entry.events.length > 0));
        } else {
          const result = await store.appendToStream(streamId, events, { expectedVersion: expected });
          if (result.nextExpectedVersion !== version + size) {
            problem(`${streamId}: appended at ${version} but next version is ${result.nextExpectedVersion}`);
          }
        }
      }, appends);
      stats.appends += 1;
      for (const event of events) ack(ackFile, `event ${event.eventId}`);
    } catch (error) {
      failed(error, `raw writer ${writer}`);
    }
    for (const batch of committedBatches(appends)) ack(ackFile, `batch ${batch}`);
    // Let the other writers of this process in between (SQLite calls are synchronous).
    await sleep(0);
  }
}

async function erpWriter(writer: number, until: number): Promise<void> {
  const erp = createErp({ store: stampBatches(await openStore()), settings: ERP_SETTINGS, random });
  const driver = createErpDriver(erp, random, `p${processIndex}w${writer}`, { place: 3, cancel: 2 }, { draftShare: 0 });
  while (Date.now() < until) {
    const step = await driver.step();
    if (step.problem) problem(step.problem);
    for (const batch of step.committed) ack(ackFile, `batch ${batch}`);
    if (step.outcome === 'ok' && step.operation === 'place') {
      stats.placed += 1;
      ack(ackFile, `placed ${step.detail}`);
    } else if (step.outcome === 'ok' && step.operation === 'cancel') {
      stats.cancelled += 1;
      ack(ackFile, `cancelled ${step.detail}`);
    } else if (step.outcome === 'refused') {
      stats.refused += 1;
    } else if (step.outcome === 'thrown') {
      failed(step.error, `erp writer ${writer} ${step.operation}`);
    }
    await sleep(0);
  }
}

await waitForGo();
const until = Date.now() + Number(secondsText) * 1000;
await Promise.all([
  ...Array.from({ length: RAW_WRITERS }, (_, writer) => rawWriter(writer, until)),
  ...Array.from({ length: ERP_WRITERS }, (_, writer) => erpWriter(RAW_WRITERS + writer, until)),
]);
for (const store of stores) await store.close();
await pool?.end();
process.stdout.write(`stats ${JSON.stringify(stats)}\n`);
