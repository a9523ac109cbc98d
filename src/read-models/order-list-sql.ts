import type { ExistingSalesOrder, SalesOrderDocStatus, SalesOrderStatus } from '../domain/sales-order/index.js';
import type { StoredEvent } from '../kernel/event.js';
import { ORDER_LIST_PROJECTION } from './order-list.js';
import { checkKey, type OrderFilterQuery, orderFilterQuery, orderListQuery } from './read-model-options.js';
import { orderLinesOf, SALES_ORDER_EVENT_TYPES } from './read-model-rows.js';
import type { OrderLineDetails, OrderListEntry, OrderListOrderBy, OrderQueries } from './read-model-types.js';
import type { SqlDialect, SqlExecutor, SqlValue } from './sql-executor.js';
import { stepSqlOrder } from './sql-order-fold.js';
import {
  defineSqlProjection,
  flag,
  type SqlReadModel,
  type SqlReadModelConfig,
  tableNaming,
  toNumber,
  whereOf,
} from './sql-read-model.js';

interface OrderRow {
  order_id: string;
  customer_id: string;
  company: string;
  currency: string;
  transaction_date: string;
  delivery_date: string | null;
  status: string;
  doc_status: string;
  on_hold: unknown;
  hold_reason: string | null;
  closed: unknown;
  total: string;
  discount_amount: string;
  net_total: string;
  total_taxes: string;
  grand_total: string;
  per_delivered: string;
  per_billed: string;
  line_count: unknown;
  created_at: string;
  submitted_at: string | null;
  cancelled_at: string | null;
}

interface LineRow {
  line_id: string;
  item_code: string;
  warehouse: string;
  qty: string;
  uom: string;
  price_list_rate: string;
  discount_percentage: string;
  rate: string;
  amount: string;
  discount_amount: string;
  net_amount: string;
  delivered_qty: string;
  billed_amount: string;
  delivery_date: string | null;
}

/** Decimal columns are read as text, so PostgreSQL's `NUMERIC` comes back as the exact string that was written. */
const text = (column: string): string => `CAST(${column} AS TEXT) AS ${column}`;

const ORDER_COLUMNS = [
  'order_id',
  'customer_id',
  'company',
  'currency',
  'transaction_date',
  'delivery_date',
  'status',
  'doc_status',
  'on_hold',
  'hold_reason',
  'closed',
  text('total'),
  text('discount_amount'),
  text('net_total'),
  text('total_taxes'),
  text('grand_total'),
  text('per_delivered'),
  text('per_billed'),
  'line_count',
  'created_at',
  'submitted_at',
  'cancelled_at',
].join(', ');

const LINE_COLUMNS = [
  'line_id',
  'item_code',
  'warehouse',
  text('qty'),
  'uom',
  text('price_list_rate'),
  text('discount_percentage'),
  text('rate'),
  text('amount'),
  text('discount_amount'),
  text('net_amount'),
  text('delivered_qty'),
  text('billed_amount'),
  'delivery_date',
].join(', ');

function entryOf(row: OrderRow): OrderListEntry {
  return {
    orderId: row.order_id,
    customerId: row.customer_id,
    company: row.company,
    currency: row.currency,
    transactionDate: row.transaction_date,
    deliveryDate: row.delivery_date,
    status: row.status as SalesOrderStatus,
    docStatus: row.doc_status as SalesOrderDocStatus,
    total: row.total,
    discountAmount: row.discount_amount,
    netTotal: row.net_total,
    totalTaxes: row.total_taxes,
    grandTotal: row.grand_total,
    perDelivered: row.per_delivered,
    perBilled: row.per_billed,
    lineCount: toNumber(row.line_count),
    createdAt: row.created_at,
    submittedAt: row.submitted_at,
    cancelledAt: row.cancelled_at,
  };
}

function lineOf(row: LineRow): OrderLineDetails {
  return {
    lineId: row.line_id,
    itemCode: row.item_code,
    warehouse: row.warehouse,
    qty: row.qty,
    uom: row.uom,
    priceListRate: row.price_list_rate,
    discountPercentage: row.discount_percentage,
    rate: row.rate,
    amount: row.amount,
    discountAmount: row.discount_amount,
    netAmount: row.net_amount,
    deliveredQty: row.delivered_qty,
    billedAmount: row.billed_amount,
    deliveryDate: row.delivery_date,
  };
}

/**
 * The order list in SQL tables (SQLite or PostgreSQL): `<prefix>orders`, one row per order with its status, totals
 * and progress (and the order's state, which the projection folds), and `<prefix>order_lines`, one row per line.
 * Indexed by customer, status and company, each with the transaction date. Same semantics and queries as
 * {@link createMemoryOrderList}.
 *
 * @example
 * ```ts
 * const orders = createSqlOrderList({ executor: createSqliteExecutor(store.database) });
 * await orders.queries.list({ status: 'to_deliver_and_bill', limit: 50, offset: 100 });
 * await orders.queries.count({ status: 'to_deliver_and_bill' });
 * ```
 */
