import { parseOrThrow } from '../../kernel/validation.js';
import { type AddressInput, type AddressJSON, AddressSchema } from './address-schema.js';

/**
 * A postal address: validated, normalised and immutable, compared by value.
 *
 * @remarks
 * `Address.parse` trims every field, collapses whitespace, upper-cases the postal code and the ISO 3166-1
 * alpha-2 country, drops empty optional fields and refuses anything else with `VALIDATION_FAILED` (each issue
 * with its path). Parsing is idempotent: `Address.parse(a.toJSON())` equals `a`.
 *
 * @example
 * ```ts
 * const a = Address.parse({ line1: ' 1 Main  St ', city: 'Springfield', postalCode: 'ab1 2cd', country: 'gb' });
 * a.toJSON(); // { line1: '1 Main St', city: 'Springfield', postalCode: 'AB1 2CD', country: 'GB' }
 * ```
 */
export class Address {
  /** First address line (street and number). */
  readonly line1: string;
  /** Second address line (building, floor, c/o), when given. */
  // `declare`: no own property at all when absent, so spreads and `in` see no `undefined` field.
  declare readonly line2?: string;
  /** City or locality. */
  readonly city: string;
  /** State, province or region, when given. */
  declare readonly state?: string;
  /** Postal code, upper case, when given. */
  declare readonly postalCode?: string;
  /** ISO 3166-1 alpha-2 country code, upper case. */
  readonly country: string;

  private constructor(json: AddressJSON) {
    this.line1 = json.line1;
    if (json.line2 !== undefined) this.line2 = json.line2;
    this.city = json.city;
    if (json.state !== undefined) this.state = json.state;
    if (json.postalCode !== undefined) this.postalCode = json.postalCode;
    this.country = json.country;
    Object.freeze(this);
  }

  /**
   * Validates and normalises `input` (see {@link AddressSchema}).
   *
   * @throws ValidationError (`VALIDATION_FAILED`) listing every problem with its path, e.g. `['country']`.
   */
  static parse(input: unknown): Address {
    if (input instanceof Address) return input;
    return new Address(parseOrThrow(AddressSchema, input));
  }

  /** Reads the JSON form; the same as {@link Address.parse}, named for symmetry with {@link Address.toJSON}. */
  static fromJSON(json: unknown): Address {
    return Address.parse(json);
  }

  /** True when every field of the two (normalised) addresses is equal. */
  static equals(a: Address, b: Address): boolean {
    return (
      a.line1 === b.line1 &&
      a.line2 === b.line2 &&
      a.city === b.city &&
      a.state === b.state &&
      a.postalCode === b.postalCode &&
      a.country === b.country
    );
  }

  /** True when every field equals `other`'s. */
  equals(other: Address): boolean {
    return Address.equals(this, other);
  }

  /** A new address with some fields changed, validated and normalised again. */
  with(changes: Partial<AddressInput>): Address {
    return Address.parse({ ...this.toJSON(), ...changes });
  }

  /** The plain JSON form; optional fields that are absent are left out. */
  toJSON(): AddressJSON {
    return {
      line1: this.line1,
      ...(this.line2 === undefined ? {} : { line2: this.line2 }),
      city: this.city,
      ...(this.state === undefined ? {} : { state: this.state }),
      ...(this.postalCode === undefined ? {} : { postalCode: this.postalCode }),
      country: this.country,
    };
  }

  /** One line for logs: `"1 Main St, Springfield, AB1 2CD, GB"`. */
  toString(): string {
    const place = [this.state, this.postalCode].filter((part) => part !== undefined).join(' ');
    return [this.line1, this.line2, this.city, place || undefined, this.country]
      .filter((part) => part !== undefined)
      .join(', ');
  }
}
