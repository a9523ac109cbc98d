import type { StoredEvent } from './event.js';
import { defineProjection, type Projection, type ProjectionHandler } from './projection.js';

/**
 * A transaction that can undo in-memory changes when it rolls back: the in-memory store's
 * `MemoryTransaction` is one. What {@link defineStateProjection} needs to stay atomic.
 */
export interface UndoableTransaction {
  /** Registers an undo action, run if the transaction rolls back. */
  onRollback(undo: () => void): void;
}

/**
 * Folds one event into the state and returns the next state. Pure: return a new value (immer's `produce`
 * fits) instead of mutating.
 */
export type StateProjectionHandler<State> = {
  /** `(state, event) => state`; a method, so that its parameters are checked bivariantly. */
  bivarianceHack(state: State, event: StoredEvent): State;
}['bivarianceHack'];

/** What {@link defineStateProjection} takes. */
export interface StateProjectionDefinition<State> {
  /** As {@link ProjectionDefinition.name}. */
  readonly name: string;
  /** As {@link ProjectionDefinition.version}. @defaultValue `1` */
  readonly version?: number;
  /** The state before any event, and after a reset. */
  readonly initialState: State;
  /** How each event type changes the state. Other types are not read. */
  readonly handlers: {
    /** The handler for events of type `eventType`. */
    readonly [eventType: string]: StateProjectionHandler<State>;
  };
}

/** A projection whose read model is a value in process memory; read it with {@link StateProjection.state}. */
export interface StateProjection<State> extends Projection<UndoableTransaction> {
  /** The committed state: changes of a transaction that rolled back are undone. */
  readonly state: State;
}

/**
 * Defines a projection over an in-memory state, folded by pure handlers `(state, event) => state`. Each
 * transaction's changes are undone if it rolls back, so it is as atomic as a SQL read model: a failing inline
 * projection leaves the state as it was, and an async batch that fails leaves no half-applied events.
 *
 * @remarks
 * The state lives in process memory, so it needs a store whose transactions can undo (the in-memory store)
 * and whose checkpoints live no longer than the state does. With a durable store, write the read model to
 * the database with {@link defineProjection} instead.
 *
 * @example
 * ```ts
 * const balances = defineStateProjection({
 *   name: 'balances',
 *   initialState: {} as Record<string, number>,
 *   handlers: {
 *     Deposited: (state, event) => ({ ...state, [event.streamId]: (state[event.streamId] ?? 0) + 1 }),
 *   },
 * });
 * ```
 */
export function defineStateProjection<State>(definition: StateProjectionDefinition<State>): StateProjection<State> {
  let state = definition.initialState;
  /** Transactions that already registered their undo: one snapshot per transaction is enough. */
  const touched = new WeakSet<UndoableTransaction>();

  const set = (tx: UndoableTransaction, next: State): void => {
    if (!touched.has(tx)) {
      touched.add(tx);
      const before = state;
      tx.onRollback(() => {
        state = before;
      });
    }
    state = next;
  };

  const handlers: Record<string, ProjectionHandler<UndoableTransaction>> = {};
  for (const [type, fold] of Object.entries(definition.handlers ?? {})) {
    handlers[type] =
      typeof fold === 'function' ? (tx, event) => set(tx, fold(state, event)) : (fold as ProjectionHandler<never>);
  }
  const projection = defineProjection<UndoableTransaction>({
    name: definition.name,
    ...(definition.version === undefined ? {} : { version: definition.version }),
    handlers,
    reset: (tx) => set(tx, definition.initialState),
  });
  return Object.freeze(
    Object.defineProperty({ ...projection }, 'state', { get: () => state, enumerable: true }),
  ) as StateProjection<State>;
}
