import { DomainRuleError } from '../../kernel/errors.js';
import { type DecimalInput, Quantity } from '../money/index.js';
import type { StockCommand } from './stock-commands.js';
import { projectedQty, type StockLevel } from './stock-quantities.js';

/**
 * What to do when an order asks for more than is projected to be there:
 * - `block`: refuse (`INSUFFICIENT_STOCK` with the shortfall per line) and reserve nothing;
 * - `warn`: accept, reserve every line (soft), and report the shortfalls as warnings;
 * - `backorder`: accept, reserve every line (soft), and report the shortfalls as backordered quantities
 *   (ERPNext's behaviour: a submitted order reserves what it asks for and projected quantity goes negative).
 */
export type StockPolicy = 'block' | 'warn' | 'backorder';

/** One order line as the availability check sees it. */
export interface StockRequestLine {
  readonly lineId: string;
  readonly itemCode: string;
  readonly warehouse: string;
  /** Quantity in stock units (line qty × conversion factor). */
  readonly stockQty: DecimalInput;
  /** Non-stock items (services) are neither checked nor reserved. @defaultValue `true` */
  readonly isStockItem?: boolean | undefined;
}

/** The stock of one item in one warehouse, as the check reads it (a Stock state fits). */
export interface StockLevelEntry extends StockLevel {
  readonly itemCode: string | null;
  readonly warehouse: string | null;
}

/** What {@link checkStockAvailability} needs. */
export interface StockAvailabilityInput {
  readonly policy: StockPolicy;
  /** The order the reservations are for. */
  readonly orderId: string;
  readonly lines: readonly StockRequestLine[];
  /** Current stock per item and warehouse; a pair not listed has nothing there and nothing reserved. */
  readonly stock: readonly StockLevelEntry[];
}

/** How far one line falls short of projected stock. */
export interface StockShortfall {
  readonly lineId: string;
  readonly itemCode: string;
  readonly warehouse: string;
  /** Stock units asked for. */
  readonly requested: string;
  /** Projected quantity left for this line (after earlier lines of the same item and warehouse), never below 0. */
  readonly available: string;
  /** `requested − available`. */
  readonly shortfall: string;
}

/** The check's verdict on one line. */
export interface StockLineDecision {
  readonly lineId: string;
  readonly itemCode: string;
  readonly warehouse: string;
  readonly requested: string;
  readonly available: string;
  /** `'available'`: enough projected stock; `'short'`: not enough; `'not_stock_item'`: not checked. */
  readonly status: 'available' | 'short' | 'not_stock_item';
  /** Quantity that will be backordered under the `backorder` policy, else `"0"`. */
  readonly backordered: string;
}

/** A `ReserveStock` command ready for the item's stock stream (see `stockStreamId`). */
export type ReserveStockCommand = Extract<StockCommand, { type: 'ReserveStock' }>;

/** What {@link checkStockAvailability} decided. */
export interface StockAvailabilityDecision {
  readonly policy: StockPolicy;
  /** False only under `block` with a shortfall. */
  readonly allowed: boolean;
  readonly lines: readonly StockLineDecision[];
  /** The lines that fall short (whatever the policy). */
  readonly shortfalls: readonly StockShortfall[];
  /** Soft reservations to make, one per stock line; empty when refused. */
  readonly reservations: readonly ReserveStockCommand[];
  /** Shortfalls worded as warnings (`warn` and `backorder`). */
  readonly warnings: readonly string[];
  /** What was checked and decided, line by line. */
  readonly explanation: readonly string[];
  /** The refusal under `block` with a shortfall, ready to throw or to list; `null` otherwise. */
  readonly violation: DomainRuleError<'INSUFFICIENT_STOCK'> | null;
}

/**
 * Checks requested order lines against projected stock (actual − reserved) and says what to reserve.
 *
 * @remarks
 * Lines of the same item and warehouse draw on the same projected quantity, in order. Non-stock items are
 * skipped. The reservations are soft (ERPNext's reserved qty). Pure: it reads the stock it is given.
 */
