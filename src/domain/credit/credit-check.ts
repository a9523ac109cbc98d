import { DomainRuleError } from '../../kernel/errors.js';
import { Money, type MoneyJSON } from '../money/index.js';

/** A money amount as a `Money` or its JSON form (`{ amount: "12.34", currency: "USD" }`), as states store it. */
export type MoneyLike = Money | MoneyJSON;

/** One company's credit limit, at the customer's or the customer group's level. */
export interface CreditLimitEntry {
  readonly company: string;
  /** `0` means no limit at this level: the next level applies. */
  readonly limit: MoneyLike;
  /** Only read from the customer's own entry (see {@link checkCreditLimit}). @defaultValue `false` */
  readonly bypassAtSalesOrder?: boolean | undefined;
}

/** One submitted, not closed order's part in the exposure. */
export interface UnbilledOrder {
  readonly orderId: string;
  /** What the order still has to bill: grand total − billed amount (see {@link orderUnbilledAmount}). */
  readonly unbilledAmount: MoneyLike;
}

/** What {@link checkCreditLimit} needs: plain data, read by the caller from the streams. */
export interface CreditCheckInput {
  readonly customerId: string;
  /** The customer's group, for the message and the explanation. */
  readonly customerGroup?: string | undefined;
  /** The selling company: limits and receivables are per company. */
  readonly company: string;
  /** The customer's own limits (a Customer record's `creditLimits` fits). */
  readonly customerLimits: readonly CreditLimitEntry[];
  /** The customer group's limits, used when the customer has no non-zero limit for the company. @defaultValue `[]` */
  readonly groupLimits?: readonly CreditLimitEntry[] | undefined;
  /** The company's default limit (ERPNext's Company credit limit), the last fallback. @defaultValue none */
  readonly companyLimit?: MoneyLike | null | undefined;
  /** What the customer owes the company on submitted invoices (see `customerOutstanding`). */
  readonly outstanding: MoneyLike;
  /**
   * The customer's submitted orders that are not closed, cancelled or completed (on-hold ones count), with what
   * each still has to bill. Leave the order being checked out: its amount is `amount`.
   */
  readonly unbilledOrders: readonly UnbilledOrder[];
  /** The new amount: the order's grand total, or the increase of a changed order. */
  readonly amount: MoneyLike;
  /** True when a sales order is being submitted (or re-opened, resumed, increased): the bypass flag applies. */
  readonly forSalesOrder: boolean;
}

/** Where the limit that was applied came from. */
export type CreditLimitSource = 'customer' | 'customer_group' | 'company';

/**
 * The outcome: `no_limit` (no non-zero limit at any level), `bypassed` (sales order with the bypass flag),
 * `within_limit` or `exceeded`.
 */
export type CreditOutcome = 'no_limit' | 'bypassed' | 'within_limit' | 'exceeded';

/** What {@link checkCreditLimit} decided, with the figures. */
export interface CreditDecision {
  readonly allowed: boolean;
  readonly outcome: CreditOutcome;
  readonly limit: Money | null;
  readonly limitSource: CreditLimitSource | null;
  readonly outstanding: Money;
  /** Σ unbilled orders as counted (zero when they were not counted). */
  readonly unbilled: Money;
  /** False for a non-sales-order check with the bypass flag: ERPNext then leaves unbilled orders out. */
  readonly unbilledCounted: boolean;
  readonly amount: Money;
  /** outstanding + unbilled + amount. */
  readonly exposure: Money;
  /** limit − exposure, when a limit applied (negative when exceeded). */
  readonly headroom: Money | null;
  readonly explanation: readonly string[];
  /** The refusal when exceeded, ready to throw or to list; `null` otherwise. */
  readonly violation: DomainRuleError<'CREDIT_LIMIT_EXCEEDED'> | null;
}

function toMoney(value: MoneyLike): Money {
  return Money.isMoney(value) ? value : Money.fromJSON(value);
}

function limitFor(entries: readonly CreditLimitEntry[] | undefined, company: string): CreditLimitEntry | undefined {
  return entries?.find((entry) => entry.company === company);
}

/** The limit levels of a customer in a company: what {@link applicableCreditLimit} reads. */
export type CreditLimitLevels = Pick<CreditCheckInput, 'company' | 'customerLimits' | 'groupLimits' | 'companyLimit'>;

/** The limit that applies to a customer in a company, and whether the customer bypasses the sales-order check. */
export interface ApplicableCreditLimit {
  readonly limit: Money;
  readonly source: CreditLimitSource;
  /** The customer's own entry for the company has `bypassAtSalesOrder`. */
  readonly bypassAtSalesOrder: boolean;
}

/**
 * The first non-zero limit of the customer's, the customer group's and the company's levels for the company, with
 * the bypass flag of the customer's own entry; `null` when no level has a non-zero limit (nothing is checked).
 *
 * @remarks Lets a caller know whether (and in which currency) a check will apply before it reads the exposure.
 */
export function applicableCreditLimit(levels: CreditLimitLevels): ApplicableCreditLimit | null {
  const own = limitFor(levels.customerLimits, levels.company);
  const group = limitFor(levels.groupLimits, levels.company);
  const candidates: { source: CreditLimitSource; limit: Money }[] = [];
  if (own) candidates.push({ source: 'customer', limit: toMoney(own.limit) });
  if (group) candidates.push({ source: 'customer_group', limit: toMoney(group.limit) });
  if (levels.companyLimit !== undefined && levels.companyLimit !== null) {
    candidates.push({ source: 'company', limit: toMoney(levels.companyLimit) });
  }
  const chosen = candidates.find((candidate) => !candidate.limit.isZero());
  return chosen ? { ...chosen, bypassAtSalesOrder: own?.bypassAtSalesOrder === true } : null;
}

