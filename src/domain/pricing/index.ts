/**
 * The pricing domain service: price-list rate, pricing rules (item code → item group with ancestors → brand,
 * priorities, stacking, margins), promotional schemes with quantity slabs, the item's max-discount cap, and an
 * explanation of every step. Plus the seed's pricing defaults as data.
 */
import { priceLine } from './pricing-engine.js';
import { definePricingRule, parsePricingRules } from './pricing-rule.js';
import { seedPricing } from './pricing-seed.js';
import { promotionalSchemeRules } from './promotional-scheme.js';

export {
  type PricingCatalog,
  type PricingCustomer,
  type PricingItem,
  type PricingRequest,
  type PricingResult,
  type PricingStep,
  priceLine,
  type RateSource,
} from './pricing-engine.js';
export {
  definePricingRule,
  type PricingAction,
  PricingActionSchema,
  PricingApplicableForSchema,
  PricingApplyOnSchema,
  type PricingMargin,
  PricingMarginSchema,
  type PricingRule,
  type PricingRuleInput,
  type PricingRuleLevel,
  PricingRuleSchema,
  parsePricingRules,
  pricingRuleCurrencies,
} from './pricing-rule.js';
export {
  SEED_DEFAULT_PRICE_LIST,
  SEED_WHOLESALE_PRICE_LIST,
  seedBulkDiscountRule,
  seedPricing,
  seedPricingRules,
  seedPromotionalScheme,
} from './pricing-seed.js';
export {
  type PromotionalScheme,
  type PromotionalSchemeInput,
  PromotionalSchemeSchema,
  type PromotionalSlab,
  PromotionalSlabSchema,
  promotionalSchemeRules,
} from './promotional-scheme.js';

/** The pricing service in one namespace: `Pricing.priceLine`, `Pricing.defineRule`, `Pricing.seed`, ... */
export const Pricing = {
  /** {@link priceLine}: prices one line (price-list rate, pricing rules, max-discount cap) and explains each step. */
  priceLine,
  /** {@link definePricingRule}: validates one pricing rule and fills its defaults. */
  defineRule: definePricingRule,
  /** {@link parsePricingRules}: validates a list of pricing rules with unique ids. */
  parseRules: parsePricingRules,
  /** {@link promotionalSchemeRules}: turns a promotional scheme into pricing rules, one per slab. */
  promotionalSchemeRules,
  /** {@link seedPricing}: the seed's pricing defaults (price lists, promotional scheme, rules) as data. */
  seed: seedPricing,
} as const;
