/**
 * From `--store` to an open event store: a SQLite file (through `better-sqlite3`, loaded by `ordo/sqlite` only
 * when a file is opened) or a PostgreSQL URL (through `pg`, imported here only for such URLs). Both drivers are
 * optional peer dependencies, so neither is loaded unless the store needs it.
 */
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ValidationError } from '../kernel/errors.js';
import {
  createPostgresEventStore,
  POSTGRES_SCHEMA_VERSION,
  type PostgresEventStore,
  type PostgresPool,
  validateSchemaName,
} from '../stores/postgres/index.js';
import {
  DEFAULT_TABLE_PREFIX,
  openSqliteEventStore,
  SQLITE_SCHEMA_VERSION,
  type SqliteEventStore,
  validateTablePrefix,
} from '../stores/sqlite/index.js';
import { CliError, codeOf, EXIT_CODES, messageOf, usageError } from './cli-errors.js';
import type { CliIo } from './cli-io.js';

/** Where the store is, as read from `--store` or `ORDO_STORE`. */
export type StoreTarget =
  | { readonly kind: 'sqlite'; readonly path: string; readonly display: string }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      /** The URL with its password masked. */
      readonly display: string;
      /** Masks the URL's password wherever a driver message repeats it. */
      readonly scrub: (text: string) => string;
    };

/** Everything needed to open the store. */
export interface StoreConnectionOptions {
  readonly target: StoreTarget;
  /** PostgreSQL schema. @defaultValue the store's default, `'ordo'` */
  readonly schema?: string;
  /** SQLite table prefix. @defaultValue the store's default, `'ordo_'` */
  readonly prefix?: string;
  /** SQLite: how long to wait for another connection's lock. */
  readonly busyTimeoutMs: number;
  /** PostgreSQL: how long to wait for a connection. */
  readonly connectTimeoutMs: number;
}

/** An open SQLite store, and how to describe it in messages. */
export interface OpenedSqliteStore {
  readonly kind: 'sqlite';
  readonly store: SqliteEventStore;
  /** The file, as given. */
  readonly location: string;
  /** The store's table prefix. */
  readonly tablePrefix: string;
  /** For messages: the file with its table prefix, `erp.sqlite (tables ordo_*)`. */
  readonly display: string;
  close(): Promise<void>;
}

/** An open PostgreSQL store over a pool the CLI owns. */
export interface OpenedPostgresStore {
  readonly kind: 'postgres';
  readonly store: PostgresEventStore;
  /** The URL with its password masked. */
  readonly location: string;
  /** For messages: the URL (password masked) with the schema. */
  readonly display: string;
  close(): Promise<void>;
}

/** An open store of either kind. */
export type OpenedStore = OpenedSqliteStore | OpenedPostgresStore;

/** The default SQLite busy timeout (ms). */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
/** The default PostgreSQL connection timeout (ms). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** `postgres://user:secret@host/db` with the password masked, so it never reaches a log. */
function redact(url: URL): string {
  if (url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.password = '***';
  return copy.href;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Reads `--store`: a `postgres://` or `postgresql://` URL, a `sqlite:` or `file:` prefixed path, or a plain
 * path to a SQLite file (relative to `cwd`).
 *
 * @throws a `BAD_STORE_URL` error (exit 3) for a malformed URL or one of another scheme.
 */
export function parseStoreTarget(text: string, cwd: string): StoreTarget {
  const value = text.trim();
  if (value === '') throw usageError('--store must not be empty');
  const scheme = URL_SCHEME.exec(value)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      // The text may hold a password: say what is wrong without echoing it.
      throw new CliError('BAD_STORE_URL', 'The store URL is not a valid postgres:// URL', EXIT_CODES.unreachable);
    }
    const secrets = url.password === '' ? [] : [url.password, safeDecode(url.password)];
    const scrub = (message: string): string =>
      secrets.reduce((scrubbed, secret) => scrubbed.replaceAll(secret, '***'), message);
    return { kind: 'postgres', url: value, display: redact(url), scrub };
  }
  if (scheme !== undefined && scheme !== 'file') {
    throw new CliError(
      'BAD_STORE_URL',
      `Unsupported store URL scheme "${scheme}://": use a postgres:// URL or a SQLite file path`,
      EXIT_CODES.unreachable,
    );
  }
  const path = value.replace(/^(?:sqlite|file):(?:\/\/)?/i, '');
  if (path === '') throw new CliError('BAD_STORE_URL', `"${value}" names no SQLite file`, EXIT_CODES.unreachable);
  return { kind: 'sqlite', path: isAbsolute(path) ? path : resolve(cwd, path), display: path };
}

/** The values every command parses, as far as the store is concerned. */
export interface StoreOptionValues {
  readonly store?: string | undefined;
  readonly schema?: string | undefined;
  readonly prefix?: string | undefined;
  readonly 'busy-timeout'?: string | undefined;
  readonly 'connect-timeout'?: string | undefined;
}

function timeout(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw usageError(`--${name} must be a whole number of milliseconds, not "${value}"`);
  }
  return Number(value);
}

