import { systemClock } from '../../kernel/clock.js';
import { ConcurrencyError, StoreClosedError, StoreUnavailableError, ValidationError } from '../../kernel/errors.js';
import type { EventMetadata, JsonValue, NewEvent, StoredEvent } from '../../kernel/event.js';
import type {
  AppendManyOptions,
  AppendManyResult,
  AppendOptions,
  AppendResult,
  BeforeCommitHook,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  Snapshot,
  SnapshotInput,
  StreamAppend,
} from '../../kernel/event-store.js';
import { assertExpectedVersion, type ExpectedVersion } from '../../kernel/expected-version.js';
import { uuidV7Ids } from '../../kernel/ids.js';
import { findJsonIssue } from '../../kernel/json.js';
import type { Lease } from '../../kernel/lease.js';
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
  PostgresCommitNotice,
  PostgresEventStore,
  PostgresEventStoreConfig,
  PostgresMigrationResult,
  PostgresQueryable,
  PostgresTransaction,
} from './postgres-config.js';
import { createConnection } from './postgres-connection.js';
import { isConnectionError, serverFields, sqlState, toStoreError } from './postgres-errors.js';
import { createCommitNotifier } from './postgres-notifier.js';
import {
  DEFAULT_POSTGRES_SCHEMA,
  LOCK_SPACES,
  notificationChannel,
  POSTGRES_MIGRATIONS,
  POSTGRES_SCHEMA_VERSION,
  quoteIdentifier,
  validateSchemaName,
} from './postgres-schema.js';

/** Runs one statement somewhere (the pool, or a transaction's connection) and returns its rows. */
type Run = (text: string, params?: readonly unknown[]) => Promise<unknown[]>;

/** One stream's part of an append, checked and prepared. */
interface Entry {
  readonly streamId: string;
  readonly expectedVersion: ExpectedVersion;
  readonly prepared: readonly PreparedEvent[];
  /** The caller gave event ids: only then can some be stored already (generated UUID v7 ids are new). */
  readonly idsSupplied: boolean;
}

/** An entry after the idempotent re-append rule: `replay` is set when its events are already stored. */
interface PlannedEntry {
  readonly entry: Entry;
  readonly replay: AppendResult | undefined;
}

/** Versions and positions the append function gave one entry's events. */
interface WrittenEntry {
  readonly versions: readonly number[];
  readonly positions: readonly number[];
}

/** How often an append is retried after racing another append of the same event ids. */
const MAX_APPEND_ATTEMPTS = 5;

/** The largest `integer` column value (event schema versions). */
const MAX_INT4 = 2_147_483_647;

/** PostgreSQL ISO-8601 UTC rendering with milliseconds, as `Date.prototype.toISOString` writes it. */
const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

function toSafeInteger(value: unknown, what: string): number {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'bigint' || typeof value === 'string'
        ? Number(value)
        : Number.NaN;
  if (!Number.isSafeInteger(number)) {
    throw new StoreUnavailableError(`PostgreSQL returned ${what} ${String(value)}, which is not a safe integer`);
  }
  return number;
}

