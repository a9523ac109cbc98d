import { z } from 'zod';
import { ItemCodeSchema, UnitSchema } from '../item/item-ids.js';
import {
  CurrencyCodeSchema as CurrencyCode,
  DecimalStringSchema as DecimalString,
  DiscountPercentageSchema as DiscountPercentage,
  NonNegativeQuantitySchema as NonNegativeQuantity,
  PercentageSchema as PercentageString,
  QuantitySchema as QuantityString,
} from '../money/index.js';
import { SalesOrderIdSchema, SalesOrderLineIdSchema, SalesOrderTaxIdSchema } from './sales-order-ids.js';
import {
  CompanyRefSchema,
  CustomerRefSchema,
  DiscountApplyOnSchema,
  IsoDateSchema,
  PriceListRefSchema,
  textInput,
  WarehouseRefSchema,
} from './sales-order-values.js';

const CurrencyCodeSchema = textInput(CurrencyCode);
const DecimalStringSchema = textInput(DecimalString);
const DiscountPercentageSchema = textInput(DiscountPercentage);
const NonNegativeQuantitySchema = textInput(NonNegativeQuantity);
const PercentageSchema = textInput(PercentageString);
const QuantitySchema = textInput(QuantityString);

const Reason = z.string().max(1000);
const Reference = z.string().min(1).max(140);

/** Rate resolution needs a rate or a price-list rate, and a discount only makes sense on a price-list rate. */
function checkRateInputs(
  line: { readonly rate?: string | undefined; readonly discountPercentage?: string | undefined },
  context: z.core.$RefinementCtx,
  requireRate: boolean,
  hasPriceListRate: boolean,
): void {
  if (line.rate !== undefined && line.discountPercentage !== undefined) {
    context.addIssue({
      code: 'custom',
      path: ['discountPercentage'],
      message: 'give either a rate or a discount percentage on the price-list rate, not both',
      input: line,
    });
  }
  if (requireRate && line.rate === undefined && !hasPriceListRate) {
    context.addIssue({
      code: 'custom',
      path: ['rate'],
      message: 'give a rate, or a price-list rate (with an optional discount percentage)',
      input: line,
    });
  }
}

/**
 * A new line as a command gives it. The unit price is either `rate`, or `priceListRate` less
 * `discountPercentage` (rounded to the currency); `lineId` is generated with `ctx.newId()` when absent.
 */
export const SalesOrderLineInputSchema = z
  .strictObject({
    lineId: SalesOrderLineIdSchema.optional(),
    itemCode: ItemCodeSchema,
    qty: QuantitySchema,
    uom: UnitSchema,
    priceListRate: DecimalStringSchema.optional(),
    rate: DecimalStringSchema.optional(),
    discountPercentage: DiscountPercentageSchema.optional(),
    deliveryDate: IsoDateSchema.optional(),
    warehouse: WarehouseRefSchema,
  })
  .superRefine((line, context) => checkRateInputs(line, context, true, line.priceListRate !== undefined));
/** A new line as a command gives it (see {@link SalesOrderLineInputSchema}). */
export type SalesOrderLineInput = z.input<typeof SalesOrderLineInputSchema>;

/** The fields of a draft line a command may change; `deliveryDate: null` clears the line's own date. */
export const SalesOrderLineChangesSchema = z
  .strictObject({
    itemCode: ItemCodeSchema.optional(),
    qty: QuantitySchema.optional(),
    uom: UnitSchema.optional(),
    priceListRate: DecimalStringSchema.optional(),
    rate: DecimalStringSchema.optional(),
    discountPercentage: DiscountPercentageSchema.optional(),
    deliveryDate: IsoDateSchema.nullable().optional(),
    warehouse: WarehouseRefSchema.optional(),
  })
  .superRefine((changes, context) => checkRateInputs(changes, context, false, true));

const OrderOnly = z.strictObject({ orderId: SalesOrderIdSchema });

/** Creates a draft order. `transactionDate` defaults to the context's date (UTC). */
export const CreateSalesOrderSchema = z.strictObject({
  type: z.literal('CreateSalesOrder'),
  data: z.strictObject({
    orderId: SalesOrderIdSchema,
    customerId: CustomerRefSchema,
    company: CompanyRefSchema,
    currency: CurrencyCodeSchema,
    transactionDate: IsoDateSchema.optional(),
    deliveryDate: IsoDateSchema.optional(),
    /**
     * The price list the order is priced from (ERPNext's `selling_price_list`), recorded so that lines added later
     * are priced from the same list. The decider does not price: it only records it.
     */
    priceListId: PriceListRefSchema.optional(),
  }),
});

