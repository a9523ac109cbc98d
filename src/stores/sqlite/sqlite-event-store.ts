import { systemClock } from '../../kernel/clock.js';
import {
  ConcurrencyError,
  CorruptEventError,
  StoreClosedError,
  StoreUnavailableError,
  ValidationError,
  type ValidationIssue,
} from '../../kernel/errors.js';
import type { JsonValue, NewEvent, StoredEvent } from '../../kernel/event.js';
import type {
  AppendManyOptions,
  AppendManyResult,
  AppendOptions,
  AppendResult,
  BeforeCommitHook,
  ReadAllOptions,
  ReadStreamOptions,
  Snapshot,
  SnapshotInput,
  StreamAppend,
} from '../../kernel/event-store.js';
import { type ExpectedVersion, matchesExpectedVersion } from '../../kernel/expected-version.js';
import { uuidV7Ids } from '../../kernel/ids.js';
import { findJsonIssue } from '../../kernel/json.js';
import {
  assertAppendList,
  assertName,
  assertNonNegativeInteger,
  assertStreamId,
  DEFAULT_BATCH_SIZE,
  decodeStoredRow,
  normalizeReadAllOptions,
  normalizeReadStreamOptions,
  type PreparedEvent,
  prepareAppend,
  resolveReplay,
  type StoredIdLocation,
  type StoredRow,
} from '../../kernel/store-support.js';
import type {
  SqliteDatabase,
  SqliteEventStore,
  SqliteEventStoreConfig,
  SqliteJournalMode,
  SqliteMigrationResult,
  SqliteStatement,
  SqliteSynchronous,
  SqliteTransaction,
  SqliteTransactionFunction,
} from './sqlite-config.js';
import { isUniqueViolation, sqliteErrorCode, toStoreError } from './sqlite-errors.js';
import {
  DEFAULT_TABLE_PREFIX,
  quoteIdentifier,
  runSqliteMigrations,
  sqliteTableNames,
  validateTablePrefix,
} from './sqlite-schema.js';
import { hookScope, releaseConnection, retainConnection } from './sqlite-write-gate.js';

const JOURNAL_MODES: readonly SqliteJournalMode[] = ['wal', 'delete', 'truncate', 'persist'];
const SYNCHRONOUS_MODES: readonly SqliteSynchronous[] = ['off', 'normal', 'full', 'extra'];
const DEFAULT_BUSY_TIMEOUT_MS = 5000;
const MAX_BATCH_SIZE = 100_000;

/** One stream's part of an append, checked and prepared. */
interface PreparedEntry {
  readonly streamId: string;
  readonly expectedVersion: ExpectedVersion;
  readonly prepared: readonly PreparedEvent[];
}

/** What writing the entries of one append produced. */
interface Written {
  readonly results: AppendResult[];
  /** Rows inserted (0 when every entry was an idempotent replay). */
  readonly inserted: number;
  /** The inserted events, built only when a hook needs them. */
  readonly events: StoredEvent[];
}

/**
 * Thrown inside the write transaction when an insert hit the event-id constraint, to roll back and run the
 * append again with an up-front id lookup. The lookup is skipped on the normal path: an id clash is rare, and
 * the constraint detects it for free.
 */
class EventIdClash extends Error {}

interface Statements {
  readonly version: SqliteStatement;
  /** Multi-row inserts by row count, prepared on first use. */
  readonly inserts: Map<number, SqliteStatement>;
  readonly appendOne: SqliteStatement;
  readonly probe: SqliteStatement;
  readonly locate: SqliteStatement;
  readonly forwards: SqliteStatement;
  readonly backwards: SqliteStatement;
  readonly all: SqliteStatement;
  readonly allOfTypes: SqliteStatement;
  readonly head: SqliteStatement;
  readonly saveSnapshot: SqliteStatement;
  readonly loadSnapshot: SqliteStatement;
  readonly saveCheckpoint: SqliteStatement;
  readonly getCheckpoint: SqliteStatement;
  readonly begin: SqliteStatement;
  readonly commit: SqliteStatement;
  readonly rollback: SqliteStatement;
  readonly appendInTransaction: SqliteTransactionFunction<[readonly PreparedEntry[], boolean], Written>;
}

/** Columns an append inserts per event. */
const INSERT_COLUMNS = 8;
/**
 * Rows per INSERT statement in a batch: one statement for many rows saves a driver round trip per event,
 * and 32 rows (256 parameters) stays far below SQLite's parameter limit.
 */
const MAX_ROWS_PER_INSERT = 32;

const EVENT_COLUMNS = `global_position AS globalPosition, event_id AS eventId, stream_id AS streamId,
  stream_version AS streamVersion, type, schema_version AS schemaVersion, data, metadata, recorded_at AS recordedAt`;

/** A rowid as a JS number; positions past `Number.MAX_SAFE_INTEGER` are refused, as the kernel promises. */
function toPosition(value: number | bigint): number {
  const position = Number(value);
  if (!Number.isSafeInteger(position)) {
    throw new StoreUnavailableError(`Global position ${String(value)} is past Number.MAX_SAFE_INTEGER`);
  }
  return position;
}

