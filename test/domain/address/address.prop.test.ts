import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Address } from '../../../src/domain/address/index.js';
import { addressArb, addressInputArb } from '../../../src/testing/arbitraries/address-arbitraries.js';

const RUNS = { numRuns: 300 };

describe('Address laws', () => {
  it('survives a JSON round-trip exactly', () => {
    fc.assert(
      fc.property(addressArb(), (address) => {
        const back = Address.fromJSON(JSON.parse(JSON.stringify(address)));
        expect(back.equals(address)).toBe(true);
        expect(back.toJSON()).toEqual(address.toJSON());
      }),
      RUNS,
    );
  });

  it('normalisation is idempotent: parsing a parsed address changes nothing', () => {
    fc.assert(
      fc.property(addressInputArb(), (input) => {
        const once = Address.parse(input);
        const twice = Address.parse(once.toJSON());
        expect(twice.toJSON()).toEqual(once.toJSON());
      }),
      RUNS,
    );
  });

  it('normalised fields are trimmed, single-spaced, NFC and upper-case where required', () => {
    fc.assert(
      fc.property(addressInputArb(), (input) => {
        const json = Address.parse(input).toJSON();
        for (const value of Object.values(json)) {
          expect(value).toBe(value.trim());
          expect(value).not.toMatch(/\s{2}|[\t\n]/);
          expect(value).toBe(value.normalize('NFC'));
        }
        expect(json.country).toMatch(/^[A-Z]{2}$/);
        if (json.postalCode !== undefined) expect(json.postalCode).toBe(json.postalCode.toUpperCase());
      }),
      RUNS,
    );
  });

  it('equality is reflexive, symmetric and agrees with the JSON form', () => {
    fc.assert(
      fc.property(addressArb(), addressArb(), (a, b) => {
        expect(a.equals(a)).toBe(true);
        expect(a.equals(b)).toBe(b.equals(a));
        expect(a.equals(b)).toBe(JSON.stringify(a) === JSON.stringify(b));
      }),
      RUNS,
    );
  });
});
