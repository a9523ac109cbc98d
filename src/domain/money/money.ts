import { ValidationError, type ValidationIssue } from '../../kernel/errors.js';
import { parseOrThrow } from '../../kernel/validation.js';
import { currencyMinorUnit, isCurrencyCode, unknownCurrencyMessage } from './currencies.js';
import { checked, Dec, nonZeroDivisor, sign, toDec } from './decimal.js';
import type { DecimalInput } from './decimal-input.js';
import { allocateDecimal } from './money-allocate.js';
import { assertSameCurrency } from './money-errors.js';
import { roundDecimal } from './money-round.js';
import { type MoneyJSON, MoneySchema } from './money-schema.js';
import type { RoundingMode } from './rounding-mode.js';

const HUNDRED = new Dec(100);

/**
 * An amount of money in one ISO 4217 currency: immutable, exact, never a JS float.
 *
 * @remarks
 * Arithmetic is exact decimal arithmetic: `add`, `subtract`, `multiply` and `percentage` never round, so a total
 * is rounded once, where you choose, with {@link Money.round}. Values are bounded — at most 15 integer digits and
 * 30 fraction digits, which holds every ERP amount (15 integer, 9 fraction digits) exactly; input beyond it and
 * results beyond 10^15 are refused with `VALIDATION_FAILED` instead of being rounded. Combining two currencies
 * throws {@link CurrencyMismatchError} (`CURRENCY_MISMATCH`).
 *
 * @example
 * ```ts
 * const net = Money.of('19.99', 'EUR').multiply('3');         // 59.97 EUR
 * const tax = net.percentage('7.5').round();                  // 4.50 EUR (4.49775, half-even)
 * const [a, b, c] = net.add(tax).allocate([1, 1, 1]);         // 21.49, 21.49, 21.49 EUR
 * JSON.stringify(tax);                                        // {"amount":"4.50","currency":"EUR"}
 * ```
 */
export class Money {
  /** ISO 4217 alphabetic code, upper case: `"USD"`. */
  readonly currency: string;
  /** Decimal places of the currency's smallest unit, from the ISO 4217 table: JPY 0, USD 2, KWD 3, CLF 4. */
  readonly minorUnit: number;
  /**
   * The exact amount as a canonical decimal string with at least {@link Money.minorUnit} decimals and no
   * trailing zeros beyond them: `"12.30"`, `"12.345"`, `"-5.00"`, `"100"` (JPY). Equal amounts have equal strings.
   *
   * @remarks An own enumerable property (not a getter), so deep-equality checks such as vitest's `toEqual`
   * compare amounts.
   */
  readonly amount: string;
  readonly #value: Dec;

  private constructor(value: Dec, currency: string, minorUnit: number) {
    this.#value = value;
    this.currency = currency;
    this.minorUnit = minorUnit;
    this.amount = padDecimals(value.toFixed(), minorUnit);
    Object.freeze(this);
  }

  /**
   * The exact amount `amount` in `currency`; never rounded.
   *
   * @param amount - a decimal string (`"12.34"`), an integer number, a `Quantity` or a `Percentage`. A
   *   non-integer JS number such as `12.5` is refused: floats are not exact.
   * @param currency - an ISO 4217 code in upper case.
   * @throws ValidationError (`VALIDATION_FAILED`) with an issue at `['amount']` and/or `['currency']`.
   */
  static of(amount: DecimalInput, currency: string): Money {
    const issues: ValidationIssue[] = [];
    let value: Dec | undefined;
    try {
      value = toDec(amount, ['amount']);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      issues.push(...error.issues);
    }
    if (!isCurrencyCode(currency)) {
      issues.push({ path: ['currency'], message: unknownCurrencyMessage(currency), code: 'invalid_value' });
    }
    if (issues.length > 0 || value === undefined) throw new ValidationError(issues);
    return new Money(value, currency, currencyMinorUnit(currency));
  }

  /** Zero in `currency`. @throws ValidationError when `currency` is not an ISO 4217 code. */
  static zero(currency: string): Money {
    return Money.of(0, currency);
  }

  /**
   * Parses the JSON form `{ amount: "12.34", currency: "USD" }` (see {@link MoneySchema}).
   * `Money.fromJSON(m.toJSON())` equals `m`, amount and currency, for every `m`.
   *
   * @throws ValidationError (`VALIDATION_FAILED`) listing every problem with its path (`['amount']`, ...).
   */
  static fromJSON(json: unknown): Money {
    const parsed = parseOrThrow(MoneySchema, json);
    return new Money(toDec(parsed.amount, ['amount']), parsed.currency, currencyMinorUnit(parsed.currency));
  }

