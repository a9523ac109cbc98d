import { OrdoError } from '../../kernel/errors.js';

/**
 * Two amounts in different currencies met in one operation (add, subtract, compare, sum, ...).
 * Ordo never converts implicitly: convert first, with a rate you choose.
 */
export class CurrencyMismatchError extends OrdoError {
  readonly code = 'CURRENCY_MISMATCH' as const;
  constructor(
    /** Currency of the left operand (the `Money` the method was called on, or the expected currency). */
    readonly left: string,
    /** Currency of the right operand. */
    readonly right: string,
    /** The operation that was refused, e.g. `"add"`. */
    readonly operation?: string,
  ) {
    super(`Cannot ${operation ?? 'combine'} ${left} and ${right}: amounts must be in the same currency`);
  }
  protected override details(): Record<string, unknown> {
    return {
      left: this.left,
      right: this.right,
      ...(this.operation === undefined ? {} : { operation: this.operation }),
    };
  }
}

/**
 * The single place the same-currency invariant is checked: every operation that combines two amounts calls it.
 *
 * @throws CurrencyMismatchError when the currencies differ.
 */
export function assertSameCurrency(left: string, right: string, operation: string): void {
  if (left !== right) throw new CurrencyMismatchError(left, right, operation);
}
