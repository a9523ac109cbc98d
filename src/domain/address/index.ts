/**
 * The postal `Address` value object, its zod schema and the ISO 3166-1 alpha-2 country list.
 *
 * @packageDocumentation
 */
export { Address } from './address.js';
export { AddressEventSchema, type AddressInput, type AddressJSON, AddressSchema } from './address-schema.js';
export { COUNTRY_CODES, type CountryCode, isCountryCode } from './countries.js';
