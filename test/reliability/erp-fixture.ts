/**
 * The ERP side of the reliability suite: master data, a store wrapper that stamps every append with its batch (so
 * a check can tell a whole batch from a torn one), and the checks every test runs on a full event log: log shape,
 * whole batches, and the ERP's cross-aggregate invariants recomputed from a rebuild (a fold of every stream).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { v7 as uuidV7 } from 'uuid';
import { Payment, SalesInvoice } from '../../src/domain/invoice/index.js';
import { Money, Quantity } from '../../src/domain/money/index.js';
import { SalesOrder, type SalesOrderState } from '../../src/domain/sales-order/index.js';
import { Stock, type StockState } from '../../src/domain/stock/index.js';
import type { EventLike, NewEvent, StoredEvent } from '../../src/kernel/event.js';
import type { AppendManyOptions, AppendOptions, EventStore, StreamAppend } from '../../src/kernel/event-store.js';
import type { Erp } from '../../src/services/erp.js';
import type { Tally } from './reliability-support.js';

export const WAREHOUSE = 'Main';
export const COMPANY = 'Acme';
export const CURRENCY = 'EUR';
export const ITEMS = ['WIDGET', 'GADGET', 'BOLT', 'NUT'] as const;
/** Customers, one of them with a name full of what CSV, JSON and SQL must escape. */
export const CUSTOMERS = [
  { customerId: 'C-1', name: 'Müller, "Acme" & Söhne\nGmbH 😀' },
  { customerId: 'C-2', name: "O'Brien'); DROP TABLE ordo_events; --" },
  { customerId: 'C-3', name: 'Gamma' },
  { customerId: 'C-4', name: '日本語の顧客' },
] as const;

/** The settings every reliability ERP runs with: one company and currency, stock blocks an order that cannot be met. */
export const ERP_SETTINGS = {
  company: COMPANY,
  currency: CURRENCY,
  defaultWarehouse: WAREHOUSE,
  stockPolicy: 'block',
  // Contention is the point of these tests: let a use case retry a few more times before it reports a conflict.
  retry: { maxAttempts: 20, baseDelayMs: 1, maxDelayMs: 20 },
} as const;

/** Registers the customers and items and receives `stockPerItem` of each item; throws if any use case refuses. */
export async function seedMasterData(erp: Erp, stockPerItem: string): Promise<void> {
  for (const customer of CUSTOMERS) {
    must(
      await erp.manageCustomer({ type: 'RegisterCustomer', ...customer, customerGroup: 'Retail' }),
      customer.customerId,
    );
  }
  for (const [index, itemCode] of ITEMS.entries()) {
    must(
      await erp.manageItem({
        type: 'RegisterItem',
        itemCode,
        name: `${itemCode.toLowerCase()}, "standard"`,
        itemGroup: 'Products',
        stockUnit: 'Nos',
        standardRate: { amount: `${index + 1}.25`, currency: CURRENCY },
      }),
      itemCode,
    );
    must(await erp.adjustStock({ type: 'ReceiveStock', itemCode, warehouse: WAREHOUSE, qty: stockPerItem }), itemCode);
  }
}

function must(result: { ok: boolean }, what: string): void {
  if (!result.ok) throw new Error(`seeding ${what} failed: ${JSON.stringify(result)}`);
}

/** The metadata keys a {@link stampBatches} store adds to every event. */
export interface BatchStamp {
  readonly relBatch: string;
  readonly relBatchSize: number;
  readonly relBatchIndex: number;
}

/** One append made inside a {@link withCall}: its batch id and whether the store acknowledged it. */
export interface TrackedAppend {
  readonly batch: string;
  committed: boolean;
}

/** The call an append belongs to, when the caller runs it inside {@link withCall}. */
const currentCall = new AsyncLocalStorage<TrackedAppend[]>();

/**
 * Runs `work` as one tracked call: every append it makes through a {@link stampBatches} store is recorded with its
 * outcome, so a test can acknowledge exactly the batches that committed, and check that a refused use case
 * committed none. Pass `appends` to see them even when `work` throws.
 */
export async function withCall<T>(
  work: () => Promise<T>,
  appends: TrackedAppend[] = [],
): Promise<{ result: T; appends: readonly TrackedAppend[] }> {
  const result = await currentCall.run(appends, work);
  return { result, appends };
}

/** The committed batch ids of a tracked call. */
export function committedBatches(appends: readonly TrackedAppend[]): string[] {
  return appends.filter((append) => append.committed).map((append) => append.batch);
}

function stamp(events: readonly NewEvent[], batch: string, offset: number, size: number): NewEvent[] {
  return events.map((event, index) => ({
    ...event,
    metadata: { ...event.metadata, relBatch: batch, relBatchSize: size, relBatchIndex: offset + index },
  }));
}

/**
 * Wraps a store so that every append stamps its events with a batch id, the batch's size and each event's index in
 * it (for `appendMany`, across every stream of the call). Everything else goes to the store as it is. The stamp is
 * plain event metadata: the store keeps it like any host's.
 */
