import { ValidationError } from '../kernel/errors.js';
import type { Projection } from '../kernel/projection.js';
import type { UndoableTransaction } from '../kernel/projection-state.js';
import { createMemoryCreditBalances } from './credit-balances.js';
import { createSqlCreditBalances } from './credit-balances-sql.js';
import { createMemoryCustomerOrderSummary } from './customer-order-summary.js';
import { createSqlCustomerOrderSummary } from './customer-order-summary-sql.js';
import { createMemoryOrderList } from './order-list.js';
import { createSqlOrderList } from './order-list-sql.js';
import type { ErpReadModelQueries } from './read-model-types.js';
import { createMemorySalesDashboard } from './sales-dashboard-daily.js';
import { createSqlSalesDashboard } from './sales-dashboard-daily-sql.js';
import {
  createPostgresExecutor,
  createSqliteExecutor,
  type PostgresQueryableLike,
  type PostgresTransactionLike,
  type SqlExecutor,
  type SqliteDatabaseLike,
  type SqlTransactionLike,
} from './sql-executor.js';
import type { SqlReadModelOptions } from './sql-read-model.js';
import { createMemoryStockLevels } from './stock-levels.js';
import { createSqlStockLevels } from './stock-levels-sql.js';

/** Every built-in ERP read model: the projections to run and the queries to read them. */
export interface ErpReadModels<Tx> {
  /**
   * The projections (customer order summary, daily sales dashboard, orders, stock levels, credit balances), to
   * run inline (`withInlineProjections(store, projections)`) or async (`createProjectionRunner({ store,
   * projections })`).
   */
  readonly projections: readonly Projection<Tx>[];
  /** The query objects. */
  readonly queries: ErpReadModelQueries;
}

/** Options every mode of {@link createErpReadModels} takes. */
export interface ErpReadModelsOptions {
  /**
   * Prefix of the projections' names (`<prefix>customer-order-summary`, `<prefix>sales-dashboard-daily`,
   * `<prefix>orders`, `<prefix>stock-levels`, `<prefix>credit-balances`), hence of their checkpoints. Change it to
   * run two sets on one store.
   * @defaultValue `'ordo-'`
   */
  readonly namePrefix?: string;
}

/** The read models in process memory: state projections, for the in-memory store. */
export interface MemoryErpReadModelsConfig extends ErpReadModelsOptions {
  readonly mode: 'memory';
}

/** The read models in SQLite tables, written in the SQLite store's transactions and read on its connection. */
export interface SqliteErpReadModelsConfig extends ErpReadModelsOptions, Pick<SqlReadModelOptions, 'tablePrefix'> {
  readonly mode: 'sqlite';
  /** The SQLite store (`createSqliteEventStore` from `ordo/sqlite`): queries run on its `database`. */
  readonly store: { readonly database: SqliteDatabaseLike };
}

/** What the PostgreSQL mode needs of the PostgreSQL store (`createPostgresEventStore` from `ordo/postgres`). */
export interface PostgresStoreLike {
  /** The store's schema: the read models' tables go next to the store's unless `schema` says otherwise. */
  readonly schema: string;
  /** Runs queries when no `client` is given. */
  withTransaction<T>(work: (tx: PostgresTransactionLike) => Promise<T>): Promise<T>;
}

/** The read models in PostgreSQL tables, written in the PostgreSQL store's transactions. */
export interface PostgresErpReadModelsConfig
  extends ErpReadModelsOptions,
    Pick<SqlReadModelOptions, 'tablePrefix' | 'schema'> {
  readonly mode: 'postgres';
  readonly store: PostgresStoreLike;
  /**
   * Where queries run: the `pg` `Pool` or the PGlite instance the store was given. Do not pass a single `pg`
   * `Client` the store also uses: a query would run inside whatever transaction the store has open on it.
   * @defaultValue each query runs in a short transaction of the store (`store.withTransaction`)
   */
  readonly client?: PostgresQueryableLike;
}

/** What {@link createErpReadModels} takes: the mode and what that mode needs. */
export type ErpReadModelsConfig = MemoryErpReadModelsConfig | SqliteErpReadModelsConfig | PostgresErpReadModelsConfig;

const NAMES = {
  customerOrderSummary: 'customer-order-summary',
  salesDashboard: 'sales-dashboard-daily',
  orders: 'orders',
  stockLevels: 'stock-levels',
  creditBalances: 'credit-balances',
} as const;

function namesOf(prefix: string | undefined): { readonly [K in keyof typeof NAMES]: string } {
  const namePrefix = prefix ?? 'ordo-';
  if (typeof namePrefix !== 'string') {
    throw new ValidationError([{ path: ['namePrefix'], message: 'must be a string', code: 'invalid_type' }]);
  }
  return {
    customerOrderSummary: `${namePrefix}${NAMES.customerOrderSummary}`,
    salesDashboard: `${namePrefix}${NAMES.salesDashboard}`,
    orders: `${namePrefix}${NAMES.orders}`,
    stockLevels: `${namePrefix}${NAMES.stockLevels}`,
    creditBalances: `${namePrefix}${NAMES.creditBalances}`,
  };
}

