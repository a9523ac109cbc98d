// Competing consumers on the real PostgreSQL server: two Node processes run the same async projection (or
// subscription, or event-bus handler) with the store's lease table; one is active, the other stands by. The
// active one is killed (SIGKILL) or frozen (SIGSTOP) while events keep coming, and the other must take over within
// seconds, from the shared checkpoint, without any event applied twice. The children are
// test/fixtures/postgres-failover-worker.ts.
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { projectionCheckpointId } from '../../src/kernel/projection.js';
import { createPostgresEventStore, type PostgresEventStore } from '../../src/stores/postgres/index.js';
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
import { appendIncrements, expectedTotals } from './projection-support.js';

/** Short enough to keep the test quick, long enough that a loaded machine still renews in time (every 300 ms). */
const TTL_MS = 1500;
const RENEW_INTERVAL_MS = 300;
/** A behavioural deadline, not a benchmark: the lease runs out after TTL_MS, then the next poll (100 ms) wins it. */
const TAKEOVER_DEADLINE_MS = 15_000;
const CATCH_UP_DEADLINE_MS = 30_000;
const STREAMS = ['counter-a', 'counter-b', 'counter-c'];
/** The fixture's subscription and bus batch size: what an at-least-once consumer may redeliver after a crash. */
const SUBSCRIPTION_BATCH_SIZE = 5;

type Mode = 'projection' | 'subscription' | 'bus';

/** The lease (and checkpoint) each mode competes for. */
const LEASE_NAMES: Record<Mode, string> = {
  projection: projectionCheckpointId('totals'),
  subscription: 'failover-subscription',
  bus: 'bus:failover:count',
};

interface Worker {
  readonly owner: string;
  readonly fixture: PostgresFixture;
}

interface Row {
  readonly position: number;
  readonly owner: string;
}

let pool: pg.Pool;
let children: PostgresFixture[] = [];
let schemas: string[] = [];
let stores: PostgresEventStore[] = [];

async function waitFor(what: string, deadlineMs: number, condition: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await condition()) return Date.now() - started;
    if (Date.now() - started > deadlineMs) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** A fresh, migrated schema with the read-model tables the workers write. */
async function setUp(): Promise<{ schema: string; store: PostgresEventStore }> {
  const schema = uniqueSchema('fo');
  schemas.push(schema);
  const store = createPostgresEventStore({ client: pool, schema });
  stores.push(store);
  await store.migrate();
  await pool.query(`CREATE TABLE "${schema}".totals (stream_id text PRIMARY KEY, total integer NOT NULL)`);
  // No unique key on purpose: an event applied (or handled) twice shows as two rows.
  await pool.query(
    `CREATE TABLE "${schema}".applied (position bigint NOT NULL, owner text NOT NULL,
      at timestamptz NOT NULL DEFAULT clock_timestamp())`,
  );
  await pool.query(`CREATE TABLE "${schema}".handled (position bigint NOT NULL, owner text NOT NULL)`);
  return { schema, store };
}