/**
 * What an order still has to bill: `grandTotal − billedAmount`, never below zero (an over-billed order owes
 * nothing more). ERPNext counts `grand_total × (100 − per_billed) / 100`, the same figure.
 */
export function orderUnbilledAmount(grandTotal: MoneyLike, billedAmount: MoneyLike): Money {
  const rest = toMoney(grandTotal).subtract(toMoney(billedAmount));
  return rest.isNegative() ? Money.zero(rest.currency) : rest;
}

/**
 * ERPNext's credit-limit rule: outstanding receivables + unbilled submitted orders + the new amount must not
 * exceed the limit.
 *
 * @remarks
 * - The limit is the customer's for the company; if it has none (or `0`), the customer group's for the company;
 *   if none, the company's default. No non-zero limit at any level: no check.
 * - The bypass flag is read from the customer's own entry for the company. With it, a sales-order check is
 *   skipped, and any other check (an invoice) leaves unbilled orders out, as ERPNext does.
 * - Exceeding means exposure > limit; reaching the limit exactly is allowed.
 * - Every amount must be in the limit's currency (`CURRENCY_MISMATCH` otherwise). Pure.
 *
 * @returns the decision; when exceeded, `violation` is a `DomainRuleError` `CREDIT_LIMIT_EXCEEDED` whose data holds
 *   customer, company, outstanding, unbilled, amount, exposure, limit and where the limit came from.
 */
export function checkCreditLimit(input: CreditCheckInput): CreditDecision {
  const outstanding = toMoney(input.outstanding);
  const amount = toMoney(input.amount);
  const currency = amount.currency;
  const allUnbilled = Money.sum(
    input.unbilledOrders.map((order) => toMoney(order.unbilledAmount)),
    currency,
  );
  const explanation: string[] = [];

  const chosen = applicableCreditLimit(input);
  const bypass = chosen?.bypassAtSalesOrder === true;

  const base = {
    outstanding,
    amount,
    limit: chosen?.limit ?? null,
    limitSource: chosen?.source ?? null,
  };
  if (chosen === null) {
    explanation.push(
      `no non-zero credit limit for customer "${input.customerId}" in company "${input.company}": not checked`,
    );
    const exposure = outstanding.add(allUnbilled).add(amount);
    return {
      ...base,
      allowed: true,
      outcome: 'no_limit',
      unbilled: allUnbilled,
      unbilledCounted: true,
      exposure,
      headroom: null,
      explanation,
      violation: null,
    };
  }
  explanation.push(
    `credit limit ${chosen.limit} from the ${chosen.source.replace('_', ' ')} for company "${input.company}"`,
  );
  if (bypass && input.forSalesOrder) {
    explanation.push('the customer bypasses the credit check at sales order: not checked');
    const exposure = outstanding.add(allUnbilled).add(amount);
    return {
      ...base,
      allowed: true,
      outcome: 'bypassed',
      unbilled: allUnbilled,
      unbilledCounted: true,
      exposure,
      headroom: chosen.limit.subtract(exposure),
      explanation,
      violation: null,
    };
  }
  const unbilledCounted = !bypass;
  const unbilled = unbilledCounted ? allUnbilled : Money.zero(currency);
  const exposure = outstanding.add(unbilled).add(amount);
  const headroom = chosen.limit.subtract(exposure);
  explanation.push(
    unbilledCounted
      ? `outstanding ${outstanding} + unbilled orders ${unbilled} (${input.unbilledOrders.length}) + new amount ${amount} = ${exposure}`
      : `outstanding ${outstanding} + new amount ${amount} = ${exposure} (unbilled orders left out: the customer bypasses the sales-order check)`,
  );
  const exceeded = exposure.greaterThan(chosen.limit);
  explanation.push(
    exceeded
      ? `${exposure} exceeds the limit ${chosen.limit}: refused`
      : `${exposure} is within the limit ${chosen.limit}`,
  );
  return {
    ...base,
    allowed: !exceeded,
    outcome: exceeded ? 'exceeded' : 'within_limit',
    unbilled,
    unbilledCounted,
    exposure,
    headroom,
    explanation,
    violation: exceeded
      ? new DomainRuleError(
          'CREDIT_LIMIT_EXCEEDED',
          `Credit limit exceeded for customer "${input.customerId}" (${exposure} > ${chosen.limit})`,
          {
            customerId: input.customerId,
            customerGroup: input.customerGroup ?? null,
            company: input.company,
            outstanding: outstanding.toJSON(),
            unbilled: unbilled.toJSON(),
            amount: amount.toJSON(),
            exposure: exposure.toJSON(),
            limit: chosen.limit.toJSON(),
            limitSource: chosen.source,
          },
        )
      : null,
  };
}

/**
 * {@link checkCreditLimit}, throwing its violation.
 * @throws DomainRuleError `CREDIT_LIMIT_EXCEEDED` when exposure exceeds the limit.
 */
export function assertCreditLimit(input: CreditCheckInput): CreditDecision {
  const decision = checkCreditLimit(input);
  if (decision.violation) throw decision.violation;
  return decision;
}