/**
 * An `EventStore` over a SQLite connection (`better-sqlite3` 11 or later): durable, atomic per append,
 * safe with several connections and processes on one file.
 *
 * @remarks
 * - Each append is one transaction that takes SQLite's write lock before it checks the expected version, so
 *   a conflict is always a `ConcurrencyError`, never a lost update: a single `INSERT ... SELECT` for the
 *   everyday one-event append, `BEGIN IMMEDIATE` for batches, `appendMany` and hooks. Without a
 *   `beforeCommit` hook the whole append is synchronous; with one, the transaction stays open across the
 *   hook's awaits and other writers of this process queue behind it.
 * - Global positions are `INTEGER PRIMARY KEY AUTOINCREMENT`: strictly increasing, never reused after a
 *   delete. SQLite has one writer at a time and assigns positions under its lock, so positions commit in
 *   order and `readAll` never has to wait for a gap to close.
 * - Reads fetch pages of `batchSize` rows by keyset (version or position), so memory stays bounded.
 * - The `beforeCommit` hook gets a {@link SqliteTransaction}: writes through `tx.database` are part of the
 *   append's transaction.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * import { createSqliteEventStore } from 'ordo/sqlite';
 *
 * const store = createSqliteEventStore({ database: new Database('erp.db') });
 * await store.appendToStream('order-1', [{ type: 'OrderPlaced', data: { total: '12.50' } }], {
 *   expectedVersion: 'no_stream',
 * });
 * ```
 */
