import fc from 'fast-check';
import {
  CURRENCY_CODES,
  currencyMinorUnit,
  MAX_INTEGER_DIGITS,
  Money,
  type MoneyJSON,
  Percentage,
  Quantity,
} from '../../domain/money/index.js';

/** Options of {@link currencyCodeArb}. */
export interface CurrencyCodeArbOptions {
  /**
   * Only currencies with one of these minor units, e.g. `[0, 3]` for the currencies that are not two-decimal.
   * @defaultValue every currency in the ISO 4217 table
   */
  readonly minorUnits?: readonly number[];
}

/**
 * Any ISO 4217 currency code Ordo accepts (`"USD"`, `"JPY"`, `"KWD"`, `"CLF"`, ...).
 *
 * @remarks Shrinks toward the first code in alphabetical order.
 */
export function currencyCodeArb(options: CurrencyCodeArbOptions = {}): fc.Arbitrary<string> {
  const { minorUnits } = options;
  const codes =
    minorUnits === undefined
      ? CURRENCY_CODES
      : CURRENCY_CODES.filter((code) => minorUnits.includes(currencyMinorUnit(code)));
  if (codes.length === 0) throw new RangeError(`no currency has a minor unit in [${minorUnits?.join(', ')}]`);
  return fc.constantFrom(...codes);
}

/** Options of {@link decimalStringArb}, {@link quantityArb} and {@link percentageArb}. */
export interface DecimalArbOptions {
  /**
   * Smallest value, inclusive, as a decimal string.
   * @defaultValue the lower end of the supported bound, `-999999999999999.999999999` (for `percentageArb`: `"0"`)
   */
  readonly min?: string;
  /**
   * Largest value, inclusive, as a decimal string.
   * @defaultValue the upper end of the supported bound, `999999999999999.999999999` (for `percentageArb`: `"100"`)
   */
  readonly max?: string;
  /**
   * Most fraction digits a generated value has.
   * @defaultValue `9`, the most an ERP amount or quantity has
   */
  readonly maxFractionDigits?: number;
}

/** Options of {@link moneyArb} and {@link moneyJsonArb}. */
export interface MoneyArbOptions {
  /**
   * The currency of every generated amount.
   * @defaultValue any currency from {@link currencyCodeArb}
   */
  readonly currency?: string;
  /** Smallest amount, inclusive, as a decimal string. @defaultValue the lower end of the supported bound */
  readonly min?: string;
  /** Largest amount, inclusive, as a decimal string. @defaultValue the upper end of the supported bound */
  readonly max?: string;
  /**
   * Most fraction digits an amount has. Amounts mostly have exactly the currency's minor unit, sometimes fewer or
   * more (a unit rate kept to 4 decimals, say), up to this many.
   * @defaultValue `9`
   */
  readonly maxFractionDigits?: number;
}

const DEFAULT_FRACTION_DIGITS = 9;
const UPPER = `${'9'.repeat(MAX_INTEGER_DIGITS)}.${'9'.repeat(DEFAULT_FRACTION_DIGITS)}`;
const LOWER = `-${UPPER}`;

/**
 * Any plain decimal string in `[min, max]` with at most `maxFractionDigits` decimals, in canonical form
 * (`"12.5"`, `"-3"`, `"0.000000001"`).
 *
 * @remarks
 * Magnitudes are spread evenly over the number of digits, so tiny, ordinary and huge values all appear;
 * shrinks toward zero (or the bound nearest to it).
 */
export function decimalStringArb(options: DecimalArbOptions = {}): fc.Arbitrary<string> {
  const min = options.min ?? LOWER;
  const max = options.max ?? UPPER;
  const maxFractionDigits = options.maxFractionDigits ?? DEFAULT_FRACTION_DIGITS;
  checkRange(min, max, maxFractionDigits);
  return fc
    .integer({ min: 0, max: maxFractionDigits })
    .chain((scale) => scaledArb(min, max, scale))
    .map(([units, scale]) => formatScaled(units, scale));
}

/**
 * Any `Money`: any currency (or the given one) and any magnitude within the supported bound (or `[min, max]`).
 *
 * @remarks
 * Mostly amounts at the currency's minor unit (`12.34 USD`, `1234 JPY`, `1.234 KWD`), also amounts with fewer or
 * more decimals (up to `maxFractionDigits`), zero, negatives and values near the bound. Shrinks toward zero.
 */
