/**
 * `ordo/sqlite`: the embedded event store over SQLite (`better-sqlite3`, an optional peer dependency that is
 * only loaded from this entry point).
 *
 * @packageDocumentation
 */
export type {
  OpenSqliteEventStoreConfig,
  SqliteDatabase,
  SqliteDriver,
  SqliteDriverOptions,
  SqliteEventStore,
  SqliteEventStoreConfig,
  SqliteEventStoreOptions,
  SqliteJournalMode,
  SqliteMigrationResult,
  SqliteRunResult,
  SqliteStatement,
  SqliteSynchronous,
  SqliteTableNames,
  SqliteTransaction,
  SqliteTransactionFunction,
} from './sqlite-config.js';
export { createSqliteEventStore } from './sqlite-event-store.js';
export { openSqliteEventStore } from './sqlite-open.js';
export {
  DEFAULT_TABLE_PREFIX,
  SQLITE_MIGRATIONS,
  SQLITE_SCHEMA_VERSION,
  type SqliteMigration,
  sqliteTableNames,
  validateTablePrefix,
} from './sqlite-schema.js';
