import type { CustomerRuleCode } from '../domain/customer/customer-decide.js';
import type { PaymentRuleCode } from '../domain/invoice/payment-decide.js';
import type { SalesInvoiceRuleCode } from '../domain/invoice/sales-invoice-decide.js';
import type { ItemRuleCode } from '../domain/item/item-decide.js';
import type { PriceListRuleCode } from '../domain/price-list/price-list-decide.js';
import type { SalesOrderRule } from '../domain/sales-order/sales-order-rules.js';
import type { StockRuleCode } from '../domain/stock/stock-decide.js';
import { DomainRuleError, isOrdoError, ValidationError, type ValidationIssue } from '../kernel/errors.js';

/**
 * Codes only the application services use: rules that span aggregates, which no single decider can check.
 *
 * - `ITEM_PRICE_NOT_FOUND`: pricing found no price (no price list price, no standard rate, no rule rate) for a line.
 * - `PRICE_LIST_NOT_FOUND`: the input names a price list that does not exist.
 * - `INVOICE_CUSTOMER_MISMATCH`: a payment is allocated to another customer's invoice.
 * - `NOTHING_TO_DELIVER` / `NOTHING_TO_INVOICE`: no line has anything left to deliver or to bill.
 */
export type ServiceRuleCode =
  | 'ITEM_PRICE_NOT_FOUND'
  | 'PRICE_LIST_NOT_FOUND'
  | 'INVOICE_CUSTOMER_MISMATCH'
  | 'NOTHING_TO_DELIVER'
  | 'NOTHING_TO_INVOICE';

/** Rule codes raised by domain services (not deciders) that use cases call. */
export type DomainServiceRuleCode =
  | 'CUSTOMER_DISABLED'
  | 'ITEM_DISABLED'
  | 'UNIT_NOT_CONVERTIBLE'
  | 'ITEM_GROUP_NOT_FOUND'
  | 'PRICING_RULE_CONFLICT'
  | 'CREDIT_LIMIT_EXCEEDED';

/**
 * Every code an {@link ErpError} carries: `VALIDATION_FAILED` (bad input, one error per problem, each with its
 * path), `CONCURRENCY_CONFLICT` (still conflicting after the bounded retries), `CURRENCY_MISMATCH`, or the code of
 * the business rule that refused (`CREDIT_LIMIT_EXCEEDED`, `INSUFFICIENT_STOCK`, `CUSTOMER_DISABLED`,
 * `ORDER_NOT_DRAFT`, ...). See docs/services.md for the table.
 */
export type ErpErrorCode =
  | 'VALIDATION_FAILED'
  | 'CONCURRENCY_CONFLICT'
  | 'CURRENCY_MISMATCH'
  | ServiceRuleCode
  | DomainServiceRuleCode
  | SalesOrderRule
  | CustomerRuleCode
  | ItemRuleCode
  | PriceListRuleCode
  | StockRuleCode
  | SalesInvoiceRuleCode
  | PaymentRuleCode;

/** One reason a use case refused: errors as data, never thrown. */
export interface ErpError {
  /** Stable machine-readable code; switch on it, never on `message`. */
  readonly code: ErpErrorCode;
  /** Human-readable explanation. */
  readonly message: string;
  /** Where in the use case's input the problem is, e.g. `['lines', 1, 'qty']`, when it is about one field. */
  readonly path?: readonly (string | number)[];
  /** The figures that explain it (amounts as `{ amount, currency }`, ids), JSON-safe. */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** A refused use case: nothing was written. */
export interface ErpFailure {
  readonly ok: false;
  /** Every rule that failed (place order and submit list them all; the others stop at the first). */
  readonly errors: readonly ErpError[];
}

/** What every use case returns: `{ ok: true, ...payload }` or `{ ok: false, errors }`. */
export type ErpResult<Payload> = ({ readonly ok: true } & Payload) | ErpFailure;

/** Builds a failure. */
export function erpFailure(errors: readonly ErpError[]): ErpFailure {
  return { ok: false, errors };
}

/** One error of `code`, with an optional path and data. */
export function erpError(
  code: ErpErrorCode,
  message: string,
  path?: readonly (string | number)[],
  data?: Readonly<Record<string, unknown>>,
): ErpError {
  return { code, message, ...(path && path.length > 0 ? { path } : {}), ...(data ? { data } : {}) };
}

/** Validation issues as errors, one per issue, each with its path (prefixed with `prefix`). */
export function validationErrors(issues: readonly ValidationIssue[], prefix: readonly (string | number)[] = []) {
  return issues.map((issue) =>
    erpError('VALIDATION_FAILED', issue.message, [...prefix, ...issue.path], { issue: issue.code }),
  );
}

/**
 * Turns an error a use case's rules raised into {@link ErpError}s: a `DomainRuleError` becomes its rule code (the
 * path given here wins over the rule's own, which is relative to the domain command), a `ValidationError` one error
 * per issue, a `CURRENCY_MISMATCH` itself. Anything else is not a refusal but a failure (the store is down, a stored
 * event is corrupt, a bug): `undefined`, and the caller rethrows it.
 */
export function toErpErrors(error: unknown, path?: readonly (string | number)[]): ErpError[] | undefined {
  if (error instanceof DomainRuleError) {
    const at = path ?? error.path;
    return [erpError(error.rule as ErpErrorCode, error.message, at, error.data)];
  }
  if (error instanceof ValidationError) return validationErrors(error.issues, path ?? []);
  if (isOrdoError(error, 'CURRENCY_MISMATCH')) {
    const details = error.toJSON();
    const { name: _name, code: _code, message: _message, ...data } = details;
    return [erpError('CURRENCY_MISMATCH', error.message, path, data)];
  }
  return undefined;
}

/**
 * Runs `work`, turning a rule's refusal into errors appended to `errors` (and `undefined` returned). Other errors
 * propagate. Lets a use case check every rule and list each failure instead of stopping at the first.
 */
export function collect<T>(
  errors: ErpError[],
  path: readonly (string | number)[] | undefined,
  work: () => T,
): T | undefined {
  try {
    return work();
  } catch (error) {
    const converted = toErpErrors(error, path);
    if (!converted) throw error;
    errors.push(...converted);
    return undefined;
  }
}
