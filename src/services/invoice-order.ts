import { salesInvoiceStreamId } from '../domain/invoice/invoice-ids.js';
import type { SalesInvoiceCommand } from '../domain/invoice/sales-invoice-commands.js';
import type { SalesInvoiceState } from '../domain/invoice/sales-invoice-state.js';
import { Money, type MoneyJSON, Quantity } from '../domain/money/index.js';
import { salesOrderStreamId } from '../domain/sales-order/sales-order-ids.js';
import type { ExistingSalesOrder } from '../domain/sales-order/sales-order-state.js';
import type { SalesOrderStatus } from '../domain/sales-order/sales-order-status.js';
import { DomainRuleError } from '../kernel/errors.js';
import { type InvoiceOrderInput, InvoiceOrderInputSchema } from './erp-inputs.js';
import { toCustomer } from './erp-notifications.js';
import { type ErpError, type ErpResult, erpError, erpFailure } from './erp-result.js';
import { accept, type ErpRuntime, runUseCase, type UseCaseContext } from './erp-runtime.js';
import {
  addDays,
  checkBypassedCredit,
  decideContext,
  isErpError,
  loadOrder,
  models,
  salesOrderContext,
  syncInvoiceLedger,
  syncOrderLedger,
} from './erp-support.js';

/** What {@link Erp.invoiceOrder} returns on success. */
export interface InvoiceOrderPayload {
  readonly invoiceId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly total: MoneyJSON;
  /** What the customer owes on it (the total, until payments are applied). */
  readonly outstanding: MoneyJSON;
  readonly postingDate: string;
  readonly dueDate: string;
  /** The order's status after billing (`to_deliver`, `completed`, ...). */
  readonly orderStatus: SalesOrderStatus;
  /** Percent of the order billed after this invoice. */
  readonly perBilled: string;
}

type InvoiceLineInput = Extract<SalesInvoiceCommand, { type: 'CreateSalesInvoice' }>['lines'][number];

/**
 * The invoice decider puts `OVER_BILLING` at `['lines', i, 'amount']` of its own command, a field the use case's
 * input does not have. When the input lists lines, the command's lines are the input's, in order, and a line's
 * amount is its `qty` × the order line's rate: the error goes to that line's `qty`. When the input lists none
 * (bill what is unbilled) there is no input field to blame, so it carries no path.
 */
function overBillingAtInput(error: unknown, inputHasLines: boolean): unknown {
  if (!(error instanceof DomainRuleError) || error.rule !== 'OVER_BILLING') return error;
  const index = error.path?.[1];
  const path = inputHasLines && typeof index === 'number' ? ['lines', index, 'qty'] : undefined;
  return new DomainRuleError(error.rule, error.message, error.data, path);
}

/**
 * @internal Invoices (part of) a submitted order: creates the sales invoice (each line within what is unbilled on
 * its order line, `OVER_BILLING` otherwise), records the billed amounts on the order, and moves the amount from the
 * customer's unbilled orders to its outstanding invoices in the ledger, in one commit. A customer whose credit limit
 * bypasses the sales-order check is credit-checked here: outstanding + the invoice's total against the limit
 * (`CREDIT_LIMIT_EXCEEDED`, nothing written).
 */
