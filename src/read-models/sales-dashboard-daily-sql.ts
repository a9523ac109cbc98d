import type { StoredEvent } from '../kernel/event.js';
import { type DashboardQuery, dashboardQuery } from './read-model-options.js';
import {
  addToDaily,
  type Change,
  changesByKey,
  type DailyTotals,
  dailySalesOf,
  keyOf,
  SALES_ORDER_EVENT_TYPES,
  type SalesContribution,
  salesContribution,
  sameContribution,
} from './read-model-rows.js';
import type { DailySales, SalesDashboardQueries } from './read-model-types.js';
import { dailyTotalsOf, SALES_DASHBOARD_DAILY_PROJECTION } from './sales-dashboard-daily.js';
import type { SqlDialect, SqlExecutor } from './sql-executor.js';
import { orderFoldTable, saveFoldedOrder, stepSqlOrder } from './sql-order-fold.js';
import {
  defineSqlProjection,
  type SqlReadModel,
  type SqlReadModelConfig,
  tableNaming,
  toNumber,
  whereOf,
} from './sql-read-model.js';

interface DailyRow {
  sale_date: string;
  company: string;
  customer_id: string;
  currency: string;
  total_sales: string;
  order_count: unknown;
}

const COLUMNS = 'sale_date, company, customer_id, currency, CAST(total_sales AS TEXT) AS total_sales, order_count';

function totalsOf(row: DailyRow): DailyTotals {
  return {
    date: row.sale_date,
    company: row.company,
    customerId: row.customer_id,
    currency: row.currency,
    totalSales: row.total_sales,
    orderCount: toNumber(row.order_count),
  };
}

/**
 * The daily sales dashboard in SQL tables (SQLite or PostgreSQL): `<prefix>sales_daily`, one row per day, company,
 * customer and currency (`sale_date`, `company`, `customer_id`, `currency`, `total_sales`, `order_count`; the
 * primary key starts with the date, for range scans), and `<prefix>sales_daily_orders`, its copy of each order.
 * Same semantics and queries as {@link createMemorySalesDashboard}; the average is computed when read.
 *
 * @example
 * ```ts
 * const dashboard = createSqlSalesDashboard({ executor: createSqliteExecutor(store.database) });
 * await dashboard.queries.daily({ from: '2026-01-01', to: '2026-01-31', customerId: 'CUST-1' });
 * ```
 */
export function createSqlSalesDashboard(config: SqlReadModelConfig): SqlReadModel<SalesDashboardQueries> {
  const naming = tableNaming(config, config.executor.dialect);
  const days = naming.table('sales_daily');
  const folds = orderFoldTable(naming, 'sales_daily_orders');
  const foldTable = naming.table(folds.name);

  /** Applies the changes of one event to one day's row (all changes share its key). */
  const apply = async (sql: SqlExecutor, changes: readonly Change<SalesContribution>[]): Promise<void> => {
    const first = changes[0];
    if (!first) return;
    const { date, company, customerId, currency } = first.contribution;
    const key = [date, company, customerId, currency];
    const keyed = 'sale_date = ? AND company = ? AND customer_id = ? AND currency = ?';
    const [row] = await sql.all<DailyRow>(`SELECT ${COLUMNS} FROM ${days} WHERE ${keyed}`, key);
    let next: DailyTotals | undefined = row && totalsOf(row);
    for (const { contribution, sign } of changes) next = addToDaily(next, contribution, sign);
    if (next === undefined) {
      await sql.run(`DELETE FROM ${days} WHERE ${keyed}`, key);
      return;
    }
    await sql.run(
      `INSERT INTO ${days} (sale_date, company, customer_id, currency, total_sales, order_count)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (sale_date, company, customer_id, currency) DO UPDATE SET total_sales = excluded.total_sales,
         order_count = excluded.order_count`,
      [...key, next.totalSales, next.orderCount],
    );
  };

  const fold = async (sql: SqlExecutor, event: StoredEvent): Promise<void> => {
    const step = await stepSqlOrder(sql, foldTable, event);
    if (!step) return;
    await saveFoldedOrder(sql, foldTable, step.after, event.globalPosition);
    const before = salesContribution(step.before);
    const after = salesContribution(step.after);
    if (sameContribution(before, after)) return;
    const key = (c: SalesContribution) => keyOf(c.date, c.company, c.customerId, c.currency);
    for (const changes of changesByKey(before, after, key)) await apply(sql, changes);
  };

  const projection = defineSqlProjection({
    name: config.name ?? SALES_DASHBOARD_DAILY_PROJECTION,
    version: 1,
    naming,
    tables: [
      {
        name: 'sales_daily',
        create: (dialect: SqlDialect) => [
          `CREATE TABLE IF NOT EXISTS ${days} (
            sale_date TEXT NOT NULL,
            company TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            currency TEXT NOT NULL,
            total_sales ${dialect.decimalType} NOT NULL,
            order_count INTEGER NOT NULL,
            PRIMARY KEY (sale_date, company, customer_id, currency)
          )`,
          `CREATE INDEX IF NOT EXISTS ${naming.index('sales_daily_by_customer')} ON ${days} (customer_id, sale_date)`,
        ],
      },
      folds,
    ],
    handlers: Object.fromEntries(SALES_ORDER_EVENT_TYPES.map((type) => [type, fold])),
  });

  const { executor } = config;
  const { dialect } = executor;
  const daily = async (query: DashboardQuery): Promise<DailySales[]> => {
    const where = whereOf([
      ['sale_date >= ?', query.from],
      ['sale_date <= ?', query.to],
      query.customerId === undefined ? undefined : ['customer_id = ?', query.customerId],
      query.company === undefined ? undefined : ['company = ?', query.company],
      query.currency === undefined ? undefined : ['currency = ?', query.currency],
    ]);
    const rows = await executor.all<DailyRow>(
      `SELECT ${COLUMNS} FROM ${days}${where.sql}
       ORDER BY sale_date, ${dialect.orderText('company')}, ${dialect.orderText('customer_id')}, ${dialect.orderText('currency')}`,
      where.params,
    );
    return rows.map((row) => dailySalesOf(totalsOf(row)));
  };

  const queries: SalesDashboardQueries = {
    async daily(range) {
      return daily(dashboardQuery(range));
    },
    async dailyTotals(range) {
      // Summed with Money rather than SUM(): SQLite has no exact decimal arithmetic, and both engines must agree.
      return dailyTotalsOf(await daily(dashboardQuery(range, false)));
    },
  };
  return { projection, queries, tables: [days, foldTable] };
}
