import { customerStreamId } from '../domain/customer/customer-ids.js';
import { paymentStreamId, salesInvoiceStreamId } from '../domain/invoice/invoice-ids.js';
import type { PaymentState } from '../domain/invoice/payment-state.js';
import type { SalesInvoiceRecord } from '../domain/invoice/sales-invoice-state.js';
import { Money, type MoneyJSON } from '../domain/money/index.js';
import { customerLedgerStreamId } from './customer-ledger.js';
import { type ReceivePaymentInput, ReceivePaymentInputSchema } from './erp-inputs.js';
import { toCustomer } from './erp-notifications.js';
import { type ErpError, type ErpResult, erpError, erpFailure } from './erp-result.js';
import { accept, type ErpRuntime, runUseCase, type UseCaseContext } from './erp-runtime.js';
import { decideContext, loadLedger, models, syncInvoiceLedger } from './erp-support.js';

/** What {@link Erp.receivePayment} returns on success. */
export interface ReceivePaymentPayload {
  readonly paymentId: string;
  readonly customerId: string;
  readonly amount: MoneyJSON;
  /** How it was allocated, invoice by invoice, with what each invoice still owes after it. */
  readonly allocations: readonly {
    readonly invoiceId: string;
    readonly amount: MoneyJSON;
    readonly outstanding: MoneyJSON;
  }[];
  /** What is left unallocated: an advance. */
  readonly unallocated: MoneyJSON;
}

/**
 * @internal Receives a payment: records it, allocates it to invoices (given, or the customer's open invoices oldest
 * due first), applies each allocation to its invoice, and updates the ledger, in one commit.
 */
export function receivePayment(runtime: ErpRuntime) {
  return (input: ReceivePaymentInput, context?: UseCaseContext): Promise<ErpResult<ReceivePaymentPayload>> =>
    runUseCase(runtime, 'receivePayment', ReceivePaymentInputSchema, input, context, async (uow, call, payment) => {
      const customerState = await uow.load(customerStreamId(payment.customerId), models.customer);
      if (!customerState.exists) {
        return erpFailure([
          erpError('CUSTOMER_NOT_FOUND', `Customer "${payment.customerId}" does not exist`, ['customerId'], {
            customerId: payment.customerId,
          }),
        ]);
      }
      const company = payment.company ?? runtime.settings.company;
      const paymentId = payment.paymentId ?? call.documentId('PAY');
      const received = Money.fromJSON(payment.amount);
      const ledger = await loadLedger(uow, payment.customerId);
      const requested =
        payment.allocations ??
        autoAllocate(
          received,
          Object.values(ledger.invoices).filter((invoice) => invoice.company === company),
        );
      const errors: ErpError[] = [];
      const allocations: { invoiceId: string; amount: MoneyJSON; invoiceOutstanding: MoneyJSON }[] = [];
      for (const [index, allocation] of requested.entries()) {
        const state = await uow.load(salesInvoiceStreamId(allocation.invoiceId), models.salesInvoice);
        const path = payment.allocations === undefined ? undefined : ['allocations', index, 'invoiceId'];
        if (!state.exists) {
          errors.push(
            erpError('INVOICE_NOT_FOUND', `Sales invoice "${allocation.invoiceId}" does not exist`, path, {
              invoiceId: allocation.invoiceId,
            }),
          );
          continue;
        }
        if (state.invoice.customerId !== payment.customerId) {
          errors.push(
            erpError(
              'INVOICE_CUSTOMER_MISMATCH',
              `Sales invoice "${allocation.invoiceId}" is customer "${state.invoice.customerId}"'s, not "${payment.customerId}"'s`,
              path,
              {
                invoiceId: allocation.invoiceId,
                invoiceCustomerId: state.invoice.customerId,
                customerId: payment.customerId,
              },
            ),
          );
          continue;
        }
        allocations.push({ ...allocation, invoiceOutstanding: state.invoice.outstanding });
      }
      if (errors.length > 0) return erpFailure(errors);

      const context = decideContext(runtime, call);
      const paymentStream = paymentStreamId(paymentId);
      await uow.load(paymentStream, models.payment);
      uow.decide(
        paymentStream,
        models.payment,
        {
          type: 'ReceivePayment',
          paymentId,
          customerId: payment.customerId,
          company,
          amount: received.toJSON(),
          receivedOn: payment.receivedOn ?? call.today,
          ...(payment.reference === undefined ? {} : { reference: payment.reference }),
          allocations,
        },
        context,
      );
      const applied: ReceivePaymentPayload['allocations'][number][] = [];
      for (const allocation of allocations) {
        const invoiceStream = salesInvoiceStreamId(allocation.invoiceId);
        uow.decide(
          invoiceStream,
          models.salesInvoice,
          { type: 'ApplyPaymentToInvoice', invoiceId: allocation.invoiceId, paymentId, amount: allocation.amount },
          context,
        );
        const invoice = (uow.state(invoiceStream) as { invoice: SalesInvoiceRecord }).invoice;
        await syncInvoiceLedger(uow, invoice);
        applied.push({ invoiceId: invoice.invoiceId, amount: allocation.amount, outstanding: invoice.outstanding });
      }
      const recorded = uow.state<PaymentState>(paymentStream);
      const unallocated = recorded.exists ? recorded.payment.unallocated : received.toJSON();
      uow.append(customerLedgerStreamId(payment.customerId), models.ledger, [
        {
          type: 'CustomerLedgerPaymentRecorded',
          data: {
            customerId: payment.customerId,
            paymentId,
            company,
            receivedOn: payment.receivedOn ?? call.today,
            amount: received.toJSON(),
            unallocated,
          },
        },
      ]);
      return accept(
        { paymentId, customerId: payment.customerId, amount: received.toJSON(), allocations: applied, unallocated },
        {
          details: { paymentId, amount: { ...received.toJSON() } },
          notifications: toCustomer(runtime, call, payment.customerId, {
            kind: 'payment_received',
            subject: `Payment ${paymentId} received`,
            body: `We received ${received}; thank you.`,
            data: { paymentId, amount: { ...received.toJSON() } },
          }),
        },
      );
    });
}

/** Allocates `amount` to open invoices, oldest due date first, each up to what it owes. */
function autoAllocate(
  amount: Money,
  invoices: readonly { invoiceId: string; dueDate: string; outstanding: MoneyJSON }[],
): { invoiceId: string; amount: MoneyJSON }[] {
  const open = invoices
    .filter(
      (invoice) => invoice.outstanding.currency === amount.currency && Money.fromJSON(invoice.outstanding).isPositive(),
    )
    .sort((a, b) => (a.dueDate === b.dueDate ? (a.invoiceId < b.invoiceId ? -1 : 1) : a.dueDate < b.dueDate ? -1 : 1));
  const allocations: { invoiceId: string; amount: MoneyJSON }[] = [];
  let rest = amount;
  for (const invoice of open) {
    if (!rest.isPositive()) break;
    const share = Money.min(rest, Money.fromJSON(invoice.outstanding));
    allocations.push({ invoiceId: invoice.invoiceId, amount: share.toJSON() });
    rest = rest.subtract(share);
  }
  return allocations;
}
