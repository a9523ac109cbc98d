import type { CustomerRecord } from '../domain/customer/customer-state.js';
import type { PaymentRecord } from '../domain/invoice/payment-state.js';
import type { SalesInvoiceRecord } from '../domain/invoice/sales-invoice-state.js';
import type { ItemCommand } from '../domain/item/item-commands.js';
import type { ItemRecord } from '../domain/item/item-state.js';
import type { PriceListCommand } from '../domain/price-list/price-list-commands.js';
import type { PriceListState } from '../domain/price-list/price-list-state.js';
import type { ExistingSalesOrder } from '../domain/sales-order/sales-order-state.js';
import { type Clock, systemClock } from '../kernel/clock.js';
import type { EventRegistry } from '../kernel/event-registry.js';
import type { EventStore } from '../kernel/event-store.js';
import { type IdGenerator, uuidV7Ids } from '../kernel/ids.js';
import {
  type AdminPayload,
  adjustStock,
  type ErpCustomerCommand,
  manageCustomer,
  manageItem,
  managePriceList,
  type StockAdjustmentCommand,
} from './administration.js';
import { type DeliverOrderPayload, deliverOrder } from './deliver-order.js';
import type {
  DeliverOrderInput,
  InvoiceOrderInput,
  OrderReasonInput,
  OrderRefInput,
  PlaceOrderInput,
  ReceivePaymentInput,
  SubmitOrderInput,
  UpdateOrderItemsInput,
} from './erp-inputs.js';
import { type CustomerBalance, createQueries, type StockLevelView } from './erp-queries.js';
import { createErpEventRegistry } from './erp-registry.js';
import type { ErpResult } from './erp-result.js';
import type { ErpRuntime, UseCaseContext } from './erp-runtime.js';
import { type ErpSettings, type ResolvedErpSettings, resolveErpSettings } from './erp-settings.js';
import { models } from './erp-support.js';
import { type InvoiceOrderPayload, invoiceOrder } from './invoice-order.js';
import {
  cancelOrder,
  closeOrder,
  holdOrder,
  type OrderPayload,
  reopenOrder,
  resumeOrder,
  type SubmitOrderPayload,
  submitOrder,
} from './order-lifecycle.js';
import { type PlaceOrderPayload, placeOrder } from './place-order.js';
import type { AuditEntry, AuditLogPort } from './ports/audit-log.js';
import type { Notification, NotificationPort } from './ports/notifications.js';
import { type ReceivePaymentPayload, receivePayment } from './receive-payment.js';
import { StreamStateCache } from './stream-state-cache.js';
import { type UpdateOrderItemsPayload, updateOrderItems } from './update-order-items.js';

/** How many master-data stream states one ERP instance keeps folded between calls. */
const STATE_CACHE_CAPACITY = 5_000;

/** Wiring and behaviour of {@link createErp}. Only `store` is required. */
export interface ErpConfig {
  /** Where every event goes: the in-memory store, SQLite (`ordo/sqlite`) or PostgreSQL (`ordo/postgres`). */
  readonly store: EventStore;
  /** @defaultValue the system clock */
  readonly clock?: Clock;
  /** Source of command ids, correlation ids and document ids (`SO-<id>`, ...). @defaultValue UUID v7 */
  readonly ids?: IdGenerator;
  /** Where notifications go, after commit. @defaultValue none: nothing is sent */
  readonly notifications?: NotificationPort;
  /** Where audit entries go. @defaultValue none: the events' metadata is the only record */
  readonly audit?: AuditLogPort;
  /** @defaultValue every default of {@link ErpSettings} */
  readonly settings?: ErpSettings;
  /**
   * Called when a notification fails to send (after it was recorded in the audit log as `notification_failed`).
   * The use case's change stands and its result is still `ok`. @defaultValue none
   */
  readonly onNotificationError?: (error: unknown, notification: Notification) => void;
  /** Called when the audit log fails to record an entry; the use case's outcome stands. @defaultValue none */
  readonly onAuditError?: (error: unknown, entry: AuditEntry) => void;
  /**
   * The registry to validate appended and decode read events with. @defaultValue `createErpEventRegistry()`:
   * every event the ERP writes
   */
  readonly registry?: EventRegistry;
  /** Source of retry jitter in [0, 1). @defaultValue `Math.random` */
  readonly random?: () => number;
}