export function checkStockAvailability(input: StockAvailabilityInput): StockAvailabilityDecision {
  const key = (itemCode: string, warehouse: string) => `${itemCode}@${warehouse}`;
  const remaining = new Map<string, Quantity>();
  for (const entry of input.stock) {
    if (entry.itemCode === null || entry.warehouse === null) continue;
    remaining.set(key(entry.itemCode, entry.warehouse), projectedQty(entry));
  }

  const lines: StockLineDecision[] = [];
  const shortfalls: StockShortfall[] = [];
  const explanation: string[] = [];
  const reservations: ReserveStockCommand[] = [];
  for (const line of input.lines) {
    const requested = Quantity.of(line.stockQty);
    const base = {
      lineId: line.lineId,
      itemCode: line.itemCode,
      warehouse: line.warehouse,
      requested: requested.value,
    };
    if (line.isStockItem === false) {
      lines.push({ ...base, available: '0', status: 'not_stock_item', backordered: '0' });
      explanation.push(`line ${line.lineId}: "${line.itemCode}" is not a stock item; not checked, not reserved`);
      continue;
    }
    const pair = key(line.itemCode, line.warehouse);
    const projected = remaining.get(pair) ?? Quantity.zero();
    const available = Quantity.max(projected, 0);
    remaining.set(pair, projected.subtract(requested));
    reservations.push({
      type: 'ReserveStock',
      itemCode: line.itemCode,
      warehouse: line.warehouse,
      orderId: input.orderId,
      lineId: line.lineId,
      qty: requested.value,
      kind: 'soft',
    });
    if (requested.lessThanOrEqual(available)) {
      lines.push({ ...base, available: available.value, status: 'available', backordered: '0' });
      explanation.push(
        `line ${line.lineId}: ${requested.value} of "${line.itemCode}" in "${line.warehouse}" requested, ${available.value} projected: available`,
      );
      continue;
    }
    const shortfall = requested.subtract(available);
    shortfalls.push({ ...base, available: available.value, shortfall: shortfall.value });
    lines.push({
      ...base,
      available: available.value,
      status: 'short',
      backordered: input.policy === 'backorder' ? shortfall.value : '0',
    });
    explanation.push(
      `line ${line.lineId}: ${requested.value} of "${line.itemCode}" in "${line.warehouse}" requested, ${available.value} projected: short by ${shortfall.value}`,
    );
  }

  const refused = input.policy === 'block' && shortfalls.length > 0;
  const warnings =
    input.policy === 'block'
      ? []
      : shortfalls.map(
          (entry) =>
            `"${entry.itemCode}" in "${entry.warehouse}" is short by ${entry.shortfall} for line ${entry.lineId}` +
            (input.policy === 'backorder' ? ' (backordered)' : ''),
        );
  if (shortfalls.length === 0) explanation.push('policy ' + input.policy + ': every line is available; reserve them');
  else if (refused) explanation.push('policy block: refused; nothing is reserved');
  else explanation.push(`policy ${input.policy}: accepted with shortfalls; every line is reserved (soft)`);

  return {
    policy: input.policy,
    allowed: !refused,
    lines,
    shortfalls,
    reservations: refused ? [] : reservations,
    warnings,
    explanation,
    violation: refused
      ? new DomainRuleError(
          'INSUFFICIENT_STOCK',
          `Insufficient stock: ${shortfalls.map((entry) => `"${entry.itemCode}" in "${entry.warehouse}" short by ${entry.shortfall}`).join(', ')}`,
          { orderId: input.orderId, shortfalls },
        )
      : null,
  };
}

/**
 * {@link checkStockAvailability}, throwing its violation.
 * @throws DomainRuleError `INSUFFICIENT_STOCK` (data: `orderId`, `shortfalls`) under `block` with a shortfall.
 */
export function assertStockAvailable(input: StockAvailabilityInput): StockAvailabilityDecision {
  const decision = checkStockAvailability(input);
  if (decision.violation) throw decision.violation;
  return decision;
}
