/**
 * `ordo/testing`: what a host's test suite needs to test with Ordo, and to prove its own adapters.
 *
 * @packageDocumentation
 */
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
