import fc from 'fast-check';
import type { CustomerRecord } from '../../domain/customer/index.js';
import { createItemGroupTree, type ItemRecord } from '../../domain/item/index.js';
import type { ItemPrice } from '../../domain/price-list/index.js';
import {
  definePricingRule,
  type PricingCatalog,
  type PricingRequest,
  type PricingRule,
  type PricingRuleInput,
  type PromotionalScheme,
  PromotionalSchemeSchema,
} from '../../domain/pricing/index.js';
import { customerRecordArb } from './customer-arbitraries.js';
import { itemRecordArb, SAMPLE_ITEM_GROUPS } from './item-arbitraries.js';
import { decimalStringArb, moneyJsonArb } from './money-arbitraries.js';

/** Options of the pricing arbitraries: the vocabulary rules are drawn from. */
export interface PricingRuleArbOptions {
  /** @defaultValue `['ITEM-001', 'ITEM-002']` */
  readonly itemCodes?: readonly string[];
  /** @defaultValue the groups of `SAMPLE_ITEM_GROUPS` */
  readonly itemGroups?: readonly string[];
  /** @defaultValue `['Acme', 'Globex']` */
  readonly brands?: readonly string[];
  /** @defaultValue `['CUST-0001', 'CUST-0002']` */
  readonly customers?: readonly string[];
  /** @defaultValue `['Commercial', 'Retail', 'Wholesale']` */
  readonly customerGroups?: readonly string[];
  /** Currency of rates and amounts. @defaultValue `'USD'` */
  readonly currency?: string;
  /** Rule id. @defaultValue a random `RULE-n` */
  readonly id?: string;
}

const DEFAULTS = {
  itemCodes: ['ITEM-001', 'ITEM-002'],
  itemGroups: SAMPLE_ITEM_GROUPS.map((group) => group.id),
  brands: ['Acme', 'Globex'],
  customers: ['CUST-0001', 'CUST-0002'],
  customerGroups: ['Commercial', 'Retail', 'Wholesale'],
} as const;

const DATES = ['2025-06-01', '2025-12-31', '2026-01-01', '2026-03-31', '2026-12-31'] as const;

function dateRangeArb(): fc.Arbitrary<{ validFrom: string | null; validUpto: string | null }> {
  return fc
    .tuple(fc.option(fc.constantFrom(...DATES), { freq: 2 }), fc.option(fc.constantFrom(...DATES), { freq: 2 }))
    .map(([a, b]) =>
      a !== null && b !== null && b < a ? { validFrom: b, validUpto: a } : { validFrom: a, validUpto: b },
    );
}

/**
 * Valid pricing rules over the given vocabulary: every level (item code, item group, brand), every party kind,
 * quantity bounds, validity dates, rates, percentage and amount discounts, margins, priorities and stacking.
 */