/** Adds a line to a draft. */
export const AddSalesOrderLineSchema = z.strictObject({
  type: z.literal('AddSalesOrderLine'),
  data: z.strictObject({ orderId: SalesOrderIdSchema, line: SalesOrderLineInputSchema }),
});

/**
 * Changes fields of a draft line. Giving `rate` sets the rate (and the discount percentage to 0); giving
 * `priceListRate` or `discountPercentage` re-derives the rate from them; otherwise the rate is kept.
 */
export const UpdateSalesOrderLineSchema = z.strictObject({
  type: z.literal('UpdateSalesOrderLine'),
  data: z.strictObject({
    orderId: SalesOrderIdSchema,
    lineId: SalesOrderLineIdSchema,
    changes: SalesOrderLineChangesSchema,
  }),
});

/** Removes a line from a draft. */
export const RemoveSalesOrderLineSchema = z.strictObject({
  type: z.literal('RemoveSalesOrderLine'),
  data: z.strictObject({ orderId: SalesOrderIdSchema, lineId: SalesOrderLineIdSchema }),
});

/** Sets the order-level discount of a draft. `applyOn` defaults to `grand_total`, as in ERPNext. */
export const SetSalesOrderDiscountSchema = z.strictObject({
  type: z.literal('SetSalesOrderDiscount'),
  data: z.strictObject({
    orderId: SalesOrderIdSchema,
    discount: z.discriminatedUnion('kind', [
      z.strictObject({
        kind: z.literal('percentage'),
        percentage: DiscountPercentageSchema,
        applyOn: DiscountApplyOnSchema.default('grand_total'),
      }),
      z.strictObject({
        kind: z.literal('amount'),
        amount: NonNegativeQuantitySchema,
        applyOn: DiscountApplyOnSchema.default('grand_total'),
      }),
    ]),
  }),
});

/** Removes the order-level discount of a draft (nothing happens when there is none). */
export const RemoveSalesOrderDiscountSchema = z.strictObject({
  type: z.literal('RemoveSalesOrderDiscount'),
  data: OrderOnly,
});

/** Appends a tax or charge row to a draft. `taxId` is generated with `ctx.newId()` when absent. */
export const AddSalesOrderTaxSchema = z.strictObject({
  type: z.literal('AddSalesOrderTax'),
  data: z.strictObject({
    orderId: SalesOrderIdSchema,
    tax: z.discriminatedUnion('kind', [
      z.strictObject({
        taxId: SalesOrderTaxIdSchema.optional(),
        description: z.string().max(140).default(''),
        kind: z.literal('on_net_total'),
        rate: PercentageSchema,
      }),
      z.strictObject({
        taxId: SalesOrderTaxIdSchema.optional(),
        description: z.string().max(140).default(''),
        kind: z.literal('actual'),
        amount: DecimalStringSchema,
      }),
    ]),
  }),
});

/** Removes a tax row from a draft. */
export const RemoveSalesOrderTaxSchema = z.strictObject({
  type: z.literal('RemoveSalesOrderTax'),
  data: z.strictObject({ orderId: SalesOrderIdSchema, taxId: SalesOrderTaxIdSchema }),
});

/** Sets (or, with `null`, clears) the header delivery date of a draft. */
export const SetSalesOrderDeliveryDateSchema = z.strictObject({
  type: z.literal('SetSalesOrderDeliveryDate'),
  data: z.strictObject({ orderId: SalesOrderIdSchema, deliveryDate: IsoDateSchema.nullable() }),
});

/** Submits a draft, after checking lines, quantities, delivery dates and the grand total. */
export const SubmitSalesOrderSchema = z.strictObject({ type: z.literal('SubmitSalesOrder'), data: OrderOnly });

/** Puts a submitted order on hold. */
export const HoldSalesOrderSchema = z.strictObject({
  type: z.literal('HoldSalesOrder'),
  data: z.strictObject({ orderId: SalesOrderIdSchema, reason: Reason.optional() }),
});

/** Resumes an order on hold. */
export const ResumeSalesOrderSchema = z.strictObject({ type: z.literal('ResumeSalesOrder'), data: OrderOnly });

