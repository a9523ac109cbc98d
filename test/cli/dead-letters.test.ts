import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../src/kernel/clock.js';
import { createEventBus } from '../../src/kernel/event-bus.js';
import type { DeadLetter } from '../../src/kernel/event-bus-dead-letters.js';
import { openSqliteEventStore } from '../../src/stores/sqlite/index.js';
import { cli, createTempDir, SEEDED, seedErp } from './cli-test-support.js';

const temp = createTempDir();
afterAll(() => temp.remove());
let files = 0;

/**
 * A store with dead letters on two buses: `reactions` (its mailer failed on the customer) and `billing` (its
 * ledger failed on each submitted order).
 */
async function storeWithDeadLetters(): Promise<{ path: string; letters: DeadLetter[] }> {
  const path = join(temp.path, `erp-${++files}.sqlite`);
  const store = await openSqliteEventStore({ path });
  try {
    await seedErp(store, 2);
    const letters: DeadLetter[] = [];
    for (const [name, handler, type] of [
      ['reactions', 'mailer', 'CustomerRegistered'],
      ['billing', 'ledger', 'SalesOrderSubmitted'],
    ] as const) {
      const bus = createEventBus({
        store,
        name,
        retry: { maxAttempts: 1 },
        clock: createFixedClock('2026-03-03T10:00:00.000Z'),
      }).on(
        handler,
        type,
        () => {
          throw new Error(`${handler} is down`);
        },
        { from: 'start' },
      );
      await bus.start();
      await bus.whenCaughtUp();
      await bus.stop();
      letters.push(...(await bus.deadLetters()));
    }
    return { path, letters };
  } finally {
    await store.close();
  }
}

/** Writes a handlers module into the temp directory and returns its path. */
function handlersModule(name: string, source: string): string {
  const file = join(temp.path, name);
  writeFileSync(file, source);
  return file;
}

const SUCCEEDING = handlersModule(
  'fixed-handlers.mjs',
  `export function registerHandlers(bus, { busName }) {
     globalThis.ordoCliReplayed ??= [];
     const record = (event) => void globalThis.ordoCliReplayed.push(busName + ':' + event.type);
     if (busName === 'reactions') bus.on('mailer', 'CustomerRegistered', record);
     if (busName === 'billing') bus.on('ledger', 'SalesOrderSubmitted', record);
   }`,
);
const FAILING = handlersModule(
  'still-broken.cjs',
  `module.exports = {
     registerHandlers(bus) {
       const fail = () => { throw new Error('still down'); };
       bus.on('mailer', 'CustomerRegistered', fail).on('ledger', 'SalesOrderSubmitted', fail);
     },
   };`,
);

function replayed(): string[] {
  return (globalThis as { ordoCliReplayed?: string[] }).ordoCliReplayed ?? [];
}

describe('ordo dead-letters list', () => {
  it('lists the open dead letters of every bus, as a table and as JSON lines', async () => {
    const { path, letters } = await storeWithDeadLetters();
    expect(letters).toHaveLength(3);
    const json = await cli(['dead-letters', 'list', '--store', path, '--json']);
    expect(json.code).toBe(0);
    // Buses in name order, each oldest first.
    const billing = letters.filter((letter) => letter.bus === 'billing');
    const reactions = letters.filter((letter) => letter.bus === 'reactions');
    expect(json.lines).toEqual([...billing, ...reactions]);

    const human = await cli(['dead-letters', 'list', '--store', path]);
    const rows = human.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^ID\s+BUS\s+HANDLER\s+EVENT\s+ATTEMPTS\s+FAILED AT\s+ERROR$/);
    expect(rows).toHaveLength(4);
    expect(rows[3]).toContain('reactions');
    expect(rows[3]).toContain(`CustomerRegistered ${SEEDED.customerStream}@1 (#1)`);
    expect(rows[3]).toMatch(/2026-03-03T10:00:00.000Z\s+mailer is down$/);
  });

  it('lists one bus with --bus and one handler with --handler', async () => {
    const { path } = await storeWithDeadLetters();
    const bus = await cli(['dead-letters', 'list', '--store', path, '--bus', 'reactions', '--json']);
    expect(bus.lines.map((line) => line.handler)).toEqual(['mailer']);
    const handler = await cli(['dead-letters', 'list', '--store', path, '--handler', 'ledger', '--json']);
    expect(handler.lines).toHaveLength(2);
    const none = await cli(['dead-letters', 'list', '--store', path, '--bus', 'nobody']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('No open dead letters\n');
  });
});

