import { createCommandHandler, createMemoryEventStore, type Decider, DomainRuleError } from 'ordo';

type Command = { type: 'AddLine'; sku: string; qty: number } | { type: 'Submit' };
type Event = { type: 'LineAdded'; data: { sku: string; qty: number } } | { type: 'Submitted'; data: { lines: number } };
type State = { lines: number; submitted: boolean };

const Order: Decider<Command, Event, State> = {
  initialState: { lines: 0, submitted: false },
  decide(command, state) {
    if (state.submitted) throw new DomainRuleError('ORDER_NOT_DRAFT', 'The order is submitted');
    if (command.type === 'AddLine') return [{ type: 'LineAdded', data: { sku: command.sku, qty: command.qty } }];
    if (state.lines === 0) throw new DomainRuleError('ORDER_HAS_NO_LINES', 'Add a line first');
    return [{ type: 'Submitted', data: { lines: state.lines } }];
  },
  evolve: (state, event) =>
    event.type === 'LineAdded' ? { ...state, lines: state.lines + 1 } : { ...state, submitted: true },
};

const store = createMemoryEventStore();
await store.appendToStream('order-1', [{ type: 'LineAdded', data: { sku: 'PEN', qty: 2 } }], {
  expectedVersion: 'no_stream',
});
for await (const event of store.readStream('order-1')) console.log(event.streamVersion, event.type, event.data);

// The command handler loads state, decides, appends with the expected version, and retries on conflict.
const orders = createCommandHandler({ store, decider: Order });
const [a, b] = await Promise.all([
  orders.handle('order-1', { type: 'AddLine', sku: 'INK', qty: 1 }),
  orders.handle('order-1', { type: 'AddLine', sku: 'PAD', qty: 5 }),
]);
console.log('attempts:', a.attempts, b.attempts, '→ version', Math.max(a.nextExpectedVersion, b.nextExpectedVersion));
const submitted = await orders.handle('order-1', { type: 'Submit' });
console.log('submitted with', submitted.state.lines, 'lines');
