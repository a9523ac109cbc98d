import type {
  ExistingSalesOrder,
  SalesOrderEvent,
  SalesOrderLine,
  SalesOrderState,
} from '../../domain/sales-order/index.js';
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
 * `sales_order_line_fact`: the lines of submitted sales orders, written as change rows.
 *
 * @remarks
 * On submission every line gets a row. After that, an order event writes a row only for the lines it changed
 * (quantity, rate, a share of the order discount, delivered quantity, billed amount, ...), and a row with
 * `is_removed = true` for a line it removed. The row with the highest `order_version` of a line is the line
 * as of the export.
 */
export const salesOrderLineFactTable = defineWarehouseTable({
  name: 'sales_order_line_fact',
  kind: 'fact',
  description: 'Lines of submitted sales orders: quantities, rates, amounts, delivery and billing progress.',
  grain: 'one row per sales order line change from submission on',
  columns: [
    ...LINEAGE_COLUMNS,
    column('order_id', 'text', 'The sales order id (joins `sales_order_fact.order_id`).'),
    column('order_version', 'integer', "The order's stream version the row reflects."),
    column('line_id', 'text', 'The line id, unique within its order.'),
    column('customer_id', 'text', 'The customer (joins `customer_dim.customer_id`).'),
    column('currency', 'text', 'ISO 4217 code of every amount of the row.'),
    column('transaction_date', 'date', 'The order date.'),
    column('item_code', 'text', 'The item (joins `item_dim.item_code`).'),
    column('warehouse', 'text', 'The warehouse the line is delivered from.'),
    column('qty', 'decimal', 'Ordered quantity, in `uom`.'),
    column('uom', 'text', 'Unit of the quantity.'),
    column('price_list_rate', 'decimal', 'Rate before the line discount.'),
    column('discount_percentage', 'decimal', 'Line discount, percent of the price-list rate.'),
    column('rate', 'decimal', 'Unit price charged.'),
    column('amount', 'decimal', '`rate × qty`, rounded.'),
    column('discount_amount', 'decimal', "The line's share of the order-level discount."),
    column('net_amount', 'decimal', '`amount - discount_amount`.'),
    nullableColumn('delivery_date', 'date', "The line's delivery date."),
    column('delivered_qty', 'decimal', 'Quantity delivered so far.'),
    column('billed_amount', 'decimal', 'Amount billed so far.'),
    column('is_removed', 'boolean', 'True on the row that records the line being removed from the order.'),
  ],
});

/** A row of {@link salesOrderLineFactTable}. */
export type SalesOrderLineFactRow = WarehouseTableRow<typeof salesOrderLineFactTable>;

/** The business columns of a line: what decides whether a line changed. */
function lineCells(order: ExistingSalesOrder, line: SalesOrderLine) {
  return {
    order_id: order.orderId,
    line_id: line.lineId,
    customer_id: order.customerId,
    currency: order.currency,
    transaction_date: order.transactionDate,
    item_code: line.itemCode,
    warehouse: line.warehouse,
    qty: line.qty,
    uom: line.uom,
    price_list_rate: line.priceListRate,
    discount_percentage: line.discountPercentage,
    rate: line.rate,
    amount: line.amount,
    discount_amount: line.discountAmount,
    net_amount: line.netAmount,
    delivery_date: line.deliveryDate,
    delivered_qty: line.deliveredQty,
    billed_amount: line.billedAmount,
  };
}

type LineCells = ReturnType<typeof lineCells>;

/**
 * The `sales_order_line_fact` rows of one sales order event: every line on submission, then only the lines the
 * event changed or removed, in the order's line order (removed lines last). None for drafts. Pure.
 */
export function salesOrderLineFactRows(
  change: StreamChange<SalesOrderEvent, SalesOrderState>,
): readonly SalesOrderLineFactRow[] {
  const { event, before, after } = change;
  if (!after.exists || after.docStatus === 'draft') return [];
  // Before submission there were no line rows, so every line is new to the warehouse.
  const previous = new Map<string, LineCells>();
  if (before.exists && before.docStatus !== 'draft') {
    for (const line of before.lines) previous.set(line.lineId, lineCells(before, line));
  }
  const changed: { cells: LineCells; removed: boolean }[] = [];
  const present = new Set<string>();
  for (const line of after.lines) {
    present.add(line.lineId);
    const cells = lineCells(after, line);
    const old = previous.get(line.lineId);
    if (!old || !sameCells(old, cells)) changed.push({ cells, removed: false });
  }
  for (const [lineId, cells] of previous) if (!present.has(lineId)) changed.push({ cells, removed: true });

  return changed.map(({ cells, removed }, index) => {
    const lineage = lineageOf(salesOrderLineFactTable.name, event, index);
    const { order_id, line_id, ...rest } = cells;
    return {
      table: salesOrderLineFactTable.name,
      key: lineage.row_key,
      values: { ...lineage, order_id, order_version: event.streamVersion, line_id, ...rest, is_removed: removed },
    };
  });
}
