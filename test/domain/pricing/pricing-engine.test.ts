import { describe, expect, it } from 'vitest';
import { createItemGroupTree, type ItemGroupTree } from '../../../src/domain/item/index.js';
import type { ItemPrice } from '../../../src/domain/price-list/index.js';
import {
  definePricingRule,
  type PricingCatalog,
  type PricingItem,
  type PricingRequest,
  type PricingRuleInput,
  priceLine,
} from '../../../src/domain/pricing/index.js';
import { DomainRuleError } from '../../../src/kernel/errors.js';

const tree: ItemGroupTree = createItemGroupTree([
  { id: 'All Item Groups' },
  { id: 'Products', parent: 'All Item Groups' },
  { id: 'Widgets', parent: 'Products' },
]);
const item: PricingItem = {
  itemCode: 'WIDGET',
  itemGroup: 'Widgets',
  brand: 'Acme',
  stockUnit: 'Nos',
  unitConversions: [{ unit: 'Box', factor: '12' }],
  standardRate: { amount: '9.00', currency: 'USD' },
  maxDiscount: null,
};
const customer = { customerId: 'CUST-1', customerGroup: 'Retail', defaultPriceList: null };

function price(itemPriceId: string, priceListId: string, amount: string, extra: Partial<ItemPrice> = {}): ItemPrice {
  return {
    itemPriceId,
    priceListId,
    itemCode: 'WIDGET',
    unit: null,
    customerId: null,
    validFrom: null,
    validUpto: null,
    rate: { amount, currency: 'USD' },
    ...extra,
  } as ItemPrice;
}
const prices = [price('std', 'Standard Selling', '10.00'), price('wh', 'Wholesale', '8.00')];

function rule(
  id: string,
  input: Omit<PricingRuleInput, 'id' | 'applyOn'> & Partial<Pick<PricingRuleInput, 'applyOn'>>,
) {
  return definePricingRule({ id, applyOn: { kind: 'item_code', itemCodes: ['WIDGET'] }, ...input });
}
const pct = (percentage: string) => ({ kind: 'discount_percentage' as const, percentage });

function quote(
  rules: ReturnType<typeof rule>[],
  request: Partial<PricingRequest> = {},
  catalog: Partial<PricingCatalog> = {},
) {
  return priceLine(
    { date: '2026-03-01', currency: 'USD', customer, item, qty: '1', ...request },
    { itemPrices: prices, pricingRules: rules, itemGroups: tree, defaultPriceListId: 'Standard Selling', ...catalog },
  );
}

describe('price-list rate', () => {
  it("uses the default selling price list, overridden by the customer's default, overridden by the line's", () => {
    expect(quote([]).rate.amount).toBe('10.00');
    const wholesale = quote([], { customer: { ...customer, defaultPriceList: 'Wholesale' } });
    expect(wholesale.rate.amount).toBe('8.00');
    expect(wholesale.explanation[0]?.message).toContain('overriding "Standard Selling"');
    expect(
      quote([], { customer: { ...customer, defaultPriceList: 'Wholesale' }, priceListId: 'Standard Selling' }).rate
        .amount,
    ).toBe('10.00');
  });

  it("falls back to the item's standard rate times the conversion factor when the list has no price", () => {
    const result = quote([], { unit: 'Box' }, { itemPrices: [] });
    expect(result.rateSource).toBe('standard_rate');
    expect(result.rate.amount).toBe('108.00');
  });

  it('prices at zero, with source none, when nothing prices the item', () => {
    const result = quote([], { item: { ...item, standardRate: null } }, { itemPrices: [], defaultPriceListId: null });
    expect(result.rateSource).toBe('none');
    expect(result.rate.isZero()).toBe(true);
  });

  it('refuses a price list that prices the item in another currency', () => {
    expect(() =>
      quote(
        [],
        {},
        { itemPrices: [price('eur', 'Standard Selling', '1', { rate: { amount: '1', currency: 'EUR' } })] },
      ),
    ).toThrow(expect.objectContaining({ rule: 'PRICE_LIST_CURRENCY_MISMATCH' }));
  });
});

