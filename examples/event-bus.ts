// The event bus, runnable: `npx tsx examples/event-bus.ts`.
// Handlers per event type over stored events: retries with backoff, a dead letter after the last failure,
// replay once fixed, and an idempotent handler.
import { createEventBus, createMemoryEventStore, createProcessedEvents } from 'ordo';

const store = createMemoryEventStore();
const processed = createProcessedEvents(store, 'welcome-mail');
let mailServerUp = false;
const mails: string[] = [];

const bus = createEventBus({
  store,
  name: 'reactions',
  // Short pauses for the example; the defaults are 100 ms doubling up to 30 s, 5 attempts.
  retry: { maxAttempts: 3, initialDelayMs: 10, factor: 2 },
  onError: (error, handler) => console.log(`  ${handler} failed: ${(error as Error).message}`),
})
  .on(
    'welcome-mail',
    'CustomerRegistered',
    // Idempotent: a redelivered event (at-least-once) does not send a second mail.
    processed.once(async (event) => {
      if (!mailServerUp) throw new Error('mail server unreachable');
      mails.push(`welcome ${(event.data as { email: string }).email}`);
    }),
  )
  .on('count', ['CustomerRegistered'], () => {
    // Runs on its own checkpoint: the failing mail handler never holds it up.
  });

await bus.start();
await store.appendToStream('customer-1', [{ type: 'CustomerRegistered', data: { email: 'ada@example.com' } }], {
  expectedVersion: 'no_stream',
});
await bus.whenCaughtUp();
console.log(
  'status:',
  bus.status().map(({ handler, handled, deadLettered }) => ({ handler, handled, deadLettered })),
);

const letters = await bus.deadLetters();
console.log(
  'dead letters:',
  letters.map(({ handler, event, attempts, error }) => ({
    handler,
    event: event.type,
    attempts,
    error: error.message,
  })),
);

mailServerUp = true;
console.log('replay:', await bus.replayDeadLetters());
console.log('mails sent:', mails, '— open dead letters:', (await bus.deadLetters()).length);
await bus.stop();
