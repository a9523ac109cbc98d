/**
 * Ordo: an event-sourced ERP domain core.
 *
 * This barrel is the curated public surface of `ordo`. The SQL stores live in `ordo/sqlite` and
 * `ordo/postgres`; arbitraries, given/when/then and the conformance suite in `ordo/testing`.
 *
 * @packageDocumentation
 */

export {
  Address,
  AddressEventSchema,
  type AddressInput,
  type AddressJSON,
  AddressSchema,
  COUNTRY_CODES,
  type CountryCode,
  isCountryCode,
} from './domain/address/index.js';
export * from './domain/credit/index.js';
export * from './domain/customer/index.js';
export * from './domain/invoice/index.js';
export * from './domain/item/index.js';
export {
  CURRENCY_CODES,
  CURRENCY_MINOR_UNITS,
  type CurrencyCode,
  CurrencyCodeSchema,
  CurrencyMismatchError,
  currencyMinorUnit,
  type DecimalInput,
  DecimalStringSchema,
  DiscountPercentageSchema,
  isCurrencyCode,
  MAX_FRACTION_DIGITS,
  MAX_INTEGER_DIGITS,
  Money,
  type MoneyJSON,
  MoneySchema,
  NonNegativePercentageSchema,
  NonNegativeQuantitySchema,
  Percentage,
  PercentageSchema,
  PositiveQuantitySchema,
  Quantity,
  QuantitySchema,
  ROUNDING_MODES,
  type RoundingMode,
} from './domain/money/index.js';
export * from './domain/price-list/index.js';
export * from './domain/pricing/index.js';
export {
  type ExistingSalesOrder,
  type NoSalesOrder,
  type ResolvedSalesOrderSettings,
  SALES_ORDER_ROUNDING_METHODS,
  SALES_ORDER_RULES,
  SALES_ORDER_STATUSES,
  SalesOrder,
  type SalesOrderBillingStatus,
  type SalesOrderCommand,
  type SalesOrderCommandOfType,
  SalesOrderCommandSchema,
  type SalesOrderCommandType,
  type SalesOrderContext,
  type SalesOrderDeliveryStatus,
  type SalesOrderDiscount,
  SalesOrderDiscountSchema,
  type SalesOrderDocStatus,
  type SalesOrderEvent,
  type SalesOrderEventOfType,
  type SalesOrderEventType,
  SalesOrderId,
  SalesOrderIdSchema,
  type SalesOrderLine,
  type SalesOrderLineId,
  SalesOrderLineIdSchema,
  type SalesOrderLineInput,
  SalesOrderLineInputSchema,
  type SalesOrderLineTotals,
  type SalesOrderPricing,
  SalesOrderPricingSchema,
  type SalesOrderRoundingMethod,
  type SalesOrderRule,
  type SalesOrderRuleError,
  type SalesOrderSettings,
  type SalesOrderState,
  type SalesOrderStateTotals,
  type SalesOrderStatus,
  type SalesOrderStatusInput,
  type SalesOrderTax,
  SalesOrderTaxSchema,
  type SalesOrderTaxTotals,
  type SalesOrderTotals,
  type SalesOrderTotalsInput,
  salesOrderEventDefinitions,
} from './domain/sales-order/index.js';
export * from './domain/stock/index.js';
export * from './export/index.js';
export * from './kernel/index.js';
export * from './read-models/index.js';
export * from './services/index.js';
export * from './stores/memory/index.js';
