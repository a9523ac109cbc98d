import { describe, expect, it } from 'vitest';
import { createItemGroupTree } from '../../../src/domain/item/index.js';
import {
  priceLine,
  promotionalSchemeRules,
  seedBulkDiscountRule,
  seedPricing,
  seedPricingRules,
} from '../../../src/domain/pricing/index.js';

const tree = createItemGroupTree([{ id: 'All Item Groups' }, { id: 'Widgets', parent: 'All Item Groups' }]);
const item = {
  itemCode: 'WIDGET',
  itemGroup: 'Widgets',
  brand: null,
  stockUnit: 'Nos',
  unitConversions: [],
  standardRate: { amount: '10.00', currency: 'USD' },
  maxDiscount: null,
};

describe('promotional schemes', () => {
  const scheme = {
    id: 'SUMMER',
    title: 'Summer',
    applyOn: { kind: 'item_code' as const, itemCodes: ['WIDGET'] },
    slabs: [
      { minQty: '10', maxQty: '49', action: { kind: 'discount_percentage' as const, percentage: '5' } },
      { minQty: '50', action: { kind: 'discount_percentage' as const, percentage: '10' } },
    ],
  };

  it('generates one pricing rule per quantity slab, carrying the scheme conditions', () => {
    const rules = promotionalSchemeRules(scheme);
    expect(rules.map((rule) => [rule.id, rule.minQty, rule.maxQty])).toEqual([
      ['SUMMER#1', '10', '49'],
      ['SUMMER#2', '50', null],
    ]);
    expect(rules[0]?.applyOn).toEqual(scheme.applyOn);
  });

  it('prices each quantity by the slab it falls in', () => {
    const catalog = { itemPrices: [], pricingRules: promotionalSchemeRules(scheme) };
    const at = (qty: string) => priceLine({ date: '2026-07-01', currency: 'USD', item, qty }, catalog);
    expect(at('9').appliedRules).toEqual([]);
    expect(at('49').appliedRules).toEqual(['SUMMER#1']);
    expect(at('50').rate.amount).toBe('9.00');
  });

  it('refuses overlapping slabs with the path of the later slab', () => {
    const overlapping = {
      ...scheme,
      slabs: [
        { minQty: '10', maxQty: '50', action: { kind: 'discount_percentage' as const, percentage: '5' } },
        { minQty: '50', action: { kind: 'discount_percentage' as const, percentage: '10' } },
      ],
    };
    expect(() => promotionalSchemeRules(overlapping)).toThrow(
      expect.objectContaining({
        issues: [expect.objectContaining({ path: ['slabs', 1, 'minQty'], code: 'overlapping_slabs' })],
      }),
    );
  });
});

describe('seed pricing defaults, as data', () => {
  const catalog = { itemPrices: [], pricingRules: seedPricingRules, itemGroups: tree };
  const at = (qty: string) => priceLine({ date: '2026-07-01', currency: 'USD', item, qty }, catalog);

  it('gives 5% off at 100 units or more, stacked with the promotional discount', () => {
    expect(at('99').appliedRules).toEqual(['seed-promotion#2']);
    expect(at('100').appliedRules).toEqual(['seed-bulk-5-percent', 'seed-promotion#2']);
    expect(at('100').rate.amount).toBe('9.20');
  });

  it('gives the promotional discount from 10 units', () => {
    expect(at('9').appliedRules).toEqual([]);
    expect(at('10').rate.amount).toBe('9.80');
  });

  it('ships the price lists the customer override chooses between, and the rules, as plain data', () => {
    expect(seedPricing.defaultPriceListId).toBe('Standard Selling');
    expect(seedPricing.priceLists.map((command) => command.priceListId)).toEqual(['Standard Selling', 'Wholesale']);
    expect(seedPricing.pricingRules).toContain(seedBulkDiscountRule);
    expect(JSON.parse(JSON.stringify(seedPricing.pricingRules))).toEqual(seedPricing.pricingRules);
  });
});
