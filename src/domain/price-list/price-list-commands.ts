import { z } from 'zod';
import { CustomerIdSchema } from '../customer/customer-ids.js';
import { ItemCodeSchema, UnitSchema } from '../item/item-ids.js';
import { CurrencyCodeSchema, Money, type MoneyJSON, MoneySchema } from '../money/index.js';
import { ItemPriceIdSchema, PriceListIdSchema } from './price-list-ids.js';

/** A calendar date `YYYY-MM-DD`; validity periods are whole days, inclusive at both ends. */
export const BusinessDateSchema = z.iso.date();

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

/** Creates a price list in one currency. */
export const CreatePriceListSchema = z.strictObject({
  type: z.literal('CreatePriceList'),
  priceListId: PriceListIdSchema,
  /** A display name. @defaultValue the id */
  name: z.string().min(1).max(140).optional(),
  currency: CurrencyCodeSchema,
  /** Used on sales documents. @defaultValue `true` */
  selling: z.boolean().default(true),
  /** Used on purchase documents. @defaultValue `false` */
  buying: z.boolean().default(false),
});

/**
 * Adds or replaces one item price (by `itemPriceId`). Without `unit` the rate is per stock unit; without
 * `customerId` it applies to every customer; `validFrom`/`validUpto` bound it in time (inclusive).
 */
export const SetItemPriceSchema = z
  .strictObject({
    type: z.literal('SetItemPrice'),
    priceListId: PriceListIdSchema,
    itemPriceId: ItemPriceIdSchema,
    itemCode: ItemCodeSchema,
    unit: UnitSchema.optional(),
    customerId: CustomerIdSchema.optional(),
    rate: NonNegativeMoneySchema,
    validFrom: BusinessDateSchema.optional(),
    validUpto: BusinessDateSchema.optional(),
  })
  .refine(
    (value) => value.validFrom === undefined || value.validUpto === undefined || value.validFrom <= value.validUpto,
    {
      error: 'validUpto must not be before validFrom',
      path: ['validUpto'],
    },
  );

/** Removes one item price. */
export const RemoveItemPriceSchema = z.strictObject({
  type: z.literal('RemoveItemPrice'),
  priceListId: PriceListIdSchema,
  itemPriceId: ItemPriceIdSchema,
});

/** Disables the price list: lookups should not use it. */
export const DisablePriceListSchema = z.strictObject({
  type: z.literal('DisablePriceList'),
  priceListId: PriceListIdSchema,
});

/** Enables a disabled price list again. */
export const EnablePriceListSchema = z.strictObject({
  type: z.literal('EnablePriceList'),
  priceListId: PriceListIdSchema,
});

/**
 * Every command the PriceList decider accepts, discriminated by `type`. Unknown keys are refused, in nested
 * objects too, except in a money value (`MoneySchema` drops them, so a `Money` may be given as is).
 */
export const PriceListCommandSchema = z.discriminatedUnion('type', [
  CreatePriceListSchema,
  SetItemPriceSchema,
  RemoveItemPriceSchema,
  DisablePriceListSchema,
  EnablePriceListSchema,
]);

/** A command as a caller writes it (plain strings; validated and branded by `decide`). */
export type PriceListCommand = z.input<typeof PriceListCommandSchema>;
/** A command after validation. */
export type ParsedPriceListCommand = z.output<typeof PriceListCommandSchema>;
