import { parseOrThrow } from '../../kernel/validation.js';
import { checked, type Dec, nonZeroDivisor, registerDecimalReader, sign, toDec } from './decimal.js';
import type { DecimalInput } from './decimal-input.js';
import { roundDecimal } from './money-round.js';
import { QuantitySchema } from './quantity-schema.js';
import type { RoundingMode } from './rounding-mode.js';

/**
 * An exact decimal number for quantities, conversion factors and ratios: immutable, never a JS float. Its JSON
 * form is the decimal string (`"1.5"`), like a `Money` amount.
 *
 * @remarks
 * Same bound as `Money` (15 integer and 30 fraction digits; beyond it `VALIDATION_FAILED`). Negative values are
 * allowed, as for returns; refuse them at the boundary with `NonNegativeQuantitySchema` or
 * `PositiveQuantitySchema`. A `Quantity` can be passed wherever a {@link DecimalInput} is expected, e.g.
 * `rate.multiply(qty)`.
 */
export class Quantity {
  /** Canonical decimal string, no trailing zeros: `"1.5"`, `"10"`, `"-2"`. Equal quantities have equal strings. */
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
   * The exact quantity `value`.
   * @throws ValidationError (`VALIDATION_FAILED`) for a non-integer JS number, a malformed string or a value out
   *   of bound.
   */
  static of(value: DecimalInput): Quantity {
    return value instanceof Quantity ? value : new Quantity(toDec(value));
  }

  /** The quantity 0. */
  static zero(): Quantity {
    return ZERO;
  }

  /**
   * Reads the JSON form (a decimal string, see `QuantitySchema`); the inverse of {@link Quantity.toJSON}.
   * @throws ValidationError (`VALIDATION_FAILED`) for anything else, a JS number included.
   */
  static fromJSON(json: unknown): Quantity {
    return new Quantity(toDec(parseOrThrow(QuantitySchema, json)));
  }

  /** The smallest of the values (the first of equals), as a `Quantity`. */
  static min(first: DecimalInput, ...rest: readonly DecimalInput[]): Quantity {
    return rest.reduce<Quantity>((min, item) => {
      const candidate = Quantity.of(item);
      return candidate.lessThan(min) ? candidate : min;
    }, Quantity.of(first));
  }

  /** The largest of the values (the first of equals), as a `Quantity`. */
  static max(first: DecimalInput, ...rest: readonly DecimalInput[]): Quantity {
    return rest.reduce<Quantity>((max, item) => {
      const candidate = Quantity.of(item);
      return candidate.greaterThan(max) ? candidate : max;
    }, Quantity.of(first));
  }

  /** `this + other`, exact. */
  add(other: DecimalInput): Quantity {
    return new Quantity(checked(this.#value.plus(toDec(other))));
  }

  /** `this - other`, exact. */
  subtract(other: DecimalInput): Quantity {
    return new Quantity(checked(this.#value.minus(toDec(other))));
  }

  /** `this × other`, exact up to 30 fraction digits (then rounded half-even). */
  multiply(other: DecimalInput): Quantity {
    return new Quantity(checked(this.#value.times(toDec(other))));
  }

  /** `this ÷ other` to 30 fraction digits (half-even). @throws ValidationError when `other` is zero. */
  divide(other: DecimalInput): Quantity {
    return new Quantity(checked(this.#value.div(nonZeroDivisor(toDec(other), ['divisor']))));
  }

  /** The same quantity with the opposite sign. */
  negate(): Quantity {
    return this.#value.isZero() ? this : new Quantity(this.#value.negated());
  }

  /** The absolute value. */
  abs(): Quantity {
    return this.#value.isNegative() ? new Quantity(this.#value.negated()) : this;
  }

  /**
   * Rounded to `places` fraction digits (0 to 30), e.g. to a unit of measure's precision.
   * @param mode - @defaultValue `'half-even'`
   */
  round(places: number, mode: RoundingMode = 'half-even'): Quantity {
    return new Quantity(roundDecimal(this.#value, places, mode));
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

  /** The decimal string, e.g. `"1.5"`; `Quantity.fromJSON` / `Quantity.of` read it back exactly. */
  toJSON(): string {
    return this.value;
  }

  /** The decimal string, e.g. `"1.5"`. */
  toString(): string {
    return this.value;
  }
}

const ZERO = Quantity.of(0);
