import { type Clock, createFixedClock } from '../kernel/clock.js';
import type { StoredEvent } from '../kernel/event.js';
import type { EventStore } from '../kernel/event-store.js';
import { createDeterministicIds, type IdGenerator } from '../kernel/ids.js';
import { createErp, type Erp } from '../services/erp.js';
import type { ErpSettings } from '../services/erp-settings.js';
import { createInMemoryAuditLog, type InMemoryAuditLog } from '../services/ports/audit-log.js';
import {
  createInMemoryNotifications,
  type InMemoryNotifications,
  type Notification,
} from '../services/ports/notifications.js';
import { createMemoryEventStore } from '../stores/memory/memory-event-store.js';
import {
  loadSampleData,
  SAMPLE_COMPANY,
  SAMPLE_CURRENCY,
  SAMPLE_CUSTOMERS,
  SAMPLE_ERP_SETTINGS,
  SAMPLE_ITEMS,
  SAMPLE_WAREHOUSE,
} from './test-erp-data.js';

/** Options of {@link createTestErp}. Every field has a default. */
export interface TestErpOptions {
  /** Load the sample customers, items, price lists and stock. @defaultValue `true` */
  readonly sampleData?: boolean;
  /**
   * Settings laid over {@link SAMPLE_ERP_SETTINGS} (key by key at the top level, so `pricing` replaces the
   * sample's pricing block). @defaultValue the sample settings as they are
   */
  readonly settings?: ErpSettings;
  /** Where the deterministic clock starts; it stands still until `clock.advance()`. @defaultValue `'2026-03-02T09:00:00.000Z'` */
  readonly startAt?: string;
  /** Seed of the deterministic ids (document, command and event ids). @defaultValue `1` */
  readonly seed?: number;
  /**
   * Fails chosen notifications (return an `Error` to throw from `send`), to test that a failing notifier loses
   * nothing. @defaultValue never fails
   */
  readonly failNotification?: (notification: Notification) => Error | undefined;
  /** The store. @defaultValue a new in-memory store on the same deterministic clock and ids */
  readonly store?: EventStore;
}

/** A test ERP: the {@link Erp} plus its deterministic ports and the sample data's names. */
export interface TestErp extends Erp {
  /** The deterministic clock: `advance(ms)`, `set(instant)`. */
  readonly clock: Clock & {
    /** Moves the clock forward by `ms`. */
    advance(ms: number): void;
    /** Sets the clock to `instant`. */
    set(instant: Date | string): void;
  };
  readonly ids: IdGenerator;
  /** Every notification sent, after commit. */
  readonly notifications: InMemoryNotifications;
  /** Every audit entry: who did what, rejected calls and failed notifications included. */
  readonly audit: InMemoryAuditLog;
  /** The names of the sample data (present when `sampleData` is on). */
  readonly sample: {
    readonly company: string;
    readonly currency: string;
    readonly warehouse: string;
    readonly customers: typeof SAMPLE_CUSTOMERS;
    readonly items: typeof SAMPLE_ITEMS;
  };
  /** The events of one stream, or of the whole store, in order: to assert on what a use case wrote. */
  events(streamId?: string): Promise<StoredEvent[]>;
}

/**
 * An in-memory ERP for a host's tests: a memory event store, a clock that stands still at
 * `2026-03-02T09:00:00Z`, deterministic ids, in-memory notifications and audit log, and sample data — five
 * customers (with and without credit limits, one disabled), five items (stocked, a service, one disabled), the
 * `Standard Selling` and `Wholesale` price lists, the seed's pricing rules and opening stock in `Main`. The same
 * calls give the same ids, totals and events on every run. No server, no files.
 *
 * @example
 * ```ts
 * const erp = await createTestErp();
 * const placed = await erp.placeOrder({ customerId: erp.sample.customers.acme, lines: [{ itemCode: 'WIDGET', qty: '10' }] });
 * expect(placed).toMatchObject({ ok: true, grandTotal: { amount: '245.00', currency: 'USD' } });
 * ```
 */
export async function createTestErp(options: TestErpOptions = {}): Promise<TestErp> {
  const clock = createFixedClock(options.startAt ?? '2026-03-02T09:00:00.000Z');
  const seed = options.seed ?? 1;
  const ids = createDeterministicIds(seed);
  const store = options.store ?? createMemoryEventStore({ clock, ids: createDeterministicIds(seed + 1_000_003) });
  const notifications = createInMemoryNotifications(options.failNotification ? { fail: options.failNotification } : {});
  const audit = createInMemoryAuditLog();
  const erp = createErp({
    store,
    clock,
    ids,
    notifications,
    audit,
    settings: { ...SAMPLE_ERP_SETTINGS, ...options.settings },
    // Retries are jittered; a fixed jitter keeps a test's timing reproducible too.
    random: () => 0.5,
  });
  if (options.sampleData ?? true) {
    await loadSampleData(erp);
    // Tests start from a clean slate: the seeding is not what they assert on.
    notifications.clear();
    audit.clear();
  }
  return {
    ...erp,
    clock,
    ids,
    notifications,
    audit,
    sample: {
      company: SAMPLE_COMPANY,
      currency: SAMPLE_CURRENCY,
      warehouse: SAMPLE_WAREHOUSE,
      customers: SAMPLE_CUSTOMERS,
      items: SAMPLE_ITEMS,
    },
    async events(streamId) {
      const events: StoredEvent[] = [];
      const source = streamId === undefined ? store.readAll() : store.readStream(streamId);
      for await (const event of source) events.push(event);
      return events;
    },
  };
}
