import fc from 'fast-check';
import { Money } from '../../domain/money/index.js';
import {
  SALES_ORDER_ROUNDING_METHODS,
  SalesOrder,
  type SalesOrderCommand,
  type SalesOrderEvent,
  type SalesOrderSettings,
  type SalesOrderState,
} from '../../domain/sales-order/index.js';
import { fold } from '../../kernel/decider.js';
import { salesOrderCommandsArb } from '../arbitraries/sales-order-arbitraries.js';
import { describeError, fail, firstDifference } from './property-checks.js';
import {
  checkedPropertyOptions,
  type SalesOrderDecider,
  type SalesOrderPropertyOptions,
  testContext,
} from './sales-order-property-options.js';

/** Options of {@link salesOrderFoldProperty}. */
export interface SalesOrderFoldPropertyOptions extends SalesOrderPropertyOptions {
  /**
   * Takes a snapshot of a state, as your snapshot store would (the property passes it through JSON before loading it).
   * @defaultValue `SalesOrder.toSnapshot`
   */
  readonly toSnapshot?: (state: SalesOrderState) => unknown;
  /**
   * Loads a snapshot taken by `toSnapshot`.
   * @defaultValue `SalesOrder.fromSnapshot`
   */
  readonly fromSnapshot?: (snapshot: unknown) => SalesOrderState;
}

/** One run of {@link salesOrderFoldProperty}, as fast-check reports a counterexample. */
export interface SalesOrderFoldRun {
  /** The settings every command is decided with. */
  readonly settings: SalesOrderSettings;
  /** A valid life of one order (from {@link salesOrderCommandsArb}), decided in turn. */
  readonly commands: readonly SalesOrderCommand[];
  /** Where the snapshot is taken: after `cut % (events + 1)` of the events. */
  readonly cut: number;
}

/** The currencies a run draws from by default: minor units 2, 0, 3, 4 and 2. */
const DEFAULT_CURRENCIES = ['USD', 'JPY', 'KWD', 'CLF', 'CHF'] as const;

/** The smallest fractions a rounded total may be rounded to, per currency (none: whole units). */
const SMALLEST_FRACTIONS: Readonly<Record<string, readonly string[]>> = {
  USD: ['0.05', '0.25', '1'],
  JPY: ['5', '10'],
  KWD: ['0.005', '0.05'],
  CLF: ['0.0005', '0.01'],
  CHF: ['0.05', '0.10'],
};

/** Any other currency: five or ten of its minor units. */
function otherFractions(currency: string): readonly string[] {
  const unit = Money.of(1, currency).divide(10 ** Money.zero(currency).minorUnit);
  return [unit.multiply(5).amount, unit.multiply(10).amount];
}

/**
 * Settings in every currency of `options` (by default minor units 2, 0, 3, 4, 2), rounding method, rounded total
 * (off, whole units or a smallest fraction) and allowance — those given in `options` fixed —, with a valid life of one
 * order in that currency to be decided under them.
 */
export function salesOrderScenarioArb(
  options: SalesOrderPropertyOptions = {},
): fc.Arbitrary<{ settings: SalesOrderSettings; commands: SalesOrderCommand[] }> {
  const { currencies } = checkedPropertyOptions(options, DEFAULT_CURRENCIES, 'salesOrderFoldProperty');
  const given = <T>(value: T | undefined, drawn: fc.Arbitrary<T>) => (value === undefined ? drawn : fc.constant(value));
  return fc
    .record({
      currency: fc.constantFrom(...currencies),
      roundingMethod: given(options.roundingMethod, fc.constantFrom(...SALES_ORDER_ROUNDING_METHODS)),
      roundedTotal: given(options.roundedTotal, fc.boolean()),
      fraction: fc.nat(),
      overDeliveryAllowance: given(options.overDeliveryAllowance, fc.constantFrom('0', '0', '10', '12.5')),
      overBillingAllowance: given(options.overBillingAllowance, fc.constantFrom('0', '0', '5', '33.3')),
    })
    .chain(({ currency, fraction, ...chosen }) => {
      let smallest: string | undefined;
      if (options.smallestCurrencyFraction === undefined) {
        const fractions = SMALLEST_FRACTIONS[currency] ?? otherFractions(currency);
        // One in three orders rounds to whole units, the others to one of the currency's fractions.
        smallest = fraction % 3 === 0 ? undefined : fractions[fraction % fractions.length];
      } else smallest = options.smallestCurrencyFraction[currency];
      const settings: SalesOrderSettings = {
        ...chosen,
        ...(smallest === undefined ? {} : { smallestCurrencyFraction: { [currency]: smallest } }),
      };
      return salesOrderCommandsArb({
        currencies: [currency],
        roundingMethod: chosen.roundingMethod,
        overDeliveryAllowance: chosen.overDeliveryAllowance,
        overBillingAllowance: chosen.overBillingAllowance,
      }).map((commands) => ({ settings, commands }));
    });
}

