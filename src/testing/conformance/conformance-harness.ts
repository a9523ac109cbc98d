/**
 * The per-test plumbing of the conformance suite: one fresh storage per test, every store opened on it
 * tracked, and all of it closed and disposed after the test, pass or fail.
 */

import { isOrdoError } from '../../kernel/errors.js';
import type { EventStore } from '../../kernel/event-store.js';
import type { ConformanceFactory, ConformanceStorage, ConformanceStoreOptions } from '../event-store-conformance.js';
import { vitestApi } from './vitest-api.js';

/** The capabilities with every default applied. */
export interface ResolvedCapabilities {
  readonly concurrentWriters: number;
  readonly modelRuns: number;
  readonly transactionalHooks: boolean;
}

/**
 * One storage and the stores opened on it. The storage is created on the first `open`, so a test that opens
 * nothing (a skipped one) costs nothing.
 */
export class StorageSession {
  readonly #factory: ConformanceFactory;
  #storage: Promise<ConformanceStorage> | undefined;
  readonly #stores: EventStore[] = [];

  constructor(factory: ConformanceFactory) {
    this.#factory = factory;
  }

  /** Opens a store over this session's storage; it is closed by {@link StorageSession.dispose}. */
  async open(options?: ConformanceStoreOptions): Promise<EventStore> {
    // Promise.resolve().then(...) turns a synchronous throw of the factory into a rejection, reported once.
    this.#storage ??= Promise.resolve().then(() => this.#factory());
    const storage = await this.#storage;
    const store = await (options === undefined ? storage.open() : storage.open(options));
    this.#stores.push(store);
    return store;
  }

  /**
   * Closes every store opened (a store the test already closed may say `STORE_CLOSED` again: that is fine),
   * then disposes the storage. Throws the first real failure after trying everything.
   */
  async dispose(): Promise<void> {
    const errors: unknown[] = [];
    for (const store of this.#stores.splice(0)) {
      try {
        await store.close();
      } catch (error) {
        if (!isOrdoError(error, 'STORE_CLOSED')) errors.push(error);
      }
    }
    const pending = this.#storage;
    this.#storage = undefined;
    if (pending) {
      try {
        const storage = await pending;
        await storage.dispose?.();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'closing the conformance stores and storage failed');
  }
}

/** What every group of conformance tests is given. */
export interface ConformanceHarness {
  /** Opens a store over the current test's storage. Every store opened shares the data. */
  open(options?: ConformanceStoreOptions): Promise<EventStore>;
  /** The adapter's factory, for tests that need several storages (the model-based test). */
  readonly factory: ConformanceFactory;
  readonly capabilities: ResolvedCapabilities;
}

/**
 * Registers `beforeEach`/`afterEach` hooks in the current `describe` that give each test a fresh
 * {@link StorageSession}, and returns the harness the tests use.
 */
export function useConformanceHarness(
  factory: ConformanceFactory,
  capabilities: ResolvedCapabilities,
): ConformanceHarness {
  const { beforeEach, afterEach } = vitestApi();
  let session: StorageSession | undefined;
  beforeEach(() => {
    session = new StorageSession(factory);
  });
  afterEach(async () => {
    const current = session;
    session = undefined;
    await current?.dispose();
  });
  return {
    factory,
    capabilities,
    open(options) {
      if (!session) throw new Error('open() is only available while a conformance test runs');
      return session.open(options);
    },
  };
}

/** Runs `body` with a session of its own, disposed afterwards whatever happens. */
export async function withSession<T>(
  factory: ConformanceFactory,
  body: (session: StorageSession) => Promise<T>,
): Promise<T> {
  const session = new StorageSession(factory);
  let result: T;
  try {
    result = await body(session);
  } catch (error) {
    // The body's failure is the one worth reporting; a cleanup failure after it would only hide it.
    await session.dispose().catch(() => undefined);
    throw error;
  }
  await session.dispose();
  return result;
}