describe('ordo dead-letters replay', () => {
  it("runs the application's handler from --handlers again and resolves the dead letter", async () => {
    const { path, letters } = await storeWithDeadLetters();
    const letter = letters.find((candidate) => candidate.bus === 'reactions');
    const before = replayed().length;
    const run = await cli([
      'dead-letters',
      'replay',
      letter?.id ?? '',
      '--store',
      path,
      '--handlers',
      SUCCEEDING,
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect(run.lines).toEqual([{ bus: 'reactions', id: letter?.id, handler: 'mailer', outcome: 'resolved' }]);
    expect(replayed().slice(before)).toEqual(['reactions:CustomerRegistered']);
    const left = await cli(['dead-letters', 'list', '--store', path, '--json']);
    expect(left.lines.map((line) => line.bus)).toEqual(['billing', 'billing']);
  });

  it('replays every dead letter with --all, bus by bus, relative --handlers path included', async () => {
    const { path } = await storeWithDeadLetters();
    const run = await cli(['dead-letters', 'replay', '--all', '--store', path, '--handlers', 'fixed-handlers.mjs'], {
      cwd: temp.path,
    });
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^\S+ \(billing\/ledger\): resolved$/),
      expect.stringMatching(/^\S+ \(billing\/ledger\): resolved$/),
      expect.stringMatching(/^\S+ \(reactions\/mailer\): resolved$/),
    ]);
    expect((await cli(['dead-letters', 'list', '--store', path])).stdout).toBe('No open dead letters\n');
  });

  it('exits 1 and keeps the dead letters open when the handler fails again (CommonJS module)', async () => {
    const { path } = await storeWithDeadLetters();
    const run = await cli([
      'dead-letters',
      'replay',
      '--all',
      '--bus',
      'billing',
      '--store',
      path,
      '--handlers',
      FAILING,
      '--json',
    ]);
    expect(run.code).toBe(1);
    expect(run.lines).toHaveLength(2);
    for (const line of run.lines) {
      expect(line).toMatchObject({ bus: 'billing', outcome: 'failed', error: { message: 'still down' } });
    }
    expect((await cli(['dead-letters', 'list', '--store', path, '--json'])).lines).toHaveLength(3);
  });

  it('exits 2 without --handlers, with a module that registers nothing, or without an id or --all', async () => {
    const { path, letters } = await storeWithDeadLetters();
    const id = letters[0]?.id ?? '';
    const missing = await cli(['dead-letters', 'replay', id, '--store', path]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--handlers <module>');
    const empty = handlersModule('empty.mjs', 'export const nothing = 1;');
    expect((await cli(['dead-letters', 'replay', id, '--store', path, '--handlers', empty])).code).toBe(2);
    expect((await cli(['dead-letters', 'replay', id, '--store', path, '--handlers', 'nowhere.mjs'])).code).toBe(2);
    expect((await cli(['dead-letters', 'replay', '--store', path, '--handlers', SUCCEEDING])).code).toBe(2);
  });

  it('exits 1 for a dead letter that is not open', async () => {
    const { path } = await storeWithDeadLetters();
    const run = await cli([
      'dead-letters',
      'replay',
      'no-such-id',
      '--store',
      path,
      '--handlers',
      SUCCEEDING,
      '--json',
    ]);
    expect(run.code).toBe(1);
    expect(run.errorLines[0]).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});

describe('ordo dead-letters discard', () => {
  it('closes a dead letter without running its handler', async () => {
    const { path, letters } = await storeWithDeadLetters();
    const letter = letters.find((candidate) => candidate.bus === 'reactions');
    const run = await cli(['dead-letters', 'discard', letter?.id ?? '', '--store', path, '--reason', 'customer left']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${letter?.id} (reactions): discarded\n`);
    const left = await cli(['dead-letters', 'list', '--store', path, '--json']);
    expect(left.lines.map((line) => line.id)).not.toContain(letter?.id);
    expect((await cli(['dead-letters', 'discard', letter?.id ?? '', '--store', path])).code).toBe(1);
  });
});
