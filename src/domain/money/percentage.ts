import { parseOrThrow } from '../../kernel/validation.js';
import { checked, type Dec, nonZeroDivisor, registerDecimalReader, sign, toDec } from './decimal.js';
import type { DecimalInput } from './decimal-input.js';
import { roundDecimal } from './money-round.js';
import { PercentageSchema } from './percentage-schema.js';
import type { RoundingMode } from './rounding-mode.js';

/**
 * A percentage as an exact decimal number of percent points: `Percentage.of('7.5')` is 7.5 %. Immutable, never a
 * JS float; its JSON form is the decimal string (`"7.5"`).
 *
 * @remarks
 * Same bound and operations as `Quantity`. Apply it to money with `money.percentage(p)` (`amount × p / 100`). Any
 * sign and size is allowed; refuse negatives or values above 100 at the boundary with
 * `NonNegativePercentageSchema` or `DiscountPercentageSchema`. As a {@link DecimalInput} it stands for its number
 * of points (7.5, not 0.075); use {@link Percentage.toFraction} for the ratio.
 */
export class Percentage {
  /** Canonical decimal string of percent points, no trailing zeros: `"7.5"`, `"100"`, `"-2"`. */
  readonly value: string;
  readonly #value: Dec;

  static {
    registerDecimalReader((value) => (#value in value ? value.#value : undefined));
  }

  private constructor(value: Dec) {
    this.#value = value;
    // An own property, so deep-equality checks (vitest `toEqual`) compare values.
    this.value = value.toFixed();
    Object.freeze(this);
  }

  /**
   * The exact percentage `value`.
   * @throws ValidationError (`VALIDATION_FAILED`) for a non-integer JS number, a malformed string or a value out
   *   of bound.
   */
  static of(value: DecimalInput): Percentage {
    return value instanceof Percentage ? value : new Percentage(toDec(value));
  }

  /** The percentage 0. */
  static zero(): Percentage {
    return ZERO;
  }

  /**
   * Reads the JSON form (a decimal string, see `PercentageSchema`); the inverse of {@link Percentage.toJSON}.
   * @throws ValidationError (`VALIDATION_FAILED`) for anything else, a JS number included.
   */
  static fromJSON(json: unknown): Percentage {
    return new Percentage(toDec(parseOrThrow(PercentageSchema, json)));
  }

  /** The smallest of the values (the first of equals), as a `Percentage`. */
  static min(first: DecimalInput, ...rest: readonly DecimalInput[]): Percentage {
    return rest.reduce<Percentage>((min, item) => {
      const candidate = Percentage.of(item);
      return candidate.lessThan(min) ? candidate : min;
    }, Percentage.of(first));
  }

  /** The largest of the values (the first of equals), as a `Percentage`. */
  static max(first: DecimalInput, ...rest: readonly DecimalInput[]): Percentage {
    return rest.reduce<Percentage>((max, item) => {
      const candidate = Percentage.of(item);
      return candidate.greaterThan(max) ? candidate : max;
    }, Percentage.of(first));
  }

  /** `this + other`, exact. */
  add(other: DecimalInput): Percentage {
    return new Percentage(checked(this.#value.plus(toDec(other))));
  }

  /** `this - other`, exact. */
  subtract(other: DecimalInput): Percentage {
    return new Percentage(checked(this.#value.minus(toDec(other))));
  }

  /** `this × other`, exact up to 30 fraction digits (then rounded half-even). */
  multiply(other: DecimalInput): Percentage {
    return new Percentage(checked(this.#value.times(toDec(other))));
  }

  /** `this ÷ other` to 30 fraction digits (half-even). @throws ValidationError when `other` is zero. */
  divide(other: DecimalInput): Percentage {
    return new Percentage(checked(this.#value.div(nonZeroDivisor(toDec(other), ['divisor']))));
  }

  /** The same percentage with the opposite sign. */
  negate(): Percentage {
    return this.#value.isZero() ? this : new Percentage(this.#value.negated());
  }

  /** This percentage as a fraction: 7.5 % → `"0.075"`, as a `Quantity`-compatible decimal string. */
  toFraction(): string {
    return checked(this.#value.div(100)).toFixed();
  }

  /** The absolute value. */
  abs(): Percentage {
    return this.#value.isNegative() ? new Percentage(this.#value.negated()) : this;
  }

  /**
   * Rounded to `places` fraction digits (0 to 30).
   * @param mode - @defaultValue `'half-even'`
   */
  round(places: number, mode: RoundingMode = 'half-even'): Percentage {
    return new Percentage(roundDecimal(this.#value, places, mode));
  }

  /** `-1`, `0` or `1` as this is less than, equal to or greater than `other`; a total order consistent with `equals`. */
  compare(other: DecimalInput): -1 | 0 | 1 {
    return sign(this.#value.comparedTo(toDec(other)));
  }

  /** True when the values are equal (`"1.5"` equals `"1.50"`). */
  equals(other: DecimalInput): boolean {
    return this.#value.eq(toDec(other));
  }

  /** `this > other`. */
  greaterThan(other: DecimalInput): boolean {
    return this.compare(other) > 0;
  }

  /** `this >= other`. */
  greaterThanOrEqual(other: DecimalInput): boolean {
    return this.compare(other) >= 0;
  }

  /** `this < other`. */
  lessThan(other: DecimalInput): boolean {
    return this.compare(other) < 0;
  }

  /** `this <= other`. */
  lessThanOrEqual(other: DecimalInput): boolean {
    return this.compare(other) <= 0;
  }

  /** True for zero. */
  isZero(): boolean {
    return this.#value.isZero();
  }

  /** True below zero. */
  isNegative(): boolean {
    return this.#value.isNegative() && !this.#value.isZero();
  }

  /** True above zero. */
  isPositive(): boolean {
    return this.#value.isPositive() && !this.#value.isZero();
  }

  /** The decimal string, e.g. `"1.5"`; `Percentage.fromJSON` / `Percentage.of` read it back exactly. */
  toJSON(): string {
    return this.value;
  }

  /** The decimal string, e.g. `"1.5"`. */
  toString(): string {
    return this.value;
  }
}

const ZERO = Percentage.of(0);