/** Closes a submitted order. */
export const CloseSalesOrderSchema = z.strictObject({ type: z.literal('CloseSalesOrder'), data: OrderOnly });

/** Re-opens a closed order. */
export const ReopenSalesOrderSchema = z.strictObject({ type: z.literal('ReopenSalesOrder'), data: OrderOnly });

/** Cancels a submitted order that nothing was delivered or billed against. */
export const CancelSalesOrderSchema = z.strictObject({
  type: z.literal('CancelSalesOrder'),
  data: z.strictObject({ orderId: SalesOrderIdSchema, reason: Reason.optional() }),
});

/** Records quantities delivered against lines (a delivery note). */
export const RecordSalesOrderDeliverySchema = z.strictObject({
  type: z.literal('RecordSalesOrderDelivery'),
  data: z.strictObject({
    orderId: SalesOrderIdSchema,
    reference: Reference.optional(),
    lines: z.array(z.strictObject({ lineId: SalesOrderLineIdSchema, qty: QuantitySchema })).min(1),
  }),
});

/** Records amounts billed against lines (a sales invoice), in the order's currency, before order-level discount. */
export const RecordSalesOrderBillingSchema = z.strictObject({
  type: z.literal('RecordSalesOrderBilling'),
  data: z.strictObject({
    orderId: SalesOrderIdSchema,
    reference: Reference.optional(),
    lines: z.array(z.strictObject({ lineId: SalesOrderLineIdSchema, amount: DecimalStringSchema })).min(1),
  }),
});

/**
 * Changes a submitted order (ERPNext's "Update Items"): new quantities, rates or delivery dates of lines, new lines,
 * removed lines, checked as one batch.
 */
export const UpdateSalesOrderItemsSchema = z.strictObject({
  type: z.literal('UpdateSalesOrderItems'),
  data: z.strictObject({
    orderId: SalesOrderIdSchema,
    update: z
      .array(
        z.strictObject({
          lineId: SalesOrderLineIdSchema,
          qty: QuantitySchema.optional(),
          rate: DecimalStringSchema.optional(),
          deliveryDate: IsoDateSchema.optional(),
        }),
      )
      .default([]),
    add: z.array(SalesOrderLineInputSchema).default([]),
    remove: z.array(SalesOrderLineIdSchema).default([]),
  }),
});

/**
 * Validates any sales order command (`{ type, data }`); issues carry paths such as `['data', 'line', 'qty']`. Unknown
 * keys are refused, at any depth (`['data', 'line', 'foo']`).
 */
export const SalesOrderCommandSchema = z.discriminatedUnion('type', [
  CreateSalesOrderSchema,
  AddSalesOrderLineSchema,
  UpdateSalesOrderLineSchema,
  RemoveSalesOrderLineSchema,
  SetSalesOrderDiscountSchema,
  RemoveSalesOrderDiscountSchema,
  AddSalesOrderTaxSchema,
  RemoveSalesOrderTaxSchema,
  SetSalesOrderDeliveryDateSchema,
  SubmitSalesOrderSchema,
  HoldSalesOrderSchema,
  ResumeSalesOrderSchema,
  CloseSalesOrderSchema,
  ReopenSalesOrderSchema,
  CancelSalesOrderSchema,
  RecordSalesOrderDeliverySchema,
  RecordSalesOrderBillingSchema,
  UpdateSalesOrderItemsSchema,
]);

/** A sales order command as a caller writes it: plain strings, optional fields may be left out. */
export type SalesOrderCommand = z.input<typeof SalesOrderCommandSchema>;
/** A sales order command after validation: ids branded, defaults filled in. */
export type ValidSalesOrderCommand = z.output<typeof SalesOrderCommandSchema>;
/** The type names of sales order commands. */
export type SalesOrderCommandType = SalesOrderCommand['type'];
/** The command of one type, e.g. `SalesOrderCommandOfType<'SubmitSalesOrder'>`. */
export type SalesOrderCommandOfType<T extends SalesOrderCommandType> = Extract<SalesOrderCommand, { type: T }>;

/** The names of every sales order command, for menus and exhaustive tests. */
export const SALES_ORDER_COMMAND_TYPES: readonly SalesOrderCommandType[] = Object.freeze(
  SalesOrderCommandSchema.options.map((option) => option.shape.type.value),
);