export function createSqlOrderList(config: SqlReadModelConfig): SqlReadModel<OrderQueries> {
  const naming = tableNaming(config, config.executor.dialect);
  const orders = naming.table('orders');
  const lines = naming.table('order_lines');

  const save = async (sql: SqlExecutor, order: ExistingSalesOrder, position: number): Promise<void> => {
    const { totals } = order;
    await sql.run(
      `INSERT INTO ${orders} (order_id, customer_id, company, currency, transaction_date, delivery_date, status,
         doc_status, on_hold, hold_reason, closed, total, discount_amount, net_total, total_taxes, grand_total,
         per_delivered, per_billed, line_count, created_at, submitted_at, cancelled_at, state, last_position)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (order_id) DO UPDATE SET customer_id = excluded.customer_id, company = excluded.company,
         currency = excluded.currency, transaction_date = excluded.transaction_date,
         delivery_date = excluded.delivery_date, status = excluded.status, doc_status = excluded.doc_status,
         on_hold = excluded.on_hold, hold_reason = excluded.hold_reason, closed = excluded.closed,
         total = excluded.total, discount_amount = excluded.discount_amount, net_total = excluded.net_total,
         total_taxes = excluded.total_taxes, grand_total = excluded.grand_total,
         per_delivered = excluded.per_delivered, per_billed = excluded.per_billed, line_count = excluded.line_count,
         created_at = excluded.created_at, submitted_at = excluded.submitted_at,
         cancelled_at = excluded.cancelled_at, state = excluded.state, last_position = excluded.last_position`,
      [
        order.orderId,
        order.customerId,
        order.company,
        order.currency,
        order.transactionDate,
        order.deliveryDate,
        order.status,
        order.docStatus,
        flag(order.onHold),
        order.holdReason,
        flag(order.closed),
        totals.total,
        totals.discountAmount,
        totals.netTotal,
        totals.totalTaxes,
        totals.grandTotal,
        order.perDelivered,
        order.perBilled,
        order.lines.length,
        order.createdAt,
        order.submittedAt,
        order.cancelledAt,
        JSON.stringify(order),
        position,
      ],
    );
    // Lines are rewritten whole, in one statement: almost every order event moves some line figure (net amounts,
    // progress, dates).
    await sql.run(`DELETE FROM ${lines} WHERE order_id = ?`, [order.orderId]);
    const rows = orderLinesOf(order);
    if (rows.length === 0) return;
    await sql.run(
      `INSERT INTO ${lines} (order_id, line_no, line_id, item_code, warehouse, qty, uom, price_list_rate,
         discount_percentage, rate, amount, discount_amount, net_amount, delivered_qty, billed_amount, delivery_date)
       VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      rows.flatMap((line, index) => [
        order.orderId,
        index + 1,
        line.lineId,
        line.itemCode,
        line.warehouse,
        line.qty,
        line.uom,
        line.priceListRate,
        line.discountPercentage,
        line.rate,
        line.amount,
        line.discountAmount,
        line.netAmount,
        line.deliveredQty,
        line.billedAmount,
        line.deliveryDate,
      ]),
    );
  };

  const fold = async (sql: SqlExecutor, event: StoredEvent): Promise<void> => {
    const step = await stepSqlOrder(sql, orders, event);
    if (step) await save(sql, step.after, event.globalPosition);
  };

  const projection = defineSqlProjection({
    name: config.name ?? ORDER_LIST_PROJECTION,
    version: 1,
    naming,
    tables: [
      {
        name: 'orders',
        create: (dialect: SqlDialect) => [
          `CREATE TABLE IF NOT EXISTS ${orders} (
            order_id TEXT PRIMARY KEY,
            customer_id TEXT NOT NULL,
            company TEXT NOT NULL,
            currency TEXT NOT NULL,
            transaction_date TEXT NOT NULL,
            delivery_date TEXT,
            status TEXT NOT NULL,
            doc_status TEXT NOT NULL,
            on_hold INTEGER NOT NULL,
            hold_reason TEXT,
            closed INTEGER NOT NULL,
            total ${dialect.decimalType} NOT NULL,
            discount_amount ${dialect.decimalType} NOT NULL,
            net_total ${dialect.decimalType} NOT NULL,
            total_taxes ${dialect.decimalType} NOT NULL,
            grand_total ${dialect.decimalType} NOT NULL,
            per_delivered ${dialect.decimalType} NOT NULL,
            per_billed ${dialect.decimalType} NOT NULL,
            line_count INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            submitted_at TEXT,
            cancelled_at TEXT,
            state TEXT NOT NULL,
            last_position ${dialect.bigintType} NOT NULL
          )`,
          `CREATE INDEX IF NOT EXISTS ${naming.index('orders_by_customer')} ON ${orders} (customer_id, transaction_date)`,
          `CREATE INDEX IF NOT EXISTS ${naming.index('orders_by_status')} ON ${orders} (status, transaction_date)`,
          `CREATE INDEX IF NOT EXISTS ${naming.index('orders_by_company')} ON ${orders} (company, transaction_date)`,
          `CREATE INDEX IF NOT EXISTS ${naming.index('orders_by_date')} ON ${orders} (transaction_date)`,
        ],
      },
      {
        name: 'order_lines',
        create: (dialect: SqlDialect) => [
          `CREATE TABLE IF NOT EXISTS ${lines} (
            order_id TEXT NOT NULL,
            line_no INTEGER NOT NULL,
            line_id TEXT NOT NULL,
            item_code TEXT NOT NULL,
            warehouse TEXT NOT NULL,
            qty ${dialect.decimalType} NOT NULL,
            uom TEXT NOT NULL,
            price_list_rate ${dialect.decimalType} NOT NULL,
            discount_percentage ${dialect.decimalType} NOT NULL,
            rate ${dialect.decimalType} NOT NULL,
            amount ${dialect.decimalType} NOT NULL,
            discount_amount ${dialect.decimalType} NOT NULL,
            net_amount ${dialect.decimalType} NOT NULL,
            delivered_qty ${dialect.decimalType} NOT NULL,
            billed_amount ${dialect.decimalType} NOT NULL,
            delivery_date TEXT,
            PRIMARY KEY (order_id, line_no)
          )`,
          `CREATE INDEX IF NOT EXISTS ${naming.index('order_lines_by_item')} ON ${lines} (item_code, warehouse)`,
        ],
      },
    ],
    handlers: Object.fromEntries(SALES_ORDER_EVENT_TYPES.map((type) => [type, fold])),
  });

  const { executor } = config;
  const { dialect } = executor;
  // Qualified with the table's alias: PostgreSQL would otherwise sort by the text the SELECT casts the column to.
  const ORDER: Record<OrderListOrderBy, string | undefined> = {
    transactionDate: 'o.transaction_date',
    orderId: undefined,
    netTotal: dialect.orderDecimal('o.net_total'),
    grandTotal: dialect.orderDecimal('o.grand_total'),
  };

  const filterSql = (filter: OrderFilterQuery) =>
    whereOf([
      filter.statuses.length === 0
        ? undefined
        : ([`status IN (${filter.statuses.map(() => '?').join(', ')})`, ...filter.statuses] as [string, ...SqlValue[]]),
      filter.customerId === undefined ? undefined : ['customer_id = ?', filter.customerId],
      filter.company === undefined ? undefined : ['company = ?', filter.company],
      filter.from === undefined ? undefined : ['transaction_date >= ?', filter.from],
      filter.to === undefined ? undefined : ['transaction_date <= ?', filter.to],
    ]);

  const queries: OrderQueries = {
    async get(orderId) {
      const id = checkKey(orderId, 'orderId');
      const [row] = await executor.all<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM ${orders} WHERE order_id = ?`, [id]);
      if (!row) return undefined;
      const lineRows = await executor.all<LineRow>(
        `SELECT ${LINE_COLUMNS} FROM ${lines} WHERE order_id = ? ORDER BY line_no`,
        [id],
      );
      return {
        ...entryOf(row),
        onHold: toNumber(row.on_hold) === 1,
        holdReason: row.hold_reason,
        closed: toNumber(row.closed) === 1,
        lines: lineRows.map(lineOf),
      };
    },
    async list(options) {
      const query = orderListQuery(options);
      const where = filterSql(query);
      const direction = query.direction === 'asc' ? 'ASC' : 'DESC';
      const key = ORDER[query.orderBy];
      const rows = await executor.all<OrderRow>(
        `SELECT ${ORDER_COLUMNS} FROM ${orders} AS o${where.sql}
         ORDER BY ${key === undefined ? '' : `${key} ${direction}, `}${dialect.orderText('o.order_id')} ${direction}
         LIMIT ? OFFSET ?`,
        [...where.params, query.limit, query.offset],
      );
      return rows.map(entryOf);
    },
    async count(filter) {
      const where = filterSql(orderFilterQuery(filter));
      const [row] = await executor.all<{ count: unknown }>(
        `SELECT COUNT(*) AS count FROM ${orders}${where.sql}`,
        where.params,
      );
      return toNumber(row?.count ?? 0);
    },
  };
  return { projection, queries, tables: [orders, lines] };
}
