import { parseOrThrow } from '../../kernel/validation.js';
import { ALL_ITEM_GROUPS } from '../item/item-groups.js';
import type { PriceListCommand } from '../price-list/price-list-commands.js';
import { definePricingRule, type PricingRule } from './pricing-rule.js';
import { type PromotionalScheme, PromotionalSchemeSchema, promotionalSchemeRules } from './promotional-scheme.js';

/** The seed's default selling price list. */
export const SEED_DEFAULT_PRICE_LIST = 'Standard Selling';
/** The seed's second list, which a customer's `defaultPriceList` selects instead of the default. */
export const SEED_WHOLESALE_PRICE_LIST = 'Wholesale';

/** The seed's quantity break: 5% off any item at 100 stock units or more, for everyone; stacks with promotions. */
export const seedBulkDiscountRule: PricingRule = definePricingRule({
  id: 'seed-bulk-5-percent',
  title: '5% off at 100+ units',
  applyOn: { kind: 'item_group', itemGroups: [ALL_ITEM_GROUPS] },
  applicableFor: { kind: 'everyone' },
  minQty: '100',
  action: { kind: 'discount_percentage', percentage: '5' },
  applyMultiple: true,
});

/**
 * The seed's promotional discount as a promotional scheme with quantity slabs: 2% off from 10 to 49 units,
 * 3% from 50 units, for everyone, stacking with the bulk discount.
 */
export const seedPromotionalScheme: PromotionalScheme = parseOrThrow(PromotionalSchemeSchema, {
  id: 'seed-promotion',
  title: 'Promotional discount',
  applyOn: { kind: 'item_group', itemGroups: [ALL_ITEM_GROUPS] },
  applicableFor: { kind: 'everyone' },
  applyMultiple: true,
  slabs: [
    { minQty: '10', maxQty: '49', action: { kind: 'discount_percentage', percentage: '2' } },
    { minQty: '50', action: { kind: 'discount_percentage', percentage: '3' } },
  ],
});

/** The seed's pricing rules: the bulk discount and the rules generated from the promotional scheme. */
export const seedPricingRules: readonly PricingRule[] = Object.freeze([
  seedBulkDiscountRule,
  ...promotionalSchemeRules(seedPromotionalScheme),
]);

/**
 * The seed's pricing defaults as data, ready to load: two selling price lists (commands for the PriceList
 * decider), the default list's id, the promotional scheme and the rules. The customer price-list override is the
 * customer's `defaultPriceList` field: a customer with `defaultPriceList: 'Wholesale'` is priced from that list
 * instead of `Standard Selling`.
 *
 * @example
 * ```ts
 * const catalog = { itemPrices, pricingRules: seedPricing.pricingRules, defaultPriceListId: seedPricing.defaultPriceListId };
 * ```
 */
export const seedPricing = Object.freeze({
  defaultPriceListId: SEED_DEFAULT_PRICE_LIST,
  priceLists: Object.freeze([
    { type: 'CreatePriceList', priceListId: SEED_DEFAULT_PRICE_LIST, currency: 'USD', selling: true },
    { type: 'CreatePriceList', priceListId: SEED_WHOLESALE_PRICE_LIST, currency: 'USD', selling: true },
  ] satisfies PriceListCommand[]),
  promotionalSchemes: Object.freeze([seedPromotionalScheme]),
  pricingRules: seedPricingRules,
});
