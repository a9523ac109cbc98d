/*
 * The private decimal arithmetic of Ordo. decimal.js is imported here and nowhere outside `domain/money/`,
 * so the rest of Ordo (and every host) only ever sees `Money`, `Quantity`, `Percentage` and decimal strings.
 * Only the two bound constants are public.
 */
import { Decimal } from 'decimal.js';
import { ValidationError, type ValidationIssue } from '../../kernel/errors.js';

/**
 * Most integer digits a value may have: |value| < 10^15, a quadrillion — more than any ERP amount or quantity.
 * Values beyond it are refused (input and arithmetic results alike) rather than rounded.
 */
export const MAX_INTEGER_DIGITS = 15;

/**
 * Most fraction digits a value may have. ERP amounts use at most 9; the extra room keeps products of such
 * values exact (rate × quantity × percentage / 100 needs up to 9 + 9 + 9 + 2 = 29). Input with more digits is refused;
 * `multiply`, `divide` and `percentage` results needing more are rounded half-even at this digit.
 */
export const MAX_FRACTION_DIGITS = 30;

/**
 * Working precision in significant digits. Any product of two in-bound values (at most 2 × 45 digits) is exact
 * before it is brought back to {@link MAX_FRACTION_DIGITS}, so that is the only place a result is rounded.
 */
const PRECISION = 100;

/** @internal Decimal.js constructor private to Ordo: a clone, so a host's `Decimal.set(...)` can never change our results. */
export const Dec = Decimal.clone({
  precision: PRECISION,
  rounding: Decimal.ROUND_HALF_EVEN,
  // Never switch to exponent notation: every string Ordo emits is a plain decimal.
  toExpNeg: -9e15,
  toExpPos: 9e15,
});

/** @internal A decimal.js value made by {@link Dec}. */
export type Dec = Decimal;

/** @internal One of decimal.js's rounding constants. */
export type DecRounding = Decimal.Rounding;

/** @internal A plain decimal string: optional minus, digits, optional fraction. No exponent, no plus sign, no spaces. */
export const DECIMAL_PATTERN = /^-?\d+(?:\.\d+)?$/;

/** @internal Why `text` (already matching {@link DECIMAL_PATTERN}) is out of bound, or `undefined` when it is in bound. */
export function decimalStringBoundProblem(text: string): string | undefined {
  const unsigned = text.startsWith('-') ? text.slice(1) : text;
  const dot = unsigned.indexOf('.');
  const integerPart = (dot === -1 ? unsigned : unsigned.slice(0, dot)).replace(/^0+/, '');
  const fractionPart = dot === -1 ? '' : unsigned.slice(dot + 1).replace(/0+$/, '');
  if (integerPart.length > MAX_INTEGER_DIGITS) {
    return `has ${integerPart.length} integer digits; at most ${MAX_INTEGER_DIGITS} are supported`;
  }
  if (fractionPart.length > MAX_FRACTION_DIGITS) {
    return `has ${fractionPart.length} fraction digits; at most ${MAX_FRACTION_DIGITS} are supported`;
  }
  return undefined;
}

// Quantity and Percentage register a reader of their decimal here, so that this module needs no runtime import of
// them (they import it), and so the decimal never appears on their public type. A reader per class (rather than a
// table of every instance) keeps creating a value free of any bookkeeping.
type DecimalReader = (value: object) => Dec | undefined;
const readers: DecimalReader[] = [];

/** @internal Lets a `Quantity` or a `Percentage` be used as a `DecimalInput`: `read` returns the decimal of its own instances. */
export function registerDecimalReader(read: DecimalReader): void {
  readers.push(read);
}

/*
 * Validated decimal strings and integer numbers, parsed. Amounts, rates and quantities recur (a state is folded from
 * the strings it keeps), and checking and parsing a string costs many times the lookup. A small direct-mapped cache: a
 * value goes to the slot its hash picks, replacing whatever was there, so it costs nothing to keep bounded. Only
 * inputs that passed every check are stored, so a hit is exactly the value the checks would let through; decimals are
 * immutable, so sharing one is safe.
 */
const PARSED_SLOTS = 1024; // a power of two
/** Longer strings (leading zeros, mostly) are parsed every time rather than hashed. */
const PARSED_MAX_LENGTH = 64;
const parsedInputs: (string | number | undefined)[] = new Array<undefined>(PARSED_SLOTS).fill(undefined);
const parsedValues: (Dec | undefined)[] = new Array<undefined>(PARSED_SLOTS).fill(undefined);

function slotOf(input: string | number): number {
  if (typeof input === 'number') return (input | 0) & (PARSED_SLOTS - 1);
  let hash = 0;
  for (let index = 0; index < input.length; index++) hash = (Math.imul(hash, 31) + input.charCodeAt(index)) | 0;
  return hash & (PARSED_SLOTS - 1);
}