export function stampBatches<S extends EventStore>(store: S): S {
  const appendToStream = (streamId: string, events: readonly NewEvent[], options: AppendOptions) => {
    const list = Array.isArray(events) ? events : [];
    return trackedAppend((batch) => store.appendToStream(streamId, stamp(list, batch, 0, list.length), options));
  };
  const appendMany = (appends: readonly StreamAppend[], options?: AppendManyOptions) =>
    trackedAppend((batch) => {
      const size = appends.reduce((sum, entry) => sum + entry.events.length, 0);
      let offset = 0;
      const stamped = appends.map((entry) => {
        const events = stamp(entry.events, batch, offset, size);
        offset += entry.events.length;
        return { ...entry, events };
      });
      return store.appendMany(stamped, options);
    });
  return Object.assign(Object.create(store) as S, { appendToStream, appendMany });
}

async function trackedAppend<T>(append: (batch: string) => Promise<T>): Promise<T> {
  const record: TrackedAppend = { batch: uuidV7(), committed: false };
  currentCall.getStore()?.push(record);
  const result = await append(record.batch);
  record.committed = true;
  return result;
}

/** The stamp of a stored event, if it has one. */
export function stampOf(event: StoredEvent): BatchStamp | undefined {
  const { relBatch, relBatchSize, relBatchIndex } = event.metadata as Partial<Record<keyof BatchStamp, unknown>>;
  if (typeof relBatch !== 'string' || typeof relBatchSize !== 'number' || typeof relBatchIndex !== 'number') {
    return undefined;
  }
  return { relBatch, relBatchSize, relBatchIndex };
}

/**
 * The shape every event log must have: positions strictly increasing, event ids unique, each stream's versions
 * 1..n with no gap, and every stamped batch whole (all its events, each once). Returns the batch ids found.
 */
export function checkLog(tally: Tally, events: readonly StoredEvent[], label: string): Set<string> {
  const ids = new Set<string>();
  const versions = new Map<string, number>();
  const batches = new Map<string, { size: number; seen: Set<number> }>();
  let previous = 0;
  for (const event of events) {
    if (event.globalPosition <= previous)
      tally.corrupt.push(`${label}: position ${event.globalPosition} after ${previous}`);
    previous = event.globalPosition;
    if (ids.has(event.eventId)) tally.duplicated.push(`${label}: event id ${event.eventId} stored twice`);
    ids.add(event.eventId);
    const expected = (versions.get(event.streamId) ?? 0) + 1;
    if (event.streamVersion !== expected) {
      tally.corrupt.push(`${label}: ${event.streamId} has version ${event.streamVersion} where ${expected} was due`);
    }
    versions.set(event.streamId, event.streamVersion);
    const stamp = stampOf(event);
    if (!stamp) continue;
    const batch = batches.get(stamp.relBatch) ?? { size: stamp.relBatchSize, seen: new Set<number>() };
    if (batch.seen.has(stamp.relBatchIndex)) {
      tally.duplicated.push(`${label}: batch ${stamp.relBatch} event ${stamp.relBatchIndex} stored twice`);
    }
    batch.seen.add(stamp.relBatchIndex);
    batches.set(stamp.relBatch, batch);
  }
  for (const [id, batch] of batches) {
    if (batch.seen.size !== batch.size) {
      tally.corrupt.push(`${label}: batch ${id} is torn: ${batch.seen.size} of ${batch.size} events stored`);
    }
  }
  return new Set(batches.keys());
}

/** Folds every stream of one aggregate (by stream id prefix) from the log: the states a rebuild produces. */
export function foldStreams<State>(
  events: readonly StoredEvent[],
  prefix: string,
  initialState: State,
  evolve: (state: State, event: never) => State,
): Map<string, State> {
  const states = new Map<string, State>();
  for (const event of events) {
    if (!event.streamId.startsWith(prefix)) continue;
    const state = states.get(event.streamId) ?? initialState;
    states.set(event.streamId, evolve(state, event as unknown as never));
  }
  return states;
}

/** What a rebuild of the ERP's aggregates says, for the invariant checks and for comparisons with acknowledgements. */
export interface ErpRebuild {
  readonly stock: Map<string, StockState>;
  readonly orders: Map<string, SalesOrderState>;
  readonly invoices: Map<string, ReturnType<typeof SalesInvoice.evolve>>;
  readonly payments: Map<string, ReturnType<typeof Payment.evolve>>;
  /** Stock moved per stock stream, summed from the events themselves. */
  readonly moved: Map<string, { received: Quantity; issued: Quantity; delivered: Quantity }>;
}

