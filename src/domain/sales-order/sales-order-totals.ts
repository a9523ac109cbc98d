import { Money } from '../money/index.js';
import { computeSalesOrderFigures, lineAmountOf, lineTotalsAt } from './sales-order-figures.js';
import type { SalesOrderDiscount, SalesOrderPricing, SalesOrderTax } from './sales-order-values.js';

/** What the totals of an order are computed from. Amounts are decimal strings in `currency`. */
export interface SalesOrderTotalsInput {
  readonly currency: string;
  readonly lines: readonly { readonly lineId: string; readonly qty: string; readonly rate: string }[];
  readonly discount: SalesOrderDiscount | null;
  readonly taxes: readonly SalesOrderTax[];
  readonly pricing: SalesOrderPricing;
}

/** The computed figures of one line. */
export interface SalesOrderLineTotals {
  readonly lineId: string;
  /** `rate × qty`, rounded to the currency (ERPNext's `amount`). */
  readonly amount: string;
  /** This line's share of the order-level discount (`amount - netAmount`). */
  readonly discountAmount: string;
  /** The amount after the order-level discount (ERPNext's `net_amount`); taxes are computed on it. */
  readonly netAmount: string;
}

/** The computed figures of one tax row. */
export interface SalesOrderTaxTotals {
  readonly taxId: string;
  /** The row's tax amount, rounded to the currency (ERPNext's `tax_amount`). */
  readonly amount: string;
  /** Net total plus this row and every row before it (ERPNext's cumulative `total`). */
  readonly total: string;
  /** The row's amount split over the lines (ERPNext's item-wise tax detail); sums exactly to `amount`. */
  readonly lineAmounts: readonly { readonly lineId: string; readonly amount: string }[];
}

/**
 * Every total of an order, as decimal strings in the order's currency.
 *
 * @remarks
 * Identities that always hold (and are property-tested):
 * - `total = Σ lines.amount`, `netTotal = Σ lines.netAmount`, `total - netTotal = Σ lines.discountAmount`;
 * - `totalTaxes = Σ taxes.amount`, each tax row's `lineAmounts` sum to its `amount`;
 * - `grandTotal = netTotal + totalTaxes + discountRoundingDifference`;
 * - `roundedTotal = grandTotal + roundingAdjustment` when the rounded total is enabled.
 */
export interface SalesOrderTotals {
  readonly lines: readonly SalesOrderLineTotals[];
  /** Sum of the line amounts, before the order-level discount (ERPNext's `total`). */
  readonly total: string;
  /** The order-level discount amount (ERPNext's `discount_amount`); `0` without a discount. */
  readonly discountAmount: string;
  /** Sum of the net amounts: the total after the order-level discount, before taxes (ERPNext's `net_total`). */
  readonly netTotal: string;
  readonly taxes: readonly SalesOrderTaxTotals[];
  /** Sum of the tax rows (ERPNext's `total_taxes_and_charges`, without the discount rounding difference). */
  readonly totalTaxes: string;
  /**
   * Only for a discount on the grand total with taxes: what makes the grand total exactly the undiscounted grand
   * total minus the discount amount, after the discount was spread over net amounts and the taxes recomputed on
   * them (ERPNext's `grand_total_diff`). `0` otherwise.
   */
  readonly discountRoundingDifference: string;
  /** What the customer pays (ERPNext's `grand_total`). */
  readonly grandTotal: string;
  /** `roundedTotal - grandTotal`, or `null` when the rounded total is disabled. */
  readonly roundingAdjustment: string | null;
  /** The grand total rounded to the currency's smallest fraction, or `null` when disabled. */
  readonly roundedTotal: string | null;
}

/**
 * Computes an order's totals the way ERPNext does (its `calculate_taxes_and_totals`), rounding with the order's
 * rounding method at the same points.
 *
 * @remarks
 * 1. Each line: `amount = round(rate × qty)`; `total = Σ amount`.
 * 2. Taxes are first computed on the undiscounted amounts, giving the undiscounted grand total `G0`.
 * 3. The order-level discount `D` is `round(base × percentage / 100)` (base: `G0` or `total`, per `applyOn`) or the
 *    given amount, rounded. It is spread over the lines in proportion to their amounts, each share rounded and the
 *    last line taking the residue, so the net amounts sum exactly to `total - D` (discount on the net total) or to
 *    `total - round(D × total / (G0 - fixed taxes))` (discount on the grand total: the share of `D` that falls on
 *    the taxable net amounts, as ERPNext divides by the grand total less the "Actual" taxes).
 * 4. Taxes are recomputed on the net amounts: a percentage row is `round(netTotal × rate / 100)`; a fixed
 *    ("Actual") row keeps its amount. Each row is split over the lines by net amount, the last line taking the
 *    residue.
 * 5. `grandTotal = netTotal + Σ taxes`; for a discount on the grand total the difference to `G0 - D` is booked as
 *    `discountRoundingDifference` so the grand total is exactly `G0 - D`.
 * 6. Optionally `roundedTotal`, by the currency's smallest fraction (see `roundGrandTotal`).
 *
 * A discount whose base is zero is not applied (ERPNext has nothing to divide by).
 */
export function computeSalesOrderTotals(input: SalesOrderTotalsInput): SalesOrderTotals {
  const { currency, pricing } = input;
  // An unknown currency is reported on its own, before any line is looked at.
  Money.zero(currency);
  const amounts = input.lines.map((line) => lineAmountOf(line, currency, pricing.roundingMethod));
  const figures = computeSalesOrderFigures(input, amounts);
  return {
    lines: input.lines.map((line, index) => lineTotalsAt(figures, index, line.lineId)),
    ...figures.totals,
  };
}
