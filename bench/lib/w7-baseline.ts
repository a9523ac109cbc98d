/**
 * W7's baseline and checks: the least a hand-written rebuild must do to produce the customer order summary and
 * the daily dashboard (fold each order from its raw events into a `Map`, add the counted orders up into two more
 * `Map`s, write the rows), and the comparison of figures with what the read models' queries return.
 */
import type { CustomerOrderSummaryQueries, SalesDashboardQueries } from 'ordo';
import type { RawEvent } from './types.js';
import { amountToCents, centsToAmount, countOrder, emptyFigures, type SalesFigures } from './w7-orders.js';

/** One order as the baseline folds it: only what the two read models need. */
interface FoldedOrder {
  readonly customerId: string;
  readonly company: string;
  readonly currency: string;
  readonly date: string;
  totalCents: number;
  submitted: boolean;
  cancelled: boolean;
  closed: boolean;
}

interface OrderData {
  readonly orderId: string;
  readonly customerId: string;
  readonly company: string;
  readonly currency: string;
  readonly transactionDate: string;
  readonly line: { readonly qty: string; readonly rate: string };
}

/**
 * Folds one raw event into `orders`. Handles the event types W7 writes and throws on any other, so the baseline
 * can never quietly skip what the read models count.
 */
export function foldRawEvent(orders: Map<string, FoldedOrder>, event: RawEvent): void {
  const data = event.data as OrderData;
  if (event.type === 'SalesOrderCreated') {
    orders.set(data.orderId, {
      customerId: data.customerId,
      company: data.company,
      currency: data.currency,
      date: data.transactionDate,
      totalCents: 0,
      submitted: false,
      cancelled: false,
      closed: false,
    });
    return;
  }
  const order = orders.get(data.orderId);
  if (!order) throw new Error(`w7 baseline: ${event.type} of unknown order ${data.orderId}`);
  switch (event.type) {
    case 'SalesOrderLineAdded': {
      const qty = Number(data.line.qty);
      if (!Number.isInteger(qty)) throw new Error(`w7 baseline: quantity ${data.line.qty} is not whole`);
      order.totalCents += qty * amountToCents(data.line.rate);
      return;
    }
    case 'SalesOrderSubmitted':
      order.submitted = true;
      return;
    case 'SalesOrderCancelled':
      order.cancelled = true;
      return;
    case 'SalesOrderClosed':
      order.closed = true;
      return;
    default:
      throw new Error(`w7 baseline: unexpected event type ${event.type}`);
  }
}

/** The two read models' contents from the folded orders. */
export function figuresOf(orders: ReadonlyMap<string, FoldedOrder>): SalesFigures {
  const figures = emptyFigures();
  for (const order of orders.values()) {
    if (order.submitted && !order.cancelled) countOrder(figures, order);
  }
  return figures;
}

/** A new, empty order map for {@link foldRawEvent}. */
export function newOrderMap(): Map<string, FoldedOrder> {
  return new Map();
}

/** Throws unless two sets of figures are the same, naming the first difference. */
export function assertSameFigures(what: string, actual: SalesFigures, expected: SalesFigures): void {
  if (actual.customers.size !== expected.customers.size || actual.days.size !== expected.days.size) {
    throw new Error(
      `${what}: ${actual.customers.size} customers and ${actual.days.size} day rows, expected ${expected.customers.size} and ${expected.days.size}`,
    );
  }
  for (const [key, row] of expected.customers) {
    const other = actual.customers.get(key);
    if (
      other?.totalOrders !== row.totalOrders ||
      other.totalCents !== row.totalCents ||
      other.lastOrderDate !== row.lastOrderDate ||
      other.openOrders !== row.openOrders
    ) {
      throw new Error(`${what}: customer ${key} is ${JSON.stringify(other)}, expected ${JSON.stringify(row)}`);
    }
  }
  for (const [key, row] of expected.days) {
    const other = actual.days.get(key);
    if (other?.totalCents !== row.totalCents || other.orderCount !== row.orderCount) {
      throw new Error(`${what}: day row ${key} is ${JSON.stringify(other)}, expected ${JSON.stringify(row)}`);
    }
  }
}

/**
 * The read models' contents as their queries return them (every summary, every day row of the year), as
 * {@link SalesFigures}. Untimed: only for the checks.
 */
