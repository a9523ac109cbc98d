import { DomainRuleError } from '../../kernel/errors.js';
import { type DecimalInput, Quantity } from '../money/index.js';
import type { UnitConversion } from './item-state.js';

/** What unit conversion needs to know about an item (an Item record fits). */
export interface ItemUnits {
  readonly itemCode: string;
  readonly stockUnit: string;
  readonly unitConversions: readonly UnitConversion[];
}

/**
 * How many stock units one `unit` of the item holds: 1 for the stock unit (or no unit), otherwise the
 * item's conversion factor.
 *
 * @throws DomainRuleError `UNIT_NOT_CONVERTIBLE` when the item has no factor for `unit` (ERPNext refuses a line
 *   whose UOM has no conversion factor).
 */
export function conversionFactor(item: ItemUnits, unit?: string | null): Quantity {
  if (unit === undefined || unit === null || unit === item.stockUnit) return Quantity.of(1);
  const conversion = item.unitConversions.find((entry) => entry.unit === unit);
  if (!conversion) {
    throw new DomainRuleError(
      'UNIT_NOT_CONVERTIBLE',
      `Item "${item.itemCode}" has no conversion factor from "${unit}" to its stock unit "${item.stockUnit}"`,
      { itemCode: item.itemCode, unit, stockUnit: item.stockUnit },
    );
  }
  return Quantity.of(conversion.factor);
}

/**
 * A quantity in `unit` expressed in stock units (`qty × factor`).
 *
 * @throws DomainRuleError `UNIT_NOT_CONVERTIBLE` when the item has no factor for `unit`.
 */
export function toStockQuantity(item: ItemUnits, qty: DecimalInput, unit?: string | null): Quantity {
  return Quantity.of(qty).multiply(conversionFactor(item, unit));
}
