import {
  type ReleaseReason,
  type ReservationKind,
  Stock,
  type StockEvent,
  type StockReservation,
  type StockState,
} from '../domain/stock/index.js';
import type { StoredEvent } from '../kernel/event.js';
import { checkKey, stockListQuery } from './read-model-options.js';
import { itemStockLevelOf, STOCK_EVENT_TYPES, stockLocationOf, stockReservationOf } from './read-model-rows.js';
import type { ItemStockLevel, StockLevelQueries } from './read-model-types.js';
import type { SqlDialect, SqlExecutor } from './sql-executor.js';
import {
  defineSqlProjection,
  type SqlReadModel,
  type SqlReadModelConfig,
  tableNaming,
  toNumber,
  whereOf,
} from './sql-read-model.js';
import { STOCK_LEVELS_PROJECTION } from './stock-levels.js';

interface LevelRow {
  item_code: string;
  warehouse: string;
  actual_qty: string;
  reserved_qty: string;
  hard_reserved_qty: string;
  projected_qty: string;
}

interface ReservationRow {
  kind: string;
  qty: string;
  status: string;
  release_reason: string | null;
}

const LEVEL_COLUMNS =
  'item_code, warehouse, CAST(actual_qty AS TEXT) AS actual_qty, CAST(reserved_qty AS TEXT) AS reserved_qty, ' +
  'CAST(hard_reserved_qty AS TEXT) AS hard_reserved_qty, CAST(projected_qty AS TEXT) AS projected_qty';

function levelOf(row: LevelRow): ItemStockLevel {
  return {
    itemCode: row.item_code,
    warehouse: row.warehouse,
    actualQty: row.actual_qty,
    reservedQty: row.reserved_qty,
    hardReservedQty: row.hard_reserved_qty,
    projectedQty: row.projected_qty,
  };
}

/**
 * Stock levels in SQL tables (SQLite or PostgreSQL): `<prefix>stock_levels`, one row per item and warehouse
 * (`actual_qty`, `reserved_qty`, `hard_reserved_qty`, `projected_qty`), and `<prefix>stock_reservations`, one row
 * per order line's reservation (kind, outstanding quantity, active or released), which the Stock aggregate's
 * `evolve` needs to count a delivery or a restore exactly. Same semantics and queries as
 * {@link createMemoryStockLevels}.
 *
 * @example
 * ```ts
 * const stock = createSqlStockLevels({ executor: createSqliteExecutor(store.database) });
 * await stock.queries.list({ itemCode: 'WIDGET' }); // every warehouse holding it
 * ```
 */
