import { Money } from '../domain/money/index.js';
import type { ExistingSalesOrder } from '../domain/sales-order/index.js';
import type { StoredEvent } from '../kernel/event.js';
import { defineStateProjection, type StateProjectionHandler } from '../kernel/projection-state.js';
import { type MemoryReadModel, type MemoryReadModelOptions, stepMemoryOrder } from './memory-read-model.js';
import { type PersistentMap, pmEmpty, pmGet, pmPut, pmValues } from './persistent-map.js';
import { decodingHandlers } from './read-model-events.js';
import { type DashboardQuery, dashboardQuery } from './read-model-options.js';
import {
  addToDaily,
  averageOf,
  compareText,
  type DailyTotals,
  dailySalesOf,
  keyOf,
  SALES_ORDER_EVENT_TYPES,
  type SalesContribution,
  salesContribution,
  sameContribution,
} from './read-model-rows.js';
import type { DailySales, DailySalesTotal, SalesDashboardQueries } from './read-model-types.js';

/** The default projection name of the daily sales dashboard. */
export const SALES_DASHBOARD_DAILY_PROJECTION = 'ordo-sales-dashboard-daily';

interface DashboardState {
  readonly orders: PersistentMap<ExistingSalesOrder>;
  readonly days: PersistentMap<DailyTotals>;
}

function applyContribution(
  days: PersistentMap<DailyTotals>,
  contribution: SalesContribution,
  sign: 1 | -1,
): PersistentMap<DailyTotals> {
  const key = keyOf(contribution.date, contribution.company, contribution.customerId, contribution.currency);
  return pmPut(days, key, addToDaily(pmGet(days, key), contribution, sign));
}

function compareDaily(a: DailySales, b: DailySales): number {
  return (
    compareText(a.date, b.date) ||
    compareText(a.company, b.company) ||
    compareText(a.customerId, b.customerId) ||
    compareText(a.currency, b.currency)
  );
}

/**
 * Sums the day rows of a range per date and currency. Shared with the SQL version, which reads the same rows
 * and sums them the same way (SQLite cannot add decimal strings exactly). @internal
 */
export function dailyTotalsOf(rows: readonly DailySales[]): DailySalesTotal[] {
  const totals = new Map<
    string,
    { date: string; currency: string; total: Money; orders: number; customers: Set<string> }
  >();
  for (const row of rows) {
    const key = keyOf(row.date, row.currency);
    const entry = totals.get(key) ?? {
      date: row.date,
      currency: row.currency,
      total: Money.zero(row.currency),
      orders: 0,
      customers: new Set<string>(),
    };
    entry.total = entry.total.add(Money.of(row.totalSales, row.currency));
    entry.orders += row.orderCount;
    entry.customers.add(row.customerId);
    totals.set(key, entry);
  }
  return [...totals.values()]
    .map((entry) => ({
      date: entry.date,
      currency: entry.currency,
      totalSales: entry.total.amount,
      orderCount: entry.orders,
      averageOrderValue: averageOf(entry.total.amount, entry.orders, entry.currency),
      customers: entry.customers.size,
    }))
    .sort((a, b) => compareText(a.date, b.date) || compareText(a.currency, b.currency));
}

function matches(row: DailyTotals, query: DashboardQuery): boolean {
  return (
    row.date >= query.from &&
    row.date <= query.to &&
    (query.customerId === undefined || row.customerId === query.customerId) &&
    (query.company === undefined || row.company === query.company) &&
    (query.currency === undefined || row.currency === query.currency)
  );
}

/**
 * The daily sales dashboard, in memory: per transaction date, company, customer and currency, the net total of
 * the submitted orders, their count and the average order value. Cancelling an order takes it back out of its day.
 *
 * @example
 * ```ts
 * const dashboard = createMemorySalesDashboard();
 * // ... run dashboard.projection inline or async ...
 * await dashboard.queries.daily({ from: '2026-01-01', to: '2026-01-31' });
 * await dashboard.queries.dailyTotals({ from: '2026-01-01', to: '2026-01-31', company: 'Acme' });
 * ```
 */
export function createMemorySalesDashboard(
  options: MemoryReadModelOptions = {},
): MemoryReadModel<SalesDashboardQueries> {
  const fold: StateProjectionHandler<DashboardState> = (state, event: StoredEvent) => {
    const step = stepMemoryOrder(state.orders, event);
    if (!step) return state;
    const before = salesContribution(step.before);
    const after = salesContribution(step.after);
    if (sameContribution(before, after)) return { ...state, orders: step.orders };
    let days = state.days;
    if (before) days = applyContribution(days, before, -1);
    if (after) days = applyContribution(days, after, 1);
    return { orders: step.orders, days };
  };
  const projection = defineStateProjection<DashboardState>({
    name: options.name ?? SALES_DASHBOARD_DAILY_PROJECTION,
    version: 1,
    initialState: { orders: pmEmpty(), days: pmEmpty() },
    handlers: decodingHandlers(Object.fromEntries(SALES_ORDER_EVENT_TYPES.map((type) => [type, fold]))),
  });

  const daily = (query: DashboardQuery): DailySales[] =>
    pmValues(projection.state.days)
      .filter((row) => matches(row, query))
      .map(dailySalesOf)
      .sort(compareDaily);

  const queries: SalesDashboardQueries = {
    async daily(range) {
      return daily(dashboardQuery(range));
    },
    async dailyTotals(range) {
      return dailyTotalsOf(daily(dashboardQuery(range, false)));
    },
  };
  return { projection, queries };
}