function textArray(value: unknown, what: string): string[] {
  if (!Array.isArray(value)) throw new StoreUnavailableError(`PostgreSQL returned ${what} that is not an array`);
  return value.map((item) => String(item));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function expectedCode(expected: ExpectedVersion): number {
  switch (expected) {
    case 'any':
      return -1;
    case 'stream_exists':
      return -2;
    case 'no_stream':
      return 0;
    default:
      return expected;
  }
}

function positiveInteger(value: number | undefined, fallback: number, path: string, min: number, max: number): number {
  const result = value ?? fallback;
  if (!(Number.isSafeInteger(result) && result >= min && result <= max)) {
    throw new ValidationError([
      { path: [path], message: `must be an integer from ${min} to ${max}`, code: 'invalid_value' },
    ]);
  }
  return result;
}

/**
 * An {@link EventStore} over PostgreSQL (13 or later), or PGlite in process: the store for many app instances
 * sharing one event log.
 *
 * - Appends are one statement (a function installed by the migration), so an append without a
 *   `beforeCommit` hook is a single round trip; with a hook it is `BEGIN`, the statement, the hook, `COMMIT`.
 * - `readAll` and `headPosition` are gap-safe: they never expose a position while a lower one may still commit
 *   (transaction-id visibility; see `docs/stores/postgres.md`).
 * - `globalPosition` is a JavaScript number (a `bigint` in the database, refused beyond
 *   `Number.MAX_SAFE_INTEGER`); positions may have holes where appends rolled back.
 * - `beforeCommit` hooks and {@link PostgresEventStore.withTransaction} get a {@link PostgresTransaction} whose
 *   `query` runs in the transaction.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { createPostgresEventStore } from 'ordo/postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const store = createPostgresEventStore({ client: pool, schema: 'erp' });
 * await store.migrate();
 * await store.appendToStream('order-1', [{ type: 'OrderPlaced', data: { total: '12.50' } }], {
 *   expectedVersion: 'no_stream',
 * });
 * await store.close(); // the pool stays open: it is the host's
 * await pool.end();
 * ```
 */
export function createPostgresEventStore(config: PostgresEventStoreConfig): PostgresEventStore {
  if (typeof config !== 'object' || config === null || typeof config.client?.query !== 'function') {
    throw new ValidationError([
      {
        path: ['client'],
        message: 'client must be a pg Pool, a pg Client or a PGlite instance (anything with query(text, params))',
        code: 'invalid_type',
      },
    ]);
  }
  const schema = validateSchemaName(config.schema ?? DEFAULT_POSTGRES_SCHEMA);
  const batchSize = positiveInteger(config.batchSize, DEFAULT_BATCH_SIZE, 'batchSize', 1, 100_000);
  const pollIntervalMs = positiveInteger(config.pollIntervalMs, 1000, 'pollIntervalMs', 1, 3_600_000);
  const visibilityWaitMs = positiveInteger(config.visibilityWaitMs, 5000, 'visibilityWaitMs', 0, 3_600_000);
  const clock = config.clock ?? systemClock;
  const ids = config.ids ?? uuidV7Ids;
  const registry = config.registry;
  const autoMigrate = config.autoMigrate ?? true;
  const notifications = config.notifications ?? true;
  const closeClientOnClose = config.closeClientOnClose ?? false;
  const connection = createConnection(config.client);
  const channel = notificationChannel(schema);
  const s = quoteIdentifier(schema);

  const COLUMNS = `event_id::text AS event_id, type, schema_version, data::text AS data, metadata::text AS metadata,
    stream_id, stream_version::text AS stream_version, global_position::text AS global_position,
    to_char(recorded_at AT TIME ZONE 'UTC', ${ISO_UTC}) AS recorded_at`;
  // The horizon: every transaction with a smaller id has ended. Taken once per statement (an InitPlan).
  const HORIZON = '(SELECT pg_snapshot_xmin(pg_current_snapshot()))';
  const SQL = {
    append: `SELECT stream_versions, global_positions FROM ${s}.append_events(
      $1::text[], $2::bigint[], $3::integer[], $4::uuid[], $5::text[], $6::integer[], $7::text[], $8::text[],
      $9::timestamptz, $10::text, $11::boolean)`,
    readForwards: `SELECT ${COLUMNS} FROM ${s}.events e
      WHERE stream_id = $1 AND stream_version >= $2 ORDER BY e.stream_version LIMIT $3`,
    readBackwards: `SELECT ${COLUMNS} FROM ${s}.events e
      WHERE stream_id = $1 AND stream_version <= $2 ORDER BY e.stream_version DESC LIMIT $3`,
    // No upper bound on the position here: with a two-sided range and no statistics yet, PostgreSQL plans a
    // bitmap scan plus sort that re-reads the rest of the table for every page. The reader stops at its target.
    readAll: `SELECT ${COLUMNS} FROM ${s}.events e
      WHERE global_position >= $1 AND transaction_id < ${HORIZON}
      ORDER BY e.global_position LIMIT $2`,
    readAllTypes: `SELECT ${COLUMNS} FROM ${s}.events e
      WHERE global_position >= $1 AND transaction_id < ${HORIZON}
        AND type = ANY ($3::text[])
      ORDER BY e.global_position LIMIT $2`,
    heads: `SELECT
      (SELECT global_position FROM ${s}.events ORDER BY global_position DESC LIMIT 1)::text AS committed,
      (SELECT global_position FROM ${s}.events WHERE transaction_id < ${HORIZON}
        ORDER BY global_position DESC LIMIT 1)::text AS safe`,
    streamVersion: `SELECT version::text AS version FROM ${s}.streams WHERE stream_id = $1`,
    streamVersions: `SELECT stream_id, version::text AS version FROM ${s}.streams WHERE stream_id = ANY ($1::text[])`,
    locations: `SELECT event_id::text AS event_id, stream_id, stream_version::text AS stream_version,
      global_position::text AS global_position FROM ${s}.events WHERE event_id = ANY ($1::uuid[])`,
    saveSnapshot: `INSERT INTO ${s}.snapshots (stream_id, schema_version, stream_version, state, saved_at)
      VALUES ($1, $2, $3, $4::json, $5::timestamptz)
      ON CONFLICT (stream_id, schema_version) DO UPDATE
      SET stream_version = excluded.stream_version, state = excluded.state, saved_at = excluded.saved_at`,
    loadSnapshot: `SELECT stream_version::text AS stream_version, state::text AS state,
      to_char(saved_at AT TIME ZONE 'UTC', ${ISO_UTC}) AS saved_at
      FROM ${s}.snapshots WHERE stream_id = $1 AND schema_version = $2`,
    getCheckpoint: `SELECT position::text AS position FROM ${s}.checkpoints WHERE subscriber_id = $1`,
    // In a transaction: the row stays locked until commit, so competing batches that re-check a checkpoint
    // before moving it run one after the other, and the later one sees what the earlier one committed.
    getCheckpointForUpdate: `SELECT position::text AS position FROM ${s}.checkpoints WHERE subscriber_id = $1
      FOR UPDATE`,
    acquireLease: `INSERT INTO ${s}.leases AS l (name, owner, expires_at)
      VALUES ($1, $2, clock_timestamp() + $3::bigint * interval '1 millisecond')
      ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
      WHERE l.owner = excluded.owner OR l.expires_at <= clock_timestamp()
      RETURNING l.owner`,
    renewLease: `UPDATE ${s}.leases SET expires_at = clock_timestamp() + $3::bigint * interval '1 millisecond'
      WHERE name = $1 AND owner = $2 AND expires_at > clock_timestamp() RETURNING owner`,
    releaseLease: `DELETE FROM ${s}.leases WHERE name = $1 AND owner = $2`,
    saveCheckpoint: `INSERT INTO ${s}.checkpoints (subscriber_id, position, updated_at) VALUES ($1, $2, $3::timestamptz)
      ON CONFLICT (subscriber_id) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
  } as const;

  let closed = false;
  let migrated: Promise<void> | undefined;

  const ensureOpen = (): void => {
    if (closed) throw new StoreClosedError();
  };

  /** Runs a statement outside any transaction, mapping lost connections and a missing schema. */
  const run =
    (operation: string): Run =>
    async (text, params) => {
      try {
        return await connection.query(text, params);
      } catch (error) {
        throw toStoreError(error, operation, schema);
      }
    };

  /** Runs statements on a transaction's connection; a lost connection becomes `STORE_UNAVAILABLE`. */
  const runOn =
    (queryable: PostgresQueryable, operation: string): Run =>
    async (text, params = []) => {
      try {
        return (await queryable.query(text, [...params])).rows as unknown[];
      } catch (error) {
        throw isConnectionError(error) ? toStoreError(error, operation, schema) : error;
      }
    };

  const ready = async (): Promise<void> => {
    if (!autoMigrate) return;
    migrated ??= migrate().then(
      () => undefined,
      (error: unknown) => {
        migrated = undefined;
        throw error;
      },
    );
    await migrated;
  };

  async function migrate(): Promise<PostgresMigrationResult> {
    ensureOpen();
    try {
      return await connection.transaction(async (queryable) => {
        const q = runOn(queryable, 'migrate');
        // Serialises migrations of this schema across connections and processes; released at commit.
        await q('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [LOCK_SPACES.migrate, schema]);
        const [server] = (await q(`SELECT current_setting('server_version_num')::int AS version`)) as {
          version: number;
        }[];
        if (!server || server.version < 130000) {
          throw new StoreUnavailableError(
            `ordo/postgres needs PostgreSQL 13 or later (xid8 transaction ids); the server is ${String(server?.version)}`,
          );
        }
        const [namespace] = await q('SELECT 1 AS found FROM pg_namespace WHERE nspname = $1', [schema]);
        if (!namespace) await q(`CREATE SCHEMA ${s}`);
        const [table] = (await q('SELECT to_regclass($1)::text AS name', [`${s}.schema_migrations`])) as {
          name: string | null;
        }[];
        if (!table?.name) {
          await q(`CREATE TABLE ${s}.schema_migrations (
            version integer PRIMARY KEY,
            name text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
          )`);
        }
        const [row] = (await q(`SELECT coalesce(max(version), 0)::int AS version FROM ${s}.schema_migrations`)) as {
          version: number;
        }[];
        const current = row?.version ?? 0;
        if (current > POSTGRES_SCHEMA_VERSION) {
          throw new StoreUnavailableError(
            `The schema "${schema}" is at version ${current}, newer than this release of ordo/postgres knows (${POSTGRES_SCHEMA_VERSION}): upgrade Ordo`,
          );
        }
        const applied: number[] = [];
        for (const migration of POSTGRES_MIGRATIONS) {
          if (migration.version <= current) continue;
          for (const statement of migration.statements(schema)) await q(statement);
          await q(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [
            migration.version,
            migration.name,
          ]);
          applied.push(migration.version);
        }
        return { applied, version: Math.max(current, ...applied) };
      });
    } catch (error) {
      throw toStoreError(error, 'migrate', schema);
    }
  }

  const readHeads = async (q: Run): Promise<{ committed: number; safe: number }> => {
    const [row] = (await q(SQL.heads)) as { committed: string | null; safe: string | null }[];
    return {
      committed: row?.committed == null ? 0 : toSafeInteger(row.committed, 'a position'),
      safe: row?.safe == null ? 0 : toSafeInteger(row.safe, 'a position'),
    };
  };

  /**
   * Waits (at most `visibilityWaitMs`) until every event committed when the call began is safe to read, i.e.
   * until the transactions that may still commit below it have ended. Returns the newest committed position at
   * the start, capped at `upTo`, and the safe head reached.
   */
  const settle = async (q: Run, from: number, upTo: number): Promise<{ target: number; safe: number }> => {
    let heads = await readHeads(q);
    const target = Math.min(heads.committed, upTo);
    if (heads.safe >= target || target < from || visibilityWaitMs === 0) return { target, safe: heads.safe };
    const deadline = Date.now() + visibilityWaitMs;
    let delay = 2;
    while (heads.safe < target) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      await sleep(Math.min(delay, left));
      delay = Math.min(delay * 2, 50);
      heads = await readHeads(q);
    }
    return { target, safe: heads.safe };
  };

  const notifier = createCommitNotifier({
    connection,
    channel,
    listen: notifications,
    pollIntervalMs,
    readSafeHead: async () => {
      ensureOpen();
      await ready();
      return (await readHeads(run('poll'))).safe;
    },
  });

  const toRow = (raw: unknown): StoredRow => {
    const row = raw as Record<string, unknown>;
    return {
      eventId: String(row.event_id),
      type: String(row.type),
      schemaVersion: toSafeInteger(row.schema_version, 'a schema version'),
      data: row.data,
      metadata: row.metadata,
      streamId: String(row.stream_id),
      streamVersion: toSafeInteger(row.stream_version, 'a stream version'),
      globalPosition: toSafeInteger(row.global_position, 'a position'),
      recordedAt: String(row.recorded_at),
    };
  };

  // --- appends ---------------------------------------------------------------------------------------------

  const getCheckpointOn = async (q: Run, subscriberId: string, lock = false): Promise<number | undefined> => {
    assertName(subscriberId, 'subscriberId', 'subscriber id');
    const [row] = (await q(lock ? SQL.getCheckpointForUpdate : SQL.getCheckpoint, [subscriberId])) as {
      position: string;
    }[];
    return row ? toSafeInteger(row.position, 'a checkpoint') : undefined;
  };

  const saveCheckpointOn = async (q: Run, subscriberId: string, position: number): Promise<void> => {
    assertName(subscriberId, 'subscriberId', 'subscriber id');
    assertNonNegativeInteger(position, 'position');
    await q(SQL.saveCheckpoint, [subscriberId, position, clock.now().toISOString()]);
  };

  const transactionHandle = (queryable: PostgresQueryable, operation: string): PostgresTransaction => {
    const q = runOn(queryable, operation);
    return {
      kind: 'postgres',
      schema,
      async query<Row>(text: string, params?: readonly unknown[]) {
        return { rows: (await q(text, params)) as Row[] };
      },
      getCheckpoint: (subscriberId) => getCheckpointOn(q, subscriberId, true),
      saveCheckpoint: (subscriberId, position) => saveCheckpointOn(q, subscriberId, position),
    };
  };

  /**
   * The idempotent re-append rule and the expected versions, checked in JavaScript against what is committed,
   * entry by entry in order as the in-memory store does (so both report the same error first). Only needed when
   * some event ids are already stored; the append function re-checks versions under its locks.
   */
  const plan = async (entries: readonly Entry[]): Promise<PlannedEntry[]> => {
    const q = run('appendToStream');
    const eventIds = entries.flatMap((entry) => entry.prepared.map((event) => event.eventId));
    const streamIds = [...new Set(entries.map((entry) => entry.streamId))];
    const stored = new Map<string, StoredIdLocation>();
    for (const raw of await q(SQL.locations, [eventIds])) {
      const row = raw as Record<string, unknown>;
      stored.set(String(row.event_id), {
        streamId: String(row.stream_id),
        streamVersion: toSafeInteger(row.stream_version, 'a stream version'),
        globalPosition: toSafeInteger(row.global_position, 'a position'),
      });
    }
    const versions = new Map<string, number>();
    for (const raw of await q(SQL.streamVersions, [streamIds])) {
      const row = raw as Record<string, unknown>;
      versions.set(String(row.stream_id), toSafeInteger(row.version, 'a stream version'));
    }
    const pendingVersions = new Map<string, number>();
    const pendingIds = new Map<string, StoredIdLocation>();
    return entries.map((entry) => {
      const found = new Map<string, StoredIdLocation>();
      for (const event of entry.prepared) {
        const location = stored.get(event.eventId) ?? pendingIds.get(event.eventId);
        if (location) found.set(event.eventId, location);
      }
      const replay = resolveReplay(
        entry.streamId,
        entry.expectedVersion,
        entry.prepared.map((event) => event.eventId),
        found,
      );
      if (replay) return { entry, replay };
      const current = pendingVersions.get(entry.streamId) ?? versions.get(entry.streamId) ?? 0;
      assertExpectedVersion(entry.streamId, entry.expectedVersion, current);
      pendingVersions.set(entry.streamId, current + entry.prepared.length);
      entry.prepared.forEach((event, index) => {
        pendingIds.set(event.eventId, {
          streamId: entry.streamId,
          streamVersion: current + index + 1,
          globalPosition: 0,
        });
      });
      return { entry, replay: undefined };
    });
  };

  const appendParams = (entries: readonly Entry[], recordedAt: string): unknown[] => {
    const events = entries.flatMap((entry) => entry.prepared);
    for (const event of events) {
      if (event.schemaVersion > MAX_INT4) {
        throw new ValidationError([
          { path: ['schemaVersion'], message: `must be at most ${MAX_INT4}`, code: 'too_big' },
        ]);
      }
    }
    return [
      entries.map((entry) => entry.streamId),
      entries.map((entry) => expectedCode(entry.expectedVersion)),
      entries.map((entry) => entry.prepared.length),
      events.map((event) => event.eventId),
      events.map((event) => event.type),
      events.map((event) => event.schemaVersion),
      events.map((event) => JSON.stringify(event.data)),
      events.map((event) => JSON.stringify(event.metadata)),
      recordedAt,
      notifications ? channel : null,
      entries.some((entry) => entry.idsSupplied),
    ];
  };

  const parseWritten = (rows: readonly unknown[], entries: readonly Entry[]): WrittenEntry[] => {
    const row = rows[0] as { stream_versions?: unknown; global_positions?: unknown } | undefined;
    const versions = textArray(row?.stream_versions, 'stream versions').map((v) => toSafeInteger(v, 'a version'));
    const positions = textArray(row?.global_positions, 'positions').map((p) => toSafeInteger(p, 'a position'));
    let offset = 0;
    return entries.map((entry) => {
      const count = entry.prepared.length;
      const written = {
        versions: versions.slice(offset, offset + count),
        positions: positions.slice(offset, offset + count),
      };
      offset += count;
      return written;
    });
  };

  const storedEvents = (entries: readonly Entry[], written: readonly WrittenEntry[], recordedAt: string) =>
    entries.flatMap((entry, entryIndex) =>
      entry.prepared.map((event, index) =>
        decodeStoredRow(
          {
            eventId: event.eventId,
            type: event.type,
            schemaVersion: event.schemaVersion,
            data: event.data,
            metadata: event.metadata,
            streamId: entry.streamId,
            streamVersion: written[entryIndex]?.versions[index] ?? 0,
            globalPosition: written[entryIndex]?.positions[index] ?? 0,
            recordedAt,
          },
          registry,
        ),
      ),
    );

  /** Marks an error thrown by a `beforeCommit` hook, so it is rethrown as it is. */
  class HookFailure {
    constructor(readonly error: unknown) {}
  }

  const write = async (
    entries: readonly Entry[],
    hook: BeforeCommitHook<PostgresTransaction> | undefined,
  ): Promise<WrittenEntry[]> => {
    const recordedAt = clock.now().toISOString();
    const params = appendParams(entries, recordedAt);
    if (!hook) return parseWritten(await connection.query(SQL.append, params), entries);
    return connection.transaction(async (queryable) => {
      const written = parseWritten((await queryable.query(SQL.append, params)).rows, entries);
      const events = storedEvents(entries, written, recordedAt);
      try {
        await hook(events, transactionHandle(queryable, 'beforeCommit'));
      } catch (error) {
        throw new HookFailure(error);
      }
      return written;
    });
  };

  const isOurConstraint = (error: unknown, constraint: string): boolean => {
    const fields = serverFields(error);
    return (
      sqlState(error) === '23505' &&
      fields.constraint === constraint &&
      (fields.schema === undefined || fields.schema === schema)
    );
  };

  /** True when the append raced (or found) stored event ids: plan with the re-append rule and try again. */
  const needsPlan = (error: unknown): boolean =>
    sqlState(error) === 'OR002' || isOurConstraint(error, 'events_event_id_key');

  const translateAppendError = async (error: unknown, entries: readonly Entry[], operation: string) => {
    if (error instanceof HookFailure) return error.error;
    if (sqlState(error) === 'OR001') {
      let detail: { entry?: unknown; actual?: unknown } = {};
      try {
        detail = JSON.parse(String(serverFields(error).detail)) as typeof detail;
      } catch {
        // Without the detail the first entry is reported; the error stays a conflict.
      }
      const entry = entries[typeof detail.entry === 'number' ? detail.entry : 0] ?? entries[0];
      if (entry) {
        return new ConcurrencyError(
          entry.streamId,
          entry.expectedVersion,
          toSafeInteger(detail.actual ?? 0, 'a version'),
        );
      }
    }
    if (isOurConstraint(error, 'events_stream_version_key') && entries[0]) {
      // Only a writer bypassing the append function can cause this; report it as the conflict it is.
      const entry = entries[0];
      const actual = await storeApi.streamVersion(entry.streamId).catch(() => 0);
      return new ConcurrencyError(entry.streamId, entry.expectedVersion, actual);
    }
    if (sqlState(error) === '2200H') {
      return new StoreUnavailableError(
        `The global positions of schema "${schema}" are exhausted: they may not pass Number.MAX_SAFE_INTEGER. Nothing was written.`,
        { cause: error },
      );
    }
    return toStoreError(error, operation, schema);
  };

  const appendEntries = async (
    inputs: readonly { streamId: string; expectedVersion: ExpectedVersion; events: readonly NewEvent[] }[],
    metadata: EventMetadata | undefined,
    hook: BeforeCommitHook<PostgresTransaction> | undefined,
    pathOf: (index: number) => (string | number)[],
    operation: string,
  ): Promise<AppendResult[]> => {
    ensureOpen();
    const entries: Entry[] = inputs.map((input, index) => ({
      streamId: input.streamId,
      expectedVersion: input.expectedVersion,
      prepared: prepareAppend(
        input.streamId,
        input.events,
        input.expectedVersion,
        metadata,
        { registry, ids, clock },
        pathOf(index),
      ),
      // prepareAppend has checked that `events` is an array of objects.
      idsSupplied: input.events.some((event) => event.eventId !== undefined),
    }));
    if (entries.length === 0) return [];
    await ready();
    const eventIds = entries.flatMap((entry) => entry.prepared.map((event) => event.eventId));
    // An id repeated across entries would make the insert fail on itself; the rule decides what it means.
    let planned: PlannedEntry[] | undefined =
      new Set(eventIds).size === eventIds.length ? undefined : await plan(entries);
    for (let attempt = 1; ; attempt++) {
      ensureOpen();
      const current = planned ?? entries.map((entry) => ({ entry, replay: undefined }));
      const fresh = current.filter((item) => item.replay === undefined).map((item) => item.entry);
      if (fresh.length === 0) return current.map((item) => item.replay as AppendResult);
      let written: WrittenEntry[];
      try {
        written = await write(fresh, hook);
      } catch (error) {
        if (attempt < MAX_APPEND_ATTEMPTS && !(error instanceof HookFailure) && needsPlan(error)) {
          planned = await plan(entries);
          continue;
        }
        throw await translateAppendError(error, fresh, operation);
      }
      let next = 0;
      const results = current.map((item) => {
        if (item.replay) return item.replay;
        const entryWritten = written[next++] as WrittenEntry;
        return {
          nextExpectedVersion: entryWritten.versions.at(-1) as number,
          lastPosition: entryWritten.positions.at(-1) as number,
        };
      });
      notifier.local(Math.max(...written.map((entry) => entry.positions.at(-1) ?? 0)));
      return results;
    }
  };

  // --- reads -----------------------------------------------------------------------------------------------

  async function* readStreamEvents(streamId: string, options?: ReadStreamOptions): AsyncGenerator<StoredEvent> {
    ensureOpen();
    assertStreamId(streamId);
    const { fromVersion, direction, maxCount } = normalizeReadStreamOptions(options);
    if (maxCount === 0) return;
    await ready();
    const q = run('readStream');
    const forwards = direction === 'forwards';
    let next = forwards ? (fromVersion ?? 1) : (fromVersion ?? Number.MAX_SAFE_INTEGER);
    let left = maxCount;
    while (left > 0 && next >= 1) {
      ensureOpen();
      const limit = Math.min(batchSize, left);
      const rows = await q(forwards ? SQL.readForwards : SQL.readBackwards, [streamId, next, limit]);
      for (const raw of rows) {
        const event = decodeStoredRow(toRow(raw), registry);
        next = forwards ? event.streamVersion + 1 : event.streamVersion - 1;
        left -= 1;
        yield event;
      }
      if (rows.length < limit) return;
    }
  }

  async function* readAllEvents(options?: ReadAllOptions): AsyncGenerator<StoredEvent> {
    ensureOpen();
    const normalized = normalizeReadAllOptions({ ...options, batchSize: options?.batchSize ?? batchSize });
    const { fromPosition, toPosition, types } = normalized;
    if (types !== undefined && types.length === 0) return;
    await ready();
    const q = run('readAll');
    const { target } = await settle(q, fromPosition, toPosition);
    let next = fromPosition;
    while (next <= target) {
      ensureOpen();
      const params: unknown[] = [next, normalized.batchSize];
      if (types) params.push([...types]);
      const rows = await q(types ? SQL.readAllTypes : SQL.readAll, params);
      for (const raw of rows) {
        const row = toRow(raw);
        if (row.globalPosition > target) return;
        const event = decodeStoredRow(row, registry);
        next = event.globalPosition + 1;
        yield event;
      }
      if (rows.length < normalized.batchSize) return;
    }
  }

  // --- leases ----------------------------------------------------------------------------------------------

  const leaseArguments = (name: unknown, owner: unknown, ttlMs?: unknown): void => {
    assertName(name, 'name', 'lease name');
    assertName(owner, 'owner', 'lease owner');
    if (ttlMs !== undefined && !(typeof ttlMs === 'number' && Number.isSafeInteger(ttlMs) && ttlMs > 0)) {
      throw new ValidationError([{ path: ['ttlMs'], message: 'must be a positive integer', code: 'invalid_value' }]);
    }
  };

  const lease: Lease = {
    async acquire(name, owner, ttlMs) {
      ensureOpen();
      leaseArguments(name, owner, ttlMs);
      await ready();
      return (await run('lease.acquire')(SQL.acquireLease, [name, owner, ttlMs])).length > 0;
    },
    async renew(name, owner, ttlMs) {
      ensureOpen();
      leaseArguments(name, owner, ttlMs);
      await ready();
      return (await run('lease.renew')(SQL.renewLease, [name, owner, ttlMs])).length > 0;
    },
    async release(name, owner) {
      ensureOpen();
      leaseArguments(name, owner);
      await ready();
      await run('lease.release')(SQL.releaseLease, [name, owner]);
    },
  };

  // --- the store -------------------------------------------------------------------------------------------

  const storeApi: PostgresEventStore = {
    kind: 'postgres',
    schema,

    async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions<PostgresTransaction>) {
      const [result] = await appendEntries(
        [{ streamId, expectedVersion: options?.expectedVersion, events }],
        options?.metadata,
        options?.beforeCommit,
        () => [],
        'appendToStream',
      );
      return result as AppendResult;
    },

    async appendMany(
      appends: readonly StreamAppend[],
      options?: AppendManyOptions<PostgresTransaction>,
    ): Promise<AppendManyResult> {
      ensureOpen();
      assertAppendList(appends);
      const results = await appendEntries(
        appends,
        options?.metadata,
        options?.beforeCommit,
        (index) => ['appends', index],
        'appendMany',
      );
      return { results, lastPosition: Math.max(0, ...results.map((result) => result.lastPosition)) };
    },

    readStream: readStreamEvents,
    readAll: readAllEvents,

    async streamVersion(streamId) {
      ensureOpen();
      assertStreamId(streamId);
      await ready();
      const [row] = (await run('streamVersion')(SQL.streamVersion, [streamId])) as { version: string }[];
      return row ? toSafeInteger(row.version, 'a stream version') : 0;
    },

    async headPosition() {
      ensureOpen();
      await ready();
      return (await settle(run('headPosition'), 0, Number.MAX_SAFE_INTEGER)).safe;
    },

    async saveSnapshot(streamId: string, snapshot: SnapshotInput) {
      ensureOpen();
      assertStreamId(streamId);
      if (typeof snapshot !== 'object' || snapshot === null) {
        throw new ValidationError([{ path: ['snapshot'], message: 'must be an object', code: 'invalid_type' }]);
      }
      assertNonNegativeInteger(snapshot.streamVersion, 'streamVersion');
      assertNonNegativeInteger(snapshot.schemaVersion, 'schemaVersion');
      const issue = snapshot.state === undefined ? undefined : findJsonIssue(snapshot.state, ['state']);
      if (snapshot.state === undefined || issue) {
        throw new ValidationError([
          issue ?? { path: ['state'], message: 'state is required (use null for none)', code: 'invalid_type' },
        ]);
      }
      await ready();
      await run('saveSnapshot')(SQL.saveSnapshot, [
        streamId,
        snapshot.schemaVersion,
        snapshot.streamVersion,
        JSON.stringify(snapshot.state),
        clock.now().toISOString(),
      ]);
    },

    async loadSnapshot(streamId, schemaVersion) {
      ensureOpen();
      assertStreamId(streamId);
      assertNonNegativeInteger(schemaVersion, 'schemaVersion');
      await ready();
      const [row] = (await run('loadSnapshot')(SQL.loadSnapshot, [streamId, schemaVersion])) as {
        stream_version: string;
        state: string;
        saved_at: string;
      }[];
      if (!row) return undefined;
      const snapshot: Snapshot = {
        streamId,
        streamVersion: toSafeInteger(row.stream_version, 'a stream version'),
        schemaVersion,
        state: JSON.parse(row.state) as JsonValue,
        savedAt: row.saved_at,
      };
      return snapshot;
    },

    async getCheckpoint(subscriberId) {
      ensureOpen();
      assertName(subscriberId, 'subscriberId', 'subscriber id');
      await ready();
      return getCheckpointOn(run('getCheckpoint'), subscriberId);
    },

    async saveCheckpoint(subscriberId, position) {
      ensureOpen();
      assertName(subscriberId, 'subscriberId', 'subscriber id');
      assertNonNegativeInteger(position, 'position');
      await ready();
      await saveCheckpointOn(run('saveCheckpoint'), subscriberId, position);
    },

    migrate,
    lease,

    async withTransaction<T>(work: (tx: PostgresTransaction) => Promise<T>): Promise<T> {
      ensureOpen();
      await ready();
      try {
        return await connection.transaction((queryable) => work(transactionHandle(queryable, 'withTransaction')));
      } catch (error) {
        throw isConnectionError(error) ? toStoreError(error, 'withTransaction', schema) : error;
      }
    },

    async withStreamLock<T>(streamIds: string | readonly string[], work: () => Promise<T>): Promise<T> {
      ensureOpen();
      const list = typeof streamIds === 'string' ? [streamIds] : streamIds;
      if (!Array.isArray(list) || list.length === 0) {
        throw new ValidationError([
          { path: ['streamIds'], message: 'must be a stream id or a non-empty array of them', code: 'invalid_type' },
        ]);
      }
      list.forEach((streamId, index) => {
        assertStreamId(streamId, ['streamIds', index]);
      });
      // One order for everyone, so two callers locking overlapping sets cannot deadlock.
      const sorted = [...new Set(list)].sort();
      const space = LOCK_SPACES.exclusive(schema);
      const releases: (() => void)[] = [];
      const releaseLocal = (): void => {
        for (const release of releases.splice(0).reverse()) release();
      };
      const session = connection.holdSession();
      if (session) {
        const held = await session.catch((error: unknown) => {
          throw toStoreError(error, 'withStreamLock', schema);
        });
        const locked: string[] = [];
        let broken = false;
        try {
          for (const streamId of sorted) {
            await held.query('SELECT pg_advisory_lock(hashtext($1), hashtext($2))', [space, streamId]);
            locked.push(streamId);
          }
          return await work();
        } catch (error) {
          if (isConnectionError(error)) broken = true;
          throw isConnectionError(error) ? toStoreError(error, 'withStreamLock', schema) : error;
        } finally {
          for (const streamId of locked.reverse()) {
            try {
              await held.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [space, streamId]);
            } catch {
              // Discarding the connection ends its session, which releases every lock it held.
              broken = true;
            }
          }
          held.release(broken);
        }
      }
      // One session for the whole process (a single client or PGlite): exclude callers in process first.
      try {
        for (const streamId of sorted) releases.push(await connection.localLocks.acquire(`${schema}:${streamId}`));
        if (connection.mode === 'pglite') return await work();
        // A single client may share the database with other processes: take the advisory lock too, polling
        // with pg_try_advisory_lock so a wait never blocks the one connection everything else here needs.
        const q = run('withStreamLock');
        const locked: string[] = [];
        try {
          for (const streamId of sorted) {
            let delay = 5;
            for (;;) {
              ensureOpen();
              const [row] = (await q('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS locked', [
                space,
                streamId,
              ])) as { locked: boolean }[];
              if (row?.locked) break;
              await sleep(delay);
              delay = Math.min(delay * 2, 200);
            }
            locked.push(streamId);
          }
          return await work();
        } finally {
          for (const streamId of locked.reverse()) {
            await q('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [space, streamId]).catch(() => undefined);
          }
        }
      } finally {
        releaseLocal();
      }
    },

    onCommit(listener: (notice: PostgresCommitNotice) => void) {
      ensureOpen();
      return notifier.add(listener);
    },

    async close() {
      if (closed) return;
      closed = true;
      await notifier.close();
      if (closeClientOnClose) await connection.end();
    },
  };
  return storeApi;
}
