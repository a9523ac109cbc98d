import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/kernel/event.js';
import { openSqliteEventStore } from '../../src/stores/sqlite/index.js';
import { cli, createTempDir, SEEDED, seedErp } from './cli-test-support.js';

const temp = createTempDir();
const path = join(temp.path, 'erp.sqlite');
const orderEvents: StoredEvent[] = [];

beforeAll(async () => {
  const store = await openSqliteEventStore({ path });
  try {
    await seedErp(store);
    for await (const event of store.readStream(SEEDED.orderStream)) orderEvents.push(event);
  } finally {
    await store.close();
  }
});
afterAll(() => temp.remove());

describe('ordo stream show', () => {
  it('prints the events as a table in version order', async () => {
    const run = await cli(['stream', 'show', SEEDED.orderStream, '--store', path]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`Stream ${SEEDED.orderStream} (version ${orderEvents.length})`);
    expect(lines[1]).toMatch(/^VERSION\s+POSITION\s+RECORDED AT\s+TYPE\s+DATA$/);
    expect(lines.slice(2).map((line) => line.split(/\s+/)[3])).toEqual(orderEvents.map((event) => event.type));
    expect(lines[2]).toContain(JSON.stringify(orderEvents[0]?.data));
  });

  it('prints one stored event per line with --json, exactly as the store returns them', async () => {
    const run = await cli(['stream', 'show', SEEDED.orderStream, '--store', path, '--json']);
    expect(run.code).toBe(0);
    expect(run.lines).toEqual(JSON.parse(JSON.stringify(orderEvents)));
    expect(run.stderr).toBe('');
  });

  it('reads backwards, from a version, and at most --limit events', async () => {
    const last = orderEvents.length;
    const backwards = await cli([
      'stream',
      'show',
      SEEDED.orderStream,
      '--store',
      path,
      '--backwards',
      '--limit',
      '2',
      '--json',
    ]);
    expect(backwards.lines.map((event) => event.streamVersion)).toEqual([last, last - 1]);
    const from = await cli(['stream', 'show', SEEDED.orderStream, '--store', path, '--from', '2', '--json']);
    expect(from.lines.map((event) => event.streamVersion)).toEqual(
      orderEvents.slice(1).map((event) => event.streamVersion),
    );
    const past = await cli(['stream', 'show', SEEDED.orderStream, '--store', path, '--from', String(last + 5)]);
    expect(past.code).toBe(0);
    expect(past.stdout).toContain('(no events in that range)');
  });

  it('exits 1 with STREAM_NOT_FOUND for a stream that does not exist', async () => {
    const run = await cli(['stream', 'show', 'sales-order-NOPE', '--store', path, '--json']);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([]);
    expect(run.errorLines[0]).toMatchObject({
      error: { code: 'STREAM_NOT_FOUND', details: { streamId: 'sales-order-NOPE' } },
    });
  });

  it('exits 2 for a missing id, a second id, a bad --limit or a missing subcommand', async () => {
    expect((await cli(['stream', 'show', '--store', path])).code).toBe(2);
    expect((await cli(['stream', 'show', 'a', 'b', '--store', path])).code).toBe(2);
    expect((await cli(['stream', 'show', 'a', '--store', path, '--limit', '0'])).code).toBe(2);
    expect((await cli(['stream', 'show', 'a', '--store', path, '--from', '-1'])).code).toBe(2);
    expect((await cli(['stream', '--store', path])).code).toBe(2);
  });
});
