import type { DecideContext, Decider } from '../kernel/decider.js';
import { fold } from '../kernel/decider.js';
import { DomainRuleError, OrdoError } from '../kernel/errors.js';
import type { EventLike } from '../kernel/event.js';
import { createDeterministicIds } from '../kernel/ids.js';

/** What a failed expectation throws: a plain `Error` with the expected and actual values in the message. */
export class DeciderSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeciderSpecError';
  }
}

/** The last step of a given/when/then: what must have happened. */
export interface DeciderThen<Event, State> {
  /** Asserts the command produced exactly these events (deep equality, in order). */
  thenEmits(expected: readonly Event[]): void;
  /** Asserts the command produced no events. */
  thenNothingHappens(): void;
  /**
   * Asserts the command was refused. With a string, the error must be a `DomainRuleError` with that rule code
   * or an `OrdoError` with that code; with a function, it must return true for the error.
   */
  thenRejects(expected?: string | ((error: unknown) => boolean)): void;
  /** Asserts on the state after folding the given events and the produced ones. */
  thenState(assertion: (state: State, events: readonly Event[]) => void): void;
  /** The produced events, for assertions of your own. Throws what `decide` threw. */
  events(): readonly Event[];
}

/** The middle step of a given/when/then. */
export interface DeciderWhen<Command, Event, State> {
  /** Runs `decide` with this command on the state folded from the given events. */
  when(command: Command): DeciderThen<Event, State>;
}

/** A given/when/then specification of a decider. */
export interface DeciderSpecification<Command, Event, State> {
  /** Starts from the state folded from these events (none: the initial state). */
  given(events?: readonly Event[]): DeciderWhen<Command, Event, State>;
  /**
   * Starts from the state reached by deciding these commands in turn (each one's events folded before the next),
   * so a test states its history in the words of the domain. The given commands and the `when` share one context,
   * so generated ids never repeat. A given command that is refused fails the test with that error.
   */
  givenCommands(commands: readonly Command[]): DeciderWhen<Command, Event, State>;
}

/** Options of {@link deciderSpec}. */
export interface DeciderSpecOptions<Context> {
  /** Builds the context for each `when`. @defaultValue a context at 2026-01-01T00:00:00Z with deterministic ids */
  readonly context?: () => Context;
}

function defaultContext(): DecideContext {
  const ids = createDeterministicIds();
  return { now: new Date('2026-01-01T00:00:00.000Z'), newId: () => ids.next() };
}

function show(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const jsonA = typeof (a as { toJSON?: unknown }).toJSON === 'function' ? JSON.parse(JSON.stringify(a)) : a;
  const jsonB = typeof (b as { toJSON?: unknown }).toJSON === 'function' ? JSON.parse(JSON.stringify(b)) : b;
  if (jsonA !== a || jsonB !== b) return deepEqual(jsonA, jsonB);
  const keysA = Object.keys(a).filter((key) => (a as Record<string, unknown>)[key] !== undefined);
  const keysB = Object.keys(b).filter((key) => (b as Record<string, unknown>)[key] !== undefined);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/**
 * Given/when/then for deciders, independent of any test runner (failures throw).
 *
 * @example
 * ```ts
 * const spec = deciderSpec(SalesOrder.decider);
 * spec.given([created]).when(submit).thenRejects('ORDER_HAS_NO_LINES');
 * ```
 */
export function deciderSpec<Command, Event extends EventLike, State, Context = DecideContext>(
  decider: Decider<Command, Event, State, Context>,
  options: DeciderSpecOptions<Context> = {},
): DeciderSpecification<Command, Event, State> {
  const makeContext = options.context ?? (defaultContext as unknown as () => Context);
  const whenOn = (state: State, context: () => Context): DeciderWhen<Command, Event, State> => ({
    when(command) {
      let outcome: { ok: true; events: readonly Event[] } | { ok: false; error: unknown } | undefined;
      const run = () => {
        if (!outcome) {
          try {
            outcome = { ok: true, events: decider.decide(command, state, context()) };
          } catch (error) {
            outcome = { ok: false, error };
          }
        }
        return outcome;
      };
      const produced = (): readonly Event[] => {
        const result = run();
        if (!result.ok) throw result.error;
        return result.events;
      };
      return {
        thenEmits(expected) {
          const actual = produced();
          if (!deepEqual(actual, expected)) {
            throw new DeciderSpecError(`Expected events:\n${show(expected)}\nbut got:\n${show(actual)}`);
          }
        },
        thenNothingHappens() {
          const actual = produced();
          if (actual.length > 0) throw new DeciderSpecError(`Expected no events but got:\n${show(actual)}`);
        },
        thenRejects(expected) {
          const result = run();
          if (result.ok) {
            throw new DeciderSpecError(`Expected the command to be rejected, but it produced:\n${show(result.events)}`);
          }
          const { error } = result;
          if (expected === undefined) return;
          if (typeof expected === 'function') {
            if (!expected(error)) throw new DeciderSpecError(`The rejection did not match: ${String(error)}`);
            return;
          }
          const matches =
            (error instanceof DomainRuleError && error.rule === expected) ||
            (OrdoError.is(error) && error.code === expected);
          if (!matches) {
            const got =
              error instanceof DomainRuleError ? error.rule : OrdoError.is(error) ? error.code : String(error);
            throw new DeciderSpecError(`Expected rejection "${expected}" but got "${got}"`);
          }
        },
        thenState(assertion) {
          const actual = produced();
          assertion(fold(decider, actual, state), actual);
        },
        events: produced,
      };
    },
  });
  return {
    given(givenEvents = []) {
      return whenOn(fold(decider, givenEvents), makeContext);
    },
    givenCommands(commands) {
      const context = makeContext();
      let state = decider.initialState;
      for (const command of commands) state = fold(decider, decider.decide(command, state, context), state);
      return whenOn(state, () => context);
    },
  };
}
