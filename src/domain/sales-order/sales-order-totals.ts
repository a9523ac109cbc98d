import { Money } from '../money/index.js';
import { roundGrandTotal, roundMoney } from './sales-order-rounding.js';
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

interface TaxResult {
  readonly rows: SalesOrderTaxTotals[];
  readonly totalTaxes: Money;
  readonly actualTaxes: Money;
}

/**
 * Splits `amount` over `weights` in proportion, each share rounded, the last taking the residue so the shares sum to
 * `target` exactly. `divisor` is what the weights are measured against (their sum, or a larger base); a zero divisor
 * gives every share to the last weight, as ERPNext does for a fixed tax on a zero net total.
 */
function spread(
  amount: Money,
  target: Money,
  weights: readonly Money[],
  divisor: Money,
  round: (value: Money) => Money,
  zero: Money,
): Money[] {
  const shares: Money[] = [];
  let allocated = zero;
  weights.forEach((weight, index) => {
    if (index === weights.length - 1) {
      shares.push(target.subtract(allocated));
      return;
    }
    const share = divisor.isZero() ? zero : round(amount.multiply(weight.amount).divide(divisor.amount));
    allocated = allocated.add(share);
    shares.push(share);
  });
  return shares;
}

function computeTaxes(
  taxes: readonly SalesOrderTax[],
  lineIds: readonly string[],
  nets: readonly Money[],
  netTotal: Money,
  round: (value: Money) => Money,
  zero: Money,
): TaxResult {
  const currency = netTotal.currency;
  const rows: SalesOrderTaxTotals[] = [];
  let running = netTotal;
  let totalTaxes = zero;
  let actualTaxes = zero;
  for (const tax of taxes) {
    let amount: Money;
    let shares: Money[];
    if (tax.kind === 'on_net_total') {
      // Σ (rate × net_i) equals rate × net total exactly, so rounding the product is rounding ERPNext's row sum.
      amount = round(netTotal.percentage(tax.rate));
      shares = lastTakesResidue(
        nets.map((net) => round(net.percentage(tax.rate))),
        amount,
      );
    } else {
      // ERPNext spreads an actual amount over the items; with no item there is nothing to carry it.
      amount = nets.length === 0 ? zero : round(Money.of(tax.amount, currency));
      shares = spread(amount, amount, nets, netTotal, round, zero);
      actualTaxes = actualTaxes.add(amount);
    }
    running = running.add(amount);
    totalTaxes = totalTaxes.add(amount);
    rows.push({
      taxId: tax.taxId,
      amount: amount.amount,
      total: running.amount,
      lineAmounts: shares.map((share, index) => ({ lineId: lineIds[index] ?? '', amount: share.amount })),
    });
  }
  return { rows, totalTaxes, actualTaxes };
}

function lastTakesResidue(shares: readonly Money[], target: Money): Money[] {
  if (shares.length === 0) return [];
  const head = shares.slice(0, -1);
  return [...head, target.subtract(Money.sum(head, target.currency))];
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
 * 6. Optionally `roundedTotal`, by the currency's smallest fraction (see {@link roundGrandTotal}).
 *
 * A discount whose base is zero is not applied (ERPNext has nothing to divide by).
 */
export function computeSalesOrderTotals(input: SalesOrderTotalsInput): SalesOrderTotals {
  const { currency, pricing } = input;
  const round = (value: Money) => roundMoney(value, pricing.roundingMethod);
  const zero = Money.zero(currency);
  const lineIds = input.lines.map((line) => line.lineId);
  const amounts = input.lines.map((line) => round(Money.of(line.rate, currency).multiply(line.qty)));
  const total = Money.sum(amounts, currency);

  let discountAmount = zero;
  let shares = amounts.map(() => zero);
  let undiscountedGrandTotal = zero;
  const { discount } = input;
  if (discount !== null && amounts.length > 0) {
    // The taxes on the undiscounted amounts are only needed to size and spread a discount.
    const undiscounted = computeTaxes(input.taxes, lineIds, amounts, total, round, zero);
    undiscountedGrandTotal = total.add(undiscounted.totalTaxes);
    const onNetTotal = discount.applyOn === 'net_total';
    const requested =
      discount.kind === 'percentage'
        ? round((onNetTotal ? total : undiscountedGrandTotal).percentage(discount.percentage))
        : round(Money.of(discount.amount, currency));
    const base = onNetTotal ? total : undiscountedGrandTotal.subtract(undiscounted.actualTaxes);
    if (!base.isZero() && !requested.isZero()) {
      discountAmount = requested;
      const netDiscount = onNetTotal ? requested : round(requested.multiply(total.amount).divide(base.amount));
      shares = spread(requested, netDiscount, amounts, base, round, zero);
    }
  }

  const nets = amounts.map((amount, index) => amount.subtract(shares[index] ?? zero));
  const netTotal = Money.sum(nets, currency);
  const taxes = computeTaxes(input.taxes, lineIds, nets, netTotal, round, zero);
  let grandTotal = netTotal.add(taxes.totalTaxes);
  let discountRoundingDifference = zero;
  if (discount?.applyOn === 'grand_total' && !discountAmount.isZero()) {
    const target = undiscountedGrandTotal.subtract(discountAmount);
    discountRoundingDifference = target.subtract(grandTotal);
    grandTotal = target;
  }

  const roundedTotal = pricing.roundedTotal
    ? roundGrandTotal(grandTotal, pricing.roundingMethod, pricing.smallestFraction)
    : null;

  return {
    lines: input.lines.map((line, index) => {
      const amount = amounts[index] ?? zero;
      const net = nets[index] ?? zero;
      return {
        lineId: line.lineId,
        amount: amount.amount,
        discountAmount: amount.subtract(net).amount,
        netAmount: net.amount,
      };
    }),
    total: total.amount,
    discountAmount: discountAmount.amount,
    netTotal: netTotal.amount,
    taxes: taxes.rows,
    totalTaxes: taxes.totalTaxes.amount,
    discountRoundingDifference: discountRoundingDifference.amount,
    grandTotal: grandTotal.amount,
    roundingAdjustment: roundedTotal === null ? null : roundedTotal.subtract(grandTotal).amount,
    roundedTotal: roundedTotal === null ? null : roundedTotal.amount,
  };
}