/**
 * The ERP's use cases over one event store. Every use case takes its input (validated: bad input is
 * `VALIDATION_FAILED` with paths) and an optional {@link UseCaseContext} (`actor`, `correlationId`, stamped on every
 * event), and returns an {@link ErpResult}: `{ ok: true, ...payload }`, or `{ ok: false, errors }` with nothing
 * written. It throws only when the store fails (`STORE_UNAVAILABLE`, `STORE_CLOSED`, `CORRUPT_EVENT`).
 */
export interface Erp {
  /** The settings in force, defaults filled in. */
  readonly settings: ResolvedErpSettings;
  /** The store the ERP writes to (for read models and subscriptions). */
  readonly store: EventStore;

  /**
   * Places an order, the seed's OrderCreationService flow: customer → items → stock → price → credit → create →
   * reserve → notify. Every failed rule is listed; nothing is written when one fails. The order, its submission,
   * its stock reservations and its customer-ledger entry commit atomically. Above the high-value threshold an
   * alert is sent.
   */
  placeOrder(input: PlaceOrderInput, context?: UseCaseContext): Promise<ErpResult<PlaceOrderPayload>>;
  /**
   * Submits a draft (see `PlaceOrderInput.draft`): items, stock (with `input.stockPolicy`, else the setting) and
   * credit checked again, stock reserved. Shortfalls accepted under the `warn` or `backorder` policy are reported in
   * `warnings`, as by `placeOrder`.
   */
  submitOrder(input: SubmitOrderInput, context?: UseCaseContext): Promise<ErpResult<SubmitOrderPayload>>;
  /** Puts a submitted order on hold and releases its reservations. It still counts in the credit exposure. */
  holdOrder(input: OrderReasonInput, context?: UseCaseContext): Promise<ErpResult<OrderPayload>>;
  /** Resumes an order on hold: credit checked, reservations restored. */
  resumeOrder(input: OrderRefInput, context?: UseCaseContext): Promise<ErpResult<OrderPayload>>;
  /** Closes an order: reservations released, no longer counted as unbilled. */
  closeOrder(input: OrderRefInput, context?: UseCaseContext): Promise<ErpResult<OrderPayload>>;
  /** Re-opens a closed order: credit checked, reservations restored. */
  reopenOrder(input: OrderRefInput, context?: UseCaseContext): Promise<ErpResult<OrderPayload>>;
  /** Cancels a submitted order nothing was delivered or billed against: reservations released, customer told. */
  cancelOrder(input: OrderReasonInput, context?: UseCaseContext): Promise<ErpResult<OrderPayload>>;
  /**
   * Changes a submitted order's lines (ERPNext's "Update Items"): reservations adjusted, added lines priced and
   * reserved, increases checked against stock and credit. Shortfalls accepted under the `warn` or `backorder`
   * policy are reported in `warnings`, as by `placeOrder`.
   */
  updateOrderItems(input: UpdateOrderItemsInput, context?: UseCaseContext): Promise<ErpResult<UpdateOrderItemsPayload>>;
  /** Delivers (part of) an order: the order records it, the warehouse issues it against the reservations. */
  deliverOrder(input: DeliverOrderInput, context?: UseCaseContext): Promise<ErpResult<DeliverOrderPayload>>;
  /** Invoices (part of) an order: the invoice, the order's billed amounts and the ledger, in one commit. */
  invoiceOrder(input: InvoiceOrderInput, context?: UseCaseContext): Promise<ErpResult<InvoiceOrderPayload>>;
  /** Receives a payment and allocates it to invoices (given, or oldest due first). */
  receivePayment(input: ReceivePaymentInput, context?: UseCaseContext): Promise<ErpResult<ReceivePaymentPayload>>;

