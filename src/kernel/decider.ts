import type { EventLike } from './event.js';

/**
 * What a decider gets besides the command and the state: the current time and a source of new ids, both
 * injected so `decide` stays pure and deterministic under test.
 */
export interface DecideContext {
  /** The time the command is handled at. */
  readonly now: Date;
  /** A new unique id (UUID v7 by default). */
  newId(): string;
}

/**
 * An aggregate as three pure functions: `decide` turns a command and the current state into events (or
 * throws a `DomainRuleError`), `evolve` folds one event into the state, `initialState` is where folding
 * starts.
 *
 * @typeParam Command - the commands it accepts
 * @typeParam Event - the `{ type, data }` events it emits and folds
 * @typeParam State - the folded state
 * @typeParam Context - what `decide` needs besides command and state; {@link DecideContext} by default
 */
export interface Decider<Command, Event extends EventLike, State, Context = DecideContext> {
  /** The state before any event, where folding starts. */
  readonly initialState: State;
  /** Decides the events a command produces in `state` (none when it changes nothing); throws to refuse it. */
  decide(command: Command, state: State, context: Context): readonly Event[];
  /** Folds one event into the state and returns the next state (pure). */
  evolve(state: State, event: Event): State;
}

/** Folds events into a state with a decider's `evolve`, starting from `state` (the initial state by default). */
export function fold<Event extends EventLike, State>(
  decider: Pick<Decider<never, Event, State, never>, 'evolve' | 'initialState'>,
  events: Iterable<Event>,
  state: State = decider.initialState,
): State {
  let current = state;
  for (const event of events) current = decider.evolve(current, event);
  return current;
}

/** The command type of a decider. */
export type CommandOf<D> = D extends Decider<infer C, EventLike, unknown, unknown> ? C : never;
/** The event type of a decider. */
export type EventOfDecider<D> = D extends Decider<never, infer E, unknown, unknown> ? E : never;
/** The state type of a decider. */
export type StateOf<D> = D extends Decider<never, EventLike, infer S, unknown> ? S : never;
