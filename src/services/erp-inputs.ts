import { z } from 'zod';
import {
  CurrencyCodeSchema,
  type MoneyJSON,
  MoneySchema,
  NonNegativeQuantitySchema,
  PositiveQuantitySchema,
} from '../domain/money/index.js';
import type { StockPolicy } from '../domain/stock/stock-availability.js';
import { StorableName, storable } from './erp-strings.js';

const Id = StorableName;
const IsoDate = z.iso.date();
const Reason = storable(z.string().max(1000));
const Qty = PositiveQuantitySchema as z.ZodType<string, string>;
const Currency = CurrencyCodeSchema as z.ZodType<string, string>;
const Amount = MoneySchema as z.ZodType<MoneyJSON, MoneyJSON>;
const Rate = NonNegativeQuantitySchema as z.ZodType<string, string>;
const Policy = z.enum(['block', 'warn', 'backorder']) satisfies z.ZodType<StockPolicy, StockPolicy>;

/** One line of {@link PlaceOrderInput}. */
export interface PlaceOrderLineInput {
  /** @defaultValue `L<n>`, n = the line's position from 1 */
  readonly lineId?: string | undefined;
  readonly itemCode: string;
  /** Quantity in `unit`, a decimal string greater than zero: `"12"`, `"2.5"`. */
  readonly qty: string;
  /** @defaultValue the item's stock unit */
  readonly unit?: string | undefined;
  /** @defaultValue the ERP's `defaultWarehouse` */
  readonly warehouse?: string | undefined;
  /** The line's own delivery date. @defaultValue the order's */
  readonly deliveryDate?: string | undefined;
}

/** What {@link Erp.placeOrder} takes. Rates come from pricing; nothing about money is given by the caller. */
export interface PlaceOrderInput {
  /** @defaultValue `SO-<new id>` */
  readonly orderId?: string | undefined;
  readonly customerId: string;
  /** @defaultValue the ERP's `company` */
  readonly company?: string | undefined;
  /** @defaultValue the ERP's `currency` */
  readonly currency?: string | undefined;
  /** The order date `YYYY-MM-DD`. @defaultValue today (the ERP clock, UTC) */
  readonly transactionDate?: string | undefined;
  /** @defaultValue the order date plus `deliveryLeadTimeDays` */
  readonly deliveryDate?: string | undefined;
  /**
   * Price from this list. The order records the list it was priced from, and lines added after submit
   * ({@link Erp.updateOrderItems}) are priced from it too. @defaultValue the customer's default list, else the
   * ERP's `defaultPriceListId`
   */
  readonly priceListId?: string | undefined;
  /**
   * Create a draft only: checked (customer, items, stock, pricing, credit) but not submitted and not reserved;
   * {@link Erp.submitOrder} submits and reserves it later. @defaultValue `false`: the order is placed (submitted)
   * and its stock reserved in the same commit
   */
  readonly draft?: boolean | undefined;
  /**
   * What to do with lines short of projected stock, for this call only: `block` refuses them (`INSUFFICIENT_STOCK`),
   * `warn` accepts and reports them in `warnings`, `backorder` accepts and reports each line's `backordered` quantity.
   * @defaultValue the ERP's `stockPolicy` setting
   */
  readonly stockPolicy?: StockPolicy | undefined;
  /** At least one line. */
  readonly lines: readonly PlaceOrderLineInput[];
}

/** Validates {@link PlaceOrderInput}; unknown keys are refused, so a misspelt field is not silently ignored. */
export const PlaceOrderInputSchema = z.strictObject({
  orderId: Id.optional(),
  customerId: Id,
  company: Id.optional(),
  currency: Currency.optional(),
  transactionDate: IsoDate.optional(),
  deliveryDate: IsoDate.optional(),
  priceListId: Id.optional(),
  draft: z.boolean().optional(),
  stockPolicy: Policy.optional(),
  lines: z
    .array(
      z.strictObject({
        lineId: Id.optional(),
        itemCode: Id,
        qty: Qty,
        unit: Id.optional(),
        warehouse: Id.optional(),
        deliveryDate: IsoDate.optional(),
      }),
    )
    .min(1)
    .max(500),
});

/** Names one order: submit, hold, resume, close, re-open, cancel. */
export interface OrderRefInput {
  readonly orderId: string;
}

/** Validates {@link OrderRefInput}. */
export const OrderRefInputSchema = z.strictObject({ orderId: Id });

/** What {@link Erp.submitOrder} takes: the draft to submit. */
export interface SubmitOrderInput extends OrderRefInput {
  /**
   * The stock policy of this submit (its lines are checked against projected stock again).
   * @defaultValue the ERP's `stockPolicy` setting
   */
  readonly stockPolicy?: StockPolicy | undefined;
}

/** Validates {@link SubmitOrderInput}. */
export const SubmitOrderInputSchema = z.strictObject({ orderId: Id, stockPolicy: Policy.optional() });

