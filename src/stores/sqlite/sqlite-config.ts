/**
 * The part of a SQLite driver Ordo uses, declared here instead of imported from `better-sqlite3`, so that
 * `ordo/sqlite` has no type or runtime dependency on the driver: a host passes its own `better-sqlite3`
 * `Database` (any version from 11) and TypeScript checks it against these shapes structurally.
 */
import type { Clock } from '../../kernel/clock.js';
import type { EventRegistry } from '../../kernel/event-registry.js';
import type { IdGenerator } from '../../kernel/ids.js';
import type {
  CheckpointTransaction,
  CommitNotifier,
  TransactionalEventStore,
} from '../../kernel/transactional-store.js';

/** What running a write statement reports. */
export interface SqliteRunResult {
  /** Rows changed by the statement. */
  readonly changes: number;
  /** The rowid of the last inserted row (a `bigint` when safe integers are on). */
  readonly lastInsertRowid: number | bigint;
}

/** A prepared statement: the subset of `better-sqlite3`'s `Statement` Ordo calls. */
export interface SqliteStatement {
  /** Runs a write statement with positional parameters. */
  run(...params: unknown[]): SqliteRunResult;
  /** Runs a query and returns its first row, or `undefined`. */
  get(...params: unknown[]): unknown;
  /** Runs a query and returns every row. */
  all(...params: unknown[]): unknown[];
  /**
   * Makes integers come back as JS numbers (`false`) whatever the connection's default is. Ordo calls it, when
   * the driver has it, so that positions are numbers even on a connection with `defaultSafeIntegers(true)`.
   */
  safeIntegers?(toggleState?: boolean): unknown;
}

/** A function wrapped by {@link SqliteDatabase.transaction}. */
export interface SqliteTransactionFunction<Args extends unknown[], Result> {
  /** Runs the function in a `BEGIN` (deferred) transaction, or a savepoint when one is already open. */
  (...args: Args): Result;
  /** Runs the function in a `BEGIN IMMEDIATE` transaction: the write lock is taken before the first read. */
  immediate(...args: Args): Result;
}

/**
 * A SQLite connection: the subset of `better-sqlite3`'s `Database` Ordo calls. A `better-sqlite3` `Database`
 * satisfies it as it is.
 */
export interface SqliteDatabase {
  /** The file name the connection was opened with (`':memory:'` or `''` for a private in-memory database). */
  readonly name: string;
  /** True for an in-memory database. */
  readonly memory: boolean;
  /** False once the connection is closed. */
  readonly open: boolean;
  /** True while a transaction is open on this connection. */
  readonly inTransaction: boolean;
  /** Compiles one SQL statement. */
  prepare(source: string): SqliteStatement;
  /** Runs SQL text that may hold several statements and takes no parameters (used for DDL only). */
  exec(source: string): void;
  /** Runs a `PRAGMA`; with `{ simple: true }` returns the first column of the first row. */
  pragma(source: string, options?: { readonly simple?: boolean }): unknown;
  /** Wraps a synchronous function so that it runs in a transaction, rolled back if it throws. */
  transaction<Args extends unknown[], Result>(fn: (...args: Args) => Result): SqliteTransactionFunction<Args, Result>;
  /** Closes the connection. */
  close(): void;
}

/** A driver constructor compatible with `better-sqlite3`'s default export. */
export type SqliteDriver = new (filename: string, options?: SqliteDriverOptions) => SqliteDatabase;

/** Options handed to the driver constructor by {@link OpenSqliteEventStoreConfig}. */
export interface SqliteDriverOptions {
  /** Open the file read-only. @defaultValue `false` */
  readonly readonly?: boolean;
  /** Fail instead of creating the file when it does not exist. @defaultValue `false` */
  readonly fileMustExist?: boolean;
  /** Milliseconds the driver waits on a locked database; Ordo also sets `busy_timeout`. @defaultValue `5000` */
  readonly timeout?: number;
}

/**
 * SQLite's `synchronous` setting: how hard a commit pushes data to disk.
 * - `'normal'` in WAL mode: a commit survives a process crash; an OS crash or power loss may undo the last
 *   few commits, never corrupt the file. The default in WAL mode.
 * - `'full'`: every commit is fsynced; survives power loss. The default outside WAL mode.
 * - `'extra'`: `'full'` plus an fsync of the directory in rollback-journal modes.
 * - `'off'`: no fsync at all; a power loss can corrupt the file. Only for throwaway data.
 */
export type SqliteSynchronous = 'off' | 'normal' | 'full' | 'extra';

/**
 * SQLite's journal mode. `'wal'` lets readers run while one connection writes and is what Ordo is tuned
 * for; the others serialise readers with the writer.
 */
export type SqliteJournalMode = 'wal' | 'delete' | 'truncate' | 'persist';

