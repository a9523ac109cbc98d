/**
 * The built-in ERP read models: customer order summary, daily sales dashboard, order list and details, stock
 * levels and customer credit balances. Each is a projection (in memory, or in SQL tables on SQLite or PostgreSQL)
 * plus a typed query object; {@link createErpReadModels} wires all of them for one store in one call.
 *
 * @packageDocumentation
 */
export { CREDIT_BALANCES_PROJECTION, createMemoryCreditBalances } from './credit-balances.js';
export { createSqlCreditBalances } from './credit-balances-sql.js';
export { CUSTOMER_ORDER_SUMMARY_PROJECTION, createMemoryCustomerOrderSummary } from './customer-order-summary.js';
export { createSqlCustomerOrderSummary } from './customer-order-summary-sql.js';
export {
  createErpReadModels,
  type ErpReadModels,
  type ErpReadModelsConfig,
  type ErpReadModelsOptions,
  type MemoryErpReadModelsConfig,
  type PostgresErpReadModelsConfig,
  type PostgresStoreLike,
  type SqliteErpReadModelsConfig,
} from './erp-read-models.js';
export type { MemoryReadModel, MemoryReadModelOptions } from './memory-read-model.js';
export { createMemoryOrderList, ORDER_LIST_PROJECTION } from './order-list.js';
export { createSqlOrderList } from './order-list-sql.js';
export { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from './read-model-options.js';
export type {
  CreditBalance,
  CreditBalanceListOptions,
  CreditBalanceQueries,
  CustomerOrderSummary,
  CustomerOrderSummaryListOptions,
  CustomerOrderSummaryOrderBy,
  CustomerOrderSummaryQueries,
  DailySales,
  DailySalesTotal,
  ErpReadModelQueries,
  ItemStockLevel,
  OrderDetails,
  OrderFilter,
  OrderLineDetails,
  OrderListEntry,
  OrderListOptions,
  OrderListOrderBy,
  OrderQueries,
  PageOptions,
  SalesDashboardDailyOptions,
  SalesDashboardQueries,
  SalesDashboardRange,
  SortDirection,
  StockLevelListOptions,
  StockLevelQueries,
} from './read-model-types.js';
export { createMemorySalesDashboard, SALES_DASHBOARD_DAILY_PROJECTION } from './sales-dashboard-daily.js';
export { createSqlSalesDashboard } from './sales-dashboard-daily-sql.js';
export {
  createPostgresExecutor,
  createSqliteExecutor,
  executorForTransaction,
  type PostgresQueryableLike,
  type PostgresTransactionLike,
  postgresDialect,
  type SqlDialect,
  type SqlExecutor,
  type SqliteDatabaseLike,
  type SqliteStatementLike,
  type SqliteTransactionLike,
  type SqlTransactionLike,
  type SqlValue,
  sqliteDialect,
} from './sql-executor.js';
export {
  DEFAULT_READ_MODEL_TABLE_PREFIX,
  type SqlReadModel,
  type SqlReadModelConfig,
  type SqlReadModelOptions,
} from './sql-read-model.js';
export { createMemoryStockLevels, STOCK_LEVELS_PROJECTION } from './stock-levels.js';
export { createSqlStockLevels } from './stock-levels-sql.js';
