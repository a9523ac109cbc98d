import type { ExistingSalesOrder } from '../domain/sales-order/index.js';
import type { StoredEvent } from '../kernel/event.js';
import { defineStateProjection, type StateProjectionHandler } from '../kernel/projection-state.js';
import {
  directed,
  type MemoryReadModel,
  type MemoryReadModelOptions,
  pageOf,
  stepMemoryOrder,
} from './memory-read-model.js';
import { type PersistentMap, pmEmpty, pmGet, pmValues } from './persistent-map.js';
import { decodingHandlers } from './read-model-events.js';
import { checkKey, type OrderFilterQuery, orderFilterQuery, orderListQuery } from './read-model-options.js';
import {
  compareDecimal,
  compareText,
  orderDetailsOf,
  orderListEntryOf,
  SALES_ORDER_EVENT_TYPES,
} from './read-model-rows.js';
import type { OrderListEntry, OrderListOrderBy, OrderQueries } from './read-model-types.js';

/** The default projection name of the order list. */
export const ORDER_LIST_PROJECTION = 'ordo-orders';

const COMPARE: Record<OrderListOrderBy, (a: OrderListEntry, b: OrderListEntry) => number> = {
  transactionDate: (a, b) => compareText(a.transactionDate, b.transactionDate),
  orderId: () => 0,
  netTotal: (a, b) => compareDecimal(a.netTotal, b.netTotal),
  grandTotal: (a, b) => compareDecimal(a.grandTotal, b.grandTotal),
};

function matches(order: ExistingSalesOrder, filter: OrderFilterQuery): boolean {
  return (
    (filter.statuses.length === 0 || filter.statuses.includes(order.status)) &&
    (filter.customerId === undefined || order.customerId === filter.customerId) &&
    (filter.company === undefined || order.company === filter.company) &&
    (filter.from === undefined || order.transactionDate >= filter.from) &&
    (filter.to === undefined || order.transactionDate <= filter.to)
  );
}

/**
 * The order list, in memory: every order (drafts included) with its status, totals and progress, and each order's
 * details with its lines.
 *
 * @example
 * ```ts
 * const orders = createMemoryOrderList();
 * // ... run orders.projection inline or async ...
 * await orders.queries.list({ status: ['to_deliver_and_bill', 'to_bill'], customerId: 'CUST-1', limit: 20 });
 * await orders.queries.get('SO-1'); // with its lines
 * ```
 */
export function createMemoryOrderList(options: MemoryReadModelOptions = {}): MemoryReadModel<OrderQueries> {
  const fold: StateProjectionHandler<PersistentMap<ExistingSalesOrder>> = (orders, event: StoredEvent) =>
    stepMemoryOrder(orders, event)?.orders ?? orders;
  const projection = defineStateProjection<PersistentMap<ExistingSalesOrder>>({
    name: options.name ?? ORDER_LIST_PROJECTION,
    version: 1,
    initialState: pmEmpty(),
    handlers: decodingHandlers(Object.fromEntries(SALES_ORDER_EVENT_TYPES.map((type) => [type, fold]))),
  });

  const queries: OrderQueries = {
    async get(orderId) {
      const order = pmGet(projection.state, checkKey(orderId, 'orderId'));
      return order === undefined ? undefined : orderDetailsOf(order);
    },
    async list(listOptions) {
      const query = orderListQuery(listOptions);
      const compare = COMPARE[query.orderBy];
      const rows = pmValues(projection.state)
        .filter((order) => matches(order, query))
        .map(orderListEntryOf)
        .sort((a, b) => directed(compare(a, b) || compareText(a.orderId, b.orderId), query.direction));
      return pageOf(rows, query);
    },
    async count(filter) {
      const query = orderFilterQuery(filter);
      return pmValues(projection.state).filter((order) => matches(order, query)).length;
    },
  };
  return { projection, queries };
}
