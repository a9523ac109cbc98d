import type { PaymentEvent } from './payment-events.js';
import type { PaymentState } from './payment-state.js';

/** Folds one Payment event into the state. Pure. */
export function evolvePayment(state: PaymentState, event: PaymentEvent): PaymentState {
  switch (event.type) {
    case 'PaymentReceived':
      return { exists: true, payment: { ...event.data, allocations: [], unallocated: event.data.amount } };
    case 'PaymentAllocated':
      // Only `decide` produces it, and never before the payment; ignoring strays keeps evolve total.
      if (!state.exists) return state;
      return {
        exists: true,
        payment: {
          ...state.payment,
          allocations: [...state.payment.allocations, { invoiceId: event.data.invoiceId, amount: event.data.amount }],
          unallocated: event.data.unallocated,
        },
      };
  }
}
