/**
 * The parts of a PostgreSQL driver Ordo uses, declared here instead of imported from `pg` or
 * `@electric-sql/pglite`, so that `ordo/postgres` has no type or runtime dependency on either: a host passes
 * its own `pg` `Pool` or `Client` (pg 8) or a `PGlite` instance, and TypeScript checks it structurally.
 */
import type { Clock } from '../../kernel/clock.js';
import type { EventRegistry } from '../../kernel/event-registry.js';
import type { EventStore } from '../../kernel/event-store.js';
import type { IdGenerator } from '../../kernel/ids.js';
import type { Lease } from '../../kernel/lease.js';
import type {
  CheckpointTransaction,
  CommitNotifier,
  TransactionalEventStore,
} from '../../kernel/transactional-store.js';

/** What a query returns: its rows (column name to value). Both `pg` and PGlite results have this shape. */
export interface PostgresQueryResult {
  readonly rows: readonly unknown[];
}

/** Anything that runs one parameterised SQL statement: `pg` `Pool`, `Client`, `PoolClient`, PGlite, a PGlite transaction. */
export interface PostgresQueryable {
  /** Runs `text` with `$1`, `$2`, ... bound to `params`. */
  query(text: string, params?: unknown[]): Promise<PostgresQueryResult>;
}

/** A notification as `pg` delivers it on a listening connection. */
export interface PostgresNotification {
  readonly channel: string;
  readonly payload?: string | undefined;
}

