import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/kernel/event.js';
import { defineProjection } from '../../src/kernel/projection.js';
import { withInlineProjections } from '../../src/kernel/projection-inline.js';
import { createProjectionRunner } from '../../src/kernel/projection-runner.js';
import { createSqliteEventStore, type SqliteTransaction } from '../../src/stores/sqlite/index.js';
import { type TempDatabases, tempDatabases } from './sqlite-test-support.js';

let temp: TempDatabases;
beforeEach(() => {
  temp = tempDatabases();
});
afterEach(() => temp.dispose());

type Deposited = StoredEvent<'Deposited', { amount: number }>;

/** A SQL read model: one row per account with its balance. */
const balances = (name: string) =>
  defineProjection<SqliteTransaction>({
    name,
    init: (tx) => tx.database.exec(`CREATE TABLE IF NOT EXISTS ${name} (account TEXT PRIMARY KEY, balance INTEGER)`),
    reset: (tx) => tx.database.exec(`DELETE FROM ${name}`),
    handlers: {
      Deposited: (tx, event: Deposited) => {
        if (event.data.amount < 0) throw new Error('negative deposit');
        tx.database
          .prepare(
            `INSERT INTO ${name} (account, balance) VALUES (?, ?) ON CONFLICT (account) DO UPDATE SET balance = balance + excluded.balance`,
          )
          .run(event.streamId, event.data.amount);
      },
    },
  });

const deposit = (amount: number) => [{ type: 'Deposited', data: { amount } }];

describe('SQLite store: projections', () => {
  it('keeps an inline SQL read model in the append transaction: a failing handler rolls back events and rows', async () => {
    const database = temp.connect();
    const store = withInlineProjections(createSqliteEventStore({ database }), [balances('inline_balances')]);
    await store.appendToStream('acct-1', deposit(10), { expectedVersion: 'no_stream' });
    await store.appendToStream('acct-1', deposit(5), { expectedVersion: 1 });
    await expect(store.appendToStream('acct-1', deposit(-1), { expectedVersion: 2 })).rejects.toThrow('negative');
    expect(database.prepare('SELECT account, balance FROM inline_balances').all()).toEqual([
      { account: 'acct-1', balance: 15 },
    ]);
    expect(await store.streamVersion('acct-1')).toBe(2);
    expect(await store.getCheckpoint('projection:inline_balances')).toBe(2);
    await store.close();
  });

  it('lets a projection runner on another connection catch up in checkpointed transactions', async () => {
    const writer = createSqliteEventStore({ database: temp.connect() });
    for (let index = 0; index < 25; index++) {
      await writer.appendToStream(`acct-${index % 3}`, deposit(index), { expectedVersion: 'any' });
    }
    const database = temp.connect();
    const reader = createSqliteEventStore({ database });
    const runner = createProjectionRunner({ store: reader, projections: [balances('async_balances')], batchSize: 4 });
    await runner.catchUp();
    expect(database.prepare('SELECT account, balance FROM async_balances ORDER BY account').all()).toEqual([
      { account: 'acct-0', balance: 0 + 3 + 6 + 9 + 12 + 15 + 18 + 21 + 24 },
      { account: 'acct-1', balance: 1 + 4 + 7 + 10 + 13 + 16 + 19 + 22 },
      { account: 'acct-2', balance: 2 + 5 + 8 + 11 + 14 + 17 + 20 + 23 },
    ]);
    expect(await reader.getCheckpoint('projection:async_balances')).toBe(25);
    await writer.close();
    await reader.close();
  });
});
