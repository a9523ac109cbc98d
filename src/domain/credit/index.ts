/** The credit-limit domain service: ERPNext's rule as a pure function over plain data. */
export {
  assertCreditLimit,
  type CreditCheckInput,
  type CreditDecision,
  type CreditLimitEntry,
  type CreditLimitSource,
  type CreditOutcome,
  checkCreditLimit,
  type MoneyLike,
  orderUnbilledAmount,
  type UnbilledOrder,
} from './credit-check.js';

import { assertCreditLimit, checkCreditLimit, orderUnbilledAmount } from './credit-check.js';

/** The credit service in one namespace: `Credit.check`, `Credit.assert`, `Credit.orderUnbilledAmount`. */
export const Credit = {
  /** {@link checkCreditLimit}: decides whether an order or invoice fits the customer's credit limit. */
  check: checkCreditLimit,
  /** {@link assertCreditLimit}: the same check, throwing `CREDIT_LIMIT_EXCEEDED` when the limit is exceeded. */
  assert: assertCreditLimit,
  /** {@link orderUnbilledAmount}: what an order still has to bill, never below zero. */
  orderUnbilledAmount,
} as const;