export function createSqlStockLevels(config: SqlReadModelConfig): SqlReadModel<StockLevelQueries> {
  const naming = tableNaming(config, config.executor.dialect);
  const levels = naming.table('stock_levels');
  const reservations = naming.table('stock_reservations');

  const fold = async (sql: SqlExecutor, event: StoredEvent): Promise<void> => {
    const { itemCode, warehouse } = stockLocationOf(event);
    const [level] = await sql.all<LevelRow & { last_position: unknown }>(
      `SELECT ${LEVEL_COLUMNS}, CAST(last_position AS TEXT) AS last_position FROM ${levels}
       WHERE item_code = ? AND warehouse = ?`,
      [itemCode, warehouse],
    );
    if (level && toNumber(level.last_position) >= event.globalPosition) return;
    // The stock state of the item and warehouse, with the one reservation the event may touch: `evolve` reads no
    // other, so the aggregate's own arithmetic applies without loading every reservation ever made here.
    const line = stockReservationOf(event);
    const key = line && Stock.reservationKey(line.orderId, line.lineId);
    let reservation: StockReservation | undefined;
    if (line) {
      const [row] = await sql.all<ReservationRow>(
        `SELECT kind, CAST(qty AS TEXT) AS qty, status, release_reason FROM ${reservations}
         WHERE item_code = ? AND warehouse = ? AND order_id = ? AND line_id = ?`,
        [itemCode, warehouse, line.orderId, line.lineId],
      );
      if (row) {
        reservation = {
          orderId: line.orderId,
          lineId: line.lineId,
          kind: row.kind as ReservationKind,
          qty: row.qty,
          status: row.status as StockReservation['status'],
          releaseReason: row.release_reason as ReleaseReason | null,
        };
      }
    }
    const state: StockState = {
      ...Stock.initialState,
      ...(level
        ? {
            itemCode: level.item_code as StockState['itemCode'],
            warehouse: level.warehouse as StockState['warehouse'],
            actualQty: level.actual_qty,
            reservedQty: level.reserved_qty,
            hardReservedQty: level.hard_reserved_qty,
          }
        : {}),
      reservations: key && reservation ? { [key]: reservation } : {},
    };
    const next = Stock.evolve(state, event as unknown as StockEvent);
    const figures = itemStockLevelOf(itemCode, warehouse, next);
    await sql.run(
      `INSERT INTO ${levels} (item_code, warehouse, actual_qty, reserved_qty, hard_reserved_qty, projected_qty, last_position)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (item_code, warehouse) DO UPDATE SET actual_qty = excluded.actual_qty,
         reserved_qty = excluded.reserved_qty, hard_reserved_qty = excluded.hard_reserved_qty,
         projected_qty = excluded.projected_qty, last_position = excluded.last_position`,
      [
        itemCode,
        warehouse,
        figures.actualQty,
        figures.reservedQty,
        figures.hardReservedQty,
        figures.projectedQty,
        event.globalPosition,
      ],
    );
    const changed = key === undefined ? undefined : next.reservations[key];
    if (line && changed && changed !== reservation) {
      await sql.run(
        `INSERT INTO ${reservations} (item_code, warehouse, order_id, line_id, kind, qty, status, release_reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (item_code, warehouse, order_id, line_id) DO UPDATE SET kind = excluded.kind,
           qty = excluded.qty, status = excluded.status, release_reason = excluded.release_reason`,
        [
          itemCode,
          warehouse,
          line.orderId,
          line.lineId,
          changed.kind,
          changed.qty,
          changed.status,
          changed.releaseReason,
        ],
      );
    }
  };

  const projection = defineSqlProjection({
    name: config.name ?? STOCK_LEVELS_PROJECTION,
    version: 1,
    naming,
    tables: [
      {
        name: 'stock_levels',
        create: (dialect: SqlDialect) => [
          `CREATE TABLE IF NOT EXISTS ${levels} (
            item_code TEXT NOT NULL,
            warehouse TEXT NOT NULL,
            actual_qty ${dialect.decimalType} NOT NULL,
            reserved_qty ${dialect.decimalType} NOT NULL,
            hard_reserved_qty ${dialect.decimalType} NOT NULL,
            projected_qty ${dialect.decimalType} NOT NULL,
            last_position ${dialect.bigintType} NOT NULL,
            PRIMARY KEY (item_code, warehouse)
          )`,
          `CREATE INDEX IF NOT EXISTS ${naming.index('stock_levels_by_warehouse')} ON ${levels} (warehouse, item_code)`,
        ],
      },
      {
        name: 'stock_reservations',
        create: (dialect: SqlDialect) => [
          `CREATE TABLE IF NOT EXISTS ${reservations} (
            item_code TEXT NOT NULL,
            warehouse TEXT NOT NULL,
            order_id TEXT NOT NULL,
            line_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            qty ${dialect.decimalType} NOT NULL,
            status TEXT NOT NULL,
            release_reason TEXT,
            PRIMARY KEY (item_code, warehouse, order_id, line_id)
          )`,
          `CREATE INDEX IF NOT EXISTS ${naming.index('stock_reservations_by_order')} ON ${reservations} (order_id)`,
        ],
      },
    ],
    handlers: Object.fromEntries(STOCK_EVENT_TYPES.map((type) => [type, fold])),
  });

  const { executor } = config;
  const { dialect } = executor;
  const queries: StockLevelQueries = {
    async get(itemCode, warehouse) {
      const [row] = await executor.all<LevelRow>(
        `SELECT ${LEVEL_COLUMNS} FROM ${levels} WHERE item_code = ? AND warehouse = ?`,
        [checkKey(itemCode, 'itemCode'), checkKey(warehouse, 'warehouse')],
      );
      return row && levelOf(row);
    },
    async list(options) {
      const query = stockListQuery(options);
      const where = whereOf([
        query.itemCode === undefined ? undefined : ['item_code = ?', query.itemCode],
        query.warehouse === undefined ? undefined : ['warehouse = ?', query.warehouse],
      ]);
      const rows = await executor.all<LevelRow>(
        `SELECT ${LEVEL_COLUMNS} FROM ${levels}${where.sql}
         ORDER BY ${dialect.orderText('item_code')}, ${dialect.orderText('warehouse')} LIMIT ? OFFSET ?`,
        [...where.params, query.limit, query.offset],
      );
      return rows.map(levelOf);
    },
  };
  return { projection, queries, tables: [levels, reservations] };
}
