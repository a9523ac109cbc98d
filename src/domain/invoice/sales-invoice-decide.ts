import type { DecideContext } from '../../kernel/decider.js';
import { DomainRuleError } from '../../kernel/errors.js';
import { parseOrThrow } from '../../kernel/validation.js';
import { CurrencyMismatchError, Money } from '../money/index.js';
import type { SalesInvoiceId } from './invoice-ids.js';
import { type SalesInvoiceCommand, SalesInvoiceCommandSchema } from './sales-invoice-commands.js';
import type { SalesInvoiceEvent } from './sales-invoice-events.js';
import type {
  BilledOrderLine,
  SalesInvoiceLine,
  SalesInvoiceRecord,
  SalesInvoiceState,
} from './sales-invoice-state.js';

/** The rule codes the SalesInvoice decider refuses commands with. */
export type SalesInvoiceRuleCode =
  | 'INVOICE_ALREADY_EXISTS'
  | 'INVOICE_NOT_FOUND'
  | 'INVOICE_CANCELLED'
  | 'OVER_BILLING'
  | 'ALLOCATION_EXCEEDS_OUTSTANDING'
  | 'PAYMENT_ALREADY_APPLIED'
  | 'INVOICE_HAS_PAYMENTS';

function existing(state: SalesInvoiceState, invoiceId: SalesInvoiceId): SalesInvoiceRecord {
  if (!state.exists) {
    throw new DomainRuleError<SalesInvoiceRuleCode>(
      'INVOICE_NOT_FOUND',
      `Sales invoice "${invoiceId}" does not exist`,
      {
        invoiceId,
      },
    );
  }
  return state.invoice;
}

function inCurrency(money: Money, currency: string, path: readonly (string | number)[]): Money {
  if (money.currency !== currency) throw new CurrencyMismatchError(currency, money.currency, path.join('.'));
  return money;
}

/**
 * Decides what a SalesInvoice command changes.
 *
 * @remarks
 * Rules: an invoice is created once, with every amount in its currency; what it bills on each order line may not
 * exceed that line's unbilled amount (`OVER_BILLING`, ERPNext's "Cannot overbill"), so an order can be billed in
 * parts but never twice; a payment applied to it may not exceed its outstanding amount
 * (`ALLOCATION_EXCEEDS_OUTSTANDING`) and is applied once (`PAYMENT_ALREADY_APPLIED`, unless the same amount is
 * applied again: then nothing happens); a cancelled invoice takes no payment (`INVOICE_CANCELLED`); an invoice with
 * payments cannot be cancelled (`INVOICE_HAS_PAYMENTS`: unlink them first, as ERPNext asks).
 */