export function createSqliteEventStore(config: SqliteEventStoreConfig): SqliteEventStore {
  const database = config?.database;
  if (typeof database !== 'object' || database === null || typeof database.prepare !== 'function') {
    throw new ValidationError([
      { path: ['database'], message: 'must be an open better-sqlite3 Database', code: 'invalid_type' },
    ]);
  }
  const tables = sqliteTableNames(validateTablePrefix(config.tablePrefix ?? DEFAULT_TABLE_PREFIX));
  const settings = checkSettings(config);
  const clock = config.clock ?? systemClock;
  const ids = config.ids ?? uuidV7Ids;
  const registry = config.registry;
  const autoMigrate = config.autoMigrate ?? true;
  const closeDatabaseOnClose = config.closeDatabaseOnClose ?? false;
  if (!database.open) throw new StoreClosedError();
  if (config.configureConnection ?? true) configureConnection(database, settings);

  const connection = retainConnection(database);
  let closed = false;
  let statements: Statements | undefined;
  let preparing: Promise<Statements> | undefined;

  const ensureOpen = (): void => {
    if (closed) throw new StoreClosedError();
  };

  /** Runs driver calls, turning driver errors into Ordo errors. */
  const guarded = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      throw toStoreError(error, database);
    }
  };

  /** Positions a read on this connection may see: below the rows of a transaction still open in a hook. */
  const visibleUpTo = (): number =>
    connection.uncommittedFrom === undefined ? Number.MAX_SAFE_INTEGER : connection.uncommittedFrom - 1;

  /** True when the caller runs inside a hook or `withTransaction` work on this connection. */
  const insideOwnTransaction = (): boolean => hookScope.getStore() === connection && connection.transactionOpen;

  /**
   * Decides what a write does when it is called from inside a running `beforeCommit` hook or
   * `withTransaction` work on the same file. On this connection, that transaction already holds the write
   * turn: a plain write joins it (returns true). Anything that needs a transaction of its own (an append, a
   * migration), or a write through another connection to the file, would wait for the transaction that is
   * waiting for it, so it fails fast instead.
   */
  const joinsOpenTransaction = (needsOwnTransaction: boolean): boolean => {
    const scope = hookScope.getStore();
    if (scope === undefined || !scope.transactionOpen || scope.shared !== connection.shared) return false;
    if (scope === connection && !needsOwnTransaction) return true;
    throw new StoreUnavailableError(
      'This call needs the write lock held by the open transaction it is called from, so it would wait forever; make it after the transaction, or write through tx.database',
    );
  };

  /** Checks that a write turn just taken can be used; if not, gives the turn back and throws. */
  const checkTurn = (): void => {
    try {
      ensureOpen();
      if (database.inTransaction) {
        throw new StoreUnavailableError(
          'The SQLite connection is inside a transaction the event store did not open; the store needs its own transactions to keep appends atomic',
        );
      }
    } catch (error) {
      connection.shared.gate.release();
      throw error;
    }
  };

  /** Runs synchronous `work` holding the write turn (or inside the hook's transaction, see above). */
  const withWriteTurn = async <T>(work: () => T, needsOwnTransaction: boolean): Promise<T> => {
    if (joinsOpenTransaction(needsOwnTransaction)) return guarded(work);
    const gate = connection.shared.gate;
    // Taken synchronously when free, so a write nobody competes with never yields to the event loop.
    if (!gate.tryAcquire()) await gate.acquire();
    checkTurn();
    try {
      return guarded(work);
    } finally {
      gate.release();
    }
  };

  const migrateNow = (): SqliteMigrationResult => runSqliteMigrations(database, tables, clock);

  const prepareStatements = (): Statements => {
    const events = quoteIdentifier(tables.events);
    const snapshots = quoteIdentifier(tables.snapshots);
    const checkpoints = quoteIdentifier(tables.checkpoints);
    const prepare = (sql: string): SqliteStatement => {
      const statement = database.prepare(sql);
      statement.safeIntegers?.(false);
      return statement;
    };
    let prepared: Statements;
    try {
      prepared = {
        // Reads the stream's index backwards from its end; the position filter is answered from the same
        // index (it carries the rowid), so this stays a single seek.
        version: prepare(
          `SELECT stream_version AS version FROM ${events} WHERE stream_id = ? AND global_position <= ? ORDER BY stream_version DESC LIMIT 1`,
        ),
        inserts: new Map(),
        // The everyday append (one event, one stream, no hook) as one statement: the version check and the
        // insert run together under the write lock, which a write statement takes before it reads anything.
        // No row comes back when the expected version does not match.
        appendOne: prepare(
          `INSERT INTO ${events} (event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at)
           SELECT ?, ?, current + 1, ?, ?, ?, ?, ?
           FROM (SELECT coalesce(max(stream_version), 0) AS current FROM ${events} WHERE stream_id = ?)
           WHERE CASE ? WHEN 'any' THEN 1 WHEN 'no_stream' THEN current = 0 WHEN 'stream_exists' THEN current > 0 ELSE current = ? END
           RETURNING stream_version AS version, global_position AS position`,
        ),
        // After appendOne refused: the stream's version and whether the event id is stored at all.
        probe: prepare(
          `SELECT coalesce((SELECT max(stream_version) FROM ${events} WHERE stream_id = ?), 0) AS version,
             EXISTS (SELECT 1 FROM ${events} WHERE event_id = ?) AS known`,
        ),
        // One statement for any number of ids: the ids travel as one JSON array parameter.
        locate: prepare(
          `SELECT event_id AS eventId, stream_id AS streamId, stream_version AS streamVersion, global_position AS globalPosition FROM ${events} WHERE event_id IN (SELECT value FROM json_each(?))`,
        ),
        forwards: prepare(
          `SELECT ${EVENT_COLUMNS} FROM ${events} WHERE stream_id = ? AND stream_version >= ? AND global_position <= ? ORDER BY stream_version ASC LIMIT ?`,
        ),
        backwards: prepare(
          `SELECT ${EVENT_COLUMNS} FROM ${events} WHERE stream_id = ? AND stream_version <= ? AND global_position <= ? ORDER BY stream_version DESC LIMIT ?`,
        ),
        all: prepare(
          `SELECT ${EVENT_COLUMNS} FROM ${events} WHERE global_position >= ? AND global_position <= ? ORDER BY global_position ASC LIMIT ?`,
        ),
        allOfTypes: prepare(
          `SELECT ${EVENT_COLUMNS} FROM ${events} WHERE global_position >= ? AND global_position <= ? AND type IN (SELECT value FROM json_each(?)) ORDER BY global_position ASC LIMIT ?`,
        ),
        head: prepare(
          `SELECT global_position AS position FROM ${events} WHERE global_position <= ? ORDER BY global_position DESC LIMIT 1`,
        ),
        saveSnapshot: prepare(
          `INSERT INTO ${snapshots} (stream_id, schema_version, stream_version, state, saved_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (stream_id, schema_version) DO UPDATE SET stream_version = excluded.stream_version, state = excluded.state, saved_at = excluded.saved_at`,
        ),
        loadSnapshot: prepare(
          `SELECT stream_version AS streamVersion, state, saved_at AS savedAt FROM ${snapshots} WHERE stream_id = ? AND schema_version = ?`,
        ),
        saveCheckpoint: prepare(
          `INSERT INTO ${checkpoints} (subscriber_id, position, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (subscriber_id) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
        ),
        getCheckpoint: prepare(`SELECT position FROM ${checkpoints} WHERE subscriber_id = ?`),
        begin: prepare('BEGIN IMMEDIATE'),
        commit: prepare('COMMIT'),
        rollback: prepare('ROLLBACK'),
        appendInTransaction: database.transaction((entries: readonly PreparedEntry[], lookUpIdsFirst: boolean) =>
          writeEntries(prepared, entries, lookUpIdsFirst, false),
        ),
      };
    } catch (error) {
      if (sqliteErrorCode(error) === 'SQLITE_ERROR' && error instanceof Error && /no such table/i.test(error.message)) {
        throw new StoreUnavailableError(
          `The Ordo tables (prefix "${tables.events.slice(0, -'events'.length)}") do not exist: call migrate() or enable autoMigrate`,
          { cause: error },
        );
      }
      throw toStoreError(error, database);
    }
    return prepared;
  };

  /** The statements, once the schema exists (migrating first when `autoMigrate` is on). */
  const ready = (): Statements | Promise<Statements> => {
    if (statements) return statements;
    if (!preparing) {
      const attempt = (async () => {
        if (autoMigrate) await withWriteTurn(migrateNow, true);
        statements = guarded(prepareStatements);
        return statements;
      })();
      preparing = attempt;
      // A failed attempt (schema missing, database locked) is forgotten so that the next call tries again.
      attempt.catch(() => {
        if (preparing === attempt) preparing = undefined;
      });
    }
    return preparing;
  };

  /** The prepared INSERT of `rows` events (cached: a batch uses at most two sizes). */
  const insertStatement = (s: Statements, rows: number): SqliteStatement => {
    let statement = s.inserts.get(rows);
    if (!statement) {
      const values = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
      statement = database.prepare(
        `INSERT INTO ${quoteIdentifier(tables.events)} (event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at) VALUES ${values}`,
      );
      statement.safeIntegers?.(false);
      s.inserts.set(rows, statement);
    }
    return statement;
  };

  const currentVersion = (s: Statements, streamId: string): number => {
    const row = s.version.get(streamId, Number.MAX_SAFE_INTEGER) as { version: number } | undefined;
    return row?.version ?? 0;
  };

  const locateIds = (
    s: Statements,
    eventIds: readonly string[],
    pending: ReadonlyMap<string, StoredIdLocation>,
  ): Map<string, StoredIdLocation> => {
    const found = new Map<string, StoredIdLocation>();
    const rows = s.locate.all(JSON.stringify(eventIds)) as (StoredIdLocation & { eventId: string })[];
    for (const row of rows) {
      found.set(row.eventId, {
        streamId: row.streamId,
        streamVersion: row.streamVersion,
        globalPosition: row.globalPosition,
      });
    }
    for (const id of eventIds) {
      const location = pending.get(id);
      if (location) found.set(id, location);
    }
    return found;
  };

  /**
   * Checks and writes every entry; runs inside an open write transaction. First every entry is checked, in
   * order, as one unit (expected versions, idempotent replays), exactly as the in-memory store plans; then the
   * rows are inserted. Throwing anywhere leaves the caller to roll back.
   *
   * @param lookUpIdsFirst - look the batch's ids up before writing (after an {@link EventIdClash}); otherwise
   * only when the expected version does not match, where a replay is likely.
   * @param buildEvents - build the stored events, for a hook.
   */
  function writeEntries(
    s: Statements,
    entries: readonly PreparedEntry[],
    lookUpIdsFirst: boolean,
    buildEvents: boolean,
  ): Written {
    const pendingVersions = new Map<string, number>();
    const pendingIds = new Map<string, StoredIdLocation>();
    const replayOf = (entry: PreparedEntry): AppendResult | undefined => {
      const eventIds = entry.prepared.map((event) => event.eventId);
      return resolveReplay(entry.streamId, entry.expectedVersion, eventIds, locateIds(s, eventIds, pendingIds));
    };
    const plan: { entry: PreparedEntry; replay: AppendResult | undefined; from: number }[] = [];
    for (const entry of entries) {
      const early = lookUpIdsFirst ? replayOf(entry) : undefined;
      if (early) {
        plan.push({ entry, replay: early, from: 0 });
        continue;
      }
      const current = pendingVersions.get(entry.streamId) ?? currentVersion(s, entry.streamId);
      if (!matchesExpectedVersion(entry.expectedVersion, current)) {
        // A replay usually arrives with a stale expected version, so this is where to look for one.
        const replay = lookUpIdsFirst ? undefined : replayOf(entry);
        if (replay) {
          plan.push({ entry, replay, from: 0 });
          continue;
        }
        throw new ConcurrencyError(entry.streamId, entry.expectedVersion, current);
      }
      pendingVersions.set(entry.streamId, current + entry.prepared.length);
      if (entries.length > 1) {
        // Later entries of this call see these ids as stored, as the in-memory store plans them.
        entry.prepared.forEach((event, index) => {
          pendingIds.set(event.eventId, {
            streamId: entry.streamId,
            streamVersion: current + index + 1,
            globalPosition: 0,
          });
        });
      }
      plan.push({ entry, replay: undefined, from: current });
    }

    const recordedAt = clock.now().toISOString();
    const results: AppendResult[] = [];
    const events: StoredEvent[] = [];
    let inserted = 0;
    for (const { entry, replay, from } of plan) {
      if (replay) {
        results.push(replay);
        continue;
      }
      const { prepared } = entry;
      let position = 0;
      for (let offset = 0; offset < prepared.length; offset += MAX_ROWS_PER_INSERT) {
        const count = Math.min(MAX_ROWS_PER_INSERT, prepared.length - offset);
        const params: unknown[] = new Array(count * INSERT_COLUMNS);
        for (let row = 0, at = 0; row < count; row++) {
          const event = prepared[offset + row] as PreparedEvent;
          params[at++] = event.eventId;
          params[at++] = entry.streamId;
          params[at++] = from + offset + row + 1;
          params[at++] = event.type;
          params[at++] = event.schemaVersion;
          params[at++] = JSON.stringify(event.data);
          params[at++] = JSON.stringify(event.metadata);
          params[at++] = recordedAt;
        }
        let outcome: { lastInsertRowid: number | bigint };
        try {
          outcome = insertStatement(s, count).run(...params);
        } catch (error) {
          if (isUniqueViolation(error, 'event_id') && !lookUpIdsFirst) throw new EventIdClash();
          if (isUniqueViolation(error, 'stream_version')) {
            // Only a writer that bypasses Ordo's locking can get here; it is still a version conflict.
            throw new ConcurrencyError(entry.streamId, entry.expectedVersion, currentVersion(s, entry.streamId));
          }
          throw error;
        }
        // One statement under the write lock numbers its rows consecutively, so the last rowid gives them all.
        position = toPosition(outcome.lastInsertRowid);
        inserted += count;
        if (buildEvents) {
          for (let row = 0; row < count; row++) {
            const event = prepared[offset + row] as PreparedEvent;
            events.push({
              eventId: event.eventId,
              type: event.type,
              schemaVersion: event.schemaVersion,
              data: event.data,
              metadata: event.metadata,
              streamId: entry.streamId,
              streamVersion: from + offset + row + 1,
              globalPosition: position - count + row + 1,
              recordedAt,
            });
          }
        }
      }
      const version = from + prepared.length;
      results.push({ nextExpectedVersion: version, lastPosition: position });
    }
    return { results, inserted, events };
  }

  const notifyCommit = (): void => {
    for (const listener of connection.shared.listeners) {
      try {
        listener();
      } catch {
        // A listener's failure is its own business; the commit has happened.
      }
    }
  };

  /** An append without a hook: one synchronous `BEGIN IMMEDIATE` transaction. */
  const appendNow = (s: Statements, entries: readonly PreparedEntry[]): Written => {
    const single = entries.length === 1 ? entries[0] : undefined;
    const event = single?.prepared.length === 1 ? single.prepared[0] : undefined;
    let lookUpIdsFirst = false;
    if (single !== undefined && event !== undefined) {
      const expected = single.expectedVersion;
      try {
        const row = s.appendOne.get(
          event.eventId,
          single.streamId,
          event.type,
          event.schemaVersion,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata),
          clock.now().toISOString(),
          single.streamId,
          typeof expected === 'number' ? 'version' : expected,
          typeof expected === 'number' ? expected : null,
        ) as { version: number; position: number | bigint } | undefined;
        if (row) {
          return {
            results: [{ nextExpectedVersion: row.version, lastPosition: toPosition(row.position) }],
            inserted: 1,
            events: [],
          };
        }
        // No row: the version did not match. Under contention this is the common outcome, so a plain
        // conflict is settled with one read, which supplies the actual version for the error and rules out
        // a replay (the event id is stored nowhere). Anything else (a replay, or a stream that has reached
        // the expected version since) takes the general path, which decides under the write lock.
        const probe = s.probe.get(single.streamId, event.eventId) as { version: number; known: number };
        if (probe.known === 0 && !matchesExpectedVersion(expected, probe.version)) {
          throw new ConcurrencyError(single.streamId, expected, probe.version);
        }
      } catch (error) {
        if (error instanceof ConcurrencyError) throw error;
        if (isUniqueViolation(error, 'event_id')) lookUpIdsFirst = true;
        // The statement locks before it reads, so a taken version means a writer that bypasses Ordo; the
        // general path below settles it under BEGIN IMMEDIATE all the same.
        else if (!isUniqueViolation(error, 'stream_version')) throw error;
      }
    }
    if (!lookUpIdsFirst) {
      try {
        return s.appendInTransaction.immediate(entries, false);
      } catch (error) {
        if (!(error instanceof EventIdClash)) throw error;
      }
    }
    return s.appendInTransaction.immediate(entries, true);
  };

  const rollbackQuietly = (s: Statements): void => {
    if (!database.inTransaction) return;
    try {
      s.rollback.run();
    } catch {
      // The original error matters more; SQLite rolls back on its own when the connection closes.
    }
  };

  const decodeForHook = (event: StoredEvent): StoredEvent => {
    if (!registry) return event;
    const decoded = registry.decode(event);
    if (decoded.data === event.data && decoded.schemaVersion === event.schemaVersion) return event;
    return { ...event, data: decoded.data, schemaVersion: decoded.schemaVersion };
  };

  const readCheckpoint = (s: Statements, subscriberId: string): number | undefined =>
    (s.getCheckpoint.get(subscriberId) as { position: number } | undefined)?.position;

  /** A handle on the transaction open on the connection; `end` makes it refuse further use. */
  const transactionHandle = (s: Statements): { readonly handle: SqliteTransaction; end(): void } => {
    let open = true;
    const usable = (): void => {
      if (!open) throw new StoreUnavailableError('This transaction handle was used after its transaction ended');
    };
    return {
      handle: {
        kind: 'sqlite',
        database,
        tables,
        async getCheckpoint(subscriberId) {
          usable();
          assertName(subscriberId, 'subscriberId', 'subscriber id');
          return guarded(() => readCheckpoint(s, subscriberId));
        },
        async saveCheckpoint(subscriberId, position) {
          usable();
          assertName(subscriberId, 'subscriberId', 'subscriber id');
          assertNonNegativeInteger(position, 'position');
          guarded(() => s.saveCheckpoint.run(subscriberId, position, clock.now().toISOString()));
        },
      },
      end: () => {
        open = false;
      },
    };
  };

  /**
   * Runs `body` in the transaction the caller has just begun (holding the write turn), then commits it, or
   * rolls it back when `body` throws (its error propagates unchanged).
   *
   * @param uncommittedFrom - the first position the transaction wrote, hidden from reads meanwhile.
   */
  const finishTransaction = async <T>(
    s: Statements,
    body: (tx: SqliteTransaction) => T | Promise<T>,
    uncommittedFrom: number | undefined,
  ): Promise<T> => {
    const transaction = transactionHandle(s);
    connection.transactionOpen = true;
    connection.uncommittedFrom = uncommittedFrom;
    let result: T;
    try {
      result = await hookScope.run(connection, () => body(transaction.handle));
    } catch (error) {
      rollbackQuietly(s);
      throw error;
    } finally {
      transaction.end();
      connection.transactionOpen = false;
      connection.uncommittedFrom = undefined;
    }
    if (!database.inTransaction) {
      throw new StoreUnavailableError(
        'The transaction was ended from inside (COMMIT or ROLLBACK through tx.database); whether its writes were stored is unknown',
      );
    }
    try {
      s.commit.run();
    } catch (error) {
      rollbackQuietly(s);
      throw toStoreError(error, database);
    }
    return result;
  };

  /** An append with a hook: the transaction stays open across the hook; the caller holds the write turn. */
  const appendWithHook = async (
    s: Statements,
    entries: readonly PreparedEntry[],
    hook: BeforeCommitHook<SqliteTransaction>,
  ): Promise<Written> => {
    let written: Written | undefined;
    for (let lookUpIdsFirst = false; written === undefined; lookUpIdsFirst = true) {
      s.begin.run();
      try {
        written = writeEntries(s, entries, lookUpIdsFirst, true);
      } catch (error) {
        rollbackQuietly(s);
        if (!(error instanceof EventIdClash) || lookUpIdsFirst) throw error;
      }
    }
    const first = written.events[0];
    if (first === undefined) {
      s.commit.run();
      return written;
    }
    const events = written.events.map(decodeForHook);
    await finishTransaction(s, (tx) => hook(events, tx), first.globalPosition);
    return written;
  };

  const prepareContext = { registry, ids, clock };

  /** An append with a hook, or one that has to wait: the write turn is taken asynchronously. */
  const appendLater = async (
    prepared: readonly PreparedEntry[],
    hook: BeforeCommitHook<SqliteTransaction> | undefined,
  ): Promise<AppendResult[]> => {
    const s = statements ?? (await ready());
    if (hook === undefined) {
      const written = await withWriteTurn(() => appendNow(s, prepared), true);
      if (written.inserted > 0) notifyCommit();
      return written.results;
    }
    joinsOpenTransaction(true);
    const gate = connection.shared.gate;
    if (!gate.tryAcquire()) await gate.acquire();
    checkTurn();
    let written: Written;
    try {
      written = await appendWithHook(s, prepared, hook);
    } catch (error) {
      throw toStoreError(error, database);
    } finally {
      gate.release();
    }
    if (written.inserted > 0) notifyCommit();
    return written.results;
  };

  /**
   * Appends prepared entries. The everyday case (no hook, schema ready, nobody else writing in this
   * process) runs synchronously and returns the results themselves rather than a promise, which keeps the
   * per-append overhead close to the driver's own.
   */
  const appendPrepared = (
    prepared: readonly PreparedEntry[],
    hook: BeforeCommitHook<SqliteTransaction> | undefined,
  ): AppendResult[] | Promise<AppendResult[]> => {
    const s = statements;
    if (hook !== undefined || s === undefined || joinsOpenTransaction(true)) return appendLater(prepared, hook);
    const gate = connection.shared.gate;
    if (!gate.tryAcquire()) return appendLater(prepared, hook);
    checkTurn();
    let written: Written;
    try {
      written = guarded(() => appendNow(s, prepared));
    } finally {
      gate.release();
    }
    if (written.inserted > 0) notifyCommit();
    return written.results;
  };

  /** Runs a read query; reads need no write turn (WAL readers never wait for the writer). */
  const read = async <T>(query: (s: Statements) => T): Promise<T> => {
    ensureOpen();
    const s = statements ?? (await ready());
    ensureOpen();
    return guarded(() => query(s));
  };

  async function* readStreamEvents(streamId: string, readOptions?: ReadStreamOptions): AsyncGenerator<StoredEvent> {
    ensureOpen();
    assertStreamId(streamId);
    const { fromVersion, direction, maxCount } = normalizeReadStreamOptions(readOptions);
    if (maxCount === 0) return;
    const forwards = direction === 'forwards';
    let cursor = fromVersion ?? Number.MAX_SAFE_INTEGER;
    let remaining = maxCount;
    for (;;) {
      const limit = Math.min(settings.batchSize, remaining);
      const from = cursor;
      const rows = (await read((s) =>
        (forwards ? s.forwards : s.backwards).all(streamId, from, visibleUpTo(), limit),
      )) as StoredRow[];
      for (const row of rows) yield decodeStoredRow(row, registry);
      remaining -= rows.length;
      const last = rows[rows.length - 1];
      if (last === undefined || rows.length < limit || remaining <= 0) return;
      cursor = forwards ? last.streamVersion + 1 : last.streamVersion - 1;
    }
  }

  async function* readAllEvents(readOptions?: ReadAllOptions): AsyncGenerator<StoredEvent> {
    ensureOpen();
    const { fromPosition, toPosition, types, batchSize } = normalizeReadAllOptions({
      ...readOptions,
      batchSize: readOptions?.batchSize ?? settings.batchSize,
    });
    if (types !== undefined && types.length === 0) return;
    const typesJson = types === undefined ? undefined : JSON.stringify(types);
    let cursor = fromPosition;
    for (;;) {
      const from = cursor;
      const rows = (await read((s) => {
        const upTo = Math.min(toPosition, visibleUpTo());
        return typesJson === undefined
          ? s.all.all(from, upTo, batchSize)
          : s.allOfTypes.all(from, upTo, typesJson, batchSize);
      })) as StoredRow[];
      for (const row of rows) yield decodeStoredRow(row, registry);
      const last = rows[rows.length - 1];
      if (last === undefined || rows.length < batchSize) return;
      cursor = last.globalPosition + 1;
    }
  }

  return {
    kind: 'sqlite',
    database,
    tables,

    async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions<SqliteTransaction>) {
      ensureOpen();
      const expectedVersion = options?.expectedVersion;
      const prepared = prepareAppend(streamId, events, expectedVersion, options?.metadata, prepareContext);
      const outcome = appendPrepared([{ streamId, expectedVersion, prepared }], options?.beforeCommit);
      const [result] = Array.isArray(outcome) ? outcome : await outcome;
      return result as AppendResult;
    },

    async appendMany(
      appends: readonly StreamAppend[],
      options?: AppendManyOptions<SqliteTransaction>,
    ): Promise<AppendManyResult> {
      ensureOpen();
      assertAppendList(appends);
      const prepared: PreparedEntry[] = appends.map((entry, index) => ({
        streamId: entry.streamId,
        expectedVersion: entry.expectedVersion,
        prepared: prepareAppend(
          entry.streamId,
          entry.events,
          entry.expectedVersion,
          options?.metadata,
          prepareContext,
          ['appends', index],
        ),
      }));
      const outcome = prepared.length === 0 ? [] : appendPrepared(prepared, options?.beforeCommit);
      const results = Array.isArray(outcome) ? outcome : await outcome;
      return { results, lastPosition: Math.max(0, ...results.map((result) => result.lastPosition)) };
    },

    readStream: readStreamEvents,
    readAll: readAllEvents,

    async streamVersion(streamId) {
      ensureOpen();
      assertStreamId(streamId);
      return read((s) => {
        const row = s.version.get(streamId, visibleUpTo()) as { version: number } | undefined;
        return row?.version ?? 0;
      });
    },

    async headPosition() {
      return read((s) => {
        const row = s.head.get(visibleUpTo()) as { position: number } | undefined;
        return row?.position ?? 0;
      });
    },

    async saveSnapshot(streamId: string, snapshot: SnapshotInput) {
      ensureOpen();
      assertStreamId(streamId);
      if (typeof snapshot !== 'object' || snapshot === null) {
        throw new ValidationError([{ path: ['snapshot'], message: 'must be an object', code: 'invalid_type' }]);
      }
      assertNonNegativeInteger(snapshot.streamVersion, 'streamVersion');
      assertNonNegativeInteger(snapshot.schemaVersion, 'schemaVersion');
      const issue = findJsonIssue(snapshot.state, ['state']);
      if (issue || snapshot.state === undefined) {
        throw new ValidationError([
          issue ?? { path: ['state'], message: 'state must be a JSON value', code: 'invalid_type' },
        ]);
      }
      const state = JSON.stringify(snapshot.state);
      const s = statements ?? (await ready());
      await withWriteTurn(() => {
        s.saveSnapshot.run(streamId, snapshot.schemaVersion, snapshot.streamVersion, state, clock.now().toISOString());
      }, false);
    },

    async loadSnapshot(streamId, schemaVersion): Promise<Snapshot | undefined> {
      ensureOpen();
      assertStreamId(streamId);
      assertNonNegativeInteger(schemaVersion, 'schemaVersion');
      const row = (await read((s) => s.loadSnapshot.get(streamId, schemaVersion))) as
        | { streamVersion: number; state: string; savedAt: string }
        | undefined;
      if (!row) return undefined;
      let state: JsonValue;
      try {
        state = JSON.parse(row.state) as JsonValue;
      } catch (error) {
        throw new CorruptEventError(streamId, row.streamVersion, '(snapshot)', 'snapshot state is not valid JSON', [], {
          cause: error,
        });
      }
      return { streamId, streamVersion: row.streamVersion, schemaVersion, state, savedAt: row.savedAt };
    },

    async getCheckpoint(subscriberId) {
      ensureOpen();
      assertName(subscriberId, 'subscriberId', 'subscriber id');
      return read((s) => readCheckpoint(s, subscriberId));
    },

    async saveCheckpoint(subscriberId, position) {
      ensureOpen();
      assertName(subscriberId, 'subscriberId', 'subscriber id');
      assertNonNegativeInteger(position, 'position');
      const s = statements ?? (await ready());
      await withWriteTurn(() => {
        s.saveCheckpoint.run(subscriberId, position, clock.now().toISOString());
      }, false);
    },

    async withTransaction<T>(work: (tx: SqliteTransaction) => Promise<T>): Promise<T> {
      ensureOpen();
      if (typeof work !== 'function') {
        throw new ValidationError([{ path: ['work'], message: 'must be a function', code: 'invalid_type' }]);
      }
      const s = statements ?? (await ready());
      joinsOpenTransaction(true);
      const gate = connection.shared.gate;
      if (!gate.tryAcquire()) await gate.acquire();
      checkTurn();
      try {
        guarded(() => s.begin.run());
        return await finishTransaction(s, work, undefined);
      } finally {
        gate.release();
      }
    },

    async migrate() {
      ensureOpen();
      return withWriteTurn(migrateNow, true);
    },

    onCommit(listener) {
      const listeners = connection.shared.listeners;
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async close() {
      if (closed) return;
      closed = true;
      try {
        if (closeDatabaseOnClose && database.open && !insideOwnTransaction()) {
          // Let a write of this process that is mid-transaction on the file finish before the connection goes.
          const gate = connection.shared.gate;
          if (!gate.tryAcquire()) await gate.acquire();
          try {
            if (database.open) database.close();
          } finally {
            gate.release();
          }
        }
      } finally {
        releaseConnection(database);
      }
    },
  };
}

interface Settings {
  readonly batchSize: number;
  readonly busyTimeoutMs: number;
  readonly journalMode: SqliteJournalMode;
  readonly synchronous: SqliteSynchronous;
}

/** Checks the numeric and enumerated options, collecting every problem in one `VALIDATION_FAILED`. */
function checkSettings(config: SqliteEventStoreConfig): Settings {
  const issues: ValidationIssue[] = [];
  const batchSize = config.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!(Number.isSafeInteger(batchSize) && batchSize >= 1 && batchSize <= MAX_BATCH_SIZE)) {
    issues.push({
      path: ['batchSize'],
      message: `must be an integer from 1 to ${MAX_BATCH_SIZE}`,
      code: 'invalid_value',
    });
  }
  const busyTimeoutMs = config.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (!(Number.isSafeInteger(busyTimeoutMs) && busyTimeoutMs >= 0 && busyTimeoutMs <= 2_147_483_647)) {
    issues.push({ path: ['busyTimeoutMs'], message: 'must be a non-negative integer', code: 'invalid_value' });
  }
  const journalMode = config.journalMode ?? 'wal';
  if (!JOURNAL_MODES.includes(journalMode)) {
    issues.push({
      path: ['journalMode'],
      message: `must be one of ${JOURNAL_MODES.join(', ')}`,
      code: 'invalid_value',
    });
  }
  const synchronous = config.synchronous ?? (journalMode === 'wal' ? 'normal' : 'full');
  if (!SYNCHRONOUS_MODES.includes(synchronous)) {
    issues.push({
      path: ['synchronous'],
      message: `must be one of ${SYNCHRONOUS_MODES.join(', ')}`,
      code: 'invalid_value',
    });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return { batchSize, busyTimeoutMs, journalMode, synchronous };
}

/**
 * Switches the journal mode. SQLite may answer SQLITE_BUSY at once, without its busy handler, while another
 * process opens the same new file, so this waits and retries up to the busy timeout.
 */
function setJournalMode(database: SqliteDatabase, settings: Settings): void {
  const deadline = Date.now() + settings.busyTimeoutMs;
  for (;;) {
    try {
      database.pragma(`journal_mode = ${settings.journalMode.toUpperCase()}`);
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/**
 * Applies the connection settings. Pragmas take no bound parameters, so only values checked against fixed
 * lists (or integers) are spliced into them.
 */
function configureConnection(database: SqliteDatabase, settings: Settings): void {
  try {
    // First, so that switching the journal mode waits for other connections instead of failing at once.
    database.pragma(`busy_timeout = ${settings.busyTimeoutMs}`);
    // An in-memory database answers 'memory' and keeps it; that is fine, there is no file to share.
    setJournalMode(database, settings);
    database.pragma(`synchronous = ${settings.synchronous.toUpperCase()}`);
  } catch (error) {
    throw toStoreError(error, database);
  }
}