export async function queriedFigures(
  summary: CustomerOrderSummaryQueries,
  dashboard: SalesDashboardQueries,
): Promise<SalesFigures> {
  const figures = emptyFigures();
  const summaries = await summary.list({ limit: 10_000 });
  if (summaries.length >= 10_000) throw new Error('w7: more customers than one page of the summary holds');
  for (const row of summaries) {
    figures.customers.set(`${row.customerId}|${row.currency}`, {
      customerId: row.customerId,
      currency: row.currency,
      totalOrders: row.totalOrders,
      totalCents: amountToCents(row.totalAmount),
      lastOrderDate: row.lastOrderDate,
      openOrders: row.openOrders,
    });
  }
  for (const row of await dashboard.daily({ from: '2000-01-01', to: '2099-12-31' })) {
    if (row.totalSales !== centsToAmount(amountToCents(row.totalSales))) {
      throw new Error(`w7: dashboard amount "${row.totalSales}" is not written as Money writes two decimals`);
    }
    figures.days.set(`${row.date}|${row.company}|${row.customerId}|${row.currency}`, {
      date: row.date,
      company: row.company,
      customerId: row.customerId,
      currency: row.currency,
      totalCents: amountToCents(row.totalSales),
      orderCount: row.orderCount,
    });
  }
  return figures;
}

// -------------------------------------------------------------------------------------------------------------
// Writing the rows with the raw driver

/** The baseline's two tables: the read models' result tables, same columns, keys and indexes, own names. */
export const BASELINE_TABLES = {
  summary: 'w7_baseline_customer_order_summary',
  daily: 'w7_baseline_sales_daily',
} as const;

/** `CREATE` statements of the baseline tables for a dialect (decimal as `TEXT` in SQLite, `NUMERIC` in PostgreSQL). */
export function baselineTableDdl(qualify: (table: string) => string, dialect: 'sqlite' | 'postgres'): string[] {
  const decimal = dialect === 'sqlite' ? 'TEXT' : 'NUMERIC';
  const byAmount = dialect === 'sqlite' ? 'CAST(total_amount AS REAL)' : 'total_amount';
  const summary = qualify(BASELINE_TABLES.summary);
  const daily = qualify(BASELINE_TABLES.daily);
  return [
    `CREATE TABLE ${summary} (customer_id TEXT NOT NULL, currency TEXT NOT NULL, total_orders INTEGER NOT NULL,
      total_amount ${decimal} NOT NULL, last_order_date TEXT NOT NULL, open_orders INTEGER NOT NULL,
      PRIMARY KEY (customer_id, currency))`,
    `CREATE INDEX w7_baseline_summary_by_amount ON ${summary} (${byAmount})`,
    `CREATE INDEX w7_baseline_summary_by_last_order ON ${summary} (last_order_date)`,
    `CREATE TABLE ${daily} (sale_date TEXT NOT NULL, company TEXT NOT NULL, customer_id TEXT NOT NULL,
      currency TEXT NOT NULL, total_sales ${decimal} NOT NULL, order_count INTEGER NOT NULL,
      PRIMARY KEY (sale_date, company, customer_id, currency))`,
    `CREATE INDEX w7_baseline_daily_by_customer ON ${daily} (customer_id, sale_date)`,
  ];
}

/** The rows to write, as the columns hold them. */
export function summaryRows(figures: SalesFigures): [string, string, number, string, string, number][] {
  return [...figures.customers.values()].map((row) => [
    row.customerId,
    row.currency,
    row.totalOrders,
    centsToAmount(row.totalCents),
    row.lastOrderDate,
    row.openOrders,
  ]);
}

/** The day rows to write, as the columns hold them. */
export function dailyRows(figures: SalesFigures): [string, string, string, string, string, number][] {
  return [...figures.days.values()].map((row) => [
    row.date,
    row.company,
    row.customerId,
    row.currency,
    centsToAmount(row.totalCents),
    row.orderCount,
  ]);
}

/** Writes the baseline's rows with the raw driver, all in one transaction, replacing what a previous round wrote. */
export interface BaselineRowWriter {
  /** Creates the tables (untimed, once). */
  create(): Promise<void>;
  /** Deletes the previous rows and inserts these, in one transaction; returns the rows written. */
  write(figures: SalesFigures): Promise<number>;
  /** Rows in the two tables now (untimed, for the checks). */
  count(): Promise<number>;
}

/** The subset of a better-sqlite3 `Database` the SQLite writer calls (the SQLite store's own connection fits). */
export interface SqliteConnection {
  prepare(source: string): {
    run(...params: unknown[]): unknown;
    get(...params: unknown[]): unknown;
  };
  transaction<Args extends unknown[], Result>(fn: (...args: Args) => Result): (...args: Args) => Result;
}

