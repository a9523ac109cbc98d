import { Money } from '../money/index.js';
import type { SalesInvoiceRecord, SalesInvoiceState, SalesInvoiceStatus } from './sales-invoice-state.js';

/** What {@link customerOutstanding} needs. */
export interface CustomerOutstandingInput {
  readonly customerId: string;
  /** Only this company's invoices (credit limits are per company). Omit for every company. */
  readonly company?: string | undefined;
  /** The currency to total in; every counted invoice must be in it (`CURRENCY_MISMATCH` otherwise). */
  readonly currency: string;
  /** Invoice states or records; other customers' invoices, cancelled and not-yet-created ones are skipped. */
  readonly invoices: readonly (SalesInvoiceState | SalesInvoiceRecord)[];
}

/** One invoice's part of the outstanding amount. */
export interface OutstandingInvoice {
  readonly invoiceId: string;
  readonly outstanding: Money;
  readonly dueDate: string;
  readonly status: SalesInvoiceStatus;
}

/** A customer's outstanding receivable and where it comes from. */
export interface CustomerOutstanding {
  readonly customerId: string;
  readonly company: string | null;
  /** Σ outstanding of the customer's submitted, not cancelled invoices. */
  readonly outstanding: Money;
  /** The invoices that still owe something, oldest due date first. */
  readonly invoices: readonly OutstandingInvoice[];
  readonly explanation: readonly string[];
}

function recordOf(entry: SalesInvoiceState | SalesInvoiceRecord): SalesInvoiceRecord | null {
  if ('exists' in entry) return entry.exists ? entry.invoice : null;
  return entry;
}

/**
 * A customer's outstanding receivable: the sum of what its submitted, not cancelled invoices still owe
 * (total − applied payments), for one company or all.
 *
 * @remarks
 * ERPNext reads the same figure from the receivables ledger. Unallocated payments (advances) are not netted
 * here: allocate them to invoices to reduce the outstanding. Pure.
 */
export function customerOutstanding(input: CustomerOutstandingInput): CustomerOutstanding {
  const company = input.company ?? null;
  const owing: OutstandingInvoice[] = [];
  for (const entry of input.invoices) {
    const invoice = recordOf(entry);
    if (!invoice || invoice.customerId !== input.customerId || invoice.status === 'cancelled') continue;
    if (company !== null && invoice.company !== company) continue;
    const outstanding = Money.fromJSON(invoice.outstanding);
    if (outstanding.isZero()) continue;
    owing.push({ invoiceId: invoice.invoiceId, outstanding, dueDate: invoice.dueDate, status: invoice.status });
  }
  owing.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.invoiceId < b.invoiceId ? -1 : 1));
  const outstanding = Money.sum(
    owing.map((entry) => entry.outstanding),
    input.currency,
  );
  const scope = company === null ? 'all companies' : `company "${company}"`;
  return {
    customerId: input.customerId,
    company,
    outstanding,
    invoices: owing,
    explanation: [
      ...owing.map(
        (entry) => `invoice ${entry.invoiceId} (${entry.status}, due ${entry.dueDate}) owes ${entry.outstanding}`,
      ),
      `customer "${input.customerId}" owes ${outstanding} on ${owing.length} invoice(s) for ${scope}`,
    ],
  };
}
