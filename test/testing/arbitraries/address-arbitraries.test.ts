import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Address, COUNTRY_CODES } from '../../../src/domain/address/index.js';
import { addressArb, addressInputArb } from '../../../src/testing/arbitraries/address-arbitraries.js';

describe('address arbitraries', () => {
  it('addressInputArb gives input Address.parse accepts, and addressArb parsed addresses', () => {
    fc.assert(
      fc.property(addressInputArb(), addressArb(), (input, address) => {
        expect(() => Address.parse(input)).not.toThrow();
        expect(address).toBeInstanceOf(Address);
      }),
      { numRuns: 300 },
    );
  });

  it('addressArb covers optional fields present and absent, and many countries', () => {
    const samples = fc.sample(addressArb(), { numRuns: 1000, seed: 7 });
    expect(samples.some((address) => address.postalCode === undefined)).toBe(true);
    expect(samples.some((address) => address.postalCode !== undefined)).toBe(true);
    expect(samples.some((address) => address.line2 !== undefined)).toBe(true);
    expect(new Set(samples.map((address) => address.country)).size).toBeGreaterThan(COUNTRY_CODES.length / 2);
  });
});
