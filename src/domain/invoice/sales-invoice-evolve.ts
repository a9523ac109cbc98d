import { Money } from '../money/index.js';
import type { SalesInvoiceEvent } from './sales-invoice-events.js';
import type { SalesInvoiceState } from './sales-invoice-state.js';

/** Folds one SalesInvoice event into the state. Pure. */
export function evolveSalesInvoice(state: SalesInvoiceState, event: SalesInvoiceEvent): SalesInvoiceState {
  if (event.type === 'SalesInvoiceCreated') {
    const { total, ...rest } = event.data;
    return {
      exists: true,
      invoice: {
        ...rest,
        total,
        paidAmount: Money.zero(total.currency).toJSON(),
        outstanding: total,
        payments: [],
        // A zero-total invoice owes nothing from the start.
        status: Money.fromJSON(total).isZero() ? 'paid' : 'unpaid',
      },
    };
  }
  // Only `decide` produces the other events, and never before creation; ignoring strays keeps evolve total.
  if (!state.exists) return state;
  const invoice = state.invoice;
  switch (event.type) {
    case 'SalesInvoicePaymentApplied': {
      const paid = Money.fromJSON(invoice.paidAmount).add(Money.fromJSON(event.data.amount));
      const outstanding = Money.fromJSON(event.data.outstanding);
      return {
        exists: true,
        invoice: {
          ...invoice,
          paidAmount: paid.toJSON(),
          outstanding: outstanding.toJSON(),
          payments: [...invoice.payments, { paymentId: event.data.paymentId, amount: event.data.amount }],
          status: outstanding.isZero() ? 'paid' : 'partly_paid',
        },
      };
    }
    case 'SalesInvoiceCancelled':
      return {
        exists: true,
        invoice: { ...invoice, outstanding: Money.zero(invoice.currency).toJSON(), status: 'cancelled' },
      };
  }
}