describe('pricing rule matching', () => {
  it('searches item code, then item group, then brand, and stops at the first level that matches', () => {
    const rules = [
      rule('by-code', { action: pct('10') }),
      rule('by-group', { applyOn: { kind: 'item_group', itemGroups: ['Widgets'] }, action: pct('20'), priority: 9 }),
      rule('by-brand', { applyOn: { kind: 'brand', brands: ['Acme'] }, action: pct('30'), priority: 9 }),
    ];
    expect(quote(rules).appliedRules).toEqual(['by-code']);
    expect(quote(rules.slice(1)).appliedRules).toEqual(['by-group']);
    expect(quote(rules.slice(2)).appliedRules).toEqual(['by-brand']);
    expect(quote(rules).ruleLevel).toBe('item_code');
  });

  it('matches item-group rules on any ancestor of the item group', () => {
    const result = quote([
      rule('root', { applyOn: { kind: 'item_group', itemGroups: ['All Item Groups'] }, action: pct('5') }),
    ]);
    expect(result.appliedRules).toEqual(['root']);
    const withoutTree = quote(
      [rule('root', { applyOn: { kind: 'item_group', itemGroups: ['All Item Groups'] }, action: pct('5') })],
      {},
      { itemGroups: undefined },
    );
    expect(withoutTree.appliedRules).toEqual([]);
  });

  it('refuses an item whose group is not in the tree (ITEM_GROUP_NOT_FOUND) instead of dropping its group rules', () => {
    const rules = [
      rule('root', { applyOn: { kind: 'item_group', itemGroups: ['All Item Groups'] }, action: pct('5') }),
    ];
    const stray = { ...item, itemGroup: 'Discontinued' };
    let thrown: unknown;
    try {
      quote(rules, { item: stray });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainRuleError);
    expect(thrown).toMatchObject({ rule: 'ITEM_GROUP_NOT_FOUND', data: { itemGroup: 'Discontinued' } });
    // Without a tree there is nothing to check against: only the item's own group counts.
    expect(quote(rules, { item: stray }, { itemGroups: undefined }).appliedRules).toEqual([]);
  });

  it("explains an explicit list with the reason given, e.g. the order's price list", () => {
    const result = quote([], { priceListId: 'Wholesale', priceListReason: "the order's price list" });
    expect(result.rate.amount).toBe('8.00');
    expect(result.explanation[0]?.message).toBe('price list "Wholesale" (the order\'s price list)');
    expect(quote([], { priceListId: 'Wholesale' }).explanation[0]?.message).toBe(
      'price list "Wholesale" (given with the line)',
    );
  });

  it('falls through to the next level when a level has rules whose conditions do not hold', () => {
    const rules = [
      rule('code-bulk', { minQty: '100', action: pct('10') }),
      rule('group', { applyOn: { kind: 'item_group', itemGroups: ['Widgets'] }, action: pct('2') }),
    ];
    expect(quote(rules, { qty: '5' }).appliedRules).toEqual(['group']);
    expect(quote(rules, { qty: '100' }).appliedRules).toEqual(['code-bulk']);
  });

  it('applies for a listed customer, a customer group, or everyone', () => {
    expect(
      quote([rule('c', { applicableFor: { kind: 'customer', customers: ['CUST-1'] }, action: pct('1') })]).appliedRules,
    ).toEqual(['c']);
    expect(
      quote([rule('c', { applicableFor: { kind: 'customer', customers: ['CUST-2'] }, action: pct('1') })]).appliedRules,
    ).toEqual([]);
    expect(
      quote([rule('g', { applicableFor: { kind: 'customer_group', customerGroups: ['Retail'] }, action: pct('1') })])
        .appliedRules,
    ).toEqual(['g']);
    expect(
      quote([rule('g', { applicableFor: { kind: 'customer_group', customerGroups: ['Retail'] }, action: pct('1') })], {
        customer: null,
      }).appliedRules,
    ).toEqual([]);
  });

  it('compares min and max quantity in stock units', () => {
    const bulk = rule('bulk', { minQty: '24', maxQty: '48', action: pct('5') });
    expect(quote([bulk], { qty: '2', unit: 'Box' }).appliedRules).toEqual(['bulk']);
    expect(quote([bulk], { qty: '23' }).appliedRules).toEqual([]);
    expect(quote([bulk], { qty: '5', unit: 'Box' }).appliedRules).toEqual([]);
    expect(quote([rule('open', { minQty: '1', maxQty: '0', action: pct('5') })], { qty: '1000' }).appliedRules).toEqual(
      ['open'],
    );
  });

  it('compares min and max amount with quantity × price-list rate', () => {
    const big = rule('big', { minAmount: { amount: '100', currency: 'USD' }, action: pct('5') });
    expect(quote([big], { qty: '9' }).appliedRules).toEqual([]);
    expect(quote([big], { qty: '10' }).appliedRules).toEqual(['big']);
  });

  it('applies only within its validity dates, both inclusive', () => {
    const spring = rule('spring', { validFrom: '2026-03-01', validUpto: '2026-05-31', action: pct('5') });
    expect(quote([spring], { date: '2026-03-01' }).appliedRules).toEqual(['spring']);
    expect(quote([spring], { date: '2026-05-31' }).appliedRules).toEqual(['spring']);
    expect(quote([spring], { date: '2026-06-01' }).appliedRules).toEqual([]);
  });

  it('skips disabled rules, rules for another price list or company, and rules in another currency', () => {
    expect(quote([rule('off', { disabled: true, action: pct('5') })]).appliedRules).toEqual([]);
    expect(quote([rule('wh', { priceList: 'Wholesale', action: pct('5') })]).appliedRules).toEqual([]);
    expect(quote([rule('co', { company: 'GLOBEX', action: pct('5') })], { company: 'ACME' }).appliedRules).toEqual([]);
    expect(
      quote([rule('eur', { action: { kind: 'discount_amount', amount: { amount: '1', currency: 'EUR' } } })])
        .appliedRules,
    ).toEqual([]);
  });
});

