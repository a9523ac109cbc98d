import { z } from 'zod';
import type { DecideContext } from '../../kernel/decider.js';
import { parseOrThrow } from '../../kernel/validation.js';
import { NonNegativePercentageSchema } from '../money/index.js';
import { SALES_ORDER_ROUNDING_METHODS, type SalesOrderRoundingMethod } from './sales-order-rounding.js';
import { PositiveDecimalStringSchema } from './sales-order-values.js';

/**
 * What a host configures for its sales orders. Every field is optional; the documented default applies.
 *
 * @remarks
 * `roundingMethod`, `roundedTotal` and `smallestCurrencyFraction` are read when an order is created and recorded
 * in its `SalesOrderCreated` event (as `pricing`), so changing them later never changes the totals of an existing
 * order. The allowances are read when a delivery or billing is recorded.
 */
export interface SalesOrderSettings {
  /**
   * How amounts are rounded to the currency at each point ERPNext rounds (each line amount, each tax row, each
   * total). `half-even` is banker's rounding; `commercial` rounds ties away from zero; `erpnext-legacy` is
   * Frappe's "Banker's Rounding (legacy)": ties go up (toward +∞) when rounding to decimals and to the even
   * neighbour when rounding to whole units.
   * @defaultValue `'half-even'`
   */
  readonly roundingMethod?: SalesOrderRoundingMethod;
  /**
   * Whether orders show a rounded total and its rounding adjustment (ERPNext's "Rounded Total"; ERPNext turns it
   * off with "Disable Rounded Total").
   * @defaultValue `false`
   */
  readonly roundedTotal?: boolean;
  /**
   * The smallest fraction the rounded total is rounded to, per currency, as a decimal string: `{ CHF: '0.05' }`.
   * A currency without an entry is rounded to whole units, as ERPNext does.
   * @defaultValue `{}`
   */
  readonly smallestCurrencyFraction?: Readonly<Record<string, string>>;
  /**
   * How much more than ordered may be delivered on a line, in percent of the line quantity
   * (ERPNext's "Over Delivery/Receipt Allowance (%)").
   * @defaultValue `'0'`
   */
  readonly overDeliveryAllowance?: string;
  /**
   * How much more than the line amount may be billed, in percent of the line amount
   * (ERPNext's "Over Billing Allowance (%)").
   * @defaultValue `'0'`
   */
  readonly overBillingAllowance?: string;
}

/** The context `SalesOrder.decide` needs: time, ids and the host's {@link SalesOrderSettings}. */
export interface SalesOrderContext extends DecideContext {
  /** The host's settings; absent means every default. */
  readonly settings?: SalesOrderSettings;
}

/** Validates {@link SalesOrderSettings}; unknown keys are refused so a misspelt setting is not silently ignored. */
export const SalesOrderSettingsSchema = z.strictObject({
  roundingMethod: z.enum(SALES_ORDER_ROUNDING_METHODS).optional(),
  roundedTotal: z.boolean().optional(),
  smallestCurrencyFraction: z.record(z.string(), PositiveDecimalStringSchema).optional(),
  overDeliveryAllowance: NonNegativePercentageSchema.optional(),
  overBillingAllowance: NonNegativePercentageSchema.optional(),
});

/** {@link SalesOrderSettings} with every default filled in. */
export interface ResolvedSalesOrderSettings {
  readonly roundingMethod: SalesOrderRoundingMethod;
  readonly roundedTotal: boolean;
  readonly smallestCurrencyFraction: Readonly<Record<string, string>>;
  readonly overDeliveryAllowance: string;
  readonly overBillingAllowance: string;
}

/**
 * Validates settings and fills in the defaults.
 * @throws ValidationError with paths under `['settings']`.
 */
export function resolveSalesOrderSettings(settings: unknown): ResolvedSalesOrderSettings {
  const parsed = parseOrThrow(SalesOrderSettingsSchema, settings ?? {}, ['settings']);
  return {
    roundingMethod: parsed.roundingMethod ?? 'half-even',
    roundedTotal: parsed.roundedTotal ?? false,
    smallestCurrencyFraction: parsed.smallestCurrencyFraction ?? {},
    overDeliveryAllowance: parsed.overDeliveryAllowance ?? '0',
    overBillingAllowance: parsed.overBillingAllowance ?? '0',
  };
}