  /**
   * The exact total of `items`, all in `currency`; zero for an empty list. The currency is given so that an
   * empty list still has one.
   *
   * @throws CurrencyMismatchError when an item is in another currency.
   */
  static sum(items: readonly Money[], currency: string): Money {
    let total = Money.zero(currency).#value;
    for (const item of items) {
      assertSameCurrency(currency, item.currency, 'sum');
      total = total.plus(item.#value);
    }
    return new Money(checked(total), currency, currencyMinorUnit(currency));
  }

  /** The smallest of the given amounts (the first of equals). @throws CurrencyMismatchError on mixed currencies. */
  static min(first: Money, ...rest: readonly Money[]): Money {
    return rest.reduce((min, item) => (item.lessThan(min) ? item : min), first);
  }

  /** The largest of the given amounts (the first of equals). @throws CurrencyMismatchError on mixed currencies. */
  static max(first: Money, ...rest: readonly Money[]): Money {
    return rest.reduce((max, item) => (item.greaterThan(max) ? item : max), first);
  }

  /** True when `value` is a `Money`. */
  static isMoney(value: unknown): value is Money {
    return value instanceof Money;
  }

  #with(value: Dec): Money {
    return new Money(value, this.currency, this.minorUnit);
  }

  /** `this + other`, exact. @throws CurrencyMismatchError when the currencies differ. */
  add(other: Money): Money {
    assertSameCurrency(this.currency, other.currency, 'add');
    return this.#with(checked(this.#value.plus(other.#value)));
  }

  /** `this - other`, exact. @throws CurrencyMismatchError when the currencies differ. */
  subtract(other: Money): Money {
    assertSameCurrency(this.currency, other.currency, 'subtract');
    return this.#with(checked(this.#value.minus(other.#value)));
  }

  /**
   * `this × factor`, exact and unrounded (call {@link Money.round} on the result you keep).
   *
   * @remarks A product needing more than 30 fraction digits (only after chaining several) is rounded half-even
   * at the 30th. A result of 10^15 or more is refused with `VALIDATION_FAILED`.
   */
  multiply(factor: DecimalInput): Money {
    return this.#with(checked(this.#value.times(toDec(factor, ['factor']))));
  }

  /**
   * `this ÷ divisor`, unrounded: to 30 fraction digits (half-even). To split an amount without losing a cent,
   * use {@link Money.allocate} instead.
   *
   * @throws ValidationError when `divisor` is zero.
   */
  divide(divisor: DecimalInput): Money {
    return this.#with(checked(this.#value.div(nonZeroDivisor(toDec(divisor, ['divisor']), ['divisor']))));
  }

  /**
   * `this × factor ÷ divisor` in one step, exact until the division (to 30 fraction digits, half-even). Only the
   * result is held to the 10^15 bound, so a share of a large amount (`total × part ÷ whole`) works even when
   * `total × part` alone would be out of bound.
   *
   * @throws ValidationError when `divisor` is zero or the result is 10^15 or more.
   */
  multiplyDivide(factor: DecimalInput, divisor: DecimalInput): Money {
    const by = nonZeroDivisor(toDec(divisor, ['divisor']), ['divisor']);
    return this.#with(checked(this.#value.times(toDec(factor, ['factor'])).div(by)));
  }

  /** `percent` % of this amount (`amount × percent / 100`), exact and unrounded: `Money.of('80', 'USD').percentage('7.5')` is 6.00 USD. */
  percentage(percent: DecimalInput): Money {
    return this.#with(checked(this.#value.times(toDec(percent, ['percent'])).div(HUNDRED)));
  }

  /** The same amount with the opposite sign. */
  negate(): Money {
    return this.#value.isZero() ? this : this.#with(this.#value.negated());
  }

  /** The absolute amount. */
  abs(): Money {
    return this.#value.isNegative() ? this.#with(this.#value.negated()) : this;
  }

  /**
   * Rounded to the currency's minor unit (USD: 2 places, JPY: 0, KWD: 3).
   *
   * @param mode - how ties and dropped digits are rounded; see {@link RoundingMode}.
   *   @defaultValue `'half-even'`
   */
  round(mode: RoundingMode = 'half-even'): Money {
    return this.#with(roundDecimal(this.#value, this.minorUnit, mode));
  }

