import { Money, type MoneyJSON, MoneySchema } from '../money/index.js';

function moneyWhere(test: (money: Money) => boolean, message: string) {
  return MoneySchema.refine(
    (value: MoneyJSON) => {
      try {
        return test(Money.fromJSON(value));
      } catch {
        // Malformed money already has MoneySchema's own issue; one message per problem.
        return true;
      }
    },
    { error: message },
  );
}

/** A money amount greater than zero (a payment, an allocation). */
export const PositiveMoneySchema = moneyWhere((money) => money.isPositive(), 'must be greater than zero');
/** A money amount that may not be negative (a rate). */
export const NonNegativeMoneySchema = moneyWhere((money) => !money.isNegative(), 'must not be negative');
