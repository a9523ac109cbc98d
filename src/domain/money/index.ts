/**
 * Money and decimal value objects: `Money`, `Quantity`, `Percentage`, their zod schemas, the ISO 4217 table and
 * the `CURRENCY_MISMATCH` error. decimal.js stays behind this barrel.
 *
 * @packageDocumentation
 */
export {
  CURRENCY_CODES,
  CURRENCY_MINOR_UNITS,
  type CurrencyCode,
  currencyMinorUnit,
  isCurrencyCode,
} from './currencies.js';
export { MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS } from './decimal.js';
export type { DecimalInput } from './decimal-input.js';
export { DecimalStringSchema } from './decimal-schema.js';
export { Money } from './money.js';
export { CurrencyMismatchError } from './money-errors.js';
export { CurrencyCodeSchema, type MoneyJSON, MoneySchema } from './money-schema.js';
export { Percentage } from './percentage.js';
export { DiscountPercentageSchema, NonNegativePercentageSchema, PercentageSchema } from './percentage-schema.js';
export { Quantity } from './quantity.js';
export { NonNegativeQuantitySchema, PositiveQuantitySchema, QuantitySchema } from './quantity-schema.js';
export { ROUNDING_MODES, type RoundingMode } from './rounding-mode.js';