  /**
   * Rounded to `places` fraction digits (0 to 30), e.g. to a multiple of 0.05 after scaling, or to keep extra
   * precision on a unit rate.
   *
   * @param mode - @defaultValue `'half-even'`
   */
  roundTo(places: number, mode: RoundingMode = 'half-even'): Money {
    return this.#with(roundDecimal(this.#value, places, mode));
  }

  /**
   * Splits this amount in proportion to `ratios` without losing or creating a cent: the parts always add up to
   * exactly this amount.
   *
   * @remarks
   * Parts are whole minor units (whole cents for USD) — or finer when this amount itself has more decimals.
   * Largest-remainder method: each part gets the floor of its share, the units left over go one by one to the
   * parts with the largest remainders, ties to the earlier part. So `Money.of('100', 'USD').allocate([1, 1, 1])`
   * is 33.34, 33.33, 33.33, equal ratios give parts at most one minor unit apart, and a negative amount splits
   * symmetrically (`x.negate().allocate(r)` is `x.allocate(r)` negated). A zero ratio gets zero.
   *
   * @param ratios - non-negative, not all zero; decimals allowed (`['0.5', '0.25', '0.25']`, `[70, 30]`).
   * @throws ValidationError with a path `['ratios', i]` for a bad ratio.
   */
  allocate(ratios: readonly DecimalInput[]): Money[] {
    const scale = Math.max(this.minorUnit, this.#value.decimalPlaces());
    return allocateDecimal(this.#value, scale, ratios).map((part) => this.#with(part));
  }

  /**
   * `-1`, `0` or `1` as this amount is less than, equal to or greater than `other`: a total order on one
   * currency, consistent with {@link Money.equals}.
   *
   * @throws CurrencyMismatchError when the currencies differ (amounts in two currencies have no order).
   */
  compare(other: Money): -1 | 0 | 1 {
    assertSameCurrency(this.currency, other.currency, 'compare');
    return sign(this.#value.comparedTo(other.#value));
  }

  /** True when both the currency and the amount are the same (`1.5` equals `1.50`). Never throws. */
  equals(other: Money): boolean {
    return this.currency === other.currency && this.#value.eq(other.#value);
  }

  /** `this > other`. @throws CurrencyMismatchError when the currencies differ. */
  greaterThan(other: Money): boolean {
    return this.compare(other) > 0;
  }

  /** `this >= other`. @throws CurrencyMismatchError when the currencies differ. */
  greaterThanOrEqual(other: Money): boolean {
    return this.compare(other) >= 0;
  }

  /** `this < other`. @throws CurrencyMismatchError when the currencies differ. */
  lessThan(other: Money): boolean {
    return this.compare(other) < 0;
  }

  /** `this <= other`. @throws CurrencyMismatchError when the currencies differ. */
  lessThanOrEqual(other: Money): boolean {
    return this.compare(other) <= 0;
  }

  /** True for an amount of zero. */
  isZero(): boolean {
    return this.#value.isZero();
  }

  /** True for an amount below zero. */
  isNegative(): boolean {
    return this.#value.isNegative() && !this.#value.isZero();
  }

  /** True for an amount above zero. */
  isPositive(): boolean {
    return this.#value.isPositive() && !this.#value.isZero();
  }

  /** The JSON form `{ amount: "12.34", currency: "USD" }`, exact (not rounded); `Money.fromJSON` reads it back. */
  toJSON(): MoneyJSON {
    return { amount: this.amount, currency: this.currency };
  }

  /** `"12.34 USD"`: the exact amount and the currency, for logs and messages. */
  toString(): string {
    return `${this.amount} ${this.currency}`;
  }

  /** The amount rounded half-even to the currency's minor unit, for display: `"12.34"`, `"1235"` (JPY). */
  toFixed(): string {
    return roundDecimal(this.#value, this.minorUnit).toFixed(this.minorUnit);
  }
}

// decimal.js writes the shortest exact form ("12.3"); pad it to the minor unit ("12.30"). Much cheaper than
// `toFixed(places)`, which rounds a copy first.
function padDecimals(text: string, places: number): string {
  const dot = text.indexOf('.');
  const missing = places - (dot === -1 ? 0 : text.length - dot - 1);
  if (missing <= 0) return text;
  return `${text}${dot === -1 ? '.' : ''}${'0'.repeat(missing)}`;
}