/** Folds every ERP stream of the log. */
export function rebuildErp(events: readonly StoredEvent[]): ErpRebuild {
  const moved = new Map<string, { received: Quantity; issued: Quantity; delivered: Quantity }>();
  for (const event of events) {
    if (!event.streamId.startsWith('Stock-')) continue;
    const entry = moved.get(event.streamId) ?? {
      received: Quantity.zero(),
      issued: Quantity.zero(),
      delivered: Quantity.zero(),
    };
    const qty = (event.data as { qty?: string }).qty ?? '0';
    if (event.type === 'StockReceived') entry.received = entry.received.add(qty);
    if (event.type === 'StockIssued') entry.issued = entry.issued.add(qty);
    if (event.type === 'StockDelivered') entry.delivered = entry.delivered.add(qty);
    moved.set(event.streamId, entry);
  }
  return {
    stock: foldStreams(events, 'Stock-', Stock.initialState, Stock.evolve as (s: StockState, e: never) => StockState),
    orders: foldStreams(
      events,
      'SalesOrder-',
      SalesOrder.initialState as SalesOrderState,
      SalesOrder.evolve as (s: SalesOrderState, e: never) => SalesOrderState,
    ),
    invoices: foldStreams(events, 'SalesInvoice-', SalesInvoice.initialState, SalesInvoice.evolve as never),
    payments: foldStreams(events, 'Payment-', Payment.initialState, Payment.evolve as never),
    moved,
  };
}

/** Orders in these statuses hold no stock. */
const RELEASED_STATUSES = new Set(['cancelled', 'closed', 'on_hold']);

/**
 * The ERP's invariants, recomputed from a rebuild:
 * - stock: reserved = the sum of active reservations; actual = received − issued − delivered, never negative; with
 *   the `block` policy, reserved never exceeds actual (no order was promised stock that is not there);
 * - orders: a cancelled, closed or held order holds no reservation; every active reservation belongs to a submitted
 *   order that still holds stock;
 * - invoices: outstanding = total − payments applied, never negative; payments: allocations never exceed the amount.
 */
export function checkErpInvariants(tally: Tally, rebuild: ErpRebuild, label: string): void {
  const holders = new Map<string, string>();
  for (const [streamId, state] of rebuild.orders) {
    if (!state.exists) continue;
    holders.set(
      state.orderId,
      state.docStatus === 'submitted' && !RELEASED_STATUSES.has(state.status) ? 'holds' : state.status,
    );
    if (!state.exists) tally.corrupt.push(`${label}: ${streamId} folds to nothing`);
  }
  for (const [streamId, stock] of rebuild.stock) {
    let active = Quantity.zero();
    for (const reservation of Object.values(stock.reservations)) {
      if (reservation.status !== 'active') continue;
      active = active.add(reservation.qty);
      if (Quantity.of(reservation.qty).isZero()) continue;
      const holder = holders.get(reservation.orderId);
      if (holder !== 'holds') {
        tally.corrupt.push(
          `${label}: ${streamId} keeps ${reservation.qty} reserved for ${reservation.orderId} (${holder ?? 'no such order'})`,
        );
      }
    }
    if (!active.equals(stock.reservedQty)) {
      tally.corrupt.push(`${label}: ${streamId} reserved ${stock.reservedQty}, active reservations sum to ${active}`);
    }
    const moved = rebuild.moved.get(streamId);
    const actual = moved ? moved.received.subtract(moved.issued).subtract(moved.delivered) : Quantity.zero();
    if (!actual.equals(stock.actualQty)) {
      tally.corrupt.push(`${label}: ${streamId} actual ${stock.actualQty}, movements sum to ${actual}`);
    }
    if (Quantity.of(stock.actualQty).isNegative())
      tally.corrupt.push(`${label}: ${streamId} actual ${stock.actualQty} < 0`);
    if (Quantity.of(stock.reservedQty).greaterThan(stock.actualQty)) {
      tally.corrupt.push(`${label}: ${streamId} reserved ${stock.reservedQty} > actual ${stock.actualQty} (oversold)`);
    }
  }
  for (const [streamId, state] of rebuild.invoices) {
    if (!state.exists) continue;
    const { invoice } = state;
    const paid = invoice.payments.reduce(
      (sum, payment) => sum.add(Money.fromJSON(payment.amount)),
      Money.zero(invoice.currency),
    );
    const outstanding = Money.fromJSON(invoice.total).subtract(paid);
    if (invoice.status !== 'cancelled' && !outstanding.equals(Money.fromJSON(invoice.outstanding))) {
      tally.corrupt.push(
        `${label}: ${streamId} outstanding ${invoice.outstanding.amount}, total − paid = ${outstanding}`,
      );
    }
    if (Money.fromJSON(invoice.outstanding).isNegative()) tally.corrupt.push(`${label}: ${streamId} outstanding < 0`);
  }
  for (const [streamId, state] of rebuild.payments) {
    if (!state.exists) continue;
    const { payment } = state;
    const allocated = payment.allocations.reduce(
      (sum, allocation) => sum.add(Money.fromJSON(allocation.amount)),
      Money.zero(Money.fromJSON(payment.amount).currency),
    );
    if (allocated.greaterThan(Money.fromJSON(payment.amount))) {
      tally.corrupt.push(`${label}: ${streamId} allocates ${allocated}, more than its ${payment.amount.amount}`);
    }
  }
}

/** The events of a decider's commands as plain `{ type, data }` (what `decide` returns). */
export function plain(events: readonly EventLike[]): NewEvent[] {
  return events.map((event) => ({ type: event.type, data: event.data }));
}