describe('pricing rule priority and stacking', () => {
  it('the higher priority wins', () => {
    const result = quote([
      rule('low', { priority: 1, action: pct('10') }),
      rule('high', { priority: 2, action: pct('3') }),
    ]);
    expect(result.appliedRules).toEqual(['high']);
    expect(result.rate.amount).toBe('9.70');
  });

  it('equal priority is a PRICING_RULE_CONFLICT naming the rules', () => {
    const attempt = () =>
      quote([rule('a', { priority: 1, action: pct('10') }), rule('b', { priority: 1, action: pct('3') })]);
    expect(attempt).toThrow(
      expect.objectContaining({
        rule: 'PRICING_RULE_CONFLICT',
        data: expect.objectContaining({ rules: ['a', 'b'], priority: 1 }),
      }),
    );
  });

  it('"apply multiple" rules stack and their percentages add', () => {
    const result = quote([
      rule('a', { applyMultiple: true, action: pct('5') }),
      rule('b', { applyMultiple: true, action: pct('3') }),
    ]);
    expect(result.discountPercentage.value).toBe('8');
    expect(result.rate.amount).toBe('9.20');
  });

  it('a stacking rule "on discounted rate" compounds', () => {
    const result = quote([
      rule('a', { applyMultiple: true, priority: 2, action: pct('10') }),
      rule('b', { applyMultiple: true, priority: 1, onDiscountedRate: true, action: pct('10') }),
    ]);
    expect(result.discountPercentage.value).toBe('19');
    expect(result.rate.amount).toBe('8.10');
  });

  it('stacks the top-priority rules when they all apply multiple, leaving lower ones out', () => {
    const result = quote([
      rule('exclusive', { priority: 1, action: pct('50') }),
      rule('a', { priority: 3, applyMultiple: true, action: pct('1') }),
      rule('b', { priority: 3, applyMultiple: true, action: pct('2') }),
    ]);
    expect(result.appliedRules).toEqual(['a', 'b']);
  });
});

describe('pricing rule actions and caps', () => {
  it('a rate rule replaces the price-list rate', () => {
    const result = quote([rule('fixed', { action: { kind: 'rate', rate: { amount: '7.5', currency: 'USD' } } })], {
      unit: 'Box',
    });
    expect(result.rateSource).toBe('pricing_rule');
    expect(result.priceListRate.amount).toBe('90.00');
    expect(result.rate.amount).toBe('90.00');
  });

  it('a discount amount without a unit is per stock unit, scaled by the conversion factor', () => {
    const result = quote(
      [rule('off', { action: { kind: 'discount_amount', amount: { amount: '0.5', currency: 'USD' } } })],
      { unit: 'Box', qty: '2' },
    );
    expect(result.rate.amount).toBe('114.00');
    expect(result.amount.amount).toBe('228.00');
  });

  it('a rule with a unit applies only to lines in that unit, with amounts per that unit', () => {
    const perBox = rule('box', {
      unit: 'Box',
      action: { kind: 'discount_amount', amount: { amount: '6', currency: 'USD' } },
    });
    expect(quote([perBox], { unit: 'Box' }).rate.amount).toBe('114.00');
    expect(quote([perBox]).appliedRules).toEqual([]);
  });

  it('a margin raises the rate above the price-list rate before discounts', () => {
    const result = quote([rule('m', { margin: { kind: 'percentage', percentage: '20' }, action: pct('10') })]);
    expect(result.rateWithMargin.amount).toBe('12.00');
    expect(result.rate.amount).toBe('10.80');
    expect(result.marginApplied).toBe(true);
  });

  it("caps the discount at the item's max discount", () => {
    const result = quote([rule('deep', { action: pct('40') })], {}, {});
    expect(result.rate.amount).toBe('6.00');
    const capped = priceLine(
      { date: '2026-03-01', currency: 'USD', customer, item: { ...item, maxDiscount: '25' }, qty: '1' },
      {
        itemPrices: prices,
        pricingRules: [rule('deep', { action: pct('40') })],
        defaultPriceListId: 'Standard Selling',
      },
    );
    expect(capped.capped).toBe(true);
    expect(capped.rate.amount).toBe('7.50');
    expect(capped.explanation.some((step) => step.kind === 'max_discount_cap')).toBe(true);
  });

  it('never prices below zero', () => {
    const result = quote([
      rule('a', { applyMultiple: true, action: pct('80') }),
      rule('b', { applyMultiple: true, action: { kind: 'discount_amount', amount: { amount: '5', currency: 'USD' } } }),
    ]);
    expect(result.rate.amount).toBe('0.00');
    expect(result.explanation.at(-1)?.kind).toBe('zero_floor');
  });

  it('explains each step it applied, in order', () => {
    const result = quote([rule('a', { title: 'Spring sale', action: pct('10') })], {
      customer: { ...customer, defaultPriceList: 'Wholesale' },
    });
    expect(result.explanation.map((step) => step.kind)).toEqual([
      'price_list',
      'price_list_rate',
      'rule_level',
      'discount_percentage',
    ]);
    expect(result.explanation[3]).toMatchObject({ ruleId: 'a' });
    expect(result.explanation[3]?.message).toContain('Spring sale');
  });
});