/** Optional behaviour of the SQLite event store. Every field has a default. */
export interface SqliteEventStoreOptions {
  /**
   * Prefix of every table the store creates (`{prefix}events`, `{prefix}snapshots`, ...). Letters, digits and
   * `_`, not starting with a digit, at most 31 characters, or `''`; anything else is `VALIDATION_FAILED`.
   * @defaultValue `'ordo_'`
   */
  readonly tablePrefix?: string;
  /** Event definitions to validate and upcast with. @defaultValue none: events are stored as given */
  readonly registry?: EventRegistry;
  /** Source of `recordedAt`, `savedAt` and the default `occurredAt`. @defaultValue the system clock */
  readonly clock?: Clock;
  /** Source of event ids. @defaultValue UUID v7 */
  readonly ids?: IdGenerator;
  /**
   * Rows fetched per query by `readStream`, and by `readAll` when its own `batchSize` is not given. Memory
   * held by a read stays bounded by it.
   * @defaultValue `500`
   */
  readonly batchSize?: number;
  /**
   * Create or upgrade the schema on first use. With `false`, call {@link SqliteEventStore.migrate} yourself
   * (e.g. from a deploy step); operations fail with `STORE_UNAVAILABLE` until the schema exists.
   * @defaultValue `true`
   */
  readonly autoMigrate?: boolean;
  /**
   * Set `journal_mode`, `synchronous` and `busy_timeout` on the connection when the store is created. With
   * `false` the connection is used as configured by the host.
   * @defaultValue `true`
   */
  readonly configureConnection?: boolean;
  /** Journal mode to set. Persistent in the file. @defaultValue `'wal'` */
  readonly journalMode?: SqliteJournalMode;
  /**
   * Durability of a commit; see {@link SqliteSynchronous}. Per connection.
   * @defaultValue `'normal'` with `journalMode: 'wal'`, otherwise `'full'`
   */
  readonly synchronous?: SqliteSynchronous;
  /**
   * How long a write waits for another connection (another process) to release the write lock before it
   * fails with `STORE_UNAVAILABLE`. The wait blocks the calling thread, as every `better-sqlite3` call does.
   * @defaultValue `5000`
   */
  readonly busyTimeoutMs?: number;
  /**
   * Close the connection when the store is closed. `openSqliteEventStore` sets it, since it opened the
   * connection; a connection passed in by the host stays the host's.
   * @defaultValue `false`
   */
  readonly closeDatabaseOnClose?: boolean;
}

/** Wiring of `createSqliteEventStore`: the connection, plus optional behaviour. */
export interface SqliteEventStoreConfig extends SqliteEventStoreOptions {
  /** An open connection, e.g. `new Database('app.db')` from `better-sqlite3`. */
  readonly database: SqliteDatabase;
}

/** Wiring of `openSqliteEventStore`: a file to open with `better-sqlite3`, plus optional behaviour. */
export interface OpenSqliteEventStoreConfig extends SqliteEventStoreOptions {
  /** The database file; created when missing. `':memory:'` opens a private in-memory database. */
  readonly path: string;
  /** Options for the driver constructor. @defaultValue `{}` */
  readonly driverOptions?: SqliteDriverOptions;
  /**
   * The driver constructor to open the file with.
   * @defaultValue `better-sqlite3`'s default export, loaded on demand
   */
  readonly driver?: SqliteDriver;
}

/** The names of the store's tables, after the prefix is applied. */
export interface SqliteTableNames {
  /** `{prefix}events`: one row per event. */
  readonly events: string;
  /** `{prefix}snapshots`: one row per stream and state schema version. */
  readonly snapshots: string;
  /** `{prefix}checkpoints`: one row per subscriber. */
  readonly checkpoints: string;
  /** `{prefix}migrations`: one row per applied schema version. */
  readonly migrations: string;
}

/**
 * The transaction handle the SQLite store gives `beforeCommit` hooks and {@link SqliteEventStore.withTransaction}
 * work. The transaction is open on `database` while the hook or work runs: whatever is written through it
 * commits or rolls back with the rest (the events, for a hook). This is how projections keep their tables
 * exactly in step with the events and with their checkpoints.
 *
 * @remarks Use it only until the hook's (or work's) promise settles; do not `COMMIT` or `ROLLBACK` through it
 * (nested `database.transaction(...)` calls are fine: they become savepoints). Store calls that need a
 * transaction of their own (appends, `migrate`) fail with `STORE_UNAVAILABLE` while it is open instead of
 * waiting for it forever; the store's checkpoint and snapshot writes join it.
 */
export interface SqliteTransaction extends CheckpointTransaction {
  /** Always `'sqlite'`: tells the handle apart from other stores' in code that serves several. */
  readonly kind: 'sqlite';
  /** The connection, inside the open transaction. */
  readonly database: SqliteDatabase;
  /** The store's table names, should the hook need to read them. */
  readonly tables: SqliteTableNames;
}

/** What {@link SqliteEventStore.migrate} did. */
export interface SqliteMigrationResult {
  /** Versions applied by this call, in order; empty when the schema was already current. */
  readonly applied: readonly number[];
  /** The schema version after the call. */
  readonly version: number;
}

/**
 * The SQLite event store: an `EventStore` plus schema management, transactions for projections and commit
 * notifications.
 */
export interface SqliteEventStore extends TransactionalEventStore<SqliteTransaction>, CommitNotifier {
  /** Always `'sqlite'`. */
  readonly kind: 'sqlite';
  /** The connection the store uses (for reading projection tables outside a hook). */
  readonly database: SqliteDatabase;
  /** The store's table names. */
  readonly tables: SqliteTableNames;
  /**
   * Creates or upgrades the schema. Idempotent, and safe to run from several connections or processes at
   * once: migrations run under SQLite's write lock and each version is recorded once.
   */
  migrate(): Promise<SqliteMigrationResult>;
  /**
   * Runs `work` in one `BEGIN IMMEDIATE` transaction: what it writes through `tx.database` and its checkpoints
   * (`tx.saveCheckpoint`) commit together, or none do if it throws. Holds the write lock throughout, so other
   * writers (of this process, queued; of other processes, up to `busyTimeoutMs`) wait for it: keep it short.
   */
  withTransaction<T>(work: (tx: SqliteTransaction) => Promise<T>): Promise<T>;
  /**
   * Calls `listener` after every commit of an append made in this process to the same database file (through
   * this store or another store on the file). Commits by other processes are not seen: poll
   * `headPosition()` for those. Returns a function that unsubscribes.
   */
  onCommit(listener: () => void): () => void;
}