function checkName(check: (value: string) => string, value: string, option: string): string {
  try {
    return check(value);
  } catch (error) {
    const detail = error instanceof ValidationError ? (error.issues[0]?.message ?? error.message) : messageOf(error);
    throw usageError(`--${option} "${value}": ${detail}`);
  }
}

/**
 * Resolves the store options of a command: `--store` or `ORDO_STORE`, and options that must fit the kind of
 * store (`--schema` is PostgreSQL's, `--prefix` SQLite's).
 */
export function storeOptionsFrom(values: StoreOptionValues, io: CliIo): StoreConnectionOptions {
  const text = values.store ?? io.env?.ORDO_STORE;
  if (text === undefined || text.trim() === '') {
    throw usageError('No store given: pass --store <path.sqlite | postgres://...> or set ORDO_STORE');
  }
  const target = parseStoreTarget(text, io.cwd ?? process.cwd());
  if (target.kind === 'sqlite' && values.schema !== undefined) {
    throw usageError('--schema applies to PostgreSQL stores; a SQLite store takes --prefix');
  }
  if (target.kind === 'postgres' && values.prefix !== undefined) {
    throw usageError('--prefix applies to SQLite stores; a PostgreSQL store takes --schema');
  }
  return {
    target,
    ...(values.schema === undefined ? {} : { schema: checkName(validateSchemaName, values.schema, 'schema') }),
    ...(values.prefix === undefined ? {} : { prefix: checkName(validateTablePrefix, values.prefix, 'prefix') }),
    busyTimeoutMs: timeout(values['busy-timeout'], 'busy-timeout', DEFAULT_BUSY_TIMEOUT_MS),
    connectTimeoutMs: timeout(values['connect-timeout'], 'connect-timeout', DEFAULT_CONNECT_TIMEOUT_MS),
  };
}

/** How {@link openStore} treats a store that is not there yet. */
export interface OpenStoreMode {
  /**
   * `true` for `ordo migrate`: a missing SQLite file is created, a missing schema is fine. Otherwise a missing
   * file is exit 3 and a missing or outdated schema exit 4, checked before any work starts.
   */
  readonly create: boolean;
}

/**
 * Opens the store. The stores never migrate by themselves here (`autoMigrate: false`): only `ordo migrate`
 * changes a schema, so that a typo in `--store` or `--schema` is reported instead of creating an empty store.
 */
export async function openStore(options: StoreConnectionOptions, mode: OpenStoreMode): Promise<OpenedStore> {
  const opened =
    options.target.kind === 'sqlite'
      ? await openSqlite(options, options.target, mode)
      : await openPostgres(options, options.target);
  if (!mode.create) {
    try {
      await assertMigrated(opened);
    } catch (error) {
      await opened.close().catch(() => undefined);
      throw error;
    }
  }
  return opened;
}

async function openSqlite(
  options: StoreConnectionOptions,
  target: Extract<StoreTarget, { kind: 'sqlite' }>,
  mode: OpenStoreMode,
): Promise<OpenedSqliteStore> {
  if (!mode.create) {
    let isFile = false;
    try {
      isFile = statSync(target.path).isFile();
    } catch {
      throw new CliError(
        'STORE_UNREACHABLE',
        `No SQLite file at ${target.display} (run \`ordo migrate\` to create a store there)`,
        EXIT_CODES.unreachable,
      );
    }
    if (!isFile) {
      throw new CliError('STORE_UNREACHABLE', `${target.display} is not a file`, EXIT_CODES.unreachable);
    }
  }
  const store = await openSqliteEventStore({
    path: target.path,
    autoMigrate: false,
    // An operator's tool leaves the file's journal mode and the connection settings as the application set them.
    configureConnection: false,
    busyTimeoutMs: options.busyTimeoutMs,
    driverOptions: { fileMustExist: !mode.create, timeout: options.busyTimeoutMs },
    ...(options.prefix === undefined ? {} : { tablePrefix: options.prefix }),
  });
  const tablePrefix = options.prefix ?? DEFAULT_TABLE_PREFIX;
  return {
    kind: 'sqlite',
    store,
    location: target.display,
    tablePrefix,
    display: `${target.display} (tables ${tablePrefix}*)`,
    close: () => store.close(),
  };
}

/** The subset of `pg`'s `Pool` the CLI uses, so that `pg` stays an optional peer dependency with no types needed. */
interface PgPool extends PostgresPool {
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(
    event: 'connect',
    listener: (client: { on?(event: 'error', listener: (error: Error) => void): unknown }) => void,
  ): unknown;
  end(): Promise<void>;
}

interface PgPoolConfig {
  readonly connectionString: string;
  readonly connectionTimeoutMillis: number;
  readonly max: number;
  readonly application_name: string;
}

type PgPoolConstructor = new (config: PgPoolConfig) => PgPool;

/** The module name in a variable, so that bundlers leave the import alone: `pg` is loaded for postgres URLs only. */
const PG_MODULE = 'pg';