function remembered(input: string | number, slot: number): Dec | undefined {
  return parsedInputs[slot] === input ? parsedValues[slot] : undefined;
}

function remember(input: string | number, slot: number, value: Dec): Dec {
  if (slot >= 0) {
    parsedInputs[slot] = input;
    parsedValues[slot] = value;
  }
  return value;
}

function fail(path: readonly (string | number)[], message: string, code: string): never {
  const issue: ValidationIssue = { path, message, code };
  throw new ValidationError([issue]);
}

/** @internal Turns a `DecimalInput` into an exact decimal, or throws `VALIDATION_FAILED` with an issue at `path`. */
export function toDec(input: unknown, path: readonly (string | number)[] = []): Dec {
  if (typeof input === 'string') {
    const slot = input.length <= PARSED_MAX_LENGTH ? slotOf(input) : -1;
    const known = slot >= 0 ? remembered(input, slot) : undefined;
    if (known !== undefined) return known;
    if (!DECIMAL_PATTERN.test(input)) {
      fail(
        path,
        `${preview(input)} is not a plain decimal string such as "12.34" (no exponent, spaces or "+")`,
        'invalid_format',
      );
    }
    const problem = decimalStringBoundProblem(input);
    if (problem !== undefined) fail(path, `${preview(input)} ${problem}`, 'too_big');
    return remember(input, slot, normalise(new Dec(input)));
  }
  if (typeof input === 'number') {
    const slot = slotOf(input);
    const known = remembered(input, slot);
    if (known !== undefined) return known;
    if (!Number.isInteger(input)) {
      fail(
        path,
        `${input} is a non-integer JS number, which is not exact; pass decimals as strings (e.g. "12.5")`,
        'invalid_type',
      );
    }
    if (Math.abs(input) >= 10 ** MAX_INTEGER_DIGITS) {
      fail(path, `${input} has more than ${MAX_INTEGER_DIGITS} integer digits`, 'too_big');
    }
    return remember(input, slot, normalise(new Dec(input)));
  }
  if (typeof input === 'object' && input !== null) {
    for (const read of readers) {
      const known = read(input);
      if (known !== undefined) return known;
    }
  }
  return fail(
    path,
    `expected a decimal string, an integer number, a Quantity or a Percentage, got ${describe(input)}`,
    'invalid_type',
  );
}

// Messages quote the input, but a pasted megabyte of digits should not end up in every log line.
function preview(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}

/** Drops the sign of zero, so `-0` and `0` are one value with one string. */
function normalise(value: Dec): Dec {
  return value.isZero() && value.isNegative() ? new Dec(0) : value;
}

/**
 * @internal
 * Brings an arithmetic result back into bound: rounds half-even to {@link MAX_FRACTION_DIGITS} fraction digits
 * (a no-op for sums, differences and products of in-bound ERP values) and refuses a result of 10^15 or more.
 */
export function checked(value: Dec, path: readonly (string | number)[] = []): Dec {
  const result = normalise(
    value.decimalPlaces() > MAX_FRACTION_DIGITS
      ? value.toDecimalPlaces(MAX_FRACTION_DIGITS, Dec.ROUND_HALF_EVEN)
      : value,
  );
  // `e` is the exponent of the leading digit, so |result| >= 10^15 exactly when e >= 15 (zero has e = 0).
  if (result.e >= MAX_INTEGER_DIGITS) {
    fail(
      path,
      `result ${result.toFixed()} is beyond the supported bound (less than 10^${MAX_INTEGER_DIGITS} in absolute value)`,
      'too_big',
    );
  }
  return result;
}

/** @internal Refuses a zero divisor with `VALIDATION_FAILED`. */
export function nonZeroDivisor(value: Dec, path: readonly (string | number)[]): Dec {
  if (value.isZero()) fail(path, 'cannot divide by zero', 'division_by_zero');
  return value;
}

/** @internal Checks that `places` is an integer between 0 and {@link MAX_FRACTION_DIGITS}. */
export function checkPlaces(places: number, path: readonly (string | number)[] = ['places']): number {
  if (!Number.isInteger(places) || places < 0 || places > MAX_FRACTION_DIGITS) {
    fail(path, `places must be an integer from 0 to ${MAX_FRACTION_DIGITS}, got ${String(places)}`, 'invalid_value');
  }
  return places;
}

/** @internal `-1`, `0` or `1`, as a narrow type. */
export function sign(value: number): -1 | 0 | 1 {
  return value < 0 ? -1 : value > 0 ? 1 : 0;
}
