import { z } from 'zod';
import { ValidationError, type ValidationIssue } from '../../kernel/errors.js';
import { parseOrThrow } from '../../kernel/validation.js';
import { CompanyIdSchema } from '../customer/customer-ids.js';
import { UnitSchema } from '../item/item-ids.js';
import { NonNegativeQuantitySchema, Quantity } from '../money/index.js';
import { PriceListIdSchema } from '../price-list/price-list-ids.js';
import {
  PricingActionSchema,
  PricingApplicableForSchema,
  PricingApplyOnSchema,
  type PricingRule,
  PricingRuleSchema,
} from './pricing-rule.js';

/** One quantity slab of a promotional scheme: from `minQty` to `maxQty` stock units (inclusive), this action. */
export const PromotionalSlabSchema = z.object({
  minQty: NonNegativeQuantitySchema,
  /** `null`: no upper bound. @defaultValue `null` */
  maxQty: NonNegativeQuantitySchema.nullable().default(null),
  action: PricingActionSchema,
});

/**
 * Validates a promotional scheme (ERPNext's Promotional Scheme with price-discount slabs): shared conditions
 * and a list of quantity slabs, each becoming one pricing rule.
 */
export const PromotionalSchemeSchema = z.object({
  id: z.string().min(1).max(120),
  /** @defaultValue the id */
  title: z.string().min(1).max(120).optional(),
  disabled: z.boolean().default(false),
  applyOn: PricingApplyOnSchema,
  applicableFor: PricingApplicableForSchema.default({ kind: 'everyone' }),
  company: CompanyIdSchema.nullable().default(null),
  priceList: PriceListIdSchema.nullable().default(null),
  unit: UnitSchema.nullable().default(null),
  validFrom: z.iso.date().nullable().default(null),
  validUpto: z.iso.date().nullable().default(null),
  priority: z.number().int().min(0).default(0),
  applyMultiple: z.boolean().default(false),
  onDiscountedRate: z.boolean().default(false),
  slabs: z.array(PromotionalSlabSchema).min(1),
});

/** A promotional scheme as a host writes it. */
export type PromotionalSchemeInput = z.input<typeof PromotionalSchemeSchema>;
/** A validated promotional scheme. */
export type PromotionalScheme = z.output<typeof PromotionalSchemeSchema>;
/** One validated slab. */
export type PromotionalSlab = z.output<typeof PromotionalSlabSchema>;

function overlaps(a: PromotionalSlab, b: PromotionalSlab): boolean {
  // Inclusive ranges [min, max]; a missing max is +∞.
  const aBelowB = a.maxQty !== null && Quantity.of(a.maxQty).lessThan(b.minQty);
  const bBelowA = b.maxQty !== null && Quantity.of(b.maxQty).lessThan(a.minQty);
  return !aBelowB && !bBelowA;
}

/**
 * Turns a promotional scheme into pricing rules, one per slab, with ids `<schemeId>#<n>` (n from 1).
 *
 * @remarks
 * Each rule carries the scheme's conditions and the slab's quantity range and action, so the pricing engine
 * treats promotions like any other rule. Slabs may not overlap: a quantity would match two slabs of one scheme.
 *
 * @throws ValidationError when the scheme is invalid, a slab's `maxQty` is below its `minQty`, or two slabs
 *   overlap (path `['slabs', i, 'minQty']`).
 */
export function promotionalSchemeRules(input: PromotionalSchemeInput | PromotionalScheme): readonly PricingRule[] {
  const scheme = parseOrThrow(PromotionalSchemeSchema, input);
  const issues: ValidationIssue[] = [];
  scheme.slabs.forEach((slab, index) => {
    if (slab.maxQty !== null && Quantity.of(slab.maxQty).lessThan(slab.minQty)) {
      issues.push({ path: ['slabs', index, 'maxQty'], message: 'maxQty must not be below minQty', code: 'custom' });
    }
    scheme.slabs.slice(0, index).forEach((earlier, earlierIndex) => {
      if (overlaps(earlier, slab)) {
        issues.push({
          path: ['slabs', index, 'minQty'],
          message: `slab ${index + 1} overlaps slab ${earlierIndex + 1}`,
          code: 'overlapping_slabs',
        });
      }
    });
  });
  if (issues.length > 0) throw new ValidationError(issues);
  const title = scheme.title ?? scheme.id;
  return scheme.slabs.map((slab, index) =>
    parseOrThrow(PricingRuleSchema, {
      id: `${scheme.id}#${index + 1}`,
      title: `${title} (${slab.minQty}${slab.maxQty === null ? '+' : `–${slab.maxQty}`})`,
      disabled: scheme.disabled,
      applyOn: scheme.applyOn,
      applicableFor: scheme.applicableFor,
      company: scheme.company,
      priceList: scheme.priceList,
      unit: scheme.unit,
      minQty: slab.minQty,
      maxQty: slab.maxQty,
      validFrom: scheme.validFrom,
      validUpto: scheme.validUpto,
      priority: scheme.priority,
      applyMultiple: scheme.applyMultiple,
      onDiscountedRate: scheme.onDiscountedRate,
      action: slab.action,
    }),
  );
}
