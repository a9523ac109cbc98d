import type { SalesInvoiceEvent, SalesInvoiceState } from '../../domain/invoice/index.js';
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
 * `invoice_fact`: sales invoices with what is still outstanding, one row per invoice event.
 *
 * @remarks
 * Creation, each payment applied and cancellation each write a row with the invoice as it is after the event:
 * total, paid amount, outstanding, status and the `is_paid` flag. The row with the highest `version` of an
 * invoice gives its outstanding amount as of the export; summing `payment_amount` over the rows gives what was
 * paid and when.
 */
export const invoiceFactTable = defineWarehouseTable({
  name: 'invoice_fact',
  kind: 'fact',
  description: 'Sales invoices: total, paid amount, outstanding and status after each event.',
  grain: 'one row per sales invoice event',
  columns: [
    ...LINEAGE_COLUMNS,
    column('invoice_id', 'text', 'The sales invoice id.'),
    column('version', 'integer', "The invoice's stream version the row reflects; the highest one is current."),
    column('customer_id', 'text', 'The customer (joins `customer_dim.customer_id`).'),
    column('company', 'text', 'The selling company.'),
    column('sales_order_id', 'text', 'The order it bills (joins `sales_order_fact.order_id`).'),
    column('currency', 'text', 'ISO 4217 code of every amount of the row.'),
    column('posting_date', 'date', 'The invoice date.'),
    column('due_date', 'date', 'When payment is due.'),
    column('line_count', 'integer', 'Number of invoice lines.'),
    column('total', 'decimal', 'The invoice total.'),
    column('paid_amount', 'decimal', 'Sum of the payments applied so far.'),
    column('outstanding', 'decimal', 'What the customer still owes on it (0 once paid or cancelled).'),
    column('status', 'text', '`unpaid`, `partly_paid`, `paid` or `cancelled`.'),
    column('is_paid', 'boolean', 'True when nothing is outstanding and the invoice is not cancelled.'),
    nullableColumn('payment_id', 'text', 'On a payment row: the payment applied.'),
    nullableColumn('payment_amount', 'decimal', 'On a payment row: the amount applied.'),
  ],
});

/** A row of {@link invoiceFactTable}. */
export type InvoiceFactRow = WarehouseTableRow<typeof invoiceFactTable>;

/** The `invoice_fact` row of one sales invoice event: the invoice after the event. Pure. */
export function invoiceFactRows(change: StreamChange<SalesInvoiceEvent, SalesInvoiceState>): readonly InvoiceFactRow[] {
  const { event, after } = change;
  if (!after.exists) return [];
  const invoice = after.invoice;
  const payment = event.type === 'SalesInvoicePaymentApplied' ? event.data : null;
  const lineage = lineageOf(invoiceFactTable.name, event, 0);
  return [
    {
      table: invoiceFactTable.name,
      key: lineage.row_key,
      values: {
        ...lineage,
        invoice_id: invoice.invoiceId,
        version: event.streamVersion,
        customer_id: invoice.customerId,
        company: invoice.company,
        sales_order_id: invoice.salesOrderId,
        currency: invoice.currency,
        posting_date: invoice.postingDate,
        due_date: invoice.dueDate,
        line_count: invoice.lines.length,
        total: invoice.total.amount,
        paid_amount: invoice.paidAmount.amount,
        outstanding: invoice.outstanding.amount,
        status: invoice.status,
        is_paid: invoice.status === 'paid',
        payment_id: payment ? payment.paymentId : null,
        payment_amount: payment ? payment.amount.amount : null,
      },
    },
  ];
}
