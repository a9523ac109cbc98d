// `npm run demo`: an order-like stream in the in-memory store, two clerks editing it at once, the conflict
// and the command handler's retry shown step by step.
import { ConcurrencyError, createCommandHandler, createMemoryEventStore, type Decider, DomainRuleError } from 'ordo';

type Command = { type: 'AddLine'; sku: string; qty: number } | { type: 'Submit' };
type Event =
  | { type: 'LineAdded'; data: { sku: string; qty: number } }
  | { type: 'Submitted'; data: { lines: number } };
type State = { lines: { sku: string; qty: number }[]; submitted: boolean };

const Order: Decider<Command, Event, State> = {
  initialState: { lines: [], submitted: false },
  decide(command, state) {
    if (state.submitted) throw new DomainRuleError('ORDER_NOT_DRAFT', 'The order is submitted already');
    if (command.type === 'AddLine') return [{ type: 'LineAdded', data: { sku: command.sku, qty: command.qty } }];
    if (state.lines.length === 0) throw new DomainRuleError('ORDER_HAS_NO_LINES', 'Add a line first');
    return [{ type: 'Submitted', data: { lines: state.lines.length } }];
  },
  evolve: (state, event) =>
    event.type === 'LineAdded' ? { ...state, lines: [...state.lines, event.data] } : { ...state, submitted: true },
};

const store = createMemoryEventStore();
const orders = createCommandHandler({ store, decider: Order, retry: { maxAttempts: 5 } });

console.log('1. Alice creates order SO-1 with a line');
await orders.handle('SO-1', { type: 'AddLine', sku: 'PEN-BLUE', qty: 10 }, { metadata: { actor: 'alice' } });

console.log('2. Bob and Carol both read version 1 and append with expectedVersion 1: one must lose');
const attempts = await Promise.allSettled([
  store.appendToStream('SO-1', [{ type: 'LineAdded', data: { sku: 'INK', qty: 2 } }], { expectedVersion: 1 }),
  store.appendToStream('SO-1', [{ type: 'LineAdded', data: { sku: 'PAD', qty: 5 } }], { expectedVersion: 1 }),
]);
for (const attempt of attempts) {
  if (attempt.status === 'fulfilled') console.log(`   won: now at version ${attempt.value.nextExpectedVersion}`);
  else if (attempt.reason instanceof ConcurrencyError) {
    const { expected, actual } = attempt.reason;
    console.log(`   lost: ${attempt.reason.code} (expected ${expected}, actual ${actual}); nothing written`);
  }
}

console.log('3. Through the command handler the loser reloads and retries by itself');
const results = await Promise.all([
  orders.handle('SO-1', { type: 'AddLine', sku: 'STAPLER', qty: 1 }, { metadata: { actor: 'bob' } }),
  orders.handle('SO-1', { type: 'AddLine', sku: 'TAPE', qty: 3 }, { metadata: { actor: 'carol' } }),
]);
for (const result of results) {
  console.log(`   ${result.events[0]?.metadata.actor} landed at version ${result.nextExpectedVersion} after ${result.attempts} attempt(s)`);
}

console.log('4. Submit, then try to edit the submitted order');
await orders.handle('SO-1', { type: 'Submit' });
try {
  await orders.handle('SO-1', { type: 'AddLine', sku: 'LATE', qty: 1 });
} catch (error) {
  if (error instanceof DomainRuleError) console.log(`   refused: ${error.rule}: ${error.message}`);
}

console.log('5. The audit trail, read back from the store:');
for await (const event of store.readStream('SO-1')) {
  console.log(`   v${event.streamVersion} #${event.globalPosition} ${event.type} ${JSON.stringify(event.data)} by ${event.metadata.actor ?? '-'}`);
}
