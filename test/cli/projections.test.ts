import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createErpReadModels } from '../../src/read-models/index.js';
import { openSqliteEventStore } from '../../src/stores/sqlite/index.js';
import { cli, createTempDir, seedErp } from './cli-test-support.js';

const temp = createTempDir();
let files = 0;
let head = 0;

const NAMES = [
  'ordo-customer-order-summary',
  'ordo-sales-dashboard-daily',
  'ordo-orders',
  'ordo-stock-levels',
  'ordo-credit-balances',
];

/** A fresh store with two orders, never projected. */
async function seededStore(): Promise<string> {
  const path = join(temp.path, `erp-${++files}.sqlite`);
  const store = await openSqliteEventStore({ path });
  try {
    await seedErp(store, 2);
    head = await store.headPosition();
  } finally {
    await store.close();
  }
  return path;
}

afterAll(() => temp.remove());

describe('ordo projections status', () => {
  it('lists every built-in projection as not built on a store that never ran them', async () => {
    const path = await seededStore();
    const human = await cli(['projections', 'status', '--store', path]);
    expect(human.code).toBe(0);
    const rows = human.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^NAME\s+VERSION\s+LIVE\s+POSITION\s+HEAD\s+LAG\s+STATE$/);
    expect(rows.slice(1).map((row) => row.split(/\s+/)[0])).toEqual(NAMES);
    expect(rows.slice(1).every((row) => row.endsWith('not built'))).toBe(true);

    const json = await cli(['projections', 'status', '--store', path, '--json']);
    expect(json.lines).toHaveLength(NAMES.length);
    for (const line of json.lines) {
      expect(line).toEqual({ name: expect.any(String), version: 1, position: 0, head, lag: head, state: 'building' });
    }
  });
});

describe('ordo projections rebuild', () => {
  it('rebuilds every projection with --all, after which each is live at the head and its read model answers', async () => {
    const path = await seededStore();
    const run = await cli(['projections', 'rebuild', '--all', '--store', path, '--json']);
    expect(run.code).toBe(0);
    expect(run.lines.map((line) => line.name)).toEqual(NAMES);
    for (const line of run.lines) expect(line).toMatchObject({ version: 1, position: head, standby: false });
    expect(run.lines.find((line) => line.name === 'ordo-orders')?.applied).toBeGreaterThan(0);

    const status = await cli(['projections', 'status', '--store', path, '--json']);
    for (const line of status.lines)
      expect(line).toMatchObject({ liveVersion: 1, position: head, lag: 0, state: 'idle' });

    const store = await openSqliteEventStore({ path });
    try {
      const { queries } = createErpReadModels({ mode: 'sqlite', store });
      expect(await queries.orders.count()).toBe(2);
      expect(await queries.stockLevels.get('WIDGET', 'Main')).toBeDefined();
    } finally {
      await store.close();
    }
  });

  it('rebuilds one projection named with or without its prefix, from position 0 again', async () => {
    const path = await seededStore();
    const short = await cli(['projections', 'rebuild', 'orders', '--store', path, '--json']);
    expect(short.code).toBe(0);
    expect(short.lines).toEqual([
      { name: 'ordo-orders', version: 1, applied: expect.any(Number), position: head, standby: false },
    ]);
    const again = await cli(['projections', 'rebuild', 'ordo-orders', '--store', path]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(
      `Rebuilt ordo-orders (version 1): ${short.lines[0]?.applied} events applied, live at position ${head}\n`,
    );

    const status = await cli(['projections', 'status', '--store', path, '--json']);
    const states = Object.fromEntries(status.lines.map((line) => [line.name, line.state]));
    expect(states).toMatchObject({ 'ordo-orders': 'idle', 'ordo-stock-levels': 'building' });
  });

  it('finds projections and tables under the application prefixes', async () => {
    const path = await seededStore();
    const options = ['--projection-prefix', 'acme-', '--read-model-prefix', 'acme_rm_'];
    const run = await cli(['projections', 'rebuild', 'stock-levels', '--store', path, ...options, '--json']);
    expect(run.lines[0]).toMatchObject({ name: 'acme-stock-levels', position: head });
    const store = await openSqliteEventStore({ path });
    try {
      const { queries } = createErpReadModels({ mode: 'sqlite', store, namePrefix: 'acme-', tablePrefix: 'acme_rm_' });
      expect(await queries.stockLevels.get('WIDGET', 'Main')).toBeDefined();
    } finally {
      await store.close();
    }
  });

  it('draws one progress bar per projection on a terminal', async () => {
    const path = await seededStore();
    const run = await cli(['projections', 'rebuild', '--all', '--store', path], { isTTY: true });
    expect(run.code).toBe(0);
    for (const name of NAMES) expect(run.stderr).toContain(`${name} [`);
    const piped = await cli(['projections', 'rebuild', '--all', '--store', path], { isTTY: false });
    expect(piped.stderr).toBe('');
  });

  it('exits 2 for an unknown projection (listing the names), no name nor --all, or impossible read model options', async () => {
    const path = await seededStore();
    const unknown = await cli(['projections', 'rebuild', 'invoices', '--store', path]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`The projections are: ${NAMES.join(', ')}`);
    expect((await cli(['projections', 'rebuild', '--store', path])).code).toBe(2);
    expect((await cli(['projections', 'rebuild', 'orders', '--all', '--store', path])).code).toBe(2);
    expect((await cli(['projections', 'rebuild', 'orders', '--store', path, '--read-model-schema', 'x'])).code).toBe(2);
    const prefix = await cli(['projections', 'status', '--store', path, '--read-model-prefix', 'Bad-Prefix']);
    expect(prefix.code).toBe(2);
    expect(prefix.stderr).toContain('Read model options');
  });
});
