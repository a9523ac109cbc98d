import { DomainRuleError } from '../../kernel/errors.js';

/**
 * Every rule a sales order command can break, with what it means. The key is the rule code carried by the
 * `DomainRuleError` (`error.code === 'DOMAIN_RULE_VIOLATED'`, `error.rule === key`); codes never change meaning.
 */
export const SALES_ORDER_RULES = {
  ORDER_NOT_FOUND: 'The order does not exist yet: create it first.',
  ORDER_ALREADY_EXISTS: 'An order with this id was already created.',
  ORDER_ID_MISMATCH: 'The command names another order than the one this state (stream) holds.',
  ORDER_NOT_DRAFT: 'The command edits a draft, but the order is submitted (use UpdateSalesOrderItems after submit).',
  ORDER_NOT_SUBMITTED: 'The command needs a submitted order, but the order is still a draft.',
  ORDER_CANCELLED: 'The order is cancelled; a cancelled order is final and accepts no command.',
  ORDER_ON_HOLD: 'The order is on hold; resume it first.',
  ORDER_NOT_ON_HOLD: 'Only an order on hold can be resumed.',
  ORDER_CLOSED: 'The order is closed; re-open it first (a closed order cannot be cancelled: re-open to cancel).',
  ORDER_NOT_CLOSED: 'Only a closed order can be re-opened.',
  ORDER_COMPLETED: 'The order is fully delivered and fully billed; there is nothing left to hold, close or update.',
  ORDER_HAS_DELIVERIES: 'Something was delivered against the order, so it cannot be cancelled.',
  ORDER_HAS_BILLINGS: 'Something was billed against the order, so it cannot be cancelled.',
  ORDER_HAS_NO_LINES: 'An order needs at least one line.',
  INVALID_QTY: 'A quantity must be greater than zero (ordered, delivered or updated quantity).',
  DELIVERY_DATE_MISSING: 'Every line needs a delivery date, its own or the order header date.',
  DELIVERY_BEFORE_ORDER_DATE: 'A delivery date may not be before the transaction date (the same day is fine).',
  GRAND_TOTAL_NEGATIVE: 'The grand total may not be negative.',
  LINE_NOT_FOUND: 'The order has no line with this id.',
  DUPLICATE_LINE_ID: 'A line id is already used in this order, or is listed twice in the command.',
  TAX_NOT_FOUND: 'The order has no tax row with this id.',
  DUPLICATE_TAX_ID: 'A tax row id is already used in this order.',
  LINE_HAS_DELIVERIES: 'The line was (partly) delivered, so it cannot be removed.',
  LINE_HAS_BILLINGS: 'The line was (partly) billed, so it cannot be removed.',
  QTY_BELOW_DELIVERED: 'A line quantity may not be set below its delivered quantity.',
  AMOUNT_BELOW_BILLED: 'A line amount (rate × qty) may not be set below its billed amount.',
  OVER_DELIVERY: 'The delivery exceeds the ordered quantity plus the over-delivery allowance.',
  OVER_BILLING: 'The billing exceeds the line amount plus the over-billing allowance.',
  BILLING_SIGN_MISMATCH: 'A billed amount must have the sign of the line amount (negative only on negative lines).',
  AMOUNT_OUT_OF_RANGE:
    'A line amount or an order figure would reach 10^15 or more in absolute value, beyond what Ordo computes exactly.',
} as const satisfies Readonly<Record<string, string>>;

/** The rule code of a refused sales order command, e.g. `ORDER_NOT_DRAFT`. */
export type SalesOrderRule = keyof typeof SALES_ORDER_RULES;

/** Every {@link SalesOrderRule}, in catalogue order. */
export const SALES_ORDER_RULE_CODES: readonly SalesOrderRule[] = Object.freeze(
  Object.keys(SALES_ORDER_RULES) as SalesOrderRule[],
);

/** The error `decide` throws when a sales order rule refuses a command. */
export type SalesOrderRuleError = DomainRuleError<SalesOrderRule>;

/**
 * Builds the {@link DomainRuleError} for `rule`. The message starts with the rule's catalogue text so that a log
 * line is understandable without the code table; `detail` adds what is specific to this refusal.
 */
export function salesOrderRuleError(
  rule: SalesOrderRule,
  detail?: string,
  data: Readonly<Record<string, unknown>> = {},
  path?: readonly (string | number)[],
): SalesOrderRuleError {
  const message = detail === undefined ? SALES_ORDER_RULES[rule] : `${SALES_ORDER_RULES[rule]} ${detail}`;
  return new DomainRuleError(rule, message, data, path);
}

/** True when `error` is a sales order rule refusal, optionally with the given rule code. */
export function isSalesOrderRuleError(error: unknown, rule?: SalesOrderRule): error is SalesOrderRuleError {
  return (
    error instanceof DomainRuleError &&
    Object.hasOwn(SALES_ORDER_RULES, error.rule) &&
    (rule === undefined || error.rule === rule)
  );
}
