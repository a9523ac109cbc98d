import type { MoneyJSON } from '../money/index.js';
import type { BrandId, ItemCode, ItemGroupId } from './item-ids.js';

/** How many stock units one `unit` holds: `{ unit: 'Box', factor: '12' }` means a box is 12 stock units. */
export interface UnitConversion {
  readonly unit: string;
  /** Decimal string, greater than zero. */
  readonly factor: string;
}

/** Everything known about a registered item. Plain JSON, so it can be snapshotted as is. */
export interface ItemRecord {
  readonly itemCode: ItemCode;
  readonly name: string;
  readonly itemGroup: ItemGroupId;
  readonly brand: BrandId | null;
  /** The unit stock is kept and counted in; its factor is always 1. */
  readonly stockUnit: string;
  /** Factors of the other units, one entry per unit. */
  readonly unitConversions: readonly UnitConversion[];
  /** Rate per stock unit used when no price list prices the item. */
  readonly standardRate: MoneyJSON | null;
  readonly isStockItem: boolean;
  readonly disabled: boolean;
  /** Largest discount in percent (decimal string) any sale may give; `null` for no cap. */
  readonly maxDiscount: string | null;
}

/** The Item aggregate's state: nothing before registration, then the item's record. */
export type ItemState = { readonly exists: false } | { readonly exists: true; readonly item: ItemRecord };

/** Where folding an item stream starts. */
export const initialItemState: ItemState = { exists: false };