export function decideSalesInvoice(
  input: SalesInvoiceCommand,
  state: SalesInvoiceState,
  _context?: DecideContext,
): readonly SalesInvoiceEvent[] {
  const command = parseOrThrow(SalesInvoiceCommandSchema, input);
  switch (command.type) {
    case 'CreateSalesInvoice': {
      if (state.exists) {
        throw new DomainRuleError<SalesInvoiceRuleCode>(
          'INVOICE_ALREADY_EXISTS',
          `Sales invoice "${command.invoiceId}" already exists`,
          { invoiceId: command.invoiceId },
        );
      }
      const currency = command.currency;
      const lines: SalesInvoiceLine[] = [];
      const billed = new Map<string, { amount: Money; unbilled: Money; index: number }>();
      command.lines.forEach((line, index) => {
        const rate = inCurrency(Money.fromJSON(line.rate), currency, ['lines', index, 'rate']);
        const amount =
          line.amount === undefined
            ? rate.multiply(line.qty).round()
            : inCurrency(Money.fromJSON(line.amount), currency, ['lines', index, 'amount']);
        const unbilled = inCurrency(Money.fromJSON(line.unbilledAmount), currency, ['lines', index, 'unbilledAmount']);
        lines.push({
          orderLineId: line.orderLineId,
          itemCode: line.itemCode,
          qty: line.qty,
          rate: rate.toJSON(),
          amount: amount.toJSON(),
        });
        const sofar = billed.get(line.orderLineId);
        billed.set(line.orderLineId, {
          amount: sofar ? sofar.amount.add(amount) : amount,
          // Lines billing the same order line must fit in its unbilled amount together; the smallest figure given is the safe one.
          unbilled: sofar ? Money.min(sofar.unbilled, unbilled) : unbilled,
          index: sofar ? sofar.index : index,
        });
      });
      for (const [orderLineId, entry] of billed) {
        if (entry.amount.greaterThan(entry.unbilled)) {
          throw new DomainRuleError<SalesInvoiceRuleCode>(
            'OVER_BILLING',
            `Cannot bill ${entry.amount} on order line "${orderLineId}": only ${entry.unbilled} is unbilled`,
            {
              invoiceId: command.invoiceId,
              salesOrderId: command.salesOrderId,
              orderLineId,
              amount: entry.amount.toJSON(),
              unbilled: entry.unbilled.toJSON(),
            },
            ['lines', entry.index, 'amount'],
          );
        }
      }
      const billedOrderLines: BilledOrderLine[] = [...billed].map(([orderLineId, entry]) => ({
        orderLineId,
        amount: entry.amount.toJSON(),
      }));
      const total = Money.sum(
        lines.map((line) => Money.fromJSON(line.amount)),
        currency,
      );
      return [
        {
          type: 'SalesInvoiceCreated',
          data: {
            invoiceId: command.invoiceId,
            customerId: command.customerId,
            company: command.company,
            salesOrderId: command.salesOrderId,
            currency,
            postingDate: command.postingDate,
            dueDate: command.dueDate ?? command.postingDate,
            lines,
            total: total.toJSON(),
            billedOrderLines,
          },
        },
      ];
    }
    case 'ApplyPaymentToInvoice': {
      const invoice = existing(state, command.invoiceId);
      const amount = inCurrency(Money.fromJSON(command.amount), invoice.currency, ['amount']);
      const applied = invoice.payments.find((payment) => payment.paymentId === command.paymentId);
      if (applied) {
        if (Money.fromJSON(applied.amount).equals(amount)) return [];
        throw new DomainRuleError<SalesInvoiceRuleCode>(
          'PAYMENT_ALREADY_APPLIED',
          `Payment "${command.paymentId}" is already applied to invoice "${invoice.invoiceId}" with ${Money.fromJSON(applied.amount)}`,
          { invoiceId: invoice.invoiceId, paymentId: command.paymentId, applied: applied.amount },
        );
      }
      if (invoice.status === 'cancelled') {
        throw new DomainRuleError<SalesInvoiceRuleCode>(
          'INVOICE_CANCELLED',
          `Sales invoice "${invoice.invoiceId}" is cancelled`,
          { invoiceId: invoice.invoiceId },
        );
      }
      const outstanding = Money.fromJSON(invoice.outstanding);
      if (amount.greaterThan(outstanding)) {
        throw new DomainRuleError<SalesInvoiceRuleCode>(
          'ALLOCATION_EXCEEDS_OUTSTANDING',
          `Cannot apply ${amount} to invoice "${invoice.invoiceId}": only ${outstanding} is outstanding`,
          {
            invoiceId: invoice.invoiceId,
            paymentId: command.paymentId,
            amount: amount.toJSON(),
            outstanding: outstanding.toJSON(),
          },
          ['amount'],
        );
      }
      return [
        {
          type: 'SalesInvoicePaymentApplied',
          data: {
            invoiceId: invoice.invoiceId,
            customerId: invoice.customerId,
            company: invoice.company,
            paymentId: command.paymentId,
            amount: amount.toJSON(),
            outstanding: outstanding.subtract(amount).toJSON(),
          },
        },
      ];
    }
    case 'CancelSalesInvoice': {
      const invoice = existing(state, command.invoiceId);
      if (invoice.status === 'cancelled') return [];
      if (invoice.payments.length > 0) {
        throw new DomainRuleError<SalesInvoiceRuleCode>(
          'INVOICE_HAS_PAYMENTS',
          `Sales invoice "${invoice.invoiceId}" has payments applied; unlink them before cancelling`,
          { invoiceId: invoice.invoiceId, payments: invoice.payments.map((payment) => payment.paymentId) },
        );
      }
      return [
        {
          type: 'SalesInvoiceCancelled',
          data: {
            invoiceId: invoice.invoiceId,
            customerId: invoice.customerId,
            company: invoice.company,
            salesOrderId: invoice.salesOrderId,
            billedOrderLines: [...invoice.billedOrderLines],
          },
        },
      ];
    }
  }
}
