import fc from 'fast-check';
import { Address, type AddressInput, COUNTRY_CODES } from '../../domain/address/index.js';

// Letters from several scripts, including ones whose NFC and NFD forms differ (é, ü, ñ, å), so normalisation
// is exercised; no control characters, which an address refuses.
const LETTERS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüñåßøçÉÜ東京大阪ÅΩЖ'];
const DIGITS = [...'0123456789'];

function wordArb(alphabet: readonly string[], maxLength: number): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength }).map((chars) => chars.join(''));
}

function textArb(maxWords: number): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof(wordArb(LETTERS, 10), wordArb(DIGITS, 5)), { minLength: 1, maxLength: maxWords })
    .map((words) => words.join(' '));
}

const postalCodeArb = fc
  .array(wordArb([...'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'], 5), { minLength: 1, maxLength: 2 })
  .chain((parts) => fc.constantFrom(' ', '-').map((separator) => parts.join(separator)));

/**
 * Any valid input for `Address.parse`, deliberately untidy the way form data is: extra and doubled spaces,
 * tabs and line breaks, lower-case countries and postal codes, decomposed (NFD) accents, empty or `null`
 * optional fields.
 *
 * @remarks Use it to test normalisation; {@link addressArb} gives the parsed addresses.
 */
export function addressInputArb(): fc.Arbitrary<AddressInput> {
  const messy = (arb: fc.Arbitrary<string>) =>
    fc
      .tuple(arb, fc.constantFrom('', ' ', '  ', '\t', '\n'), fc.constantFrom('', ' ', '\t '), fc.boolean())
      .map(([text, before, after, decompose]) => {
        const spaced = `${before}${text.replace(/ /g, () => (text.length % 2 === 0 ? '  ' : ' '))}${after}`;
        return decompose ? spaced.normalize('NFD') : spaced;
      });
  const optional = (arb: fc.Arbitrary<string>) =>
    fc.option(fc.oneof({ arbitrary: messy(arb), weight: 4 }, fc.constantFrom('', '   ')), { nil: undefined });
  return fc
    .record({
      line1: messy(textArb(5)),
      line2: fc.oneof(optional(textArb(4)), fc.constant(null)),
      city: messy(textArb(3)),
      state: optional(textArb(2)),
      postalCode: optional(postalCodeArb.chain((code) => fc.constantFrom(code, code.toLowerCase()))),
      country: fc
        .constantFrom(...COUNTRY_CODES)
        .chain((code) => fc.constantFrom(code, code.toLowerCase(), ` ${code} `)),
    })
    .map((record): AddressInput => {
      // Leave optional keys out entirely, not `undefined`, as a JSON payload would.
      const input: { -readonly [K in keyof AddressInput]: AddressInput[K] } = {
        line1: record.line1,
        city: record.city,
        country: record.country,
      };
      if (record.line2 !== undefined) input.line2 = record.line2;
      if (record.state !== undefined) input.state = record.state;
      if (record.postalCode !== undefined) input.postalCode = record.postalCode;
      return input;
    });
}

/**
 * Any valid `Address`: every ISO 3166-1 country, optional fields present or absent, letters from several scripts.
 *
 * @remarks Built by parsing {@link addressInputArb}, so every value is already normalised.
 */
export function addressArb(): fc.Arbitrary<Address> {
  return addressInputArb().map((input) => Address.parse(input));
}
