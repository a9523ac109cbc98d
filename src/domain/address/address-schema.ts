import { z } from 'zod';
import { isCountryCode } from './countries.js';

/** The JSON form of an {@link Address}: normalised strings; absent optional fields are left out, never `null`. */
export interface AddressJSON {
  readonly line1: string;
  readonly line2?: string;
  readonly city: string;
  readonly state?: string;
  readonly postalCode?: string;
  /** ISO 3166-1 alpha-2, upper case. */
  readonly country: string;
}

/** What {@link AddressSchema} accepts: like {@link AddressJSON}, before trimming and case folding. */
export interface AddressInput {
  readonly line1: string;
  readonly line2?: string | null | undefined;
  readonly city: string;
  readonly state?: string | null | undefined;
  readonly postalCode?: string | null | undefined;
  readonly country: string;
}

// Unicode NFC so that a composed and a decomposed "é" are one address; any run of whitespace (tabs and line
// breaks pasted from a form included) becomes one space.
function tidy(value: string): string {
  return value.normalize('NFC').replace(/\s+/g, ' ').trim();
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function text(max: number) {
  return z
    .string()
    .transform(tidy)
    .pipe(
      z
        .string()
        .min(1, { error: 'must not be empty' })
        .max(max, { error: `must be at most ${max} characters` })
        .refine((value) => !CONTROL.test(value), { error: 'must not contain control characters' }),
    );
}

// An optional field given as "", "   " or null is the same as one not given.
function optionalText(
  max: number,
  extra: (value: z.ZodType<string, string>) => z.ZodType<string, string> = (value) => value,
) {
  return z
    .string()
    .nullish()
    .transform((value) => (value == null ? undefined : tidy(value) || undefined))
    .pipe(
      extra(
        z
          .string()
          .max(max, { error: `must be at most ${max} characters` })
          .refine((value) => !CONTROL.test(value), { error: 'must not contain control characters' }),
      ).optional(),
    )
    .optional();
}

const PostalCodeSchema = optionalText(20, (value) =>
  value
    .transform((code) => code.toUpperCase())
    .pipe(
      z.string().regex(/^[A-Z0-9](?:[A-Z0-9 -]*[A-Z0-9])?$/, {
        error: 'must contain only letters, digits, spaces and hyphens',
      }),
    ),
);

const CountrySchema = z
  .string()
  .transform((value) => value.trim().toUpperCase())
  .pipe(
    z.string().refine(isCountryCode, {
      error: (issue) => `"${String(issue.input)}" is not an ISO 3166-1 alpha-2 country code (e.g. "US", "DE")`,
    }),
  );

const AddressShape = {
  line1: text(200),
  line2: optionalText(200),
  city: text(100),
  state: optionalText(100),
  postalCode: PostalCodeSchema,
  country: CountrySchema,
};

interface ParsedAddress {
  readonly line1: string;
  readonly line2?: string | undefined;
  readonly city: string;
  readonly state?: string | undefined;
  readonly postalCode?: string | undefined;
  readonly country: string;
}

// Build the result key by key so that absent fields stay absent (exactOptionalPropertyTypes).
function toAddressJSON({ line1, line2, city, state, postalCode, country }: ParsedAddress): AddressJSON {
  return {
    line1,
    ...(line2 === undefined ? {} : { line2 }),
    city,
    ...(state === undefined ? {} : { state }),
    ...(postalCode === undefined ? {} : { postalCode }),
    country,
  };
}

/**
 * Validates and normalises a postal address: every text field trimmed, whitespace runs collapsed, Unicode NFC;
 * empty optional fields dropped; postal code and country upper-cased; the country checked against the complete
 * ISO 3166-1 alpha-2 list.
 *
 * @remarks
 * Limits: `line1`, `line2` 200 characters, `city`, `state` 100, `postalCode` 20 (letters, digits, spaces,
 * hyphens). Unknown keys are refused, so a misspelt `postcode` is an error rather than lost data. The output is
 * an {@link AddressJSON}; `Address.parse` wraps it in an `Address`. Commands use it; stored events use the lenient
 * {@link AddressEventSchema}.
 */
export const AddressSchema: z.ZodType<AddressJSON, AddressInput> = z
  .strictObject(AddressShape)
  .transform(toAddressJSON);

/**
 * The lenient twin of {@link AddressSchema}, for reading stored events: the known fields are validated and
 * normalised exactly alike, but unknown keys are dropped instead of refused, so an address written by another
 * version of Ordo (with a field this one does not know) can still be read.
 *
 * @remarks
 * Every event schema that carries an address (the Customer events' `billingAddress` and `shippingAddress`) uses
 * it; commands and use-case inputs keep the strict {@link AddressSchema}.
 */
export const AddressEventSchema: z.ZodType<AddressJSON, AddressInput> = z.object(AddressShape).transform(toAddressJSON);
