import type { DecideContext } from '../../kernel/decider.js';
import { DomainRuleError } from '../../kernel/errors.js';
import { parseOrThrow } from '../../kernel/validation.js';
import type { CompanyId, CustomerId } from '../customer/customer-ids.js';
import { Money, type MoneyJSON } from '../money/index.js';
import type { PaymentId, SalesInvoiceId } from './invoice-ids.js';
import { type PaymentCommand, PaymentCommandSchema } from './payment-commands.js';
import type { PaymentEvent } from './payment-events.js';
import type { PaymentAllocation, PaymentState } from './payment-state.js';

/** The rule codes the Payment decider refuses commands with. */
export type PaymentRuleCode =
  | 'PAYMENT_ALREADY_EXISTS'
  | 'PAYMENT_NOT_FOUND'
  | 'PAYMENT_OVER_ALLOCATED'
  | 'ALLOCATION_EXCEEDS_OUTSTANDING'
  | 'INVOICE_ALREADY_ALLOCATED';

interface Allocating {
  readonly paymentId: PaymentId;
  readonly customerId: CustomerId;
  readonly company: CompanyId;
  unallocated: Money;
  readonly allocations: PaymentAllocation[];
}

/**
 * Checks one allocation against what is left of the payment and what the invoice owes, and returns its event.
 * Returns `null` for the same allocation made again (idempotent).
 */
function allocate(
  payment: Allocating,
  allocation: { invoiceId: SalesInvoiceId; amount: MoneyJSON; invoiceOutstanding: MoneyJSON },
  path: readonly (string | number)[],
): PaymentEvent | null {
  const amount = Money.fromJSON(allocation.amount);
  const previous = payment.allocations.find((entry) => entry.invoiceId === allocation.invoiceId);
  if (previous) {
    if (Money.fromJSON(previous.amount).equals(amount)) return null;
    // The invoice records one application per payment; a second, different one would not match it.
    throw new DomainRuleError<PaymentRuleCode>(
      'INVOICE_ALREADY_ALLOCATED',
      `Payment "${payment.paymentId}" is already allocated to invoice "${allocation.invoiceId}" (${Money.fromJSON(previous.amount)})`,
      { paymentId: payment.paymentId, invoiceId: allocation.invoiceId, allocated: previous.amount },
      [...path, 'invoiceId'],
    );
  }
  if (amount.greaterThan(payment.unallocated)) {
    throw new DomainRuleError<PaymentRuleCode>(
      'PAYMENT_OVER_ALLOCATED',
      `Cannot allocate ${amount} of payment "${payment.paymentId}": only ${payment.unallocated} is unallocated`,
      {
        paymentId: payment.paymentId,
        invoiceId: allocation.invoiceId,
        amount: amount.toJSON(),
        unallocated: payment.unallocated.toJSON(),
      },
      [...path, 'amount'],
    );
  }
  const outstanding = Money.fromJSON(allocation.invoiceOutstanding);
  if (amount.greaterThan(outstanding)) {
    throw new DomainRuleError<PaymentRuleCode>(
      'ALLOCATION_EXCEEDS_OUTSTANDING',
      `Cannot allocate ${amount} to invoice "${allocation.invoiceId}": only ${outstanding} is outstanding`,
      {
        paymentId: payment.paymentId,
        invoiceId: allocation.invoiceId,
        amount: amount.toJSON(),
        outstanding: outstanding.toJSON(),
      },
      [...path, 'amount'],
    );
  }
  payment.unallocated = payment.unallocated.subtract(amount);
  payment.allocations.push({ invoiceId: allocation.invoiceId, amount: amount.toJSON() });
  return {
    type: 'PaymentAllocated',
    data: {
      paymentId: payment.paymentId,
      customerId: payment.customerId,
      company: payment.company,
      invoiceId: allocation.invoiceId,
      amount: amount.toJSON(),
      unallocated: payment.unallocated.toJSON(),
    },
  };
}

/**
 * Decides what a Payment command changes.
 *
 * @remarks
 * Rules: a payment is received once; allocations together never exceed the payment (`PAYMENT_OVER_ALLOCATED`);
 * an allocation never exceeds the invoice's outstanding amount (`ALLOCATION_EXCEEDS_OUTSTANDING`, ERPNext's
 * "Allocated Amount cannot be greater than outstanding amount"); a payment is allocated to an invoice once
 * (`INVOICE_ALREADY_ALLOCATED`; the same allocation again does nothing). Every amount is in the payment's
 * currency (`CURRENCY_MISMATCH` otherwise). The matching invoice-side command is `ApplyPaymentToInvoice`.
 */
export function decidePayment(
  input: PaymentCommand,
  state: PaymentState,
  _context?: DecideContext,
): readonly PaymentEvent[] {
  const command = parseOrThrow(PaymentCommandSchema, input);
  switch (command.type) {
    case 'ReceivePayment': {
      if (state.exists) {
        throw new DomainRuleError<PaymentRuleCode>(
          'PAYMENT_ALREADY_EXISTS',
          `Payment "${command.paymentId}" already exists`,
          {
            paymentId: command.paymentId,
          },
        );
      }
      const amount = Money.fromJSON(command.amount);
      const payment: Allocating = {
        paymentId: command.paymentId,
        customerId: command.customerId,
        company: command.company,
        unallocated: amount,
        allocations: [],
      };
      const events: PaymentEvent[] = [
        {
          type: 'PaymentReceived',
          data: {
            paymentId: command.paymentId,
            customerId: command.customerId,
            company: command.company,
            amount: amount.toJSON(),
            receivedOn: command.receivedOn,
            reference: command.reference ?? null,
          },
        },
      ];
      command.allocations.forEach((allocation, index) => {
        if (payment.allocations.some((entry) => entry.invoiceId === allocation.invoiceId)) {
          // Within one command a repeated invoice is a mistake, not a retry: refuse rather than drop it.
          throw new DomainRuleError<PaymentRuleCode>(
            'INVOICE_ALREADY_ALLOCATED',
            `Invoice "${allocation.invoiceId}" appears twice in the allocations of payment "${command.paymentId}"`,
            { paymentId: command.paymentId, invoiceId: allocation.invoiceId },
            ['allocations', index, 'invoiceId'],
          );
        }
        const event = allocate(payment, allocation, ['allocations', index]);
        if (event) events.push(event);
      });
      return events;
    }
    case 'AllocatePayment': {
      if (!state.exists) {
        throw new DomainRuleError<PaymentRuleCode>(
          'PAYMENT_NOT_FOUND',
          `Payment "${command.paymentId}" does not exist`,
          {
            paymentId: command.paymentId,
          },
        );
      }
      const { payment } = state;
      const event = allocate(
        {
          paymentId: payment.paymentId,
          customerId: payment.customerId,
          company: payment.company,
          unallocated: Money.fromJSON(payment.unallocated),
          allocations: [...payment.allocations],
        },
        command,
        [],
      );
      return event ? [event] : [];
    }
  }
}
