/**
 * Application services: the ERP's use cases (`createErp`), their inputs and results, the customer ledger that
 * makes credit checks safe under concurrency, and the ports (notifications, audit log, clock, ids) with in-memory
 * implementations.
 *
 * @packageDocumentation
 */
export {
  type AdminPayload,
  type ErpCustomerCommand,
  ErpCustomerCommandSchema,
  type StockAdjustmentCommand,
  StockAdjustmentCommandSchema,
} from './administration.js';
export {
  CUSTOMER_LEDGER_STREAM_PREFIX,
  type CustomerLedgerEvent,
  CustomerLedgerInvoiceRecorded,
  CustomerLedgerOrderRecorded,
  CustomerLedgerPaymentRecorded,
  type CustomerLedgerState,
  customerLedgerDecider,
  customerLedgerEvents,
  customerLedgerStreamId,
  evolveCustomerLedger,
  initialCustomerLedgerState,
  type LedgerExposure,
  type LedgerInvoice,
  type LedgerOrder,
  type LedgerPayment,
  ledgerCurrencies,
  ledgerExposure,
} from './customer-ledger.js';
export type { DeliveredLine, DeliverOrderPayload } from './deliver-order.js';
export { createErp, type Erp, type ErpConfig } from './erp.js';
export {
  type DeliverOrderInput,
  DeliverOrderInputSchema,
  type InvoiceOrderInput,
  InvoiceOrderInputSchema,
  type OrderReasonInput,
  OrderReasonInputSchema,
  type OrderRefInput,
  OrderRefInputSchema,
  type PlaceOrderInput,
  PlaceOrderInputSchema,
  type PlaceOrderLineInput,
  type ReceivePaymentInput,
  ReceivePaymentInputSchema,
  type SubmitOrderInput,
  SubmitOrderInputSchema,
  type UpdateOrderItemsInput,
  UpdateOrderItemsInputSchema,
} from './erp-inputs.js';
export type { CustomerBalance, StockLevelView } from './erp-queries.js';
export { createErpEventRegistry, erpEventDefinitions } from './erp-registry.js';
export type {
  DomainServiceRuleCode,
  ErpError,
  ErpErrorCode,
  ErpFailure,
  ErpResult,
  ServiceRuleCode,
} from './erp-result.js';
export { type UseCaseContext, UseCaseContextSchema } from './erp-runtime.js';
export {
  type CompanyCreditLimit,
  type CustomerGroupCreditLimit,
  type ErpRetrySettings,
  type ErpSettings,
  ErpSettingsSchema,
  type ResolvedErpSettings,
  resolveErpSettings,
} from './erp-settings.js';
export type { InvoiceOrderPayload } from './invoice-order.js';
export type { OrderPayload, SubmitOrderPayload } from './order-lifecycle.js';
export type { CreditSummary, PlacedOrderLine, PlaceOrderPayload } from './place-order.js';
export * from './ports/index.js';
export type { ReceivePaymentPayload } from './receive-payment.js';
export type { UpdateOrderItemsPayload } from './update-order-items.js';
