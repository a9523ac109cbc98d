import { Quantity } from '../../domain/money/index.js';
import type { StockEvent, StockState } from '../../domain/stock/index.js';
import {
  column,
  defineWarehouseTable,
  LINEAGE_COLUMNS,
  lineageOf,
  nullableColumn,
  type StreamChange,
  type WarehouseTableRow,
} from './star-schema-table.js';

/**
 * `inventory_movement_fact`: every change of stock or of reservations per item and warehouse, with the
 * quantities after it.
 *
 * @remarks
 * One row per stock event. `actual_qty_change` and `reserved_qty_change` are signed deltas (summing them over
 * an item and warehouse gives its stock); the `*_after` columns are the running balances, so the row with the
 * highest `version` of an item and warehouse is its stock level as of the export.
 */
export const inventoryMovementFactTable = defineWarehouseTable({
  name: 'inventory_movement_fact',
  kind: 'fact',
  description: 'Stock movements and reservation changes per item and warehouse, with the balances after each.',
  grain: 'one row per stock event',
  columns: [
    ...LINEAGE_COLUMNS,
    column('item_code', 'text', 'The item (joins `item_dim.item_code`).'),
    column('warehouse', 'text', 'The warehouse.'),
    column('version', 'integer', 'The stream version of the item-and-warehouse stock the row reflects.'),
    column(
      'movement_type',
      'text',
      '`received`, `issued`, `delivered`, `reserved`, `reservation_adjusted`, `reservation_released` or `reservation_restored`.',
    ),
    column('actual_qty_change', 'decimal', 'Change of the physical quantity, in stock units (negative when out).'),
    column('reserved_qty_change', 'decimal', 'Change of the reserved quantity, in stock units.'),
    column('actual_qty_after', 'decimal', 'Physical quantity after the movement.'),
    column('reserved_qty_after', 'decimal', 'Reserved quantity after the movement.'),
    column('projected_qty_after', 'decimal', '`actual_qty_after - reserved_qty_after`.'),
    nullableColumn('order_id', 'text', 'The sales order of a delivery or reservation.'),
    nullableColumn('line_id', 'text', 'The order line of a delivery or reservation.'),
    nullableColumn('reference', 'text', 'The document behind a receipt, issue or delivery.'),
    nullableColumn('reservation_kind', 'text', 'On a new reservation: `soft` or `hard`.'),
    nullableColumn('reason', 'text', 'On a release or restore: why (`cancelled`, `closed`, `on_hold`, ...).'),
  ],
});

/** A row of {@link inventoryMovementFactTable}. */
export type InventoryMovementFactRow = WarehouseTableRow<typeof inventoryMovementFactTable>;

const MOVEMENT_TYPES = {
  StockReceived: 'received',
  StockIssued: 'issued',
  StockDelivered: 'delivered',
  StockReserved: 'reserved',
  StockReservationAdjusted: 'reservation_adjusted',
  StockReservationReleased: 'reservation_released',
  StockReservationRestored: 'reservation_restored',
} as const satisfies Record<StockEvent['type'], string>;

/**
 * The `inventory_movement_fact` row of one stock event. The changes are taken from the stock state before and
 * after the event, so they are what the stock aggregate actually booked (a release of an unknown reservation
 * books nothing and shows zero). Pure.
 */
export function inventoryMovementFactRows(
  change: StreamChange<StockEvent, StockState>,
): readonly InventoryMovementFactRow[] {
  const { event, before, after } = change;
  const { data } = event;
  const line = 'orderId' in data ? data : null;
  const lineage = lineageOf(inventoryMovementFactTable.name, event, 0);
  return [
    {
      table: inventoryMovementFactTable.name,
      key: lineage.row_key,
      values: {
        ...lineage,
        item_code: data.itemCode,
        warehouse: data.warehouse,
        version: event.streamVersion,
        movement_type: MOVEMENT_TYPES[event.type],
        actual_qty_change: Quantity.of(after.actualQty).subtract(before.actualQty).value,
        reserved_qty_change: Quantity.of(after.reservedQty).subtract(before.reservedQty).value,
        actual_qty_after: after.actualQty,
        reserved_qty_after: after.reservedQty,
        projected_qty_after: Quantity.of(after.actualQty).subtract(after.reservedQty).value,
        order_id: line ? line.orderId : null,
        line_id: line ? line.lineId : null,
        reference: 'reference' in data ? data.reference : null,
        reservation_kind: event.type === 'StockReserved' ? event.data.kind : null,
        reason:
          event.type === 'StockReservationReleased' || event.type === 'StockReservationRestored'
            ? event.data.reason
            : null,
      },
    },
  ];
}