  /** Any Customer command (register, details, addresses, credit limits, disable, enable). */
  manageCustomer(
    command: ErpCustomerCommand,
    context?: UseCaseContext,
  ): Promise<ErpResult<AdminPayload<CustomerRecord | null>>>;
  /** Any Item command (register, details, units, standard rate, max discount, disable, enable). */
  manageItem(command: ItemCommand, context?: UseCaseContext): Promise<ErpResult<AdminPayload<ItemRecord | null>>>;
  /** Any PriceList command (create, set or remove an item price, disable, enable). */
  managePriceList(
    command: PriceListCommand,
    context?: UseCaseContext,
  ): Promise<ErpResult<AdminPayload<PriceListState>>>;
  /** Receives or issues stock of a registered item (`ReceiveStock`, `IssueStock`). */
  adjustStock(
    command: StockAdjustmentCommand,
    context?: UseCaseContext,
  ): Promise<ErpResult<AdminPayload<StockLevelView>>>;

  /** The order, or `undefined` when there is none. */
  getOrder(orderId: string): Promise<ExistingSalesOrder | undefined>;
  /** The customer, or `undefined` when there is none. */
  getCustomer(customerId: string): Promise<CustomerRecord | undefined>;
  /** The item, or `undefined` when there is none. */
  getItem(itemCode: string): Promise<ItemRecord | undefined>;
  /** The price list with its item prices (`{ exists: false }` when there is none). */
  getPriceList(priceListId: string): Promise<PriceListState>;
  /** The stock of an item in a warehouse (the default warehouse when none is given). */
  getStock(itemCode: string, warehouse?: string): Promise<StockLevelView>;
  /** The sales invoice, or `undefined` when there is none. */
  getInvoice(invoiceId: string): Promise<SalesInvoiceRecord | undefined>;
  /** The payment with its allocations, or `undefined` when there is none. */
  getPayment(paymentId: string): Promise<PaymentRecord | undefined>;
  /** A customer's outstanding, unbilled, exposure and advances for a company, with its orders, invoices, payments. */
  customerBalance(
    customerId: string,
    options?: { readonly company?: string | undefined; readonly currency?: string | undefined },
  ): Promise<CustomerBalance>;
}

/**
 * Creates the ERP's use cases over a store. Pure wiring: no I/O until a use case is called.
 *
 * @throws ValidationError (`VALIDATION_FAILED`, paths under `['settings']`) when the settings are invalid.
 *
 * @example
 * ```ts
 * const erp = createErp({ store: createMemoryEventStore(), notifications: createInMemoryNotifications() });
 * const placed = await erp.placeOrder({ customerId: 'CUST-1', lines: [{ itemCode: 'WIDGET', qty: '3' }] });
 * if (!placed.ok) for (const error of placed.errors) console.log(error.code, error.path, error.message);
 * ```
 */
export function createErp(config: ErpConfig): Erp {
  const runtime: ErpRuntime = {
    store: config.store,
    registry: config.registry ?? createErpEventRegistry(),
    clock: config.clock ?? systemClock,
    ids: config.ids ?? uuidV7Ids,
    settings: resolveErpSettings(config.settings),
    notifications: config.notifications,
    audit: config.audit,
    onNotificationError: config.onNotificationError,
    onAuditError: config.onAuditError,
    random: config.random ?? Math.random,
    stateCache: new StreamStateCache(
      STATE_CACHE_CAPACITY,
      new Set([models.customer, models.item, models.priceList, models.stock, models.ledger]),
    ),
  };
  return {
    settings: runtime.settings,
    store: runtime.store,
    placeOrder: placeOrder(runtime),
    submitOrder: submitOrder(runtime),
    holdOrder: holdOrder(runtime),
    resumeOrder: resumeOrder(runtime),
    closeOrder: closeOrder(runtime),
    reopenOrder: reopenOrder(runtime),
    cancelOrder: cancelOrder(runtime),
    updateOrderItems: updateOrderItems(runtime),
    deliverOrder: deliverOrder(runtime),
    invoiceOrder: invoiceOrder(runtime),
    receivePayment: receivePayment(runtime),
    manageCustomer: manageCustomer(runtime),
    manageItem: manageItem(runtime),
    managePriceList: managePriceList(runtime),
    adjustStock: adjustStock(runtime),
    ...createQueries(runtime),
  };
}
