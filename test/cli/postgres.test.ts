/**
 * The CLI against a real PostgreSQL server (PGlite has no URL to connect to): runs only when `ORDO_PG_URL` is set,
 * each test in fresh schemas dropped afterwards.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/kernel/event.js';
import { createPostgresEventStore } from '../../src/stores/postgres/index.js';
import {
  createServerPool,
  dropSchema,
  HAS_POSTGRES_SERVER,
  POSTGRES_URL,
  uniqueSchema,
} from '../support/postgres-support.js';
import { cli, createTempDir, SEEDED, seedErp } from './cli-test-support.js';

describe.skipIf(!HAS_POSTGRES_SERVER)('ordo against PostgreSQL (ORDO_PG_URL)', () => {
  const url = POSTGRES_URL ?? '';
  const schemas: string[] = [];
  let pool: pg.Pool;
  let temp: ReturnType<typeof createTempDir>;

  const freshSchema = (): string => {
    const schema = uniqueSchema('cli');
    schemas.push(schema);
    return schema;
  };

  beforeAll(() => {
    pool = createServerPool(2);
    temp = createTempDir();
  });
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(pool, schema);
    await pool.end();
    temp.remove();
  });

  it('migrates a new schema once, and reports the schema in --json', async () => {
    const schema = freshSchema();
    const first = await cli(['migrate', '--store', url, '--schema', schema, '--json']);
    expect(first.code).toBe(0);
    expect(first.lines[0]).toMatchObject({ store: 'postgres', schema, applied: [1, 2], version: 2 });
    const again = await cli(['migrate', '--store', url, '--schema', schema, '--json']);
    expect(again.lines[0]).toMatchObject({ applied: [], version: 2 });
  });

  it('exits 4 on a schema that was never migrated, and creates nothing', async () => {
    const schema = freshSchema();
    const run = await cli(['stream', 'show', 'x', '--store', url, '--schema', schema, '--json']);
    expect(run.code).toBe(4);
    expect(run.errorLines[0]).toMatchObject({ error: { code: 'SCHEMA_MISSING' } });
    const { rows } = await pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    expect(rows).toEqual([]);
  });

  it('exits 3 for a database that does not exist', async () => {
    const missing = new URL(url);
    missing.pathname = '/ordo_cli_no_such_database';
    const run = await cli(['projections', 'status', '--store', missing.href]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('Cannot connect to PostgreSQL');
  });

  it('shows streams, rebuilds projections, exports and lists dead letters on a migrated schema', async () => {
    const schema = freshSchema();
    expect((await cli(['migrate', '--store', url, '--schema', schema])).code).toBe(0);
    const store = createPostgresEventStore({ client: pool, schema, autoMigrate: false });
    const events: StoredEvent[] = [];
    let head = 0;
    try {
      await seedErp(store, 2);
      for await (const event of store.readStream(SEEDED.orderStream)) events.push(event);
      const { rows } = await pool.query<{ head: string }>(
        `SELECT max(global_position)::text AS head FROM "${schema}".events`,
      );
      head = Number(rows[0]?.head);
      // Other transactions on the server (other test files) can hold the safe head back for a while: wait until
      // every seeded event is readable, so that the commands below all see the same log. headPosition() itself
      // waits for the server, so this loop does not spin.
      while ((await store.headPosition()) < head) {}
    } finally {
      await store.close();
    }
    const on = ['--store', url, '--schema', schema];

    const shown = await cli(['stream', 'show', SEEDED.orderStream, ...on, '--json']);
    expect(shown.lines).toEqual(JSON.parse(JSON.stringify(events)));

    const rebuilt = await cli(['projections', 'rebuild', '--all', ...on, '--json']);
    expect(rebuilt.code).toBe(0);
    for (const line of rebuilt.lines) expect(line).toMatchObject({ position: head, standby: false });
    const status = await cli(['projections', 'status', ...on, '--json']);
    for (const line of status.lines) expect(line).toMatchObject({ liveVersion: 1, lag: 0, state: 'idle' });

    const out = join(temp.path, schema);
    const exported = await cli(['export', ...on, '--out', out, '--json']);
    expect(exported.lines[0]).toMatchObject({ status: 'completed', toPosition: head });
    expect(readFileSync(join(out, 'sales_order_fact.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);

    const letters = await cli(['dead-letters', 'list', ...on]);
    expect(letters.stdout).toBe('No open dead letters\n');
  });
});
