import { z } from 'zod';
import { parseOrThrow } from '../../kernel/validation.js';
import { CompanyIdSchema, CustomerGroupIdSchema, CustomerIdSchema } from '../customer/customer-ids.js';
import { BrandIdSchema, ItemCodeSchema, ItemGroupIdSchema, UnitSchema } from '../item/item-ids.js';
import {
  DiscountPercentageSchema,
  Money,
  type MoneyJSON,
  MoneySchema,
  NonNegativePercentageSchema,
  NonNegativeQuantitySchema,
  Quantity,
} from '../money/index.js';
import { PriceListIdSchema } from '../price-list/price-list-ids.js';

const DateSchema = z.iso.date();

const NonNegativeMoneySchema = MoneySchema.refine(
  (value: MoneyJSON) => {
    try {
      return !Money.fromJSON(value).isNegative();
    } catch {
      return true;
    }
  },
  { error: 'must not be negative' },
);

/**
 * What a rule applies on, searched in this order for an item: its item code, its item group or any ancestor
 * group, its brand. The first level with a matching rule is the only one used.
 */
export const PricingApplyOnSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('item_code'), itemCodes: z.array(ItemCodeSchema).min(1) }),
  z.object({ kind: z.literal('item_group'), itemGroups: z.array(ItemGroupIdSchema).min(1) }),
  z.object({ kind: z.literal('brand'), brands: z.array(BrandIdSchema).min(1) }),
]);

/** Who a rule is for: listed customers, customers of listed groups, or everyone. */
export const PricingApplicableForSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('everyone') }),
  z.object({ kind: z.literal('customer'), customers: z.array(CustomerIdSchema).min(1) }),
  z.object({ kind: z.literal('customer_group'), customerGroups: z.array(CustomerGroupIdSchema).min(1) }),
]);

/**
 * What a rule does to the rate: set it (`rate`, replacing the price-list rate), or take a percentage or an amount
 * off it. Amounts are per the rule's `unit`, or per stock unit (scaled by the line's conversion factor) when the
 * rule has none.
 */
export const PricingActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rate'), rate: NonNegativeMoneySchema }),
  z.object({ kind: z.literal('discount_percentage'), percentage: DiscountPercentageSchema }),
  z.object({ kind: z.literal('discount_amount'), amount: NonNegativeMoneySchema }),
]);

/** A margin added to the price-list rate before discounts: a percentage of it, or an amount per unit. */
export const PricingMarginSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('percentage'), percentage: NonNegativePercentageSchema }),
  z.object({ kind: z.literal('amount'), amount: NonNegativeMoneySchema }),
]);