function sqlReadModels(
  executor: SqlExecutor,
  options: SqlReadModelOptions,
  names: ReturnType<typeof namesOf>,
): ErpReadModels<SqlTransactionLike> {
  const config = (name: string) => ({ ...options, executor, name });
  const summary = createSqlCustomerOrderSummary(config(names.customerOrderSummary));
  const dashboard = createSqlSalesDashboard(config(names.salesDashboard));
  const orders = createSqlOrderList(config(names.orders));
  const stock = createSqlStockLevels(config(names.stockLevels));
  const credit = createSqlCreditBalances(config(names.creditBalances));
  return {
    projections: [summary.projection, dashboard.projection, orders.projection, stock.projection, credit.projection],
    queries: {
      customerOrderSummary: summary.queries,
      salesDashboard: dashboard.queries,
      orders: orders.queries,
      stockLevels: stock.queries,
      creditBalances: credit.queries,
    },
  };
}

/**
 * Creates every built-in ERP read model for one kind of store, in one call: `{ projections, queries }`.
 *
 * - `mode: 'memory'`: state projections in process memory, for the in-memory store.
 * - `mode: 'sqlite'`: tables in the SQLite store's database (`<tablePrefix>...`), queried on `store.database`.
 * - `mode: 'postgres'`: tables in the store's schema (or `schema`), queried through `client` or the store.
 *
 * @example
 * ```ts
 * const store = createSqliteEventStore({ database: new Database('erp.db') });
 * const { projections, queries } = createErpReadModels({ mode: 'sqlite', store });
 * const erp = withInlineProjections(store, projections); // or: createProjectionRunner({ store, projections }).start()
 * // ... append through `erp` ...
 * await queries.customerOrderSummary.get('CUST-1');
 * await queries.salesDashboard.daily({ from: '2026-01-01', to: '2026-01-31' });
 * ```
 */
export function createErpReadModels(config: MemoryErpReadModelsConfig): ErpReadModels<UndoableTransaction>;
/** The SQL read models: their projections run in a SQLite or PostgreSQL store transaction. */
export function createErpReadModels(
  config: SqliteErpReadModelsConfig | PostgresErpReadModelsConfig,
): ErpReadModels<SqlTransactionLike>;
export function createErpReadModels(
  config: ErpReadModelsConfig,
): ErpReadModels<UndoableTransaction> | ErpReadModels<SqlTransactionLike> {
  const names = namesOf(config?.namePrefix);
  switch (config?.mode) {
    case 'memory': {
      const summary = createMemoryCustomerOrderSummary({ name: names.customerOrderSummary });
      const dashboard = createMemorySalesDashboard({ name: names.salesDashboard });
      const orders = createMemoryOrderList({ name: names.orders });
      const stock = createMemoryStockLevels({ name: names.stockLevels });
      const credit = createMemoryCreditBalances({ name: names.creditBalances });
      return {
        projections: [summary.projection, dashboard.projection, orders.projection, stock.projection, credit.projection],
        queries: {
          customerOrderSummary: summary.queries,
          salesDashboard: dashboard.queries,
          orders: orders.queries,
          stockLevels: stock.queries,
          creditBalances: credit.queries,
        },
      };
    }
    case 'sqlite': {
      const database = config.store?.database;
      if (typeof database?.prepare !== 'function') {
        throw new ValidationError([
          { path: ['store'], message: 'must be a SQLite store (with a database)', code: 'invalid_type' },
        ]);
      }
      const options = config.tablePrefix === undefined ? {} : { tablePrefix: config.tablePrefix };
      return sqlReadModels(createSqliteExecutor(database), options, names);
    }
    case 'postgres': {
      const { store, client } = config;
      if (typeof store?.withTransaction !== 'function' || typeof store.schema !== 'string') {
        throw new ValidationError([
          { path: ['store'], message: 'must be a PostgreSQL store (with a schema)', code: 'invalid_type' },
        ]);
      }
      const executor = createPostgresExecutor(
        client ?? (async (text, params) => store.withTransaction(async (tx) => (await tx.query(text, params)).rows)),
      );
      const options = {
        schema: config.schema ?? store.schema,
        ...(config.tablePrefix === undefined ? {} : { tablePrefix: config.tablePrefix }),
      };
      return sqlReadModels(executor, options, names);
    }
    default:
      throw new ValidationError([
        { path: ['mode'], message: "must be 'memory', 'sqlite' or 'postgres'", code: 'invalid_value' },
      ]);
  }
}
