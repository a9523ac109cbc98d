import { StoreUnavailableError, ValidationError } from '../../kernel/errors.js';
import type { OpenSqliteEventStoreConfig, SqliteDriver, SqliteEventStore } from './sqlite-config.js';
import { createSqliteEventStore } from './sqlite-event-store.js';

/**
 * The driver's module name, kept in a variable so that bundlers and the type checker leave the import alone:
 * `better-sqlite3` is an optional peer dependency, loaded only when a file is opened through Ordo.
 */
const DRIVER_MODULE = 'better-sqlite3';

function isDriver(value: unknown): value is SqliteDriver {
  return typeof value === 'function';
}

/** Loads `better-sqlite3`'s `Database` constructor, whether the module comes in as ESM or CommonJS. */
async function loadDriver(): Promise<SqliteDriver> {
  let loaded: unknown;
  try {
    loaded = await import(DRIVER_MODULE);
  } catch (error) {
    throw new StoreUnavailableError(
      'openSqliteEventStore needs the better-sqlite3 package: install it (npm install better-sqlite3), or pass `driver`',
      { cause: error },
    );
  }
  const candidate = typeof loaded === 'object' && loaded !== null ? (loaded as { default?: unknown }).default : loaded;
  if (!isDriver(candidate)) {
    throw new StoreUnavailableError('The better-sqlite3 module did not export a Database constructor');
  }
  return candidate;
}

/**
 * Opens (or creates) a SQLite file with `better-sqlite3` and returns an event store over it that owns the
 * connection: `close()` closes it. Runs the migrations unless `autoMigrate` is `false`.
 *
 * @example
 * ```ts
 * const store = await openSqliteEventStore({ path: 'erp.db' });
 * try {
 *   await store.appendToStream('customer-1', [{ type: 'CustomerRegistered', data: { name: 'Acme' } }], {
 *     expectedVersion: 'no_stream',
 *   });
 * } finally {
 *   await store.close();
 * }
 * ```
 */
export async function openSqliteEventStore(config: OpenSqliteEventStoreConfig): Promise<SqliteEventStore> {
  if (typeof config?.path !== 'string' || config.path.length === 0) {
    throw new ValidationError([{ path: ['path'], message: 'must be a non-empty file path', code: 'invalid_type' }]);
  }
  const { path, driver, driverOptions, ...options } = config;
  const Driver = driver ?? (await loadDriver());
  let database: InstanceType<SqliteDriver>;
  try {
    database = new Driver(path, { timeout: options.busyTimeoutMs ?? 5000, ...driverOptions });
  } catch (error) {
    throw new StoreUnavailableError(`Could not open the SQLite database "${path}"`, { cause: error });
  }
  try {
    const store = createSqliteEventStore({ closeDatabaseOnClose: true, ...options, database });
    if (options.autoMigrate ?? true) await store.migrate();
    return store;
  } catch (error) {
    database.close();
    throw error;
  }
}
