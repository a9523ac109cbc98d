import type { SalesOrderEvent, SalesOrderState } from '../../domain/sales-order/index.js';
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
 * `sales_order_fact`: the header figures of submitted sales orders, one row per order version from
 * submission on (an accumulating snapshot written as change rows).
 *
 * @remarks
 * Drafts are not facts: an order gets its first row from `SalesOrderSubmitted`, then one row for every later
 * event of the order (hold, delivery, billing, item changes, close, cancel), carrying the whole order as it
 * is after that event. The row with the highest `version` of an order is the order as of the export.
 */
export const salesOrderFactTable = defineWarehouseTable({
  name: 'sales_order_fact',
  kind: 'fact',
  description: 'Submitted sales orders: header totals, status and progress after each change.',
  grain: 'one row per sales order event from submission on',
  columns: [
    ...LINEAGE_COLUMNS,
    column('order_id', 'text', 'The sales order id.'),
    column('version', 'integer', "The order's stream version the row reflects; the highest one is current."),
    column('customer_id', 'text', 'The customer (joins `customer_dim.customer_id`).'),
    column('company', 'text', 'The selling company.'),
    column('currency', 'text', 'ISO 4217 code of every amount of the row.'),
    column('transaction_date', 'date', 'The order date.'),
    nullableColumn('delivery_date', 'date', 'The latest line delivery date.'),
    column('status', 'text', 'The derived status, e.g. `to_deliver_and_bill`, `completed`, `cancelled`.'),
    column('doc_status', 'text', '`submitted` or `cancelled`.'),
    column('is_on_hold', 'boolean', 'Whether the order is on hold.'),
    column('is_closed', 'boolean', 'Whether the order is closed.'),
    nullableColumn('submitted_at', 'timestamp', 'When the order was submitted.'),
    nullableColumn('cancelled_at', 'timestamp', 'When the order was cancelled.'),
    column('line_count', 'integer', 'Number of lines.'),
    column('total', 'decimal', 'Sum of the line amounts, before the order-level discount.'),
    column('discount_amount', 'decimal', 'The order-level discount.'),
    column('net_total', 'decimal', 'Total after the order-level discount, before taxes.'),
    column('total_taxes', 'decimal', 'Sum of the tax and charge rows.'),
    column('grand_total', 'decimal', 'What the customer pays.'),
    nullableColumn('rounded_total', 'decimal', 'The grand total rounded, when the order uses a rounded total.'),
    column('per_delivered', 'decimal', 'Percent delivered, by quantity.'),
    column('per_billed', 'decimal', 'Percent billed, by amount.'),
    column('unbilled_amount', 'decimal', 'Ordered but not billed yet (0 once closed or cancelled).'),
  ],
});

/** A row of {@link salesOrderFactTable}. */
export type SalesOrderFactRow = WarehouseTableRow<typeof salesOrderFactTable>;

/**
 * The `sales_order_fact` rows of one sales order event: none while the order is a draft, one row with the
 * order after the event otherwise. Pure.
 */
export function salesOrderFactRows(
  change: StreamChange<SalesOrderEvent, SalesOrderState>,
): readonly SalesOrderFactRow[] {
  const { event, after: order } = change;
  if (!order.exists || order.docStatus === 'draft') return [];
  const lineage = lineageOf(salesOrderFactTable.name, event, 0);
  return [
    {
      table: salesOrderFactTable.name,
      key: lineage.row_key,
      values: {
        ...lineage,
        order_id: order.orderId,
        version: event.streamVersion,
        customer_id: order.customerId,
        company: order.company,
        currency: order.currency,
        transaction_date: order.transactionDate,
        delivery_date: order.deliveryDate,
        status: order.status,
        doc_status: order.docStatus,
        is_on_hold: order.onHold,
        is_closed: order.closed,
        submitted_at: order.submittedAt,
        cancelled_at: order.cancelledAt,
        line_count: order.lines.length,
        total: order.totals.total,
        discount_amount: order.totals.discountAmount,
        net_total: order.totals.netTotal,
        total_taxes: order.totals.totalTaxes,
        grand_total: order.totals.grandTotal,
        rounded_total: order.totals.roundedTotal,
        per_delivered: order.perDelivered,
        per_billed: order.perBilled,
        unbilled_amount: order.unbilledAmount,
      },
    },
  ];
}
