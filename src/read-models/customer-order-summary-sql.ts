import type { StoredEvent } from '../kernel/event.js';
import { CUSTOMER_ORDER_SUMMARY_PROJECTION } from './customer-order-summary.js';
import { checkCurrencyOption, checkKey, pickCurrencyRow, summaryListQuery } from './read-model-options.js';
import {
  addToSummary,
  type Change,
  changesByKey,
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

interface SummaryRow {
  customer_id: string;
  currency: string;
  total_orders: unknown;
  total_amount: string;
  last_order_date: string;
  open_orders: unknown;
}

const COLUMNS =
  'customer_id, currency, total_orders, CAST(total_amount AS TEXT) AS total_amount, last_order_date, open_orders';

function summaryOf(row: SummaryRow): CustomerOrderSummary {
  return {
    customerId: row.customer_id,
    currency: row.currency,
    totalOrders: toNumber(row.total_orders),
    totalAmount: row.total_amount,
    lastOrderDate: row.last_order_date,
    openOrders: toNumber(row.open_orders),
  };
}

/**
 * The customer order summary in SQL tables (SQLite or PostgreSQL): `<prefix>customer_order_summary`, one row per
 * customer and currency (`customer_id`, `currency`, `total_orders`, `total_amount`, `last_order_date`,
 * `open_orders`), and `<prefix>customer_order_summary_orders`, its copy of each order. Same semantics and queries as
 * {@link createMemoryCustomerOrderSummary}.
 *
 * @example
 * ```ts
 * const summary = createSqlCustomerOrderSummary({ executor: createSqliteExecutor(store.database) });
 * const inline = withInlineProjections(store, [summary.projection]);
 * await summary.queries.list({ orderBy: 'totalAmount', limit: 10 }); // the ten best customers
 * ```
 */
export function createSqlCustomerOrderSummary(config: SqlReadModelConfig): SqlReadModel<CustomerOrderSummaryQueries> {
  const naming = tableNaming(config, config.executor.dialect);
  const summaries = naming.table('customer_order_summary');
  const folds = orderFoldTable(naming, 'customer_order_summary_orders');
  const foldTable = naming.table(folds.name);

  /** Applies the changes of one event to one customer's row (all changes share the customer and currency). */
  const apply = async (sql: SqlExecutor, changes: readonly Change<SalesContribution>[]): Promise<void> => {
    const first = changes[0];
    if (!first) return;
    const { customerId, currency } = first.contribution;
    const [row] = await sql.all<SummaryRow>(
      `SELECT ${COLUMNS} FROM ${summaries} WHERE customer_id = ? AND currency = ?`,
      [customerId, currency],
    );
    let next: SummaryTotals | undefined = row && summaryOf(row);
    for (const { contribution, sign } of changes) next = addToSummary(next, contribution, sign);
    if (next === undefined) {
      await sql.run(`DELETE FROM ${summaries} WHERE customer_id = ? AND currency = ?`, [customerId, currency]);
      return;
    }
    // The last order date is read back from the folded orders (already saved), so a cancellation can lower it.
    await sql.run(
      `INSERT INTO ${summaries} (customer_id, currency, total_orders, total_amount, last_order_date, open_orders)
       VALUES (?, ?, ?, ?, (SELECT MAX(order_date) FROM ${foldTable} WHERE customer_id = ? AND currency = ? AND counted = 1), ?)
       ON CONFLICT (customer_id, currency) DO UPDATE SET total_orders = excluded.total_orders,
         total_amount = excluded.total_amount, last_order_date = excluded.last_order_date,
         open_orders = excluded.open_orders`,
      [customerId, currency, next.totalOrders, next.totalAmount, customerId, currency, next.openOrders],
    );
  };

  const fold = async (sql: SqlExecutor, event: StoredEvent): Promise<void> => {
    const step = await stepSqlOrder(sql, foldTable, event);
    if (!step) return;
    await saveFoldedOrder(sql, foldTable, step.after, event.globalPosition);
    const before = salesContribution(step.before);
    const after = salesContribution(step.after);
    if (sameContribution(before, after)) return;
    for (const changes of changesByKey(before, after, (c) => keyOf(c.customerId, c.currency)))
      await apply(sql, changes);
  };

  const projection = defineSqlProjection({
    name: config.name ?? CUSTOMER_ORDER_SUMMARY_PROJECTION,
    version: 1,
    naming,
    tables: [
      {
        name: 'customer_order_summary',
        create: (dialect: SqlDialect) => [
          `CREATE TABLE IF NOT EXISTS ${summaries} (
            customer_id TEXT NOT NULL,
            currency TEXT NOT NULL,
            total_orders INTEGER NOT NULL,
            total_amount ${dialect.decimalType} NOT NULL,
            last_order_date TEXT NOT NULL,
            open_orders INTEGER NOT NULL,
            PRIMARY KEY (customer_id, currency)
          )`,
          `CREATE INDEX IF NOT EXISTS ${naming.index('customer_order_summary_by_amount')} ON ${summaries} (${dialect.orderDecimal('total_amount')})`,
          `CREATE INDEX IF NOT EXISTS ${naming.index('customer_order_summary_by_last_order')} ON ${summaries} (last_order_date)`,
        ],
      },
      folds,
    ],
    handlers: Object.fromEntries(SALES_ORDER_EVENT_TYPES.map((type) => [type, fold])),
  });

  const { executor } = config;
  const { dialect } = executor;
  // Qualified with the table's alias: PostgreSQL would otherwise sort by the text the SELECT casts the column to.
  const ORDER: Record<CustomerOrderSummaryOrderBy, string> = {
    customerId: dialect.orderText('s.customer_id'),
    totalAmount: dialect.orderDecimal('s.total_amount'),
    totalOrders: 's.total_orders',
    openOrders: 's.open_orders',
    lastOrderDate: 's.last_order_date',
  };

  const queries: CustomerOrderSummaryQueries = {
    async get(customerId, options) {
      const id = checkKey(customerId, 'customerId');
      const currency = checkCurrencyOption(options);
      const rows = await executor.all<SummaryRow>(
        `SELECT ${COLUMNS} FROM ${summaries} WHERE customer_id = ? ORDER BY ${dialect.orderText('currency')}`,
        [id],
      );
      return pickCurrencyRow(rows.map(summaryOf), currency, undefined, `customer "${id}"`);
    },
    async list(options) {
      const query = summaryListQuery(options);
      const where = whereOf([
        query.customerId === undefined ? undefined : ['customer_id = ?', query.customerId],
        query.currency === undefined ? undefined : ['currency = ?', query.currency],
      ]);
      const direction = query.direction === 'asc' ? 'ASC' : 'DESC';
      const rows = await executor.all<SummaryRow>(
        `SELECT ${COLUMNS} FROM ${summaries} AS s${where.sql}
         ORDER BY ${ORDER[query.orderBy]} ${direction}, ${dialect.orderText('s.customer_id')}, ${dialect.orderText('s.currency')}
         LIMIT ? OFFSET ?`,
        [...where.params, query.limit, query.offset],
      );
      return rows.map(summaryOf);
    },
  };
  return { projection, queries, tables: [summaries, foldTable] };
}