/** A connection checked out of a pool: the subset of `pg`'s `PoolClient` Ordo calls. */
export interface PostgresPoolClient extends PostgresQueryable {
  /** Gives the connection back; with an error (or `true`) the pool discards it instead. */
  release(error?: Error | boolean): void;
  /** `pg` emits `'error'` on a checked-out client whose connection dies; Ordo listens so the process survives. */
  on?(event: 'error', listener: (error: Error) => void): unknown;
  /** Removes a listener added with `on`. */
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * A connection pool: the subset of `pg`'s `Pool` Ordo calls. Recognised at run time by its `connect()`
 * method together with a numeric `totalCount` (which `pg`'s `Pool` has and its `Client` lacks).
 */
export interface PostgresPool extends PostgresQueryable {
  /** Checks a connection out; transactions and `LISTEN` run on one. */
  connect(): Promise<PostgresPoolClient>;
  /** Number of connections the pool holds; only its presence matters (it tells a pool from a client). */
  readonly totalCount: number;
  /** Closes every connection. Called by `close()` only with `closeClientOnClose: true`. */
  end?(): Promise<void>;
  /** `pg` emits `'connect'` with each new connection; Ordo uses it to guard new connections against crashes. */
  on?(
    event: 'connect',
    listener: (client: { on?(event: 'error', listener: (error: Error) => void): unknown }) => void,
  ): unknown;
}

/**
 * One connection: the subset of `pg`'s `Client` Ordo calls. Ordo serialises its transactions on it with an
 * in-process mutex shared by every store on the same client.
 */
export interface PostgresClient extends PostgresQueryable {
  /** `pg` emits `'notification'` for channels the connection listens to. */
  on?(event: 'notification', listener: (message: PostgresNotification) => void): unknown;
  /** Removes a listener added with `on`. */
  removeListener?(event: 'notification', listener: (message: PostgresNotification) => void): unknown;
  /** Closes the connection. Called by `close()` only with `closeClientOnClose: true`. */
  end?(): Promise<void>;
}

/**
 * An embedded PostgreSQL: the subset of PGlite (`@electric-sql/pglite`) Ordo calls. Recognised at run time by
 * its `transaction()` method. PGlite is one connection; its own `transaction()` already excludes every other
 * query while a transaction is open, so Ordo adds no lock of its own.
 */
export interface PostgresPGlite extends PostgresQueryable {
  /** Runs `callback` in `BEGIN`/`COMMIT`, rolled back if it throws. */
  transaction<T>(callback: (tx: PostgresQueryable) => Promise<T>): Promise<T>;
  /** `LISTEN`s on `channel`; resolves to a function that stops listening. */
  listen?(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
  /** Shuts the database down. Called by `close()` only with `closeClientOnClose: true`. */
  close?(): Promise<void>;
}

/** Whatever the store may be given as its connection. */
export type PostgresConnectionSource = PostgresPool | PostgresClient | PostgresPGlite;

/** Optional behaviour of the PostgreSQL event store. Every field has a default. */
export interface PostgresEventStoreOptions {
  /**
   * The PostgreSQL schema holding the store's tables (created by the migration). Must match
   * `/^[a-z_][a-z0-9_]{0,62}$/`; anything else is `VALIDATION_FAILED`. Several stores (several app instances)
   * share one event log by naming the same schema; different schemas are independent stores.
   * @defaultValue `'ordo'`
   */
  readonly schema?: string;
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
   * Create or upgrade the schema on first use. With `false`, call {@link PostgresEventStore.migrate} yourself
   * (e.g. from a deploy step); operations fail with `STORE_UNAVAILABLE` until the schema exists.
   * @defaultValue `true`
   */
  readonly autoMigrate?: boolean;
  /**
   * Send a `pg_notify` in every append's transaction and `LISTEN` for them in {@link PostgresEventStore.onCommit},
   * so followers in other processes wake as soon as events commit. With `false` appends skip the notify (every
   * notifying commit briefly takes a cluster-wide lock in PostgreSQL; see the docs) and `onCommit` polls.
   * @defaultValue `true`
   */
  readonly notifications?: boolean;
  /**
   * How often `onCommit` listeners poll the safe head position as a fallback: when `LISTEN` is not available,
   * while the listening connection is being re-established, and to catch events that became readable without
   * a notification of their own (their transaction committed before an older one did).
   * @defaultValue `1000`
   */
  readonly pollIntervalMs?: number;
  /**
   * How long `readAll` and `headPosition` wait for transactions that may still commit below the newest
   * committed event, so that everything committed before the call is returned (read-your-writes across app
   * instances). When the wait runs out (a long transaction elsewhere in the cluster holds PostgreSQL's
   * visibility horizon back) they return what is safe now; the rest comes with a later read. `0` never waits.
   * @defaultValue `5000`
   */
  readonly visibilityWaitMs?: number;
  /**
   * End the pool or client (or close PGlite) when the store is closed. A connection passed in by the host
   * stays the host's unless this is set.
   * @defaultValue `false`
   */
  readonly closeClientOnClose?: boolean;
}

/** Wiring of {@link createPostgresEventStore}: the connection, plus optional behaviour. */
export interface PostgresEventStoreConfig extends PostgresEventStoreOptions {
  /**
   * A `pg` `Pool` (recommended on a server: transactions and `LISTEN` get connections of their own), a
   * connected `pg` `Client` (transactions are serialised on it), or a `PGlite` instance.
   */
  readonly client: PostgresConnectionSource;
}

/**
 * The transaction handle the PostgreSQL store gives `beforeCommit` hooks and {@link PostgresEventStore.withTransaction}
 * work. Its `query` runs on the transaction's connection, so what an inline projection writes commits or rolls
 * back with the events; its checkpoint methods read and write the store's checkpoints in the same transaction.
 * Its `getCheckpoint` locks the checkpoint row (`SELECT ... FOR UPDATE`) until the transaction ends, so
 * transactions that re-check a checkpoint before moving it (competing projection runners) take turns.
 *
 * @remarks Use it only until the hook's (or work's) promise settles; do not `COMMIT` or `ROLLBACK` through it.
 * Do not call the store itself from inside the transaction: on a single client or PGlite that waits for the
 * transaction to end, which waits for the call.
 */
export interface PostgresTransaction extends CheckpointTransaction {
  readonly kind: 'postgres';
  /** The store's schema, to qualify the store's tables (`"schema".events`) when reading them. */
  readonly schema: string;
  /** Runs one parameterised statement on the transaction's connection and returns its rows. */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<{ readonly rows: Row[] }>;
}

/** What {@link PostgresEventStore.migrate} did. */
export interface PostgresMigrationResult {
  /** Versions applied by this call, in order; empty when the schema was already current. */
  readonly applied: readonly number[];
  /** The schema version after the call. */
  readonly version: number;
}

/** Where a wake-up given to an {@link PostgresEventStore.onCommit} listener came from. */
export type PostgresCommitSource = 'local' | 'notify' | 'poll';

/** What an {@link PostgresEventStore.onCommit} listener is told. A hint to read on, never the events themselves. */
export interface PostgresCommitNotice {
  /** An append by this store (`'local'`), a `NOTIFY` from any process (`'notify'`) or the poll (`'poll'`). */
  readonly source: PostgresCommitSource;
  /** The last position written by the commit, or the safe head for a poll; `undefined` when not known. */
  readonly position: number | undefined;
}

/**
 * The PostgreSQL event store: an {@link EventStore} plus schema management, transactions for projections,
 * commit notifications across processes and an exclusive stream lock for hot streams.
 */
export interface PostgresEventStore
  extends EventStore<PostgresTransaction>,
    TransactionalEventStore<PostgresTransaction>,
    CommitNotifier {
  readonly kind: 'postgres';
  /** The schema holding the store's tables. */
  readonly schema: string;
  /**
   * Creates or upgrades the schema. Idempotent, and safe to run from several connections or processes at once:
   * it runs in one transaction under an advisory lock, and records each version once.
   */
  migrate(): Promise<PostgresMigrationResult>;
  /** Runs `work` in one transaction on one connection: its writes and checkpoints commit together, or none do. */
  withTransaction<T>(work: (tx: PostgresTransaction) => Promise<T>): Promise<T>;
  /**
   * Runs `work` while holding an exclusive lock on each of `streamIds`, so that other callers of
   * `withStreamLock` on the same streams (in any process) wait instead of racing: a command handler that loads,
   * decides and appends inside it never meets a `CONCURRENCY_CONFLICT` from another locked caller. Appends made
   * outside `withStreamLock` are not blocked (they stay optimistic). Locks are taken in a fixed order, so two
   * callers locking overlapping sets cannot deadlock.
   *
   * @remarks With a `pg` `Pool` the lock is a session advisory lock on a connection held for the duration of
   * `work` (so not through a transaction-mode pooler such as PgBouncer's). With a single `Client` it is an
   * in-process lock plus an advisory lock polled with `pg_try_advisory_lock`. With PGlite (one process) it is an
   * in-process lock.
   */
  withStreamLock<T>(streamIds: string | readonly string[], work: () => Promise<T>): Promise<T>;
  /**
   * Calls `listener` when events may have become readable: after this store's own commits at once, after any
   * process's commits through `LISTEN`/`NOTIFY` where the connection supports it, and by polling the head as a
   * fallback. Wake-ups are hints and may be coalesced or repeated: read from your checkpoint on each. Returns a
   * function that unsubscribes; the listening connection is released when the last listener leaves.
   */
  onCommit(listener: (notice: PostgresCommitNotice) => void): () => void;
  /**
   * Leases kept in the store's `leases` table, shared by every app instance on this schema: pass it as
   * `lease: { lease: store.lease }` to projection runners, subscriptions or the event bus to make them competing
   * consumers across machines. Expiry is measured with the database server's clock, so contenders on machines
   * whose clocks disagree still agree on who holds a lease.
   */
  readonly lease: Lease;
  /**
   * Stops notifications and marks the store closed; further calls throw `STORE_CLOSED`. Does not end the pool,
   * client or PGlite the host passed in, unless `closeClientOnClose` is set.
   */
  close(): Promise<void>;
}