async function loadPool(): Promise<PgPoolConstructor> {
  let loaded: unknown;
  try {
    loaded = await import(PG_MODULE);
  } catch (error) {
    throw new CliError(
      'STORE_UNREACHABLE',
      'A postgres:// store needs the pg package: install it next to ordo (npm install pg)',
      EXIT_CODES.unreachable,
      { cause: error },
    );
  }
  // pg is CommonJS: under ESM its exports arrive as the default export.
  const module = (loaded as { default?: unknown }).default ?? loaded;
  const Pool = typeof module === 'object' && module !== null ? (module as { Pool?: unknown }).Pool : undefined;
  if (typeof Pool !== 'function') {
    throw new CliError('STORE_UNREACHABLE', 'The pg package did not export a Pool', EXIT_CODES.unreachable);
  }
  return Pool as PgPoolConstructor;
}

async function openPostgres(
  options: StoreConnectionOptions,
  target: Extract<StoreTarget, { kind: 'postgres' }>,
): Promise<OpenedPostgresStore> {
  const Pool = await loadPool();
  let pool: PgPool;
  try {
    pool = new Pool({
      connectionString: target.url,
      connectionTimeoutMillis: options.connectTimeoutMs,
      max: 4,
      application_name: 'ordo-cli',
    });
  } catch (error) {
    throw new CliError(
      'BAD_STORE_URL',
      `The store URL ${target.display} is not usable: ${target.scrub(messageOf(error))}`,
      EXIT_CODES.unreachable,
      { cause: error },
    );
  }
  // An idle connection that dies emits 'error' on the pool; unhandled, that would end the process.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new CliError(
      'STORE_UNREACHABLE',
      `Cannot connect to PostgreSQL at ${target.display}: ${target.scrub(messageOf(error))}`,
      EXIT_CODES.unreachable,
      { cause: error },
    );
  }
  const store = createPostgresEventStore({
    client: pool,
    autoMigrate: false,
    closeClientOnClose: true,
    ...(options.schema === undefined ? {} : { schema: options.schema }),
  });
  return {
    kind: 'postgres',
    store,
    location: target.display,
    display: `${target.display} (schema ${store.schema})`,
    close: () => store.close(),
  };
}

/** What a store's migrations table says. */
export interface SchemaState {
  /** The recorded schema version; `undefined` when the store has never been migrated. */
  readonly version: number | undefined;
  /** The version this build of Ordo writes and reads. */
  readonly expected: number;
}

function readSqliteVersion(store: SqliteEventStore): number | undefined {
  const { database, tables } = store;
  const table = database
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name = ?")
    .get(tables.migrations) as { name: string } | undefined;
  if (!table) return undefined;
  // The name comes from a prefix the store validated; it is quoted all the same.
  const row = database
    .prepare(`SELECT max(version) AS version FROM "${tables.migrations.replaceAll('"', '""')}"`)
    .get() as { version: number | bigint | null } | undefined;
  return row?.version === null || row?.version === undefined ? undefined : Number(row.version);
}

/** Reads the schema version the store records, without changing anything. */
export async function readSchemaState(opened: OpenedStore): Promise<SchemaState> {
  if (opened.kind === 'sqlite') {
    try {
      return { version: readSqliteVersion(opened.store), expected: SQLITE_SCHEMA_VERSION };
    } catch (error) {
      if (/^SQLITE_(NOTADB|CORRUPT)/.test(codeOf(error) ?? '')) {
        throw new CliError(
          'STORE_UNREACHABLE',
          `${opened.display} is not a SQLite database, or is damaged: ${messageOf(error)}`,
          EXIT_CODES.unreachable,
          { cause: error },
        );
      }
      throw error;
    }
  }
  const { store } = opened;
  const qualified = `"${store.schema}".schema_migrations`;
  const found = await store.withTransaction(async (tx) => {
    const { rows } = await tx.query<{ name: string | null }>('SELECT to_regclass($1)::text AS name', [qualified]);
    if (!rows[0]?.name) return undefined;
    const result = await tx.query<{ version: number | null }>(`SELECT max(version)::int AS version FROM ${qualified}`);
    return result.rows[0]?.version ?? undefined;
  });
  return { version: found, expected: POSTGRES_SCHEMA_VERSION };
}

/**
 * Throws exit 4 unless the store's schema is the one this build of Ordo knows: missing or older means
 * "run `ordo migrate`", newer means "upgrade Ordo".
 */
export async function assertMigrated(opened: OpenedStore): Promise<void> {
  const { version, expected } = await readSchemaState(opened);
  const where = opened.display;
  if (version === undefined) {
    throw new CliError(
      'SCHEMA_MISSING',
      `The store at ${where} has no Ordo schema: run \`ordo migrate\` first`,
      EXIT_CODES.notReady,
    );
  }
  if (version < expected) {
    throw new CliError(
      'SCHEMA_MISSING',
      `The store at ${where} is at schema version ${version}, this Ordo needs ${expected}: run \`ordo migrate\``,
      EXIT_CODES.notReady,
    );
  }
  if (version > expected) {
    throw new CliError(
      'SCHEMA_NEWER',
      `The store at ${where} is at schema version ${version}, newer than this Ordo knows (${expected}): upgrade Ordo`,
      EXIT_CODES.notReady,
    );
  }
}
