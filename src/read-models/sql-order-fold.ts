/**
 * Each order-derived SQL read model keeps its own copy of every order's state, so it can fold the next event
 * with the domain's `evolve` and rebuild on its own without depending on another read model's tables. @internal
 */
import type { ExistingSalesOrder } from '../domain/sales-order/index.js';
import type { StoredEvent } from '../kernel/event.js';
import { orderIdOf, stepOrder } from './read-model-rows.js';
import type { SqlDialect, SqlExecutor } from './sql-executor.js';
import { flag, type SqlTable, type TableNaming, toNumber } from './sql-read-model.js';

/** An order event applied to a read model's copy of the order. @internal */
export interface SqlOrderStep {
  readonly before: ExistingSalesOrder | undefined;
  readonly after: ExistingSalesOrder;
}

/**
 * The table of folded orders of one read model: the order's full state as JSON (it is plain JSON, derived
 * figures included, so loading it recomputes nothing), the position of the last event folded into it, and the
 * columns its read model groups by.
 */
export function orderFoldTable(naming: TableNaming, base: string): SqlTable {
  return {
    name: base,
    create: (dialect: SqlDialect) => [
      `CREATE TABLE IF NOT EXISTS ${naming.table(base)} (
        order_id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        company TEXT NOT NULL,
        currency TEXT NOT NULL,
        order_date TEXT NOT NULL,
        counted INTEGER NOT NULL,
        state TEXT NOT NULL,
        last_position ${dialect.bigintType} NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS ${naming.index(`${base}_by_customer`)} ON ${naming.table(base)} (customer_id, currency, counted, order_date)`,
    ],
  };
}

/**
 * Loads the order an event is about from `table` (any table with `order_id`, `state` and `last_position`), folds
 * the event, and returns the order before and after. `undefined` when the event is about an order never created,
 * or was already folded (its position is not past `last_position`): a replayed event changes nothing.
 */
export async function stepSqlOrder(
  sql: SqlExecutor,
  table: string,
  event: StoredEvent,
): Promise<SqlOrderStep | undefined> {
  const [row] = await sql.all<{ state: string; last_position: unknown }>(
    `SELECT state, CAST(last_position AS TEXT) AS last_position FROM ${table} WHERE order_id = ?`,
    [orderIdOf(event)],
  );
  if (row && toNumber(row.last_position) >= event.globalPosition) return undefined;
  const before = row ? (JSON.parse(row.state) as ExistingSalesOrder) : undefined;
  const after = stepOrder(before, event);
  return after === undefined ? undefined : { before, after };
}

/** Writes a folded order to a fold table made by {@link orderFoldTable}. */
export async function saveFoldedOrder(
  sql: SqlExecutor,
  table: string,
  order: ExistingSalesOrder,
  position: number,
): Promise<void> {
  await sql.run(
    `INSERT INTO ${table} (order_id, customer_id, company, currency, order_date, counted, state, last_position)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (order_id) DO UPDATE SET customer_id = excluded.customer_id, company = excluded.company,
       currency = excluded.currency, order_date = excluded.order_date, counted = excluded.counted,
       state = excluded.state, last_position = excluded.last_position`,
    [
      order.orderId,
      order.customerId,
      order.company,
      order.currency,
      order.transactionDate,
      flag(order.docStatus === 'submitted'),
      JSON.stringify(order),
      position,
    ],
  );
}
