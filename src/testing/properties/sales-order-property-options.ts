import { isCurrencyCode } from '../../domain/money/index.js';
import {
  SalesOrder,
  type SalesOrderCommand,
  type SalesOrderContext,
  type SalesOrderEvent,
  type SalesOrderRoundingMethod,
  type SalesOrderSettings,
  type SalesOrderState,
} from '../../domain/sales-order/index.js';
import type { Decider } from '../../kernel/decider.js';
import { createDeterministicIds } from '../../kernel/ids.js';
import { fail } from './property-checks.js';

/**
 * Options shared by {@link salesOrderModelProperty} and {@link salesOrderFoldProperty}: the decider under test, and
 * the currency and settings the orders are decided with.
 *
 * Each setting given is used in every run; each one left out is drawn anew for each run, so that by default the
 * properties cover every rounding method, rounded totals (off, whole units, smallest fractions) and allowances. The
 * names are those of `SalesOrderSettings` (and of {@link SalesOrderArbOptions}): to test under exactly your own
 * settings, spread them resolved, `{ ...SalesOrder.resolveSettings(yourSettings) }`, which fills in every default.
 */
export interface SalesOrderPropertyOptions {
  /**
   * The decider under test: `SalesOrder.decider`, or your wrapper of it (one that logs, measures, upcasts or checks
   * more). The properties expect its rules, figures and events to be SalesOrder's; a wrapper that adds rules of its
   * own will be reported as refusing commands the model accepts.
   * @defaultValue `SalesOrder.decider`
   */
  readonly decider?: Decider<SalesOrderCommand, SalesOrderEvent, SalesOrderState, SalesOrderContext>;
  /**
   * The currencies an order may be in (one per run), ISO 4217 codes.
   * @defaultValue `['USD', 'JPY', 'KWD', 'CLF', 'CHF']` — minor units 2, 0, 3, 4 and 2
   */
  readonly currencies?: readonly string[];
  /**
   * `settings.roundingMethod`: how amounts are rounded to the currency.
   * @defaultValue drawn for each run among `SalesOrder.totals.roundingMethods`
   */
  readonly roundingMethod?: SalesOrderRoundingMethod;
  /**
   * `settings.roundedTotal`: whether orders carry a rounded total and its adjustment.
   * @defaultValue drawn for each run
   */
  readonly roundedTotal?: boolean;
  /**
   * `settings.smallestCurrencyFraction`: the smallest fraction the rounded total is rounded to, per currency
   * (`{ CHF: '0.05' }`); a currency without an entry rounds to whole units. For {@link salesOrderModelProperty}, a
   * fraction must be a whole number of the currency's minor units.
   * @defaultValue drawn for each run: whole units, or one of a few fractions of the run's currency (USD 0.05, 0.25
   * or 1; JPY 5 or 10; KWD 0.005 or 0.05; CLF 0.0005 or 0.01; CHF and other currencies five or ten minor units)
   */
  readonly smallestCurrencyFraction?: Readonly<Record<string, string>>;
  /**
   * `settings.overDeliveryAllowance`: the percent of a line's quantity that may be delivered beyond it, as a decimal
   * string (at most 6 decimals for {@link salesOrderModelProperty}).
   * @defaultValue drawn for each run among `'0'` and a few allowances (10 %, 12.5 %, 50 %)
   */
  readonly overDeliveryAllowance?: string;
  /**
   * `settings.overBillingAllowance`: the percent of a line's amount that may be billed beyond it, as a decimal string
   * (at most 6 decimals for {@link salesOrderModelProperty}).
   * @defaultValue drawn for each run among `'0'` and a few allowances (5 %, 33.3 %, 100 %)
   */
  readonly overBillingAllowance?: string;
}

/** The sales order decider type (internal shorthand). */
export type SalesOrderDecider = Decider<SalesOrderCommand, SalesOrderEvent, SalesOrderState, SalesOrderContext>;

/** The instant every property's context is at. */
const NOW = '2026-01-01T00:00:00.000Z';

/** A deterministic context (a fixed instant, deterministic ids) with `settings`. */
export function testContext(settings: SalesOrderSettings): SalesOrderContext {
  const ids = createDeterministicIds();
  return { now: new Date(NOW), newId: () => ids.next(), settings };
}

/**
 * The decider and currencies of `options` (or their defaults), once the options are checked: at least one currency,
 * each one Ordo accepts, and the settings given valid (`SalesOrder.resolveSettings` throws a `ValidationError`).
 */
export function checkedPropertyOptions(
  options: SalesOrderPropertyOptions,
  defaultCurrencies: readonly string[],
  who: string,
): { readonly decider: SalesOrderDecider; readonly currencies: readonly string[] } {
  const currencies = options.currencies ?? defaultCurrencies;
  if (currencies.length === 0) fail(`${who}: currencies must name at least one currency`);
  for (const currency of currencies) {
    if (!isCurrencyCode(currency)) fail(`${who}: currencies: '${currency}' is not an ISO 4217 code Ordo accepts`);
  }
  const { roundingMethod, roundedTotal, smallestCurrencyFraction, overDeliveryAllowance, overBillingAllowance } =
    options;
  SalesOrder.resolveSettings({
    ...(roundingMethod === undefined ? {} : { roundingMethod }),
    ...(roundedTotal === undefined ? {} : { roundedTotal }),
    ...(smallestCurrencyFraction === undefined ? {} : { smallestCurrencyFraction }),
    ...(overDeliveryAllowance === undefined ? {} : { overDeliveryAllowance }),
    ...(overBillingAllowance === undefined ? {} : { overBillingAllowance }),
  });
  return { decider: options.decider ?? SalesOrder.decider, currencies };
}
