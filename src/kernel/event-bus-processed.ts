import type { StoredEvent } from './event.js';
import type { EventStore } from './event-store.js';
import { assertName } from './store-support.js';
import type { CheckpointTransaction } from './transactional-store.js';

/** Options of {@link createProcessedEvents}. */
export interface ProcessedEventsOptions {
  /**
   * What makes two deliveries "the same": by default the event id; a business key (an entity id, say) makes a
   * handler act once per key across different events. Keys are stored as checkpoint ids, so keep them short.
   * @defaultValue `event.eventId`
   */
  readonly key?: (event: StoredEvent) => string;
}

/**
 * A durable record of the events a handler has finished with, to make an at-least-once handler idempotent:
 * a redelivered event (after a crash between the handler and its checkpoint, or a dead-letter replay of an
 * event that had in fact gone through) is recognised and skipped.
 */
export interface ProcessedEvents {
  /** True when `event` was marked. Pass `tx` to read inside a transaction. */
  has(event: StoredEvent, tx?: CheckpointTransaction): Promise<boolean>;
  /**
   * Marks `event` as processed. Pass the transaction that carries the handler's own writes, and the mark
   * commits with them: that handler then takes effect exactly once.
   */
  mark(event: StoredEvent, tx?: CheckpointTransaction): Promise<void>;
  /**
   * Wraps a handler: skips events already marked, marks an event once the handler has returned. A handler
   * that fails is not marked, so it is retried. An effect outside the store (an e-mail) can still happen twice
   * if the process dies between the effect and the mark; that window is as small as it gets.
   */
  once<Args extends unknown[]>(
    handler: (event: StoredEvent, ...args: Args) => void | Promise<void>,
  ): (event: StoredEvent, ...args: Args) => Promise<void>;
}

/**
 * Creates a processed-event record named `name`, kept in the store's checkpoints (`processed:<name>:<key>`),
 * so it works on every adapter and survives restarts.
 *
 * @example
 * ```ts
 * const processed = createProcessedEvents(store, 'welcome-mail');
 * bus.on('welcome-mail', 'MemberJoined', processed.once(async (event) => mailer.send(event.data)));
 * ```
 */
export function createProcessedEvents(
  store: EventStore,
  name: string,
  options: ProcessedEventsOptions = {},
): ProcessedEvents {
  assertName(name, 'name', 'processed-events name');
  const keyOf = options.key ?? ((event: StoredEvent) => event.eventId);
  const idOf = (event: StoredEvent): string => `processed:${name}:${keyOf(event)}`;

  const has = async (event: StoredEvent, tx?: CheckpointTransaction): Promise<boolean> =>
    (await (tx ?? store).getCheckpoint(idOf(event))) !== undefined;
  const mark = async (event: StoredEvent, tx?: CheckpointTransaction): Promise<void> =>
    (tx ?? store).saveCheckpoint(idOf(event), event.globalPosition);

  return {
    has,
    mark,
    once(handler) {
      return async (event, ...args) => {
        if (await has(event)) return;
        await handler(event, ...args);
        await mark(event);
      };
    },
  };
}
