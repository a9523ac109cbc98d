import type { ExistingSalesOrder } from '../domain/sales-order/index.js';
import type { StoredEvent } from '../kernel/event.js';
import type { Projection } from '../kernel/projection.js';
import type { UndoableTransaction } from '../kernel/projection-state.js';
import { type PersistentMap, pmGet, pmSet } from './persistent-map.js';
import { orderIdOf, stepOrder } from './read-model-rows.js';

/**
 * An in-memory read model: a state projection to run (inline with `withInlineProjections`, or with a
 * `createProjectionRunner`), and the queries that read its state.
 *
 * @remarks The state lives in process memory and is undone when its transaction rolls back, so pair it with the
 * in-memory store (whose checkpoints live exactly as long). With SQLite or PostgreSQL use the SQL read models.
 */
export interface MemoryReadModel<Queries> {
  /** The projection (a `defineStateProjection`), to run inline or async. */
  readonly projection: Projection<UndoableTransaction>;
  /** Reads the projection's committed state. */
  readonly queries: Queries;
}

/** Options of the in-memory read model factories. */
export interface MemoryReadModelOptions {
  /**
   * The projection's name: its checkpoints are `projection:<name>`. Change it to run two copies on one store.
   * @defaultValue the read model's own name, e.g. `'ordo-customer-order-summary'`
   */
  readonly name?: string;
}

/** An order event applied to an in-memory copy of the orders. @internal */
export interface MemoryOrderStep {
  readonly orders: PersistentMap<ExistingSalesOrder>;
  readonly before: ExistingSalesOrder | undefined;
  readonly after: ExistingSalesOrder;
}

/**
 * Folds an order event into the read model's own copy of the orders; `undefined` when the event is about an
 * order that was never created. @internal
 */
export function stepMemoryOrder(
  orders: PersistentMap<ExistingSalesOrder>,
  event: StoredEvent,
): MemoryOrderStep | undefined {
  const orderId = orderIdOf(event);
  const before = pmGet(orders, orderId);
  const after = stepOrder(before, event);
  if (after === undefined) return undefined;
  return { orders: pmSet(orders, orderId, after), before, after };
}

/** Applies a page to a sorted list. @internal */
export function pageOf<T>(rows: readonly T[], page: { readonly limit: number; readonly offset: number }): T[] {
  return rows.slice(page.offset, page.offset + page.limit);
}

/** A comparator honouring a direction. @internal */
export function directed(compare: number, direction: 'asc' | 'desc'): number {
  return direction === 'asc' ? compare : -compare;
}
