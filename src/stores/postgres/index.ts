/**
 * `ordo/postgres`: the event store for many app instances sharing one PostgreSQL database (13 or later), or
 * PGlite in process. The drivers (`pg`, `@electric-sql/pglite`) are optional peer dependencies: the host
 * passes its own `Pool`, `Client` or `PGlite`, and this entry point never imports them.
 *
 * @packageDocumentation
 */
export type {
  PostgresClient,
  PostgresCommitNotice,
  PostgresCommitSource,
  PostgresConnectionSource,
  PostgresEventStore,
  PostgresEventStoreConfig,
  PostgresEventStoreOptions,
  PostgresMigrationResult,
  PostgresNotification,
  PostgresPGlite,
  PostgresPool,
  PostgresPoolClient,
  PostgresQueryable,
  PostgresQueryResult,
  PostgresTransaction,
} from './postgres-config.js';
export { createPostgresEventStore } from './postgres-event-store.js';
export {
  DEFAULT_POSTGRES_SCHEMA,
  notificationChannel,
  POSTGRES_MIGRATIONS,
  POSTGRES_SCHEMA_PATTERN,
  POSTGRES_SCHEMA_VERSION,
  type PostgresMigration,
  validateSchemaName,
} from './postgres-schema.js';