/** Validates a pricing rule (ERPNext's Pricing Rule), filling every default. */
export const PricingRuleSchema = z
  .object({
    id: z.string().min(1).max(140),
    /** @defaultValue the id */
    title: z.string().min(1).max(140).optional(),
    /** @defaultValue `false` */
    disabled: z.boolean().default(false),
    applyOn: PricingApplyOnSchema,
    /** @defaultValue everyone */
    applicableFor: PricingApplicableForSchema.default({ kind: 'everyone' }),
    /** Only for this company. @defaultValue any */
    company: CompanyIdSchema.nullable().default(null),
    /** Only when this price list is used (ERPNext's `for_price_list`). @defaultValue any */
    priceList: PriceListIdSchema.nullable().default(null),
    /** Only for lines in this unit; its amounts are then per this unit. @defaultValue any unit, amounts per stock unit */
    unit: UnitSchema.nullable().default(null),
    /** Least quantity, in stock units (ERPNext's "Min Qty (As Per Stock UOM)"). @defaultValue no bound */
    minQty: NonNegativeQuantitySchema.nullable().default(null),
    /** Greatest quantity, in stock units; `0` is no bound, as in ERPNext. @defaultValue no bound */
    maxQty: NonNegativeQuantitySchema.nullable().default(null),
    /** Least line amount (qty × price-list rate). @defaultValue no bound */
    minAmount: NonNegativeMoneySchema.nullable().default(null),
    /** Greatest line amount; zero is no bound. @defaultValue no bound */
    maxAmount: NonNegativeMoneySchema.nullable().default(null),
    /** First day it applies, inclusive. @defaultValue always */
    validFrom: DateSchema.nullable().default(null),
    /** Last day it applies, inclusive. @defaultValue always */
    validUpto: DateSchema.nullable().default(null),
    /** Higher wins among matching rules; equal priorities are a conflict unless they all stack. @defaultValue `0` */
    priority: z.number().int().min(0).default(0),
    /** Stacks with the other matching "apply multiple" rules (ERPNext's `apply_multiple_pricing_rules`). @defaultValue `false` */
    applyMultiple: z.boolean().default(false),
    /** When stacking, its percentage applies to the already discounted rate (compounds). @defaultValue `false` */
    onDiscountedRate: z.boolean().default(false),
    /** @defaultValue none (a margin-only rule) */
    action: PricingActionSchema.nullable().default(null),
    /** @defaultValue none */
    margin: PricingMarginSchema.nullable().default(null),
  })
  .superRefine((rule, ctx) => {
    if (rule.action === null && rule.margin === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['action'],
        message: 'a rule needs an action, a margin or both',
        input: rule,
      });
    }
    if (
      rule.minQty !== null &&
      rule.maxQty !== null &&
      !Quantity.of(rule.maxQty).isZero() &&
      Quantity.of(rule.minQty).greaterThan(rule.maxQty)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxQty'],
        message: 'maxQty must not be below minQty',
        input: rule.maxQty,
      });
    }
    if (rule.validFrom !== null && rule.validUpto !== null && rule.validUpto < rule.validFrom) {
      ctx.addIssue({
        code: 'custom',
        path: ['validUpto'],
        message: 'validUpto must not be before validFrom',
        input: rule.validUpto,
      });
    }
  });

/** A pricing rule as a host writes it (defaults may be omitted). */
export type PricingRuleInput = z.input<typeof PricingRuleSchema>;
/** A validated pricing rule with every default filled. */
export type PricingRule = z.output<typeof PricingRuleSchema>;
/** `item_code`, `item_group` or `brand`. */
export type PricingRuleLevel = PricingRule['applyOn']['kind'];
/** What a rule does to the rate. */
export type PricingAction = z.output<typeof PricingActionSchema>;
/** A margin on the price-list rate. */
export type PricingMargin = z.output<typeof PricingMarginSchema>;

/**
 * Validates one pricing rule and fills its defaults.
 * @throws ValidationError with the path of every problem.
 */
export function definePricingRule(input: PricingRuleInput): PricingRule {
  return parseOrThrow(PricingRuleSchema, input);
}

/**
 * Validates a list of pricing rules; ids must be unique.
 * @throws ValidationError with paths such as `[2, 'applyOn', 'itemCodes']`.
 */
export function parsePricingRules(inputs: readonly PricingRuleInput[]): readonly PricingRule[] {
  return parseOrThrow(
    z.array(PricingRuleSchema).superRefine((rules, ctx) => {
      const seen = new Set<string>();
      rules.forEach((rule, index) => {
        if (seen.has(rule.id)) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'id'],
            message: `pricing rule id "${rule.id}" is used twice`,
            input: rule.id,
          });
        }
        seen.add(rule.id);
      });
    }),
    inputs,
  );
}

/** The currencies a rule's money values are in (empty for a percentage-only rule). */
export function pricingRuleCurrencies(rule: PricingRule): readonly string[] {
  const amounts: MoneyJSON[] = [];
  if (rule.action?.kind === 'rate') amounts.push(rule.action.rate);
  if (rule.action?.kind === 'discount_amount') amounts.push(rule.action.amount);
  if (rule.margin?.kind === 'amount') amounts.push(rule.margin.amount);
  if (rule.minAmount) amounts.push(rule.minAmount);
  if (rule.maxAmount) amounts.push(rule.maxAmount);
  return [...new Set(amounts.map((amount) => amount.currency))];
}
