/**
 * `ordo/testing`: what a host's test suite needs to test with Ordo, and to prove its own adapters.
 *
 * @packageDocumentation
 */

export { addressArb, addressInputArb } from './arbitraries/address-arbitraries.js';
export {
  type CustomerArbOptions,
  creditLimitInputArb,
  customerIdArb,
  customerRecordArb,
  type RegisterCustomerCommand,
  registerCustomerCommandArb,
} from './arbitraries/customer-arbitraries.js';
export {
  type ItemArbOptions,
  itemCodeArb,
  itemGroupTreeArb,
  itemRecordArb,
  type RegisterItemCommand,
  registerItemCommandArb,
  SAMPLE_ITEM_GROUPS,
} from './arbitraries/item-arbitraries.js';
export {
  type CurrencyCodeArbOptions,
  currencyCodeArb,
  type DecimalArbOptions,
  decimalStringArb,
  type MoneyArbOptions,
  moneyArb,
  moneyJsonArb,
  percentageArb,
  quantityArb,
} from './arbitraries/money-arbitraries.js';
export {
  type PricingRuleArbOptions,
  type PricingScenario,
  pricingRuleArb,
  pricingScenarioArb,
  promotionalSchemeArb,
} from './arbitraries/pricing-arbitraries.js';
export {
  type InvalidSalesOrderScenario,
  invalidSalesOrderScenarioArb,
  type SalesOrderArbOptions,
  type SalesOrderLineArbOptions,
  salesOrderCommandsArb,
  salesOrderLineInputArb,
} from './arbitraries/sales-order-arbitraries.js';
export { orderLifecycleCommandsArb, type StockArbOptions, stockMovementArb } from './arbitraries/stock-arbitraries.js';
export {
  DeciderSpecError,
  type DeciderSpecification,
  type DeciderSpecOptions,
  type DeciderThen,
  type DeciderWhen,
  deciderSpec,
} from './decider-spec.js';
export {
  type ConformanceCapabilities,
  type ConformanceFactory,
  type ConformanceStorage,
  type ConformanceStoreOptions,
  eventStoreConformance,
} from './event-store-conformance.js';
export {
  type SalesOrderFoldPropertyOptions,
  type SalesOrderFoldRun,
  salesOrderFoldProperty,
} from './properties/sales-order-fold-property.js';
export {
  type SalesOrderModelPropertyOptions,
  type SalesOrderModelRun,
  type SalesOrderModelStart,
  salesOrderModelProperty,
} from './properties/sales-order-model-property.js';
export type { SalesOrderPropertyOptions } from './properties/sales-order-property-options.js';
export { createTestErp, type TestErp, type TestErpOptions } from './test-erp.js';
export * from './test-erp-data.js';
