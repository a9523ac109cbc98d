import { z } from 'zod';
import { defineEvent, type EventOf } from '../../kernel/event-registry.js';
import { DiscountPercentageSchema, MoneySchema, PositiveQuantitySchema } from '../money/index.js';
import { BrandIdSchema, ItemCodeSchema, ItemGroupIdSchema, UnitSchema } from './item-ids.js';

const UnitConversionDataSchema = z.object({ unit: UnitSchema, factor: PositiveQuantitySchema });

/** An item was registered. Optional facts are `null` when absent, so every event carries every field. */
export const ItemRegistered = defineEvent({
  type: 'ItemRegistered',
  schemaVersion: 1,
  schema: z.object({
    itemCode: ItemCodeSchema,
    name: z.string(),
    itemGroup: ItemGroupIdSchema,
    brand: BrandIdSchema.nullable(),
    stockUnit: UnitSchema,
    unitConversions: z.array(UnitConversionDataSchema),
    standardRate: MoneySchema.nullable(),
    isStockItem: z.boolean(),
    maxDiscount: DiscountPercentageSchema.nullable(),
  }),
});

/** An item's name, group or brand changed; the event carries the values after the change. */
export const ItemDetailsChanged = defineEvent({
  type: 'ItemDetailsChanged',
  schemaVersion: 1,
  schema: z.object({
    itemCode: ItemCodeSchema,
    name: z.string(),
    itemGroup: ItemGroupIdSchema,
    brand: BrandIdSchema.nullable(),
  }),
});

/** A unit's conversion factor to the stock unit was added or changed. */
export const ItemUnitConversionSet = defineEvent({
  type: 'ItemUnitConversionSet',
  schemaVersion: 1,
  schema: z.object({ itemCode: ItemCodeSchema, unit: UnitSchema, factor: PositiveQuantitySchema }),
});

/** A unit's conversion factor was removed. */
export const ItemUnitConversionRemoved = defineEvent({
  type: 'ItemUnitConversionRemoved',
  schemaVersion: 1,
  schema: z.object({ itemCode: ItemCodeSchema, unit: UnitSchema }),
});

/** The standard rate was set (`null`: cleared). */
export const ItemStandardRateSet = defineEvent({
  type: 'ItemStandardRateSet',
  schemaVersion: 1,
  schema: z.object({ itemCode: ItemCodeSchema, standardRate: MoneySchema.nullable() }),
});

/** The maximum discount was set (`null`: cleared). */
export const ItemMaxDiscountSet = defineEvent({
  type: 'ItemMaxDiscountSet',
  schemaVersion: 1,
  schema: z.object({ itemCode: ItemCodeSchema, maxDiscount: DiscountPercentageSchema.nullable() }),
});

/** The item was disabled. */
export const ItemDisabled = defineEvent({
  type: 'ItemDisabled',
  schemaVersion: 1,
  schema: z.object({ itemCode: ItemCodeSchema }),
});

/** The item was enabled again. */
export const ItemEnabled = defineEvent({
  type: 'ItemEnabled',
  schemaVersion: 1,
  schema: z.object({ itemCode: ItemCodeSchema }),
});

/** Every Item event definition, for the event registry. */
export const itemEvents = [
  ItemRegistered,
  ItemDetailsChanged,
  ItemUnitConversionSet,
  ItemUnitConversionRemoved,
  ItemStandardRateSet,
  ItemMaxDiscountSet,
  ItemDisabled,
  ItemEnabled,
] as const;

/** The `{ type, data }` union of Item events. */
export type ItemEvent = EventOf<typeof itemEvents>;