/**
 * Decides every command in turn, folding each event into the state as soon as it is decided, and keeps the state after
 * each event. Throws an `Error` naming the command on the first refusal.
 */
export function decideHistory(
  decider: SalesOrderDecider,
  commands: readonly SalesOrderCommand[],
  settings: SalesOrderSettings,
): { events: SalesOrderEvent[]; states: SalesOrderState[]; state: SalesOrderState } {
  const context = testContext(settings);
  let state: SalesOrderState = decider.initialState;
  const events: SalesOrderEvent[] = [];
  const states: SalesOrderState[] = [state];
  for (const [index, command] of commands.entries()) {
    let decided: readonly SalesOrderEvent[];
    try {
      decided = decider.decide(command, state, context);
    } catch (error) {
      return fail(
        `command ${index + 1} of a valid history, ${command.type}, was refused: ${describeError(error)}`,
        error,
      );
    }
    for (const event of decided) {
      events.push(event);
      state = decider.evolve(state, event);
      states.push(state);
    }
  }
  return { events, states, state };
}

/**
 * A property of the sales order's event folding: for a valid life of one order (from {@link salesOrderCommandsArb},
 * decided under the settings of `options`, the ones left out drawn for each run), the state reached by folding each
 * event as soon as it is decided equals the state from folding all the events at once, and the state from folding the
 * remaining events onto a snapshot taken after any event (passed through JSON, as a snapshot store keeps it); and the
 * state itself is plain JSON (it survives a JSON round trip unchanged).
 *
 * It catches an `evolve` that mutates the state it is given or depends on anything but the state and the event, and a
 * snapshot that loses or alters what the state holds. A violation throws an `Error` whose message says which fold
 * differs and where, so `fc.assert` reports it with the shrunk counterexample, its seed and path; it needs fast-check
 * only, no test runner.
 *
 * @param options - the decider under test, the snapshot functions, the currencies and settings
 * @returns a fast-check property, for `fc.assert(property, { numRuns, seed })` or `fc.check`
 * @throws `ValidationError` when a setting given in `options` is invalid, and `Error` when `currencies` is empty
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { salesOrderFoldProperty } from 'ordo/testing';
 *
 * fc.assert(salesOrderFoldProperty({ currencies: ['EUR', 'CHF'], roundedTotal: true }), { numRuns: 60, seed: 7 });
 * ```
 */
export function salesOrderFoldProperty(options: SalesOrderFoldPropertyOptions = {}): fc.IProperty<[SalesOrderFoldRun]> {
  const { decider } = checkedPropertyOptions(options, DEFAULT_CURRENCIES, 'salesOrderFoldProperty');
  const toSnapshot = options.toSnapshot ?? SalesOrder.toSnapshot;
  const fromSnapshot = options.fromSnapshot ?? SalesOrder.fromSnapshot;
  const run: fc.Arbitrary<SalesOrderFoldRun> = fc
    .tuple(salesOrderScenarioArb(options), fc.nat())
    .map(([{ settings, commands }, cut]) => ({ settings, commands, cut }));
  return fc.property(run, ({ settings, commands, cut }) => {
    const { events, states, state } = decideHistory(decider, commands, settings);
    const at = cut % (events.length + 1);
    const atOnce = firstDifference(state, fold(decider, events));
    if (atOnce !== undefined) {
      fail(`folding all ${events.length} events at once differs from folding them one by one: ${atOnce}`);
    }
    let loaded: SalesOrderState;
    try {
      loaded = fromSnapshot(JSON.parse(JSON.stringify(toSnapshot(states[at] ?? decider.initialState))));
    } catch (error) {
      return fail(`the snapshot taken after event ${at} does not load: ${describeError(error)}`, error);
    }
    const fromSnapshotState = fold(decider, events.slice(at), loaded);
    const resumed = firstDifference(state, fromSnapshotState);
    if (resumed !== undefined) {
      fail(
        `folding the last ${events.length - at} of ${events.length} events onto a snapshot taken after event ${at} ` +
          `differs from folding them one by one: ${resumed}`,
      );
    }
    const json = firstDifference(JSON.parse(JSON.stringify(state)), state);
    if (json !== undefined) fail(`the state is not plain JSON: after a JSON round trip, ${json}`);
  });
}
