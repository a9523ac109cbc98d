import type { ItemEvent, ItemRecord, ItemState } from '../../domain/item/index.js';
import {
  column,
  defineWarehouseTable,
  LINEAGE_COLUMNS,
  lineageOf,
  nullableColumn,
  type StreamChange,
  sameCells,
  type WarehouseTableRow,
} from './star-schema-table.js';

/**
 * `item_dim`: the item dimension as a slowly changing dimension of type 2, append-only, like
 * {@link customerDimTable}: each change of an exported attribute is a new row; unit conversions are not
 * exported and write no row.
 */
export const itemDimTable = defineWarehouseTable({
  name: 'item_dim',
  kind: 'dimension',
  description: 'Items (SCD type 2, append-only): one row per version that changed an exported attribute.',
  grain: 'one row per item change of an exported attribute',
  columns: [
    ...LINEAGE_COLUMNS,
    column('item_code', 'text', 'The item code: the natural key.'),
    column('version', 'integer', "The item's stream version the row reflects; the highest one is current."),
    column('name', 'text', 'Item name.'),
    column('item_group', 'text', 'Item group.'),
    nullableColumn('brand', 'text', 'Brand.'),
    column('stock_unit', 'text', 'The unit stock is counted in.'),
    column('is_stock_item', 'boolean', 'Whether stock is kept for the item.'),
    nullableColumn('standard_rate', 'decimal', 'Rate per stock unit when no price list applies.'),
    nullableColumn('standard_rate_currency', 'text', 'ISO 4217 code of `standard_rate`.'),
    nullableColumn('max_discount', 'decimal', 'Largest discount any sale may give, in percent.'),
    column('is_disabled', 'boolean', 'Whether the item is disabled.'),
  ],
});

/** A row of {@link itemDimTable}. */
export type ItemDimRow = WarehouseTableRow<typeof itemDimTable>;

function dimensionCells(item: ItemRecord) {
  return {
    name: item.name,
    item_group: item.itemGroup,
    brand: item.brand,
    stock_unit: item.stockUnit,
    is_stock_item: item.isStockItem,
    standard_rate: item.standardRate?.amount ?? null,
    standard_rate_currency: item.standardRate?.currency ?? null,
    max_discount: item.maxDiscount,
    is_disabled: item.disabled,
  };
}

/**
 * The `item_dim` rows of one item event: one new version when the event changed an exported attribute (always
 * on registration), none otherwise. Pure.
 */
export function itemDimRows(change: StreamChange<ItemEvent, ItemState>): readonly ItemDimRow[] {
  const { event, before, after } = change;
  if (!after.exists) return [];
  const cells = dimensionCells(after.item);
  if (before.exists && sameCells(dimensionCells(before.item), cells)) return [];
  const lineage = lineageOf(itemDimTable.name, event, 0);
  return [
    {
      table: itemDimTable.name,
      key: lineage.row_key,
      values: { ...lineage, item_code: after.item.itemCode, version: event.streamVersion, ...cells },
    },
  ];
}
