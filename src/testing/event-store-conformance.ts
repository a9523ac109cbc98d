/**
 * The one test suite that defines a correct {@link EventStore}. Every Ordo adapter runs it, and a third party
 * proves its own adapter with it: see `docs/writing-an-adapter.md`.
 */

import { ValidationError } from '../kernel/errors.js';
import type { EventRegistry } from '../kernel/event-registry.js';
import type { EventStore } from '../kernel/event-store.js';
import { atomicityTests, expectedVersionTests, idempotencyTests } from './conformance/conformance-append.js';
import { concurrencyTests } from './conformance/conformance-concurrency.js';
import { envelopeTests } from './conformance/conformance-envelope.js';
import { type ResolvedCapabilities, useConformanceHarness } from './conformance/conformance-harness.js';
import { hookTests } from './conformance/conformance-hooks.js';
import { modelBasedTests } from './conformance/conformance-model-based.js';
import { readAllTests, readStreamTests, versionAndHeadTests } from './conformance/conformance-read.js';
import { registryTests } from './conformance/conformance-registry.js';
import { checkpointTests, lifecycleTests, snapshotTests } from './conformance/conformance-state.js';
import { vitestApi } from './conformance/vitest-api.js';

/**
 * What the suite asks of a store it opens.
 *
 * @remarks Since 0.1.0
 */
export interface ConformanceStoreOptions {
  /** Event definitions the store must validate and upcast with. @defaultValue none: events are stored as given */
  readonly registry?: EventRegistry;
}

/**
 * One test's storage: an empty database (schema, file, in-memory storage) the suite opens stores over.
 *
 * @remarks Since 0.1.0
 */
export interface ConformanceStorage {
  /** Opens a store over this storage. May be called several times; all stores opened share the data (like several processes on one database). */
  open(options?: ConformanceStoreOptions): EventStore | Promise<EventStore>;
  /** Frees the storage (drop schema, delete file). Stores opened from it are closed by the suite before. */
  dispose?(): void | Promise<void>;
}

/**
 * Makes a fresh, empty {@link ConformanceStorage}. Called once per test (and once per run of the model-based
 * test), so tests never see each other's data.
 *
 * @remarks Since 0.1.0
 */
export type ConformanceFactory = () => ConformanceStorage | Promise<ConformanceStorage>;

/**
 * What the adapter can do, and how hard the suite pushes it.
 *
 * @remarks Since 0.1.0
 */
export interface ConformanceCapabilities {
  /** Number of concurrent writers in the contention test. @defaultValue 8 */
  readonly concurrentWriters?: number;
  /** fast-check runs of the model-based test. @defaultValue 25 */
  readonly modelRuns?: number;
  /** beforeCommit hooks run in a real transaction and their failure rolls the append back. @defaultValue true */
  readonly transactionalHooks?: boolean;
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ValidationError([
      { path: ['capabilities', name], message: 'must be a positive integer', code: 'invalid_value' },
    ]);
  }
  return value;
}

function resolveCapabilities(capabilities: ConformanceCapabilities): ResolvedCapabilities {
  return {
    concurrentWriters: positiveInteger(capabilities.concurrentWriters, 8, 'concurrentWriters'),
    modelRuns: positiveInteger(capabilities.modelRuns, 25, 'modelRuns'),
    transactionalHooks: capabilities.transactionalHooks ?? true,
  };
}

/**
 * Registers the EventStore conformance suite with vitest: one `describe` named after the adapter, holding
 * every rule of the contract as its own test. Call it at the top level of a test file.
 *
 * Each test gets a fresh storage from `factory`; the stores it opens are closed, and the storage disposed,
 * after the test whatever its outcome.
 *
 * @param name - the adapter's name, shown in test reports.
 * @param factory - makes an empty storage per test.
 * @param capabilities - what the adapter supports and how hard to push it.
 * @throws A {@link ValidationError} when a capability is out of range (`VALIDATION_FAILED`).
 *
 * @example
 * ```ts
 * import { createMemoryEventStorage, createMemoryEventStore } from 'ordo';
 * import { eventStoreConformance } from 'ordo/testing';
 *
 * eventStoreConformance('memory', () => {
 *   const storage = createMemoryEventStorage();
 *   return { open: (options) => createMemoryEventStore({ storage, ...options }) };
 * });
 * ```
 *
 * @remarks Since 0.1.0. Needs `vitest` (an optional peer dependency of `ordo/testing`, loaded only when the
 * suite is registered) and `fast-check`. ES modules only: vitest cannot be `require`d, so from the CommonJS
 * build this throws with an explanation, while the rest of `ordo/testing` works.
 */
export function eventStoreConformance(
  name: string,
  factory: ConformanceFactory,
  capabilities: ConformanceCapabilities = {},
): void {
  const { describe } = vitestApi();
  const resolved = resolveCapabilities(capabilities);
  describe(`EventStore conformance: ${name}`, () => {
    const h = useConformanceHarness(factory, resolved);
    expectedVersionTests(h);
    atomicityTests(h);
    idempotencyTests(h);
    envelopeTests(h);
    readStreamTests(h);
    readAllTests(h);
    versionAndHeadTests(h);
    snapshotTests(h);
    checkpointTests(h);
    registryTests(h);
    hookTests(h);
    concurrencyTests(h);
    lifecycleTests(h);
    modelBasedTests(h);
  });
}
