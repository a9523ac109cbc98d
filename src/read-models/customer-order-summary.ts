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
import { type PersistentMap, pmEmpty, pmGet, pmKeys, pmPut, pmValues } from './persistent-map.js';
import { decodingHandlers } from './read-model-events.js';
import { checkCurrencyOption, checkKey, pickCurrencyRow, summaryListQuery } from './read-model-options.js';
import {
  addToSummary,
  compareDecimal,
  compareText,
  keyOf,
  SALES_ORDER_EVENT_TYPES,
  type SalesContribution,
  type SummaryTotals,
  salesContribution,
  sameContribution,
} from './read-model-rows.js';
import type {
  CustomerOrderSummary,
  CustomerOrderSummaryOrderBy,
  CustomerOrderSummaryQueries,
} from './read-model-types.js';

/** The default projection name of the customer order summary. */
export const CUSTOMER_ORDER_SUMMARY_PROJECTION = 'ordo-customer-order-summary';

/**
 * A summary row plus how many counted orders fall on each date, so the last order date survives a cancellation.
 * A persistent map, so that counting an order copies a few small nodes rather than every date of the history.
 */
interface SummaryRow extends SummaryTotals {
  readonly dates: PersistentMap<number>;
}

interface SummaryState {
  readonly orders: PersistentMap<ExistingSalesOrder>;
  readonly rows: PersistentMap<SummaryRow>;
}

function applyContribution(
  rows: PersistentMap<SummaryRow>,
  contribution: SalesContribution,
  sign: 1 | -1,
): PersistentMap<SummaryRow> {
  const key = keyOf(contribution.customerId, contribution.currency);
  const row = pmGet(rows, key);
  const totals = addToSummary(row, contribution, sign);
  if (totals === undefined) return pmPut(rows, key, undefined);
  const dates = row?.dates ?? pmEmpty<number>();
  const count = (pmGet(dates, contribution.date) ?? 0) + sign;
  return pmPut(rows, key, { ...totals, dates: pmPut(dates, contribution.date, count > 0 ? count : undefined) });
}

function lastDate(dates: PersistentMap<number>): string {
  let last = '';
  for (const date of pmKeys(dates)) if (date > last) last = date;
  return last;
}

function summaryOf(row: SummaryRow): CustomerOrderSummary {
  return {
    customerId: row.customerId,
    currency: row.currency,
    totalOrders: row.totalOrders,
    totalAmount: row.totalAmount,
    lastOrderDate: lastDate(row.dates),
    openOrders: row.openOrders,
  };
}

const COMPARE: Record<CustomerOrderSummaryOrderBy, (a: CustomerOrderSummary, b: CustomerOrderSummary) => number> = {
  customerId: (a, b) => compareText(a.customerId, b.customerId),
  totalAmount: (a, b) => compareDecimal(a.totalAmount, b.totalAmount),
  totalOrders: (a, b) => a.totalOrders - b.totalOrders,
  openOrders: (a, b) => a.openOrders - b.openOrders,
  lastOrderDate: (a, b) => compareText(a.lastOrderDate, b.lastOrderDate),
};

/**
 * The customer order summary, in memory: per customer (and currency) the number of submitted orders, their net
 * total, the last order date and how many are still open. Cancelling an order takes back what it contributed.
 *
 * @example
 * ```ts
 * const summary = createMemoryCustomerOrderSummary();
 * const store = withInlineProjections(createMemoryEventStore(), [summary.projection]);
 * // ... append sales order events ...
 * await summary.queries.get('CUST-1'); // { totalOrders: 2, totalAmount: '150.00', lastOrderDate: '2026-01-12', ... }
 * ```
 */
export function createMemoryCustomerOrderSummary(
  options: MemoryReadModelOptions = {},
): MemoryReadModel<CustomerOrderSummaryQueries> {
  const fold: StateProjectionHandler<SummaryState> = (state, event: StoredEvent) => {
    const step = stepMemoryOrder(state.orders, event);
    if (!step) return state;
    const before = salesContribution(step.before);
    const after = salesContribution(step.after);
    if (sameContribution(before, after)) return { ...state, orders: step.orders };
    let rows = state.rows;
    if (before) rows = applyContribution(rows, before, -1);
    if (after) rows = applyContribution(rows, after, 1);
    return { orders: step.orders, rows };
  };
  const projection = defineStateProjection<SummaryState>({
    name: options.name ?? CUSTOMER_ORDER_SUMMARY_PROJECTION,
    version: 1,
    initialState: { orders: pmEmpty(), rows: pmEmpty() },
    handlers: decodingHandlers(Object.fromEntries(SALES_ORDER_EVENT_TYPES.map((type) => [type, fold]))),
  });

  const rowsOf = (customerId: string): CustomerOrderSummary[] =>
    pmValues(projection.state.rows)
      .filter((row) => row.customerId === customerId)
      .map(summaryOf)
      .sort((a, b) => compareText(a.currency, b.currency));

  const queries: CustomerOrderSummaryQueries = {
    async get(customerId, getOptions) {
      const id = checkKey(customerId, 'customerId');
      const currency = checkCurrencyOption(getOptions);
      return pickCurrencyRow(rowsOf(id), currency, undefined, `customer "${id}"`);
    },
    async list(listOptions) {
      const query = summaryListQuery(listOptions);
      const compare = COMPARE[query.orderBy];
      const rows = pmValues(projection.state.rows)
        .filter((row) => query.customerId === undefined || row.customerId === query.customerId)
        .filter((row) => query.currency === undefined || row.currency === query.currency)
        .map(summaryOf)
        .sort(
          (a, b) =>
            directed(compare(a, b), query.direction) ||
            compareText(a.customerId, b.customerId) ||
            compareText(a.currency, b.currency),
        );
      return pageOf(rows, query);
    },
  };
  return { projection, queries };
}
