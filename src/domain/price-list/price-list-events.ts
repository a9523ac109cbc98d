import { z } from 'zod';
import { defineEvent, type EventOf } from '../../kernel/event-registry.js';
import { CustomerIdSchema } from '../customer/customer-ids.js';
import { ItemCodeSchema, UnitSchema } from '../item/item-ids.js';
import { CurrencyCodeSchema, MoneySchema } from '../money/index.js';
import { BusinessDateSchema } from './price-list-commands.js';
import { ItemPriceIdSchema, PriceListIdSchema } from './price-list-ids.js';

/** One item price as stored. Absent facts are `null`. */
export const ItemPriceSchema = z.object({
  itemPriceId: ItemPriceIdSchema,
  priceListId: PriceListIdSchema,
  itemCode: ItemCodeSchema,
  /** `null`: per stock unit. */
  unit: UnitSchema.nullable(),
  /** `null`: for every customer. */
  customerId: CustomerIdSchema.nullable(),
  rate: MoneySchema,
  validFrom: BusinessDateSchema.nullable(),
  validUpto: BusinessDateSchema.nullable(),
});

/** A price list was created. */
export const PriceListCreated = defineEvent({
  type: 'PriceListCreated',
  schemaVersion: 1,
  schema: z.object({
    priceListId: PriceListIdSchema,
    name: z.string(),
    currency: CurrencyCodeSchema,
    selling: z.boolean(),
    buying: z.boolean(),
  }),
});

/** An item price was added or replaced. */
export const ItemPriceSet = defineEvent({ type: 'ItemPriceSet', schemaVersion: 1, schema: ItemPriceSchema });

/** An item price was removed. */
export const ItemPriceRemoved = defineEvent({
  type: 'ItemPriceRemoved',
  schemaVersion: 1,
  schema: z.object({ priceListId: PriceListIdSchema, itemPriceId: ItemPriceIdSchema }),
});

/** The price list was disabled. */
export const PriceListDisabled = defineEvent({
  type: 'PriceListDisabled',
  schemaVersion: 1,
  schema: z.object({ priceListId: PriceListIdSchema }),
});

/** The price list was enabled again. */
export const PriceListEnabled = defineEvent({
  type: 'PriceListEnabled',
  schemaVersion: 1,
  schema: z.object({ priceListId: PriceListIdSchema }),
});

/** Every PriceList event definition, for the event registry. */
export const priceListEvents = [
  PriceListCreated,
  ItemPriceSet,
  ItemPriceRemoved,
  PriceListDisabled,
  PriceListEnabled,
] as const;

/** The `{ type, data }` union of PriceList events. */
export type PriceListEvent = EventOf<typeof priceListEvents>;