export function moneyArb(options: MoneyArbOptions = {}): fc.Arbitrary<Money> {
  const currency = options.currency === undefined ? currencyCodeArb() : fc.constant(options.currency);
  const min = options.min ?? LOWER;
  const max = options.max ?? UPPER;
  const maxFractionDigits = options.maxFractionDigits ?? DEFAULT_FRACTION_DIGITS;
  checkRange(min, max, maxFractionDigits);
  return currency.chain((code) => {
    const minor = Math.min(currencyMinorUnit(code), maxFractionDigits);
    const scale = fc.oneof(
      { arbitrary: fc.constant(minor), weight: 3 },
      { arbitrary: fc.integer({ min: 0, max: maxFractionDigits }), weight: 1 },
    );
    return scale
      .chain((digits) => scaledArb(min, max, digits))
      .map(([units, digits]) => Money.of(formatScaled(units, digits), code));
  });
}

/** The JSON form of {@link moneyArb}'s values: `{ amount: "12.34", currency: "USD" }`, as `Money#toJSON` writes it. */
export function moneyJsonArb(options: MoneyArbOptions = {}): fc.Arbitrary<MoneyJSON> {
  return moneyArb(options).map((money) => money.toJSON());
}

/** Any `Quantity` in `[min, max]` (by default the whole supported bound, any sign), up to 9 decimals. */
export function quantityArb(options: DecimalArbOptions = {}): fc.Arbitrary<Quantity> {
  return decimalStringArb(options).map((value) => Quantity.of(value));
}

/**
 * Any `Percentage` in `[min, max]`.
 *
 * @remarks Unlike the other arbitraries it defaults to the everyday range of discounts and tax rates, 0 to 100 %.
 */
export function percentageArb(options: DecimalArbOptions = {}): fc.Arbitrary<Percentage> {
  return decimalStringArb({ min: '0', max: '100', ...options }).map((value) => Percentage.of(value));
}

function checkRange(min: string, max: string, maxFractionDigits: number): void {
  if (!Number.isInteger(maxFractionDigits) || maxFractionDigits < 0 || maxFractionDigits > 30) {
    throw new RangeError(`maxFractionDigits must be an integer from 0 to 30, got ${maxFractionDigits}`);
  }
  const scale = Math.max(fractionDigits(min), fractionDigits(max));
  if (toScaled(min, scale, 'floor') > toScaled(max, scale, 'floor')) {
    throw new RangeError(`min ${min} is greater than max ${max}`);
  }
}

// Integers in [min, max] × 10^scale, their digit count spread evenly, so every magnitude appears.
function scaledArb(min: string, max: string, scale: number): fc.Arbitrary<[bigint, number]> {
  const lo = toScaled(min, scale, 'ceil');
  const hi = toScaled(max, scale, 'floor');
  if (lo > hi) {
    // No multiple of 10^-scale lies in the range (e.g. [0.1, 0.19] with scale 0): fall back to the finest scale.
    const fine = Math.max(fractionDigits(min), fractionDigits(max));
    return fc.constant<[bigint, number]>([toScaled(min, fine, 'ceil'), fine]);
  }
  const widest = Math.max(digitCount(lo), digitCount(hi));
  return fc.integer({ min: 1, max: widest }).chain((digits) => {
    const cap = 10n ** BigInt(digits) - 1n;
    const from = lo > -cap ? lo : -cap;
    const to = hi < cap ? hi : cap;
    const range = from <= to ? { min: from, max: to } : { min: lo, max: hi };
    return fc.bigInt(range).map((units): [bigint, number] => [units, scale]);
  });
}

function digitCount(value: bigint): number {
  return (value < 0n ? -value : value).toString().length;
}

function fractionDigits(text: string): number {
  const dot = text.indexOf('.');
  return dot === -1 ? 0 : text.length - dot - 1;
}

// `text × 10^scale` rounded toward -∞ (floor) or +∞ (ceil), exactly, with bigint.
function toScaled(text: string, scale: number, direction: 'floor' | 'ceil'): bigint {
  if (!/^-?\d+(?:\.\d+)?$/.test(text)) throw new RangeError(`"${text}" is not a plain decimal string`);
  const negative = text.startsWith('-');
  const [integer = '0', fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const kept = fraction.slice(0, scale).padEnd(scale, '0');
  const dropped = fraction.slice(scale);
  let magnitude = BigInt(integer + kept);
  const inexact = /[1-9]/.test(dropped);
  // Truncation moved the value toward zero; step one unit away from zero when that went the wrong way.
  if (inexact && ((negative && direction === 'floor') || (!negative && direction === 'ceil'))) magnitude += 1n;
  return negative ? -magnitude : magnitude;
}

function formatScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const integer = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${integer}${fraction === '' ? '' : `.${fraction}`}`;
}