export function pricingRuleArb(options: PricingRuleArbOptions = {}): fc.Arbitrary<PricingRule> {
  const currency = options.currency ?? 'USD';
  const pick = <T>(values: readonly T[]) => fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 2 });
  const money = (max: string) => moneyJsonArb({ currency, min: '0', max, maxFractionDigits: 2 });
  const applyOn = fc.oneof(
    pick(options.itemCodes ?? DEFAULTS.itemCodes).map((itemCodes) => ({ kind: 'item_code' as const, itemCodes })),
    pick(options.itemGroups ?? DEFAULTS.itemGroups).map((itemGroups) => ({ kind: 'item_group' as const, itemGroups })),
    pick(options.brands ?? DEFAULTS.brands).map((brands) => ({ kind: 'brand' as const, brands })),
  );
  const applicableFor = fc.oneof(
    fc.constant({ kind: 'everyone' as const }),
    pick(options.customers ?? DEFAULTS.customers).map((customers) => ({ kind: 'customer' as const, customers })),
    pick(options.customerGroups ?? DEFAULTS.customerGroups).map((customerGroups) => ({
      kind: 'customer_group' as const,
      customerGroups,
    })),
  );
  const action = fc.option(
    fc.oneof(
      money('500').map((rate) => ({ kind: 'rate' as const, rate })),
      decimalStringArb({ min: '0', max: '100', maxFractionDigits: 2 }).map((percentage) => ({
        kind: 'discount_percentage' as const,
        percentage,
      })),
      money('50').map((amount) => ({ kind: 'discount_amount' as const, amount })),
    ),
  );
  // Margins are the exception: most rules only discount.
  const margin = fc.oneof(
    { arbitrary: fc.constant(null), weight: 4 },
    {
      arbitrary: fc.oneof(
        decimalStringArb({ min: '0', max: '50', maxFractionDigits: 2 }).map((percentage) => ({
          kind: 'percentage' as const,
          percentage,
        })),
        money('20').map((amount) => ({ kind: 'amount' as const, amount })),
      ),
      weight: 1,
    },
  );
  const qtyBounds = fc
    .tuple(
      fc.option(fc.integer({ min: 0, max: 200 }), { freq: 2 }),
      fc.option(fc.integer({ min: 0, max: 400 }), { freq: 2 }),
    )
    .map(([min, max]) => ({
      minQty: min === null ? null : String(min),
      maxQty: max === null ? null : String(min !== null && max !== 0 && max < min ? min : max),
    }));
  return fc
    .record({
      id:
        options.id === undefined ? fc.integer({ min: 1, max: 9999 }).map((n) => `RULE-${n}`) : fc.constant(options.id),
      applyOn,
      applicableFor,
      qtyBounds,
      dates: dateRangeArb(),
      priority: fc.integer({ min: 0, max: 2 }),
      applyMultiple: fc.boolean(),
      onDiscountedRate: fc.boolean(),
      action,
      margin,
    })
    .map(({ qtyBounds: bounds, dates, action: act, margin: mar, ...rest }) => {
      const input: PricingRuleInput = {
        ...rest,
        ...bounds,
        ...dates,
        // A rule needs an action or a margin; a generated pair of "none" becomes a plain percentage discount.
        action: act === null && mar === null ? { kind: 'discount_percentage', percentage: '10' } : act,
        margin: mar,
      };
      return definePricingRule(input);
    });
}

/** Valid promotional schemes: 1 to 4 non-overlapping quantity slabs with percentage or amount discounts. */
export function promotionalSchemeArb(options: PricingRuleArbOptions = {}): fc.Arbitrary<PromotionalScheme> {
  const currency = options.currency ?? 'USD';
  return fc
    .record({
      id: fc.integer({ min: 1, max: 999 }).map((n) => `PROMO-${n}`),
      itemGroups: fc.uniqueArray(fc.constantFrom(...(options.itemGroups ?? DEFAULTS.itemGroups)), {
        minLength: 1,
        maxLength: 2,
      }),
      bounds: fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 5 }),
      openEnded: fc.boolean(),
      actions: fc.array(
        fc.oneof(
          decimalStringArb({ min: '0', max: '30', maxFractionDigits: 1 }).map((percentage) => ({
            kind: 'discount_percentage' as const,
            percentage,
          })),
          moneyJsonArb({ currency, min: '0', max: '10', maxFractionDigits: 2 }).map((amount) => ({
            kind: 'discount_amount' as const,
            amount,
          })),
        ),
        { minLength: 5, maxLength: 5 },
      ),
      applyMultiple: fc.boolean(),
    })
    .map(({ id, itemGroups, bounds, openEnded, actions, applyMultiple }) => {
      // Sorted distinct bounds b0 < b1 < ... give slabs [b0, b1 − 1], [b1, b2 − 1], ..., which never overlap.
      const sorted = [...bounds].sort((a, b) => a - b);
      const slabs = sorted.map((min, index) => {
        const next = sorted[index + 1];
        const maxQty = next !== undefined ? String(next - 1) : openEnded ? null : String(min + 100);
        return {
          minQty: String(min),
          maxQty,
          action: actions[index] ?? { kind: 'discount_percentage' as const, percentage: '1' },
        };
      });
      return PromotionalSchemeSchema.parse({
        id,
        applyOn: { kind: 'item_group', itemGroups },
        applyMultiple,
        slabs,
      });
    });
}

