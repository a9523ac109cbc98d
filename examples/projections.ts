// Projections, runnable: `npx tsx examples/projections.ts`.
// An inline read model that is current the moment an append returns, an async one built from the log with a
// checkpoint, a version bump that rebuilds it with progress, and a subscription that follows the log live.
import {
  createMemoryEventStore,
  createProjectionRunner,
  defineProjection,
  defineStateProjection,
  type MemoryTransaction,
  type StoredEvent,
  subscribe,
  withInlineProjections,
} from 'ordo';

type Deposited = StoredEvent<'Deposited', { amount: number }>;
type Withdrawn = StoredEvent<'Withdrawn', { amount: number }>;

// 1. Inline: a state projection applied inside each append. A projection that throws rolls the append back.
const balances = defineStateProjection({
  name: 'balances',
  initialState: {} as Readonly<Record<string, number>>,
  handlers: {
    Deposited: (state, event: Deposited) => ({
      ...state,
      [event.streamId]: (state[event.streamId] ?? 0) + event.data.amount,
    }),
    Withdrawn: (state, event: Withdrawn) => {
      const balance = (state[event.streamId] ?? 0) - event.data.amount;
      if (balance < 0) throw new Error(`${event.streamId} would be overdrawn`);
      return { ...state, [event.streamId]: balance };
    },
  },
});

const store = withInlineProjections(createMemoryEventStore(), [balances]);
await store.appendToStream('account-1', [{ type: 'Deposited', data: { amount: 100 } }], { expectedVersion: 'any' });
await store.appendToStream('account-2', [{ type: 'Deposited', data: { amount: 30 } }], { expectedVersion: 'any' });
console.log('inline balances:', balances.state);
try {
  await store.appendToStream('account-2', [{ type: 'Withdrawn', data: { amount: 50 } }], { expectedVersion: 'any' });
} catch (error) {
  console.log(
    'append refused:',
    (error as Error).message,
    '→ stream version still',
    await store.streamVersion('account-2'),
  );
}

// 2. Async: a read model written in transactions, checkpointed with each batch. Here a Map stands in for a
// table; `tx.onRollback` undoes a batch that fails, as a database would.
const deposits = new Map<string, number>();
const depositCount = (version: number, weight: number) =>
  defineProjection<MemoryTransaction>({
    name: 'deposit-count',
    version,
    reset: (tx) => {
      const saved = new Map(deposits);
      deposits.clear();
      tx.onRollback(() => {
        for (const [key, value] of saved) deposits.set(key, value);
      });
    },
    handlers: {
      Deposited: (tx, event) => {
        const before = deposits.get(event.streamId) ?? 0;
        deposits.set(event.streamId, before + weight);
        tx.onRollback(() => deposits.set(event.streamId, before));
      },
    },
  });

for (let i = 0; i < 20; i++) {
  await store.appendToStream(`account-${i % 3}`, [{ type: 'Deposited', data: { amount: 1 } }], {
    expectedVersion: 'any',
  });
}
const v1 = createProjectionRunner({ store, projections: [depositCount(1, 1)], batchSize: 5 });
console.log('caught up:', await v1.catchUp(), Object.fromEntries(deposits));
console.log('status:', await v1.status());

// 3. Bumping the version resets the read model and rebuilds it from position 0, reporting progress.
const v2 = createProjectionRunner({
  store,
  projections: [depositCount(2, 10)],
  batchSize: 5,
  onProgress: ({ processed, total, events, etaMs, done }) =>
    console.log(
      `  rebuild ${processed}/${total} positions, ${events} events${done ? ', done' : `, eta ${etaMs ?? '?'} ms`}`,
    ),
});
await v2.catchUp();
console.log('after the v2 rebuild:', Object.fromEntries(deposits));

// 4. Live: the runner follows the store (woken by its commit notifications), and so does a subscription.
v2.start();
const seen: string[] = [];
const subscription = subscribe(store, {
  id: 'audit-log',
  from: 'end',
  types: ['Deposited'],
  handler: (event) => {
    seen.push(`${event.streamId}+${(event.data as { amount: number }).amount}`);
  },
});
await subscription.whenCaughtUp();
await store.appendToStream('account-9', [{ type: 'Deposited', data: { amount: 5 } }], { expectedVersion: 'any' });
await Promise.all([v2.whenCaughtUp(), subscription.whenCaughtUp()]);
console.log('live:', Object.fromEntries(deposits), 'subscription saw', seen, subscription.status());
await Promise.all([v2.stop(), subscription.stop()]);
