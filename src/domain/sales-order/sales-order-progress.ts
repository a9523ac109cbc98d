/*
 * The sums behind the delivered and billed percentages, kept apart from the percentages so that `evolve` can
 * update them line by line instead of summing every line on every delivery or billing. Internal: the barrel re-exports
 * only `PERCENT_DECIMALS` (through `sales-order-status.ts`).
 */
import { Quantity } from '../money/index.js';

/** Percentages are kept to this many decimals, rounded down so that only a complete delivery or billing shows 100. */
export const PERCENT_DECIMALS = 6;

/** @internal What one line counts for in the delivered percentage: `|qty|` and `min(|delivered|, |qty|)`. */
export interface DeliveryShare {
  readonly ordered: Quantity;
  readonly delivered: Quantity;
}

/** @internal What one line counts for in the billed percentage: `|amount|`, `min(|billed|, |amount|)`, a billing. */
export interface BillingShare {
  readonly amount: Quantity;
  readonly billed: Quantity;
  readonly recorded: boolean;
}

/** @internal The sums of the {@link DeliveryShare}s of an order's lines. */
export interface DeliveryProgress {
  readonly ordered: Quantity;
  readonly delivered: Quantity;
}

/** @internal The sums of the {@link BillingShare}s of an order's lines, with how many lines there are and billed. */
export interface BillingProgress {
  readonly amount: Quantity;
  readonly billed: Quantity;
  readonly lines: number;
  readonly recorded: number;
}

/** @internal The {@link DeliveryShare} of a line. */
export function deliveryShareOf(line: { readonly qty: string; readonly deliveredQty: string }): DeliveryShare {
  const ordered = Quantity.of(line.qty).abs();
  return { ordered, delivered: Quantity.min(Quantity.of(line.deliveredQty).abs(), ordered) };
}

/** @internal The {@link BillingShare} of a line. */
export function billingShareOf(line: {
  readonly amount: string;
  readonly billedAmount: string;
  readonly billingRecorded: boolean;
}): BillingShare {
  const amount = Quantity.of(line.amount).abs();
  return {
    amount,
    billed: Quantity.min(Quantity.of(line.billedAmount).abs(), amount),
    recorded: line.billingRecorded,
  };
}

/** @internal Sums delivery shares, one line at a time. */
export function sumDeliveryShares<L>(lines: readonly L[], shareOf: (line: L) => DeliveryShare): DeliveryProgress {
  let ordered = Quantity.zero();
  let delivered = Quantity.zero();
  for (const line of lines) {
    const share = shareOf(line);
    ordered = ordered.add(share.ordered);
    delivered = delivered.add(share.delivered);
  }
  return { ordered, delivered };
}

/** @internal Sums billing shares, one line at a time. */
export function sumBillingShares<L>(lines: readonly L[], shareOf: (line: L) => BillingShare): BillingProgress {
  let amount = Quantity.zero();
  let billed = Quantity.zero();
  let recorded = 0;
  for (const line of lines) {
    const share = shareOf(line);
    amount = amount.add(share.amount);
    billed = billed.add(share.billed);
    if (share.recorded) recorded += 1;
  }
  return { amount, billed, lines: lines.length, recorded };
}

/** @internal `progress` after one line's share changed from `before` to `after` (exact: sums of exact decimals). */
export function replaceDeliveryShare(
  progress: DeliveryProgress,
  before: DeliveryShare,
  after: DeliveryShare,
): DeliveryProgress {
  return {
    ordered:
      before.ordered === after.ordered
        ? progress.ordered
        : progress.ordered.subtract(before.ordered).add(after.ordered),
    delivered: progress.delivered.subtract(before.delivered).add(after.delivered),
  };
}

/** @internal `progress` after one line's share changed from `before` to `after` (exact: sums of exact decimals). */
export function replaceBillingShare(
  progress: BillingProgress,
  before: BillingShare,
  after: BillingShare,
): BillingProgress {
  return {
    amount:
      before.amount === after.amount ? progress.amount : progress.amount.subtract(before.amount).add(after.amount),
    billed: progress.billed.subtract(before.billed).add(after.billed),
    lines: progress.lines,
    recorded: progress.recorded + (after.recorded ? 1 : 0) - (before.recorded ? 1 : 0),
  };
}

function percentOf(done: Quantity, of: Quantity): string {
  return done.divide(of).multiply(100).round(PERCENT_DECIMALS, 'down').value;
}

/** @internal ERPNext's `per_delivered` from the sums (see `percentDelivered`). */
export function percentDeliveredOf(progress: DeliveryProgress): string {
  return progress.ordered.isZero() ? '0' : percentOf(progress.delivered, progress.ordered);
}

/** @internal ERPNext's `per_billed` from the sums (see `percentBilled`). */
export function percentBilledOf(progress: BillingProgress): string {
  if (!progress.amount.isZero()) return percentOf(progress.billed, progress.amount);
  return progress.lines > 0 && progress.recorded === progress.lines ? '100' : '0';
}