/** A line to price with its catalog, as generated by {@link pricingScenarioArb}. */
export interface PricingScenario {
  readonly request: PricingRequest;
  readonly catalog: PricingCatalog;
  readonly item: ItemRecord;
  readonly customer: CustomerRecord | null;
}

/**
 * A whole pricing situation: an item of the sample group tree with an optional general and customer price in
 * `Standard Selling`, a customer (or none), a quantity in the stock unit or another unit, and up to 6 rules.
 *
 * @param options.conflictFree - give every rule a distinct priority so `PRICING_RULE_CONFLICT` cannot happen.
 *   @defaultValue `true`
 */
export function pricingScenarioArb(
  options: PricingRuleArbOptions & { readonly conflictFree?: boolean } = {},
): fc.Arbitrary<PricingScenario> {
  const currency = options.currency ?? 'USD';
  const itemCodes = options.itemCodes ?? DEFAULTS.itemCodes;
  const tree = createItemGroupTree(SAMPLE_ITEM_GROUPS);
  return fc
    .record({
      item: itemRecordArb({ itemCodes, currency }),
      customer: fc.option(
        customerRecordArb({ currency, customerGroups: options.customerGroups ?? DEFAULTS.customerGroups }),
        { freq: 4 },
      ),
      customerId: fc.constantFrom(...(options.customers ?? DEFAULTS.customers)),
      generalPrice: fc.option(moneyJsonArb({ currency, min: '0', max: '500', maxFractionDigits: 2 })),
      customerPrice: fc.option(moneyJsonArb({ currency, min: '0', max: '500', maxFractionDigits: 2 })),
      qty: fc.integer({ min: 1, max: 300 }).map(String),
      useOtherUnit: fc.boolean(),
      rules: fc.array(pricingRuleArb({ ...options, itemCodes }), { minLength: 1, maxLength: 8 }),
      date: fc.constantFrom(...DATES),
    })
    .map(({ item, customer: generated, customerId, generalPrice, customerPrice, qty, useOtherUnit, rules, date }) => {
      const customer =
        generated === null
          ? null
          : { ...generated, customerId: customerId as CustomerRecord['customerId'], defaultPriceList: null };
      const prices: ItemPrice[] = [];
      const base = {
        priceListId: 'Standard Selling',
        itemCode: item.itemCode,
        unit: null,
        validFrom: null,
        validUpto: null,
      };
      if (generalPrice)
        prices.push({ ...base, itemPriceId: 'P-general', customerId: null, rate: generalPrice } as ItemPrice);
      if (customerPrice && customer) {
        prices.push({
          ...base,
          itemPriceId: 'P-customer',
          customerId: customer.customerId,
          rate: customerPrice,
        } as ItemPrice);
      }
      const unit = useOtherUnit ? (item.unitConversions[0]?.unit ?? item.stockUnit) : item.stockUnit;
      // Distinct ids (duplicates would be one rule twice) and, when asked, distinct priorities.
      const unique = rules
        .filter((rule, index) => rules.findIndex((other) => other.id === rule.id) === index)
        .map((rule, index) => (options.conflictFree === false ? rule : { ...rule, priority: index }));
      return {
        request: { date, currency, customer, item, qty, unit },
        catalog: {
          itemPrices: prices,
          pricingRules: unique,
          itemGroups: tree,
          defaultPriceListId: 'Standard Selling',
        },
        item,
        customer,
      };
    });
}
