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
  check: checkCreditLimit,
  assert: assertCreditLimit,
  orderUnbilledAmount,
} as const;
