import { z } from 'zod';
import {
  DiscountPercentageSchema,
  Money,
  type MoneyJSON,
  MoneySchema,
  PositiveQuantitySchema,
} from '../money/index.js';
import { BrandIdSchema, ItemCodeSchema, ItemGroupIdSchema, UnitSchema } from './item-ids.js';

/** A money amount that may not be negative. Malformed input is left to `MoneySchema`'s own issues. */
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

/** One "how many stock units make one of this unit" entry: `{ unit: 'Box', factor: '12' }`. */
export const UnitConversionSchema = z.strictObject({
  unit: UnitSchema,
  /** Stock units in one `unit`; greater than zero. */
  factor: PositiveQuantitySchema,
});

/** Registers a new item. */
export const RegisterItemSchema = z.strictObject({
  type: z.literal('RegisterItem'),
  itemCode: ItemCodeSchema,
  name: z.string().min(1).max(140),
  itemGroup: ItemGroupIdSchema,
  brand: BrandIdSchema.optional(),
  /** The unit stock is kept in (ERPNext's `stock_uom`). */
  stockUnit: UnitSchema,
  /** Other units the item is sold in, with their factor to the stock unit. @defaultValue `[]` */
  unitConversions: z.array(UnitConversionSchema).default([]),
  /** The rate used when no price list has a price for the item. */
  standardRate: NonNegativeMoneySchema.optional(),
  /** Whether stock is kept for it (services are not). @defaultValue `true` */
  isStockItem: z.boolean().default(true),
  /** The largest discount, in percent, any sale may give on it. */
  maxDiscount: DiscountPercentageSchema.optional(),
});

/** Changes an item's name, group or brand. Omitted fields stay; `brand: null` removes the brand. */
export const ChangeItemDetailsSchema = z.strictObject({
  type: z.literal('ChangeItemDetails'),
  itemCode: ItemCodeSchema,
  name: z.string().min(1).max(140).optional(),
  itemGroup: ItemGroupIdSchema.optional(),
  brand: BrandIdSchema.nullable().optional(),
});

/** Adds or changes the conversion factor of one unit. */
export const SetItemUnitConversionSchema = z.strictObject({
  type: z.literal('SetItemUnitConversion'),
  itemCode: ItemCodeSchema,
  unit: UnitSchema,
  factor: PositiveQuantitySchema,
});

/** Removes the conversion factor of one unit. */
export const RemoveItemUnitConversionSchema = z.strictObject({
  type: z.literal('RemoveItemUnitConversion'),
  itemCode: ItemCodeSchema,
  unit: UnitSchema,
});

/** Sets (or, with `null`, clears) the item's standard selling rate per stock unit. */
export const SetItemStandardRateSchema = z.strictObject({
  type: z.literal('SetItemStandardRate'),
  itemCode: ItemCodeSchema,
  standardRate: NonNegativeMoneySchema.nullable(),
});

/** Sets (or, with `null`, clears) the item's maximum discount percentage. */
export const SetItemMaxDiscountSchema = z.strictObject({
  type: z.literal('SetItemMaxDiscount'),
  itemCode: ItemCodeSchema,
  maxDiscount: DiscountPercentageSchema.nullable(),
});

/** Disables the item: it can no longer be sold. */
export const DisableItemSchema = z.strictObject({ type: z.literal('DisableItem'), itemCode: ItemCodeSchema });

/** Enables a disabled item again. */
export const EnableItemSchema = z.strictObject({ type: z.literal('EnableItem'), itemCode: ItemCodeSchema });

/**
 * Every command the Item decider accepts, discriminated by `type`. Unknown keys are refused, in nested
 * objects too, except in a money value (`MoneySchema` drops them, so a `Money` may be given as is).
 */
export const ItemCommandSchema = z.discriminatedUnion('type', [
  RegisterItemSchema,
  ChangeItemDetailsSchema,
  SetItemUnitConversionSchema,
  RemoveItemUnitConversionSchema,
  SetItemStandardRateSchema,
  SetItemMaxDiscountSchema,
  DisableItemSchema,
  EnableItemSchema,
]);

/** A command as a caller writes it (plain strings; validated and branded by `decide`). */
export type ItemCommand = z.input<typeof ItemCommandSchema>;
/** A command after validation. */
export type ParsedItemCommand = z.output<typeof ItemCommandSchema>;
