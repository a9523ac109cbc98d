import { z } from 'zod';
import { isCurrencyCode, unknownCurrencyMessage } from './currencies.js';
import { DecimalStringSchema } from './decimal-schema.js';

/** The JSON form of a {@link Money}: `{ amount: "12.34", currency: "USD" }`. The amount is never a JS number. */
export interface MoneyJSON {
  /** Decimal string; `Money#toJSON` writes the canonical form, with at least the currency's minor-unit decimals. */
  readonly amount: string;
  /** ISO 4217 alphabetic code, upper case. */
  readonly currency: string;
}

/** An ISO 4217 currency code Ordo accepts (see `CURRENCY_MINOR_UNITS`), upper case: `"USD"`, `"JPY"`. */
export const CurrencyCodeSchema: z.ZodType<string> = z.string().superRefine((value, ctx) => {
  if (!isCurrencyCode(value)) ctx.addIssue({ code: 'custom', message: unknownCurrencyMessage(value), input: value });
});

/**
 * Validates the JSON form of a {@link Money}: `{ amount: <decimal string>, currency: <ISO 4217 code> }`.
 *
 * @remarks
 * Use it inside event and command schemas; turn the parsed value into a `Money` with `Money.fromJSON`. Issues
 * carry paths (`['amount']`, `['currency']`), prefixed with wherever the schema is nested.
 */
export const MoneySchema: z.ZodType<MoneyJSON> = z.object({
  amount: DecimalStringSchema,
  currency: CurrencyCodeSchema,
});