/** better-sqlite3: a prepared `INSERT` per row, in one transaction. */
export function sqliteRowWriter(db: SqliteConnection): BaselineRowWriter {
  const summary = `"${BASELINE_TABLES.summary}"`;
  const daily = `"${BASELINE_TABLES.daily}"`;
  let write: ((figures: SalesFigures) => number) | undefined;
  return {
    async create() {
      for (const statement of baselineTableDdl((table) => `"${table}"`, 'sqlite')) db.prepare(statement).run();
      const deleteSummary = db.prepare(`DELETE FROM ${summary}`);
      const deleteDaily = db.prepare(`DELETE FROM ${daily}`);
      const insertSummary = db.prepare(
        `INSERT INTO ${summary} (customer_id, currency, total_orders, total_amount, last_order_date, open_orders) VALUES (?, ?, ?, ?, ?, ?)`,
      );
      const insertDaily = db.prepare(
        `INSERT INTO ${daily} (sale_date, company, customer_id, currency, total_sales, order_count) VALUES (?, ?, ?, ?, ?, ?)`,
      );
      write = db.transaction((figures: SalesFigures) => {
        deleteSummary.run();
        deleteDaily.run();
        const customers = summaryRows(figures);
        for (const row of customers) insertSummary.run(...row);
        const days = dailyRows(figures);
        for (const row of days) insertDaily.run(...row);
        return customers.length + days.length;
      });
    },
    async write(figures) {
      if (!write) throw new Error('w7: create() the baseline tables first');
      return write(figures);
    },
    async count() {
      const rows = db.prepare(`SELECT (SELECT count(*) FROM ${summary}) + (SELECT count(*) FROM ${daily}) AS n`).get();
      return Number((rows as { n: number }).n);
    },
  };
}

/** What the PostgreSQL writer needs: one transaction on one connection (the store's `withTransaction`). */
export interface PostgresTransactor {
  readonly schema: string;
  withTransaction<T>(
    work: (tx: {
      query(text: string, params?: readonly unknown[]): Promise<{ readonly rows: unknown[] }>;
    }) => Promise<T>,
  ): Promise<T>;
}

/** Rows per multi-row `INSERT`. */
const PG_INSERT_CHUNK = 5_000;

/**
 * pg: multi-row `INSERT ... SELECT FROM unnest(...)` of up to 5,000 rows each (the fastest way the driver has,
 * short of `COPY`), in one transaction on one connection.
 */
export function postgresRowWriter(store: PostgresTransactor): BaselineRowWriter {
  const qualify = (table: string): string => `"${store.schema}"."${table}"`;
  const summary = qualify(BASELINE_TABLES.summary);
  const daily = qualify(BASELINE_TABLES.daily);
  const insertSummary = `INSERT INTO ${summary} (customer_id, currency, total_orders, total_amount, last_order_date, open_orders)
    SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::numeric[], $5::text[], $6::int[])`;
  const insertDaily = `INSERT INTO ${daily} (sale_date, company, customer_id, currency, total_sales, order_count)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::int[])`;
  /** Column arrays of rows `[from, to)`. */
  const columns = (rows: readonly (readonly (string | number)[])[], from: number, to: number): unknown[][] => {
    const width = rows[0]?.length ?? 0;
    const arrays: unknown[][] = Array.from({ length: width }, () => []);
    for (let index = from; index < to; index++) {
      const row = rows[index] as readonly (string | number)[];
      for (let column = 0; column < width; column++) (arrays[column] as unknown[]).push(row[column]);
    }
    return arrays;
  };
  return {
    async create() {
      await store.withTransaction(async (tx) => {
        for (const statement of baselineTableDdl(qualify, 'postgres')) await tx.query(statement);
      });
    },
    async write(figures) {
      return store.withTransaction(async (tx) => {
        await tx.query(`DELETE FROM ${summary}`);
        await tx.query(`DELETE FROM ${daily}`);
        let written = 0;
        for (const [sql, rows] of [
          [insertSummary, summaryRows(figures)],
          [insertDaily, dailyRows(figures)],
        ] as const) {
          for (let from = 0; from < rows.length; from += PG_INSERT_CHUNK) {
            const to = Math.min(rows.length, from + PG_INSERT_CHUNK);
            await tx.query(sql, columns(rows, from, to));
          }
          written += rows.length;
        }
        return written;
      });
    },
    async count() {
      return store.withTransaction(async (tx) => {
        const { rows } = await tx.query(
          `SELECT (SELECT count(*) FROM ${summary}) + (SELECT count(*) FROM ${daily}) AS n`,
        );
        return Number((rows[0] as { n: unknown }).n);
      });
    },
  };
}
