import { z } from 'zod';
import { ItemCodeSchema, UnitSchema } from '../item/item-ids.js';
import {
  DecimalStringSchema,
  DiscountPercentageSchema,
  NonNegativeQuantitySchema,
  PercentageSchema,
  Quantity,
  QuantitySchema,
} from '../money/index.js';
import { SalesOrderLineIdSchema, SalesOrderTaxIdSchema } from './sales-order-ids.js';
import { SALES_ORDER_ROUNDING_METHODS } from './sales-order-rounding.js';

/**
 * Types a money-module schema's input as `string`. Those schemas are declared `z.ZodType<string>`, whose input type
 * is `unknown`; commands are written by callers, so their input types should say "a decimal string" too. Only the
 * static type changes: at run time the schema still validates whatever it is given.
 */
export function textInput(schema: z.ZodType<string>): z.ZodType<string, string> {
  return schema as z.ZodType<string, string>;
}

/** Same limit as every Frappe name. */
const MAX_NAME_LENGTH = 140;

/** A calendar date as `YYYY-MM-DD` (ISO 8601), e.g. a transaction or delivery date. Compared as text. */
export const IsoDateSchema = z.iso.date();

/** The customer an order is for (ERPNext's `customer`): the id of a Customer. */
export const CustomerRefSchema = z.string().min(1).max(MAX_NAME_LENGTH);
/** The company that sells (ERPNext's `company`). */
export const CompanyRefSchema = z.string().min(1).max(MAX_NAME_LENGTH);
/** The warehouse a line is delivered from (ERPNext's `warehouse`). */
export const WarehouseRefSchema = z.string().min(1).max(MAX_NAME_LENGTH);
/** The price list an order is priced from (ERPNext's `selling_price_list`): the id of a PriceList. */
export const PriceListRefSchema = z.string().min(1).max(MAX_NAME_LENGTH);

/**
 * One order line as events carry it: everything that was decided about the line, with its rate resolved.
 * Money is in the order's currency, as decimal strings.
 */
export const SalesOrderLineDataSchema = z.object({
  lineId: SalesOrderLineIdSchema,
  itemCode: ItemCodeSchema,
  /** Ordered quantity. A draft may hold zero or negative quantities; submit refuses them. */
  qty: QuantitySchema,
  uom: UnitSchema,
  /** The price-list rate before the line discount (equal to `rate` when no price list applies). */
  priceListRate: DecimalStringSchema,
  /** The line discount in percent of the price-list rate (0 when the rate was given directly). */
  discountPercentage: DiscountPercentageSchema,
  /** The unit price charged. May be negative, as in ERPNext. */
  rate: DecimalStringSchema,
  /** The line's own delivery date; `null` means "the order's delivery date". */
  deliveryDate: IsoDateSchema.nullable(),
  warehouse: WarehouseRefSchema,
});
/** One order line as events carry it. */
export type SalesOrderLineData = Readonly<z.output<typeof SalesOrderLineDataSchema>>;

/** What an order-level discount is taken from (ERPNext's `apply_discount_on`). */
export const DiscountApplyOnSchema = z.enum(['grand_total', 'net_total']);
/** `grand_total` (the default in ERPNext) or `net_total`. */
export type DiscountApplyOn = z.output<typeof DiscountApplyOnSchema>;

/**
 * The order-level ("additional") discount: a percentage of, or a fixed amount off, the grand total or the net
 * total (ERPNext's `additional_discount_percentage` / `discount_amount` with `apply_discount_on`).
 */
export const SalesOrderDiscountSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('percentage'), percentage: DiscountPercentageSchema, applyOn: DiscountApplyOnSchema }),
  z.object({ kind: z.literal('amount'), amount: NonNegativeQuantitySchema, applyOn: DiscountApplyOnSchema }),
]);
/** The order-level discount. */
export type SalesOrderDiscount = Readonly<z.output<typeof SalesOrderDiscountSchema>>;

/**
 * A tax or charge row: a percentage of the net total (ERPNext's "On Net Total") or a fixed amount (ERPNext's
 * "Actual") spread over the lines by net amount.
 */
export const SalesOrderTaxSchema = z.discriminatedUnion('kind', [
  z.object({
    taxId: SalesOrderTaxIdSchema,
    description: z.string().max(MAX_NAME_LENGTH),
    kind: z.literal('on_net_total'),
    rate: PercentageSchema,
  }),
  z.object({
    taxId: SalesOrderTaxIdSchema,
    description: z.string().max(MAX_NAME_LENGTH),
    kind: z.literal('actual'),
    amount: DecimalStringSchema,
  }),
]);
/** A tax or charge row of an order. */
export type SalesOrderTax = Readonly<z.output<typeof SalesOrderTaxSchema>>;

/** A decimal string greater than zero, e.g. a smallest currency fraction `"0.05"`. */
export const PositiveDecimalStringSchema = DecimalStringSchema.refine((value) => {
  // The refinement also sees strings the format check refused; those already carry their own issue.
  try {
    return Quantity.of(value).isPositive();
  } catch {
    return true;
  }
}, 'must be greater than zero');

/**
 * How an order's totals are rounded, fixed when the order is created (from the host's settings), so the totals
 * of an order never change because a setting changed later.
 */
export const SalesOrderPricingSchema = z.object({
  roundingMethod: z.enum(SALES_ORDER_ROUNDING_METHODS),
  /** Whether a rounded total (and its rounding adjustment) is computed. */
  roundedTotal: z.boolean(),
  /** The smallest fraction of the order's currency for the rounded total; `null` rounds to whole units. */
  smallestFraction: PositiveDecimalStringSchema.nullable(),
});
/** How an order's totals are rounded. */
export type SalesOrderPricing = Readonly<z.output<typeof SalesOrderPricingSchema>>;
