/**
 * `ordo/testing`: what a host's test suite needs to test with Ordo, and to prove its own adapters.
 *
 * @packageDocumentation
 */

export { addressArb, addressInputArb } from './arbitraries/address-arbitraries.js';
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