/** Names an order and why (hold, cancel). */
export interface OrderReasonInput extends OrderRefInput {
  readonly reason?: string | undefined;
}

/** Validates {@link OrderReasonInput}. */
export const OrderReasonInputSchema = z.strictObject({ orderId: Id, reason: Reason.optional() });

/** What {@link Erp.updateOrderItems} takes: ERPNext's "Update Items" on a submitted order, one batch. */
export interface UpdateOrderItemsInput {
  readonly orderId: string;
  /** New quantity, rate or delivery date of existing lines. @defaultValue `[]` */
  readonly update?:
    | readonly {
        readonly lineId: string;
        readonly qty?: string | undefined;
        /** A new unit price (decimal string, in the order's currency), replacing the priced one. */
        readonly rate?: string | undefined;
        readonly deliveryDate?: string | undefined;
      }[]
    | undefined;
  /** New lines, priced like {@link PlaceOrderLineInput}s, from the price list the order was placed with. @defaultValue `[]` */
  readonly add?: readonly PlaceOrderLineInput[] | undefined;
  /** Ids of lines to remove (nothing delivered or billed on them). @defaultValue `[]` */
  readonly remove?: readonly string[] | undefined;
  /**
   * The stock policy for added lines and quantity increases, for this call only.
   * @defaultValue the ERP's `stockPolicy` setting
   */
  readonly stockPolicy?: StockPolicy | undefined;
}

/** Validates {@link UpdateOrderItemsInput}. */
export const UpdateOrderItemsInputSchema = z.strictObject({
  orderId: Id,
  update: z
    .array(z.strictObject({ lineId: Id, qty: Qty.optional(), rate: Rate.optional(), deliveryDate: IsoDate.optional() }))
    .max(500)
    .optional(),
  add: PlaceOrderInputSchema.shape.lines.unwrap().array().max(500).optional(),
  remove: z.array(Id).max(500).optional(),
  stockPolicy: Policy.optional(),
});

/** What {@link Erp.deliverOrder} takes. */
export interface DeliverOrderInput {
  readonly orderId: string;
  /** Quantities (in each line's unit) to deliver. @defaultValue everything not delivered yet, on every line */
  readonly lines?: readonly { readonly lineId: string; readonly qty: string }[] | undefined;
  /** The delivery note's number, for the audit trail. @defaultValue `DN-<new id>` */
  readonly reference?: string | undefined;
}

/** Validates {@link DeliverOrderInput}. */
export const DeliverOrderInputSchema = z.strictObject({
  orderId: Id,
  lines: z
    .array(z.strictObject({ lineId: Id, qty: Qty }))
    .min(1)
    .max(500)
    .optional(),
  reference: Id.optional(),
});

/** What {@link Erp.invoiceOrder} takes. */
export interface InvoiceOrderInput {
  readonly orderId: string;
  /** @defaultValue `SINV-<new id>` */
  readonly invoiceId?: string | undefined;
  /** Quantities (in each line's unit) to bill at the line's rate. @defaultValue what is unbilled on every line */
  readonly lines?: readonly { readonly lineId: string; readonly qty: string }[] | undefined;
  /** @defaultValue today */
  readonly postingDate?: string | undefined;
  /** @defaultValue the posting date plus `paymentTermsDays` */
  readonly dueDate?: string | undefined;
}

/** Validates {@link InvoiceOrderInput}. */
export const InvoiceOrderInputSchema = z.strictObject({
  orderId: Id,
  invoiceId: Id.optional(),
  lines: z
    .array(z.strictObject({ lineId: Id, qty: Qty }))
    .min(1)
    .max(500)
    .optional(),
  postingDate: IsoDate.optional(),
  dueDate: IsoDate.optional(),
});

/** What {@link Erp.receivePayment} takes. */
export interface ReceivePaymentInput {
  readonly customerId: string;
  /** What was received, e.g. `{ amount: "250.00", currency: "USD" }`; greater than zero. */
  readonly amount: MoneyJSON;
  /** @defaultValue the ERP's `company` */
  readonly company?: string | undefined;
  /** @defaultValue `PAY-<new id>` */
  readonly paymentId?: string | undefined;
  /** @defaultValue today */
  readonly receivedOn?: string | undefined;
  /** A bank reference or cheque number. */
  readonly reference?: string | undefined;
  /**
   * How to allocate it to invoices. @defaultValue the customer's open invoices of the company, oldest due date
   * first, each up to what it owes; any rest stays unallocated (an advance)
   */
  readonly allocations?: readonly { readonly invoiceId: string; readonly amount: MoneyJSON }[] | undefined;
}

/** Validates {@link ReceivePaymentInput}. */
export const ReceivePaymentInputSchema = z.strictObject({
  customerId: Id,
  amount: Amount,
  company: Id.optional(),
  paymentId: Id.optional(),
  receivedOn: IsoDate.optional(),
  reference: Id.optional(),
  allocations: z
    .array(z.strictObject({ invoiceId: Id, amount: Amount }))
    .max(500)
    .optional(),
});