/** Appends one `Incremented` event every ~10 ms until stopped; `amounts` holds what committed. */
function appendContinuously(store: PostgresEventStore): { amounts: number[]; stop(): Promise<void> } {
  const amounts: number[] = [];
  let running = true;
  const loop = (async () => {
    for (let by = 1; running; by++) {
      await appendIncrements(store, [by], STREAMS);
      amounts.push(by);
      await sleep(10);
    }
  })();
  return {
    amounts,
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** Starts the two competing workers and waits until both have started following the store. */
async function startWorkers(schema: string, mode: Mode): Promise<Worker[]> {
  const workers = ['worker-a', 'worker-b'].map((owner) => {
    const fixture = startPostgresFixture(
      'postgres-failover-worker.ts',
      [schema, owner, mode, String(TTL_MS), String(RENEW_INTERVAL_MS)],
      { ORDO_PG_URL: POSTGRES_URL as string },
    );
    children.push(fixture);
    return { owner, fixture };
  });
  await Promise.all(workers.map((worker) => worker.fixture.ready));
  for (const worker of workers) worker.fixture.go();
  await waitFor('both workers to start', 30_000, async () =>
    workers.every((worker) => worker.fixture.lines.includes('started')),
  );
  return workers;
}

/** The unexpired holder of a lease, read from the store's lease table. */
async function holderOf(schema: string, name: string): Promise<string | undefined> {
  const result = await pool.query<{ owner: string }>(
    `SELECT owner FROM "${schema}".leases WHERE name = $1 AND expires_at > clock_timestamp()`,
    [name],
  );
  return result.rows[0]?.owner;
}

async function rowsOf(schema: string, table: 'applied' | 'handled'): Promise<Row[]> {
  const result = await pool.query<{ position: string; owner: string }>(
    `SELECT position::text AS position, owner FROM "${schema}".${table} AS t ORDER BY t.position, t.owner`,
  );
  return result.rows.map((row) => ({ position: Number(row.position), owner: row.owner }));
}

async function totalsOf(schema: string): Promise<Record<string, number>> {
  const result = await pool.query<{ stream_id: string; total: number }>(
    `SELECT stream_id, total FROM "${schema}".totals ORDER BY stream_id`,
  );
  return Object.fromEntries(result.rows.map((row) => [row.stream_id, row.total]));
}

async function storedPositions(store: PostgresEventStore): Promise<number[]> {
  const positions: number[] = [];
  for await (const event of store.readAll()) positions.push(event.globalPosition);
  return positions;
}

/** What a worker printed, for failure messages. */
function transcript(worker: Worker): string {
  const lines = worker.fixture.lines.filter((line) => !line.startsWith('apply '));
  return `${worker.owner}: ${lines.join(' | ')}`;
}

/**
 * Lets the workers run until the lease holder has done some work and the other has had several lease periods to
 * (wrongly) grab it; returns [holder, standby] after checking that only the holder did anything.
 */
async function settleOnHolder(
  schema: string,
  mode: Mode,
  workers: readonly Worker[],
  table: 'applied' | 'handled',
): Promise<[Worker, Worker]> {
  await waitFor(`a lease holder that has processed 20 events`, CATCH_UP_DEADLINE_MS, async () => {
    const holder = await holderOf(schema, LEASE_NAMES[mode]);
    return holder !== undefined && (await rowsOf(schema, table)).filter((row) => row.owner === holder).length >= 20;
  });
  await sleep(2 * TTL_MS);
  const holderName = await holderOf(schema, LEASE_NAMES[mode]);
  const holder = workers.find((worker) => worker.owner === holderName);
  const standby = workers.find((worker) => worker.owner !== holderName);
  if (!holder || !standby) throw new Error(`no single lease holder: ${holderName}`);
  const rows = await rowsOf(schema, table);
  expect(
    rows.every((row) => row.owner === holder.owner),
    'only the lease holder processed events before the failure',
  ).toBe(true);
  expect(standby.fixture.lines, transcript(standby)).toContain('state standby');
  expect(
    standby.fixture.lines.some((line) => line.startsWith('apply ')),
    transcript(standby),
  ).toBe(false);
  return [holder, standby];
}

afterEach(async () => {
  for (const fixture of children) fixture.child.kill('SIGKILL');
  await Promise.all(children.map((fixture) => fixture.exit.catch(() => undefined)));
  children = [];
  for (const store of stores) await store.close();
  stores = [];
  for (const schema of schemas) await dropSchema(pool, schema);
  schemas = [];
});

// Only the real server has several processes on one database; without ORDO_PG_URL this file reports itself skipped.
describe.runIf(HAS_POSTGRES_SERVER)('competing consumers on PostgreSQL: two processes, a lease, a failure', () => {
  beforeAll(() => {
    pool = createServerPool(5);
  });

  afterAll(async () => {
    await pool?.end();
    markServerSuiteRan('projection-failover');
  });

  it('an async projection moves to the standby process within seconds when the holder is SIGKILLed, and every event is applied exactly once', async () => {
    const { schema, store } = await setUp();
    const appending = appendContinuously(store);
    try {
      const workers = await startWorkers(schema, 'projection');
      const [holder, survivor] = await settleOnHolder(schema, 'projection', workers, 'applied');

      holder.fixture.child.kill('SIGKILL');
      const takeoverMs = await waitFor(
        `${survivor.owner} to take over (${transcript(survivor)})`,
        TAKEOVER_DEADLINE_MS,
        async () => (await rowsOf(schema, 'applied')).some((row) => row.owner === survivor.owner),
      );
      console.info(`projection failover: ${survivor.owner} applied its first batch ${takeoverMs} ms after the kill`);
      expect(takeoverMs).toBeLessThan(TAKEOVER_DEADLINE_MS);
      expect(await holderOf(schema, LEASE_NAMES.projection)).toBe(survivor.owner);
      expect((await holder.fixture.exit).code).toBeNull();

      // Events keep coming after the takeover; the survivor follows them to the head.
      await sleep(1000);
      await appending.stop();
      const head = await store.headPosition();
      await waitFor(`${survivor.owner} to catch up to ${head}`, CATCH_UP_DEADLINE_MS, async () => {
        return (await store.getCheckpoint(LEASE_NAMES.projection)) === head;
      });

      const rows = await rowsOf(schema, 'applied');
      // Exactly once: the log of committed applications is the stored events, each once.
      expect(rows.map((row) => row.position)).toEqual(await storedPositions(store));
      expect(await totalsOf(schema)).toEqual(expectedTotals(appending.amounts, STREAMS));
      // Never both at once: the killed holder's applications all precede the survivor's.
      const lastOfHolder = Math.max(...rows.filter((row) => row.owner === holder.owner).map((row) => row.position));
      const firstOfSurvivor = Math.min(
        ...rows.filter((row) => row.owner === survivor.owner).map((row) => row.position),
      );
      expect(lastOfHolder).toBeLessThan(firstOfSurvivor);
      expect(rows.filter((row) => row.owner === survivor.owner).length).toBeGreaterThan(0);
    } finally {
      await appending.stop();
    }
  });

  it('a projection holder frozen mid-batch past its lease (SIGSTOP, then SIGCONT) loses the lease to the other process, and no event is applied twice', async () => {
    const { schema, store } = await setUp();
    const appending = appendContinuously(store);
    try {
      const workers = await startWorkers(schema, 'projection');
      const [holder, survivor] = await settleOnHolder(schema, 'projection', workers, 'applied');

      // The holder stops itself inside its next batch's transaction, after the batch re-read its checkpoint.
      const seen = holder.fixture.lines.length;
      holder.fixture.child.kill('SIGUSR2');
      await waitFor(`${holder.owner} to freeze mid-batch`, CATCH_UP_DEADLINE_MS, async () =>
        holder.fixture.lines.slice(seen).some((line) => line.startsWith('frozen ')),
      );
      const frozenAt = Number(
        holder.fixture.lines
          .slice(seen)
          .find((line) => line.startsWith('frozen '))
          ?.split(' ')[1],
      );

      let takenAt = '';
      const takeoverMs = await waitFor(
        `${survivor.owner} to take the lease (${transcript(survivor)})`,
        TAKEOVER_DEADLINE_MS,
        async () => {
          const result = await pool.query<{ owner: string; now: string }>(
            `SELECT owner, clock_timestamp()::text AS now FROM "${schema}".leases
             WHERE name = $1 AND expires_at > clock_timestamp()`,
            [LEASE_NAMES.projection],
          );
          takenAt = result.rows[0]?.now ?? '';
          return result.rows[0]?.owner === survivor.owner;
        },
      );
      console.info(`projection stall: ${survivor.owner} took the lease ${takeoverMs} ms after the freeze`);
      // Leave the survivor time to run into the batch the frozen holder has in hand, then let the holder finish it.
      await sleep(1500);
      holder.fixture.child.kill('SIGCONT');

      await waitFor(`${survivor.owner} to apply (${transcript(survivor)})`, TAKEOVER_DEADLINE_MS, async () =>
        (await rowsOf(schema, 'applied')).some((row) => row.owner === survivor.owner),
      );
      await sleep(1000);
      await appending.stop();
      const head = await store.headPosition();
      await waitFor(`${survivor.owner} to catch up to ${head}`, CATCH_UP_DEADLINE_MS, async () => {
        return (await store.getCheckpoint(LEASE_NAMES.projection)) === head;
      });
      expect(await holderOf(schema, LEASE_NAMES.projection)).toBe(survivor.owner);

      const rows = await rowsOf(schema, 'applied');
      expect(rows.map((row) => row.position)).toEqual(await storedPositions(store));
      expect(await totalsOf(schema)).toEqual(expectedTotals(appending.amounts, STREAMS));
      // A lease limits, it does not fence: the frozen batch committed after its holder had lost the lease, and the
      // survivor, whose batch overlapped it, saw it committed and did not apply those events again.
      const frozen = await pool.query<{ owner: string; late: boolean }>(
        `SELECT owner, at > $2::timestamptz AS late FROM "${schema}".applied WHERE position = $1`,
        [frozenAt, takenAt],
      );
      expect(frozen.rows).toEqual([{ owner: holder.owner, late: true }]);
      expect(holder.fixture.lines.slice(seen), transcript(holder)).toContain('state standby');
    } finally {
      await appending.stop();
    }
  });

  it.each(['subscription', 'bus'] as const)(
    'a leased %s moves to the standby process within seconds when the holder is SIGKILLed, redelivering at most its last batch',
    async (mode) => {
      const { schema, store } = await setUp();
      const appending = appendContinuously(store);
      try {
        const workers = await startWorkers(schema, mode);
        const [holder, survivor] = await settleOnHolder(schema, mode, workers, 'handled');

        holder.fixture.child.kill('SIGKILL');
        const takeoverMs = await waitFor(
          `${survivor.owner} to take over (${transcript(survivor)})`,
          TAKEOVER_DEADLINE_MS,
          async () => (await rowsOf(schema, 'handled')).some((row) => row.owner === survivor.owner),
        );
        console.info(`${mode} failover: ${survivor.owner} handled its first event ${takeoverMs} ms after the kill`);
        expect(takeoverMs).toBeLessThan(TAKEOVER_DEADLINE_MS);
        expect(await holderOf(schema, LEASE_NAMES[mode])).toBe(survivor.owner);

        await sleep(1000);
        await appending.stop();
        const head = await store.headPosition();
        await waitFor(`${survivor.owner} to catch up to ${head}`, CATCH_UP_DEADLINE_MS, async () => {
          return (await store.getCheckpoint(LEASE_NAMES[mode])) === head;
        });

        const rows = await rowsOf(schema, 'handled');
        const positions = await storedPositions(store);
        // At least once: every stored event was handled, and each process handled each event at most once.
        expect([...new Set(rows.map((row) => row.position))]).toEqual(positions);
        for (const worker of [holder, survivor]) {
          const mine = rows.filter((row) => row.owner === worker.owner).map((row) => row.position);
          expect(new Set(mine).size, worker.owner).toBe(mine.length);
        }
        // The survivor resumed from the holder's last checkpoint: it redelivered at most the batch the holder was
        // in when it died, and the holder handled nothing past that batch.
        const firstOfSurvivor = Math.min(
          ...rows.filter((row) => row.owner === survivor.owner).map((row) => row.position),
        );
        const lastOfHolder = Math.max(...rows.filter((row) => row.owner === holder.owner).map((row) => row.position));
        const resumedAt = positions.indexOf(firstOfSurvivor);
        expect(resumedAt).toBeGreaterThan(0);
        const redelivered = rows.filter((row) => row.owner === holder.owner && row.position >= firstOfSurvivor);
        expect(redelivered.length).toBeLessThanOrEqual(SUBSCRIPTION_BATCH_SIZE);
        expect(lastOfHolder).toBeLessThan(positions[resumedAt + SUBSCRIPTION_BATCH_SIZE] ?? Number.POSITIVE_INFINITY);
      } finally {
        await appending.stop();
      }
    },
  );
});
