import { Money, Quantity } from '../../domain/money/index.js';
import {
  computeSalesOrderTotals,
  type ExistingSalesOrder,
  type SalesOrderTotals,
  type SalesOrderTotalsInput,
} from '../../domain/sales-order/index.js';

/*
 * The invariants every sales order state keeps, checked by `salesOrderModelProperty` after every accepted command
 * (internal to `ordo/testing`). They check the aggregate's own figures against each other (its totals computation is
 * used to recompute the totals a state stores), so they complement the independent model rather than replace it.
 *
 * The checkers return the list of broken invariants (empty when all hold) instead of asserting one by one: property
 * tests run them after every event, and one check that the list is empty keeps that cheap and the failure readable.
 */

function sum(amounts: readonly string[], currency: string): string {
  return Money.sum(
    amounts.map((amount) => Money.of(amount, currency)),
    currency,
  ).amount;
}

/** JSON with sorted keys, to compare values whatever order their keys were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : 1)))
      : item,
  );
}

/** The totals input an order's state holds. */
export function totalsInputOf(order: ExistingSalesOrder): SalesOrderTotalsInput {
  return {
    currency: order.currency,
    lines: order.lines,
    discount: order.discount,
    taxes: order.taxes,
    pricing: order.pricing,
  };
}

/**
 * Every identity the totals of `input` must satisfy, whatever the input; with `stored`, also that the totals kept in
 * a state are the ones its input gives.
 */
export function totalsProblems(input: SalesOrderTotalsInput, stored?: SalesOrderTotals): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const { currency } = input;
  const totals = computeSalesOrderTotals(input);
  if (stored) check(canonical(stored) === canonical(totals), 'stored totals are the computed ones');
  const money = (amount: string) => Money.of(amount, currency);
  const sumOf = (amounts: readonly string[]) => sum(amounts, currency);

  check(sumOf(totals.lines.map((line) => line.amount)) === totals.total, 'total = Σ line amounts');
  // The discount distribution loses nothing: the lines sum exactly to the net total.
  check(sumOf(totals.lines.map((line) => line.netAmount)) === totals.netTotal, 'net total = Σ line net amounts');
  for (const line of totals.lines) {
    check(
      money(line.amount).subtract(money(line.discountAmount)).amount === line.netAmount,
      `${line.lineId}: net = amount - discount`,
    );
  }
  check(sumOf(totals.taxes.map((tax) => tax.amount)) === totals.totalTaxes, 'total taxes = Σ tax rows');
  let running = money(totals.netTotal);
  for (const tax of totals.taxes) {
    running = running.add(money(tax.amount));
    check(tax.total === running.amount, `${tax.taxId}: cumulative total`);
    if (totals.lines.length > 0)
      check(sumOf(tax.lineAmounts.map((line) => line.amount)) === tax.amount, `${tax.taxId}: lines sum to the row`);
  }
  check(
    money(totals.netTotal).add(money(totals.totalTaxes)).add(money(totals.discountRoundingDifference)).amount ===
      totals.grandTotal,
    'grand total = net total + taxes + discount rounding difference',
  );
  // The discount comes off exactly: from the net total, or from the grand total it was computed on.
  const discount = money(totals.discountAmount);
  if (input.discount?.applyOn === 'grand_total' && !discount.isZero()) {
    const undiscounted = computeSalesOrderTotals({ ...input, discount: null });
    check(
      money(undiscounted.grandTotal).subtract(discount).amount === totals.grandTotal,
      'grand total = undiscounted - discount',
    );
  } else {
    check(money(totals.total).subtract(discount).amount === totals.netTotal, 'net total = total - discount');
    check(money(totals.discountRoundingDifference).isZero(), 'no discount rounding difference');
  }
  if (totals.roundedTotal !== null && totals.roundingAdjustment !== null) {
    check(
      money(totals.grandTotal).add(money(totals.roundingAdjustment)).amount === totals.roundedTotal,
      'rounded = grand + adjustment',
    );
  }
  for (const [name, figure] of Object.entries({
    total: totals.total,
    netTotal: totals.netTotal,
    grandTotal: totals.grandTotal,
    totalTaxes: totals.totalTaxes,
    discountAmount: totals.discountAmount,
  })) {
    check(money(figure).round('half-even').amount === figure, `${name} is rounded to the currency`);
  }
  return problems;
}

/** The status, delivery status, billing status and unbilled amount agree with the percentages (ERPNext's mapping). */
export function statusProblems(order: ExistingSalesOrder): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const delivered = Quantity.of(order.perDelivered);
  const billed = Quantity.of(order.perBilled);
  check(delivered.greaterThanOrEqual(0) && delivered.lessThanOrEqual(100), 'perDelivered in [0, 100]');
  check(billed.greaterThanOrEqual(0) && billed.lessThanOrEqual(100), 'perBilled in [0, 100]');
  const fullyDelivered = delivered.equals(100);
  const fullyBilled = billed.equals(100);
  check(
    order.deliveryStatus ===
      (fullyDelivered ? 'fully_delivered' : delivered.isZero() ? 'not_delivered' : 'partly_delivered'),
    'delivery status',
  );
  check(
    order.billingStatus === (fullyBilled ? 'fully_billed' : billed.isZero() ? 'not_billed' : 'partly_billed'),
    'billing status',
  );
  const expected = order.onHold
    ? 'on_hold'
    : order.closed
      ? 'closed'
      : order.docStatus === 'cancelled'
        ? 'cancelled'
        : order.docStatus === 'draft'
          ? 'draft'
          : fullyDelivered && fullyBilled
            ? 'completed'
            : fullyBilled
              ? 'to_deliver'
              : fullyDelivered
                ? 'to_bill'
                : 'to_deliver_and_bill';
  check(order.status === expected, `status ${order.status}, expected ${expected}`);
  const unbilled =
    order.docStatus === 'submitted' && !order.closed
      ? Money.of(order.totals.grandTotal, order.currency).multiply(Quantity.of(100).subtract(billed)).divide(100)
      : Money.zero(order.currency);
  // Rounded with the order's method: any method lands within half a smallest unit.
  const unit = Money.of(1, order.currency).divide(10 ** unbilled.minorUnit);
  check(
    Money.of(order.unbilledAmount, order.currency).subtract(unbilled).abs().lessThanOrEqual(unit.divide(2)),
    'unbilled amount',
  );
  return problems;
}
