import { describe, expect, it } from 'vitest';
import {
  Address,
  AddressEventSchema,
  AddressSchema,
  COUNTRY_CODES,
  isCountryCode,
} from '../../../src/domain/address/index.js';
import { ValidationError } from '../../../src/kernel/errors.js';

const base = { line1: '1 Main St', city: 'Springfield', country: 'US' };

function issuesOf(input: unknown): { path: readonly (string | number)[]; code: string }[] {
  try {
    Address.parse(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('VALIDATION_FAILED');
    return (error as ValidationError).issues.map(({ path, code }) => ({ path, code }));
  }
  throw new Error('expected Address.parse to throw');
}

describe('Address.parse', () => {
  it('trims fields, collapses whitespace and upper-cases country and postal code', () => {
    const address = Address.parse({
      line1: '  1   Main\tSt ',
      line2: ' Flat\n2 ',
      city: ' Springfield ',
      state: ' IL ',
      postalCode: ' sw1a  1aa ',
      country: ' gb ',
    });
    expect(address.toJSON()).toEqual({
      line1: '1 Main St',
      line2: 'Flat 2',
      city: 'Springfield',
      state: 'IL',
      postalCode: 'SW1A 1AA',
      country: 'GB',
    });
  });

  it('drops optional fields that are empty, blank or null', () => {
    const address = Address.parse({ ...base, line2: '   ', state: null, postalCode: '' });
    expect(address.toJSON()).toEqual(base);
    expect('line2' in address).toBe(false);
  });

  it('normalises Unicode to NFC, so composed and decomposed accents are one address', () => {
    const composed = Address.parse({ ...base, city: 'Besançon', country: 'FR' });
    const decomposed = Address.parse({ ...base, city: 'Besanc\u0327on', country: 'FR' });
    expect(Address.equals(composed, decomposed)).toBe(true);
  });

  it('checks the country against the complete ISO 3166-1 alpha-2 list', () => {
    expect(COUNTRY_CODES).toHaveLength(249);
    expect(isCountryCode('DE')).toBe(true);
    expect(issuesOf({ ...base, country: 'XK' })).toEqual([{ path: ['country'], code: 'custom' }]);
    expect(issuesOf({ ...base, country: 'UK' })).toEqual([{ path: ['country'], code: 'custom' }]);
    expect(issuesOf({ ...base, country: 'USA' })).toEqual([{ path: ['country'], code: 'custom' }]);
  });

  it('requires line1, city and country, with a path for each', () => {
    expect(issuesOf({}).map((issue) => issue.path)).toEqual([['line1'], ['city'], ['country']]);
    expect(issuesOf({ ...base, line1: '   ' })).toEqual([{ path: ['line1'], code: 'too_small' }]);
  });

  it('refuses over-long fields, control characters and bad postal codes', () => {
    expect(issuesOf({ ...base, line1: 'x'.repeat(201) })).toEqual([{ path: ['line1'], code: 'too_big' }]);
    expect(issuesOf({ ...base, city: 'Spring\u0000field' })).toEqual([{ path: ['city'], code: 'custom' }]);
    expect(issuesOf({ ...base, postalCode: '12#45' })[0]?.path).toEqual(['postalCode']);
    expect(issuesOf({ ...base, postalCode: '1'.repeat(21) })[0]?.path).toEqual(['postalCode']);
  });

  it('refuses unknown keys rather than dropping the data', () => {
    expect(issuesOf({ ...base, postcode: '12345' })).toEqual([{ path: ['postcode'], code: 'unrecognized_keys' }]);
  });

  it('refuses what is not an object', () => {
    expect(issuesOf(null)).toEqual([{ path: [], code: 'invalid_type' }]);
    expect(issuesOf('1 Main St')).toEqual([{ path: [], code: 'invalid_type' }]);
  });

  it('is immutable', () => {
    const address = Address.parse(base);
    expect(Object.isFrozen(address)).toBe(true);
    expect(Reflect.set(address, 'city', 'Shelbyville')).toBe(false);
  });
});

describe('Address equality and JSON', () => {
  it('compares by value', () => {
    expect(Address.parse(base).equals(Address.parse({ ...base, city: ' Springfield' }))).toBe(true);
    expect(Address.parse(base).equals(Address.parse({ ...base, postalCode: '62701' }))).toBe(false);
    expect(Address.equals(Address.parse(base), Address.parse({ ...base, country: 'CA' }))).toBe(false);
  });

  it('writes JSON without absent optional fields and reads it back', () => {
    const address = Address.parse({ ...base, postalCode: '62701' });
    expect(JSON.parse(JSON.stringify(address))).toEqual({ ...base, postalCode: '62701' });
    expect(Address.fromJSON(address.toJSON()).equals(address)).toBe(true);
  });

  it('derives a changed address with `with`, validated again', () => {
    const address = Address.parse({ ...base, line2: 'Flat 2' });
    expect(address.with({ city: ' Shelbyville ' }).city).toBe('Shelbyville');
    expect(address.with({ line2: undefined }).toJSON()).toEqual(base);
    expect(() => address.with({ country: 'ZZ' })).toThrow(ValidationError);
  });

  it('prints one line', () => {
    expect(String(Address.parse({ ...base, state: 'IL', postalCode: '62701' }))).toBe(
      '1 Main St, Springfield, IL 62701, US',
    );
  });

  it('has a schema that outputs the normalised JSON form, for commands', () => {
    expect(AddressSchema.parse({ ...base, country: 'us', line2: '' })).toEqual(base);
  });
});

describe('AddressEventSchema (stored events)', () => {
  const messy = { line1: ' 1  Main St ', line2: '  ', city: 'Springfield', postalCode: ' 62701 ', country: ' us ' };

  it('validates and normalises the known fields exactly as AddressSchema does', () => {
    expect(AddressEventSchema.parse(messy)).toEqual(AddressSchema.parse(messy));
    expect(AddressEventSchema.parse(messy)).toEqual({ ...base, postalCode: '62701' });
  });

  it('drops unknown keys where AddressSchema refuses them', () => {
    const withExtra = { ...messy, postcode: '12345', geo: { lat: 1 } };
    expect(AddressEventSchema.parse(withExtra)).toEqual({ ...base, postalCode: '62701' });
    expect(AddressSchema.safeParse(withExtra).success).toBe(false);
  });

  it('still refuses invalid known fields, with the same paths', () => {
    const result = AddressEventSchema.safeParse({ ...base, country: 'XK', city: ' ', extra: 1 });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['city'], ['country']]);
  });
});
