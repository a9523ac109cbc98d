import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_LOCK_FILE, EXPORT_MANIFEST_FILE } from '../../src/export/index.js';
import { openSqliteEventStore } from '../../src/stores/sqlite/index.js';
import { cli, createTempDir, seedErp } from './cli-test-support.js';

const temp = createTempDir();
const path = join(temp.path, 'erp.sqlite');
let head = 0;
let outputs = 0;
const newOut = () => join(temp.path, `out-${++outputs}`);

beforeAll(async () => {
  const store = await openSqliteEventStore({ path });
  try {
    await seedErp(store, 3);
    head = await store.headPosition();
  } finally {
    await store.close();
  }
});
afterAll(() => temp.remove());

function manifestPosition(out: string): number {
  return (JSON.parse(readFileSync(join(out, EXPORT_MANIFEST_FILE), 'utf8')) as { position: number }).position;
}

describe('ordo export', () => {
  it('exports every event to JSONL files and prints the summary as JSON with --json', async () => {
    const out = newOut();
    const run = await cli(['export', '--store', path, '--out', out, '--json']);
    expect(run.code).toBe(0);
    expect(run.lines).toHaveLength(1);
    const summary = run.lines[0] as { rows: Record<string, number>; totalRows: number };
    expect(run.lines[0]).toMatchObject({
      status: 'completed',
      fromPosition: 0,
      toPosition: head,
      format: 'jsonl',
      out,
    });
    expect(summary.rows.sales_order_fact).toBeGreaterThan(0);
    expect(summary.rows.customer_dim).toBe(1);
    expect(manifestPosition(out)).toBe(head);
    const customers = readFileSync(join(out, 'customer_dim.jsonl'), 'utf8').trim().split('\n');
    expect(customers).toHaveLength(1);
    expect(JSON.parse(customers[0] ?? '{}')).toMatchObject({ customer_id: 'C-1' });
  });

  it('continues from the directory on a second run: only new events, nothing twice', async () => {
    const out = newOut();
    expect(
      (await cli(['export', '--store', path, '--out', out, '--to-position', '5', '--json'])).lines[0],
    ).toMatchObject({
      fromPosition: 0,
      toPosition: 5,
    });
    const rest = await cli(['export', '--store', path, '--out', out, '--json']);
    expect(rest.lines[0]).toMatchObject({ fromPosition: 5, toPosition: head });
    const again = await cli(['export', '--store', path, '--out', out]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`${out} (jsonl) is up to date at position ${head}\n`);
  });

  it('writes CSV with --format csv and keeps a directory in the format it was started with', async () => {
    const out = newOut();
    const run = await cli(['export', '--store', path, '--out', out, '--format', 'csv', '--batch-size', '2']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Exported positions 1-\d+ to .* \(csv\): \d+ events, \d+ rows in \d+ batches\n/);
    expect(run.stdout).toMatch(/sales_order_fact\s+\d+/);
    expect(readFileSync(join(out, 'customer_dim.csv'), 'utf8').split('\n')[0]).toContain('customer_id');
    const resumed = await cli(['export', '--store', path, '--out', out, '--json']);
    expect(resumed.lines[0]).toMatchObject({ format: 'csv', fromPosition: head, toPosition: head });
    const mismatch = await cli(['export', '--store', path, '--out', out, '--format', 'jsonl']);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain('holds a csv export');
  });

  it('draws no progress bar when stderr is not a terminal', async () => {
    const run = await cli(['export', '--store', path, '--out', newOut(), '--batch-size', '1'], { isTTY: false });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('draws a progress bar on a terminal, and none with --json or --no-progress', async () => {
    const shown = await cli(['export', '--store', path, '--out', newOut(), '--batch-size', '1'], { isTTY: true });
    expect(shown.code).toBe(0);
    expect(shown.stderr).toMatch(/export \[[=-]+\] 100% \| \d+\/\d+ positions/);
    expect(shown.stdout).not.toContain('positions |');

    const json = await cli(['export', '--store', path, '--out', newOut(), '--json'], { isTTY: true });
    expect(json.stderr).toBe('');
    const quiet = await cli(['export', '--store', path, '--out', newOut(), '--no-progress'], { isTTY: true });
    expect(quiet.stderr).toBe('');
  });

  it('stops cleanly on Ctrl-C with exit 130, and the next run completes the export', async () => {
    const out = newOut();
    const interrupted = await cli(['export', '--store', path, '--out', out, '--json'], {
      onTrap: (interrupt) => interrupt(),
    });
    expect(interrupted.code).toBe(130);
    expect(interrupted.lines[0]).toMatchObject({ status: 'aborted', toPosition: 0 });
    const resumed = await cli(['export', '--store', path, '--out', out, '--json']);
    expect(resumed.code).toBe(0);
    expect(resumed.lines[0]).toMatchObject({ status: 'completed', fromPosition: 0, toPosition: head });
  });

  it('exits 4 when another export holds the directory', async () => {
    const out = newOut();
    mkdirSync(out, { recursive: true });
    // The lock names a live process (this one), as a running export would.
    writeFileSync(join(out, EXPORT_LOCK_FILE), `${process.pid}:other-export`);
    const run = await cli(['export', '--store', path, '--out', out, '--json']);
    expect(run.code).toBe(4);
    expect(run.errorLines[0]).toMatchObject({ error: { code: 'EXPORT_LOCKED' } });
    expect(existsSync(join(out, EXPORT_MANIFEST_FILE))).toBe(false);
  });

  it('exits 2 without --out, or with a bad --format, --batch-size or --to-position', async () => {
    expect((await cli(['export', '--store', path])).stderr).toContain('--out <dir> is required');
    for (const bad of [
      ['--format', 'parquet'],
      ['--batch-size', '0'],
      ['--to-position', 'head'],
    ]) {
      const run = await cli(['export', '--store', path, '--out', newOut(), ...bad]);
      expect(run.code).toBe(2);
    }
  });
});
