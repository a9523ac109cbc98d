/*
 * The arithmetic behind `computeSalesOrderTotals`, split so that `evolve` can hand in line amounts it already
 * knows instead of recomputing every `rate × qty` on every event. Internal: not re-exported by the barrel.
 */
import { Money } from '../money/index.js';
import { roundGrandTotal, roundMoney, type SalesOrderRoundingMethod } from './sales-order-rounding.js';
import type {
  SalesOrderLineTotals,
  SalesOrderTaxTotals,
  SalesOrderTotals,
  SalesOrderTotalsInput,
} from './sales-order-totals.js';
import type { SalesOrderTax } from './sales-order-values.js';

/** @internal An order's totals without the per-line figures, which {@link lineTotalsAt} gives one line at a time. */
export interface SalesOrderFigures {
  readonly totals: Omit<SalesOrderTotals, 'lines'>;
  /** The sum of the line amounts (`totals.total`). */
  readonly total: Money;
  /** Each line's amount, as given. */
  readonly amounts: readonly Money[];
  /** Each line's net amount; `amounts` itself when no order-level discount was spread over the lines. */
  readonly nets: readonly Money[];
  /** Zero in the order's currency. */
  readonly zero: Money;
}

interface TaxResult {
  readonly rows: SalesOrderTaxTotals[];
  readonly totalTaxes: Money;
  readonly actualTaxes: Money;
}

/** @internal A line's amount (ERPNext's `amount`): `rate × qty`, rounded to the currency with the order's method. */
export function lineAmountOf(
  line: { readonly qty: string; readonly rate: string },
  currency: string,
  method: SalesOrderRoundingMethod,
): Money {
  return roundMoney(Money.of(line.rate, currency).multiply(line.qty), method);
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
    const share = divisor.isZero() ? zero : round(amount.multiplyDivide(weight.amount, divisor.amount));
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
  if (taxes.length === 0) return { rows: [], totalTaxes: zero, actualTaxes: zero };
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
 * @internal
 * The totals of `input` (see `computeSalesOrderTotals` for the rules), given each line's amount as
 * {@link lineAmountOf} computes it, in the order of `input.lines`, and optionally their sum when it is known.
 */
export function computeSalesOrderFigures(
  input: SalesOrderTotalsInput,
  amounts: readonly Money[],
  knownTotal?: Money,
): SalesOrderFigures {
  const { currency, pricing } = input;
  const round = (value: Money) => roundMoney(value, pricing.roundingMethod);
  const zero = Money.zero(currency);
  const total = knownTotal ?? Money.sum(amounts, currency);
  const lineIds = input.taxes.length === 0 ? [] : input.lines.map((line) => line.lineId);

  let discountAmount = zero;
  let shares: readonly Money[] | null = null;
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
      const netDiscount = onNetTotal ? requested : round(requested.multiplyDivide(total.amount, base.amount));
      shares = spread(requested, netDiscount, amounts, base, round, zero);
    }
  }

  // Without a discount spread, every net amount is its line amount (amount - 0) and the net total is the total.
  const nets = shares === null ? amounts : amounts.map((amount, index) => amount.subtract(shares[index] ?? zero));
  const netTotal = shares === null ? total : Money.sum(nets, currency);
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
    totals: {
      total: total.amount,
      discountAmount: discountAmount.amount,
      netTotal: netTotal.amount,
      taxes: taxes.rows,
      totalTaxes: taxes.totalTaxes.amount,
      discountRoundingDifference: discountRoundingDifference.amount,
      grandTotal: grandTotal.amount,
      roundingAdjustment: roundedTotal === null ? null : roundedTotal.subtract(grandTotal).amount,
      roundedTotal: roundedTotal === null ? null : roundedTotal.amount,
    },
    total,
    amounts,
    nets,
    zero,
  };
}

/** @internal The figures of the line at `index` (amount, its share of the discount, net amount). */
export function lineTotalsAt(figures: SalesOrderFigures, index: number, lineId: string): SalesOrderLineTotals {
  const { amounts, nets, zero } = figures;
  const amount = amounts[index] ?? zero;
  if (nets === amounts) return { lineId, amount: amount.amount, discountAmount: zero.amount, netAmount: amount.amount };
  const net = nets[index] ?? zero;
  return { lineId, amount: amount.amount, discountAmount: amount.subtract(net).amount, netAmount: net.amount };
}