export function invoiceOrder(runtime: ErpRuntime) {
  return (input: InvoiceOrderInput, context?: UseCaseContext): Promise<ErpResult<InvoiceOrderPayload>> =>
    runUseCase(runtime, 'invoiceOrder', InvoiceOrderInputSchema, input, context, async (uow, call, billing) => {
      const orderStream = salesOrderStreamId(billing.orderId);
      const order = await loadOrder(uow, orderStream, billing.orderId);
      if (isErpError(order)) return erpFailure([order]);
      const invoiceId = billing.invoiceId ?? call.documentId('SINV');
      const postingDate = billing.postingDate ?? call.today;
      const dueDate = billing.dueDate ?? addDays(postingDate, runtime.settings.paymentTermsDays);
      const { currency } = order;
      const errors: ErpError[] = [];
      const lines: InvoiceLineInput[] = [];
      const unbilledOf = (line: ExistingSalesOrder['lines'][number]) =>
        Money.of(line.amount, currency).subtract(Money.of(line.billedAmount, currency));
      if (billing.lines) {
        billing.lines.forEach((entry, index) => {
          const line = order.lines.find((candidate) => candidate.lineId === entry.lineId);
          if (!line) {
            errors.push(
              erpError(
                'LINE_NOT_FOUND',
                `Order "${order.orderId}" has no line "${entry.lineId}"`,
                ['lines', index, 'lineId'],
                {
                  orderId: order.orderId,
                  lineId: entry.lineId,
                },
              ),
            );
            return;
          }
          lines.push({
            orderLineId: line.lineId,
            itemCode: line.itemCode,
            qty: entry.qty,
            rate: Money.of(line.rate, currency).toJSON(),
            unbilledAmount: unbilledOf(line).toJSON(),
          });
        });
      } else {
        for (const line of order.lines) {
          const unbilled = unbilledOf(line);
          if (!unbilled.isPositive()) continue;
          const rate = Money.of(line.rate, currency);
          // ERPNext bills the rest of a line as its quantity less the quantity already billed at the line's rate.
          const billedQty = rate.isZero() ? Quantity.zero() : Quantity.of(line.billedAmount).divide(line.rate);
          const qty = Quantity.max(Quantity.of(line.qty).subtract(billedQty).round(6, 'up'), '0.000001');
          lines.push({
            orderLineId: line.lineId,
            itemCode: line.itemCode,
            qty: qty.value,
            rate: rate.toJSON(),
            amount: unbilled.toJSON(),
            unbilledAmount: unbilled.toJSON(),
          });
        }
        if (lines.length === 0) {
          errors.push(
            erpError('NOTHING_TO_INVOICE', `Order "${order.orderId}" has nothing left to bill`, ['orderId'], {
              orderId: order.orderId,
            }),
          );
        }
      }
      if (errors.length > 0) return erpFailure(errors);

      const invoiceStream = salesInvoiceStreamId(invoiceId);
      await uow.load(invoiceStream, models.salesInvoice);
      try {
        uow.decide(
          invoiceStream,
          models.salesInvoice,
          {
            type: 'CreateSalesInvoice',
            invoiceId,
            customerId: order.customerId,
            company: order.company,
            salesOrderId: order.orderId,
            currency,
            postingDate,
            dueDate,
            lines,
          },
          decideContext(runtime, call),
        );
      } catch (error) {
        throw overBillingAtInput(error, billing.lines !== undefined);
      }
      const invoiceState = uow.state<SalesInvoiceState>(invoiceStream);
      if (!invoiceState.exists) return erpFailure([]);
      const invoice = invoiceState.invoice;
      // A customer who bypasses the credit check at sales order is checked here instead (ERPNext's Sales Invoice).
      await checkBypassedCredit(
        runtime,
        uow,
        order.customerId,
        { orderId: order.orderId, company: order.company, amount: Money.fromJSON(invoice.total) },
        errors,
      );
      if (errors.length > 0) return erpFailure(errors);
      uow.decide(
        orderStream,
        models.salesOrder,
        {
          type: 'RecordSalesOrderBilling',
          data: {
            orderId: order.orderId,
            reference: invoiceId,
            lines: invoice.billedOrderLines.map((line) => ({ lineId: line.orderLineId, amount: line.amount.amount })),
          },
        },
        salesOrderContext(runtime, call),
      );
      const billed = uow.state<ExistingSalesOrder>(orderStream);
      await syncInvoiceLedger(uow, invoice);
      await syncOrderLedger(uow, billed);
      const total = Money.fromJSON(invoice.total);
      return accept(
        {
          invoiceId,
          orderId: order.orderId,
          customerId: order.customerId,
          total: invoice.total,
          outstanding: invoice.outstanding,
          postingDate,
          dueDate: invoice.dueDate,
          orderStatus: billed.status,
          perBilled: billed.perBilled,
        },
        {
          details: { invoiceId, orderId: order.orderId, total: { ...invoice.total } },
          notifications: toCustomer(runtime, call, order.customerId, {
            kind: 'invoice_issued',
            subject: `Invoice ${invoiceId} for order ${order.orderId}`,
            body: `Invoice ${invoiceId} of ${total} is due on ${invoice.dueDate}.`,
            data: { invoiceId, orderId: order.orderId, total: { ...invoice.total }, dueDate: invoice.dueDate },
          }),
        },
      );
    });
}
