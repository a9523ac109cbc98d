import type { CompanyId, CustomerId } from '../customer/customer-ids.js';
import type { MoneyJSON } from '../money/index.js';
import type { PaymentId, SalesInvoiceId } from './invoice-ids.js';

/** One allocation of a payment to an invoice. */
export interface PaymentAllocation {
  readonly invoiceId: SalesInvoiceId;
  readonly amount: MoneyJSON;
}

/** Everything known about a received payment. Plain JSON, so it can be snapshotted as is. */
export interface PaymentRecord {
  readonly paymentId: PaymentId;
  readonly customerId: CustomerId;
  readonly company: CompanyId;
  readonly amount: MoneyJSON;
  readonly receivedOn: string;
  readonly reference: string | null;
  readonly allocations: readonly PaymentAllocation[];
  /** `amount − Σ allocations`: an advance until it is allocated. */
  readonly unallocated: MoneyJSON;
}

/** The Payment aggregate's state: nothing before it is received, then the payment. */
export type PaymentState = { readonly exists: false } | { readonly exists: true; readonly payment: PaymentRecord };

/** Where folding a payment stream starts. */
export const initialPaymentState: PaymentState = { exists: false };
