/**
 * The PostgreSQL store's schema: the name rule, its versioned migrations, and the names derived from the
 * schema name (advisory lock spaces, the notification channel).
 *
 * DDL cannot take bind parameters, so the schema name is the one value spliced into SQL text: it is checked
 * against a strict pattern first and always written as a quoted identifier.
 */
import { ValidationError } from '../../kernel/errors.js';

/** The schema used when none is given. */
export const DEFAULT_POSTGRES_SCHEMA = 'ordo';

/** What a schema name must look like: lower-case letters, digits and `_`, not starting with a digit, 1-63 long. */
export const POSTGRES_SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** Throws `VALIDATION_FAILED` unless `schema` matches {@link POSTGRES_SCHEMA_PATTERN}. */
export function validateSchemaName(schema: unknown): string {
  if (typeof schema === 'string' && schema.startsWith('pg_')) {
    // PostgreSQL reserves the pg_ prefix for system schemas: CREATE SCHEMA would fail later, untyped.
    throw new ValidationError([
      {
        path: ['schema'],
        message: 'schema names starting with "pg_" are reserved by PostgreSQL',
        code: 'invalid_format',
      },
    ]);
  }
  if (typeof schema !== 'string' || !POSTGRES_SCHEMA_PATTERN.test(schema)) {
    throw new ValidationError([
      {
        path: ['schema'],
        message:
          'schema must be 1 to 63 lower-case letters, digits or underscores, not starting with a digit (/^[a-z_][a-z0-9_]{0,62}$/)',
        code: 'invalid_format',
      },
    ]);
  }
  return schema;
}

/** `name` as a quoted SQL identifier. Only ever called on names that passed {@link validateSchemaName}. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `text` as a SQL string literal, for the few constants baked into DDL (the pattern already excludes quotes). */
function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * The `NOTIFY` channel of a schema's store. PostgreSQL channel names are identifiers of at most 63 bytes, so
 * long schema names are cut; two schemas sharing the first 58 characters only wake each other's followers
 * needlessly.
 */
export function notificationChannel(schema: string): string {
  return `ordo_${schema}`.slice(0, 63);
}

/**
 * Advisory lock keys, as the text hashed (with `hashtext`) into the two `int4` halves of a key. Two-int keys
 * live apart from single-`bigint` keys, so a host's own `pg_advisory_lock(bigint)` calls never collide with
 * these.
 */
export const LOCK_SPACES = {
  /** Serialises migrations of one schema across processes. Second half: the schema name. */
  migrate: 'ordo:migrate',
  /** The short critical section where an append takes its transaction id and positions. Second half: the schema. */
  append: 'ordo:append',
  /** Per-stream lock taken by every append until it commits. First half per schema, second half: the stream id. */
  stream: (schema: string) => `ordo:stream:${schema}`,
  /**
   * Per-event-id lock taken by an append with caller-supplied ids until it commits (from schema version 2).
   * First half per schema, second half: the event id (as text).
   */
  eventId: (schema: string) => `ordo:event-id:${schema}`,
  /**
   * The gate in front of the event-id locks (from schema version 2): taken shared by an append that locks its
   * ids one by one, exclusively by one with more than {@link EVENT_ID_LOCK_LIMIT} ids. Second half: the schema.
   */
  eventIds: 'ordo:event-ids',
  /** Per-stream lock of `withStreamLock`. First half per schema, second half: the stream id. */
  exclusive: (schema: string) => `ordo:exclusive:${schema}`,
} as const;

/** One schema version: its statements, run in order in the migration's transaction. */
export interface PostgresMigration {
  readonly version: number;
  readonly name: string;
  /** The statements for a schema, identifiers quoted. */
  statements(schema: string): readonly string[];
}

/**
 * Version 1: the event log, stream versions, snapshots, checkpoints, leases and the append function.
 *
 * Choices that matter for correctness (see docs/stores/postgres.md for the reasoning):
 * - `global_position` comes from a sequence with `CACHE 1`, drawn only inside the append critical section, so
 *   position order and transaction-id order agree for every append;
 * - `transaction_id` is the writing transaction's 64-bit id; readers only return rows whose transaction id is
 *   below the oldest transaction still running, which makes `readAll` gap-safe;
 * - `data`, `metadata` and `state` are `json`, not `jsonb`: `json` keeps the text exactly as written (key order,
 *   escapes such as lone surrogates that `jsonb` refuses), and still supports `->`/`->>` and expression indexes.
 */
const V1: PostgresMigration = {
  version: 1,
  name: 'event log, streams, snapshots, checkpoints, leases, append function',
  statements(schema) {
    const s = quoteIdentifier(schema);
    return [
      `CREATE SEQUENCE ${s}.events_position_seq AS bigint START WITH 1 MAXVALUE 9007199254740991 CACHE 1 NO CYCLE`,
      `CREATE TABLE ${s}.events (
        global_position bigint PRIMARY KEY,
        event_id uuid NOT NULL,
        stream_id text NOT NULL,
        stream_version bigint NOT NULL,
        type text NOT NULL,
        schema_version integer NOT NULL,
        data json NOT NULL,
        metadata json NOT NULL,
        recorded_at timestamptz NOT NULL,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        CONSTRAINT events_event_id_key UNIQUE (event_id),
        CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version),
        CONSTRAINT events_stream_version_check CHECK (stream_version >= 1)
      )`,
      `ALTER SEQUENCE ${s}.events_position_seq OWNED BY ${s}.events.global_position`,
      `CREATE INDEX events_type_position_idx ON ${s}.events (type, global_position)`,
      `CREATE TABLE ${s}.streams (
        stream_id text PRIMARY KEY,
        version bigint NOT NULL CHECK (version >= 1)
      )`,
      `CREATE TABLE ${s}.snapshots (
        stream_id text NOT NULL,
        schema_version bigint NOT NULL,
        stream_version bigint NOT NULL,
        state json NOT NULL,
        saved_at timestamptz NOT NULL,
        PRIMARY KEY (stream_id, schema_version)
      )`,
      `CREATE TABLE ${s}.checkpoints (
        subscriber_id text PRIMARY KEY,
        position bigint NOT NULL,
        updated_at timestamptz NOT NULL
      )`,
      `CREATE TABLE ${s}.leases (
        name text PRIMARY KEY,
        owner text NOT NULL,
        expires_at timestamptz NOT NULL
      )`,
      appendFunction(schema, 1),
    ];
  },
};

/**
 * Version 2: `append_events` also locks caller-supplied event ids before its critical section, so an append
 * reusing an id that another transaction holds uncommitted waits for it there, not on the unique index inside
 * the section (where it stalled every append of the schema).
 */
const V2: PostgresMigration = {
  version: 2,
  name: 'append function locks caller-supplied event ids before the critical section',
  statements(schema) {
    return [appendFunction(schema, 2)];
  },
};

/**
 * How many distinct event ids (by hash) an append locks one by one; an append with more takes the gate of
 * {@link LOCK_SPACES.eventIds} exclusively instead, so a bulk append never fills the server's lock table.
 * Part of migration 2's function text: a different limit needs a new migration.
 */
export const EVENT_ID_LOCK_LIMIT = 64;

/**
 * `append_events`: one call appends a whole `appendToStream` or `appendMany` (entries in order, one stream
 * possibly taking several entries), so an append without a hook is a single round trip in autocommit.
 *
 * 1. Locks each stream (transaction advisory lock, in hash order so overlapping appends cannot deadlock):
 *    concurrent appenders of one stream queue here, outside the critical section. When the lock is taken, an
 *    appender first compares its expected version with the committed one and fails at once if it is stale.
 * 2. Raises `OR002` when an event id is already stored: the caller then applies the idempotent re-append rule
 *    (the kernel's `resolveReplay`) and calls again with what is left. Only checked when the caller supplied ids
 *    (`p_check_ids`): a freshly generated UUID v7 cannot be stored yet, and the unique constraint still guards.
 *    From version 2, the ids are locked first (transaction advisory locks on their hashes, in hash order, after
 *    the stream locks; more than {@link EVENT_ID_LOCK_LIMIT} of them take one exclusive gate instead, which the
 *    others take shared): an append reusing an id that another transaction holds uncommitted queues here until
 *    that transaction ends, and then sees the row (`OR002`) or, after a rollback, inserts it.
 * 3. Checks every expected version (`-1` any, `-2` stream_exists, `n` exactly n; `no_stream` is `0`), raising
 *    `OR001` with `{ entry, actual }` on the first mismatch; nothing has been written yet.
 * 4. Critical section under a session advisory lock released before returning (also on error): takes the
 *    transaction id, then the positions, then inserts. Because no append holds a transaction id before it
 *    enters the section, positions are handed out in transaction-id order, which is what the readers' filter
 *    relies on. The section never waits on another append's row locks: the stream locks of step 1 cover the
 *    stream rows and versions, the event-id locks of step 2 the ids a caller supplied (version 1 lacked those,
 *    so an append reusing an uncommitted id waited inside the section), and generated ids are new.
 * 5. Notifies `p_channel` (when not null) with the last position; PostgreSQL delivers it at commit.
 *
 * `version` picks the text of that migration: version 1's is kept exactly as released.
 */
function appendFunction(schema: string, version: 1 | 2): string {
  const s = quoteIdentifier(schema);
  const streamSpace = quoteLiteral(LOCK_SPACES.stream(schema));
  const appendSpace = quoteLiteral(LOCK_SPACES.append);
  const schemaLiteral = quoteLiteral(schema);
  const sequence = quoteLiteral(`${s}.events_position_seq`);
  const idLocks = version >= 2;
  const idSpace = quoteLiteral(LOCK_SPACES.eventId(schema));
  const idsSpace = quoteLiteral(LOCK_SPACES.eventIds);
  // Version 2's event-id locks (step 2 above).
  const idLockBlock = idLocks
    ? `
    -- Ids another transaction may hold uncommitted: queue here, before the critical section, until it ends
    -- (the check below then sees its rows), instead of on the unique index inside the section. One lock per
    -- id hash, in hash order after the stream locks (so no deadlocks), behind a gate taken shared; a batch with
    -- more ids than that takes the gate exclusively instead, so it never fills the server's lock table.
    IF p_check_ids THEN
      v_id_hashes := ARRAY(SELECT DISTINCT hashtext(x::text) FROM unnest(p_event_ids) AS x ORDER BY 1);
      IF array_length(v_id_hashes, 1) > ${EVENT_ID_LOCK_LIMIT} THEN
        PERFORM pg_advisory_xact_lock(hashtext(${idsSpace}), hashtext(${schemaLiteral}));
      ELSE
        PERFORM pg_advisory_xact_lock_shared(hashtext(${idsSpace}), hashtext(${schemaLiteral}));
        FOREACH v_hash IN ARRAY v_id_hashes LOOP
          PERFORM pg_advisory_xact_lock(hashtext(${idSpace}), v_hash);
        END LOOP;
      END IF;
    END IF;
`
    : '';
  return `${idLocks ? 'CREATE OR REPLACE' : 'CREATE'} FUNCTION ${s}.append_events(
    p_streams text[],
    p_expected bigint[],
    p_counts integer[],
    p_event_ids uuid[],
    p_types text[],
    p_schema_versions integer[],
    p_data text[],
    p_metadata text[],
    p_recorded_at timestamptz,
    p_channel text,
    p_check_ids boolean
  ) RETURNS TABLE (stream_versions text[], global_positions text[])
  LANGUAGE plpgsql VOLATILE AS $append$
  DECLARE
    v_entries integer := coalesce(array_length(p_streams, 1), 0);
    v_total integer := coalesce(array_length(p_event_ids, 1), 0);
    v_hash integer;
    v_hashes integer[];
    v_stream text;
    v_version bigint;
    v_expected bigint;
    v_slot integer;
    v_seen_streams text[] := '{}';
    v_seen_versions bigint[] := '{}';
    v_event_streams text[] := '{}';
    v_versions bigint[] := '{}';
    v_positions bigint[];
    v_found boolean := false;${idLocks ? '\n    v_id_hashes integer[];' : ''}
  BEGIN
    IF v_entries = 0 OR v_total = 0 THEN
      RETURN QUERY SELECT '{}'::text[], '{}'::text[];
      RETURN;
    END IF;

    -- One stream (most appends): its hash as a plain expression, without a sorting query.
    IF v_entries = 1 THEN
      v_hashes := ARRAY[hashtext(p_streams[1])];
    ELSE
      v_hashes := ARRAY(SELECT DISTINCT hashtext(x) FROM unnest(p_streams) AS x ORDER BY 1);
    END IF;
    FOREACH v_hash IN ARRAY v_hashes LOOP
      IF NOT pg_try_advisory_xact_lock(hashtext(${streamSpace}), v_hash) THEN
        -- Contended: a writer whose expected version is already stale fails now instead of queueing
        -- behind the holder only to fail after it commits. Checked again under the lock below.
        FOR i IN 1 .. v_entries LOOP
          IF p_expected[i] >= 0 AND hashtext(p_streams[i]) = v_hash THEN
            SELECT st.version INTO v_version FROM ${s}.streams st WHERE st.stream_id = p_streams[i];
            IF coalesce(v_version, 0) > p_expected[i] THEN
              RAISE EXCEPTION 'ordo: expected version mismatch'
                USING ERRCODE = 'OR001', DETAIL = json_build_object('entry', i - 1, 'actual', v_version)::text;
            END IF;
          END IF;
        END LOOP;
        PERFORM pg_advisory_xact_lock(hashtext(${streamSpace}), v_hash);
      END IF;
    END LOOP;
${idLockBlock}
    -- Dynamic SQL, planned for these ids on every call: PL/pgSQL would otherwise cache a generic plan made
    -- while the table was small (a sequential scan or a hash join) and keep scanning the whole table with it.
    IF p_check_ids THEN
      EXECUTE 'SELECT EXISTS (SELECT 1 FROM ${s}.events e WHERE e.event_id = ANY ($1))'
        INTO v_found USING p_event_ids;
    END IF;
    IF v_found THEN
      RAISE EXCEPTION 'ordo: some event ids are already stored' USING ERRCODE = 'OR002';
    END IF;

    FOR i IN 1 .. v_entries LOOP
      v_stream := p_streams[i];
      v_slot := array_position(v_seen_streams, v_stream);
      IF v_slot IS NULL THEN
        SELECT st.version INTO v_version FROM ${s}.streams st WHERE st.stream_id = v_stream;
        v_version := coalesce(v_version, 0);
        v_seen_streams := v_seen_streams || v_stream;
        v_seen_versions := v_seen_versions || v_version;
        v_slot := array_length(v_seen_streams, 1);
      ELSE
        v_version := v_seen_versions[v_slot];
      END IF;
      v_expected := p_expected[i];
      IF NOT (v_expected = -1 OR (v_expected = -2 AND v_version > 0) OR v_expected = v_version) THEN
        RAISE EXCEPTION 'ordo: expected version mismatch'
          USING ERRCODE = 'OR001', DETAIL = json_build_object('entry', i - 1, 'actual', v_version)::text;
      END IF;
      FOR j IN 1 .. p_counts[i] LOOP
        v_event_streams := v_event_streams || v_stream;
        v_versions := v_versions || (v_version + j);
      END LOOP;
      v_seen_versions[v_slot] := v_version + p_counts[i];
    END LOOP;

    PERFORM pg_advisory_lock(hashtext(${appendSpace}), hashtext(${schemaLiteral}));
    BEGIN
      PERFORM pg_current_xact_id();
      IF v_total = 1 THEN
        v_positions := ARRAY[nextval(${sequence}::regclass)];
      ELSE
        v_positions := ARRAY(
          SELECT nextval(${sequence}::regclass) FROM generate_series(1, v_total) ORDER BY 1
        );
      END IF;
      INSERT INTO ${s}.events (
        global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata,
        recorded_at, transaction_id
      )
      -- One pass over all arrays: subscripting a text[] walks it from the start, so p_data[k] per row
      -- would make large batches quadratic.
      SELECT x.pos, x.id, x.stream, x.ver, x.type, x.sv, x.data::json, x.meta::json, p_recorded_at,
        pg_current_xact_id()
      FROM unnest(v_positions, p_event_ids, v_event_streams, v_versions, p_types, p_schema_versions, p_data,
        p_metadata) AS x (pos, id, stream, ver, type, sv, data, meta);
      INSERT INTO ${s}.streams AS st (stream_id, version)
      SELECT x.stream_id, x.version FROM unnest(v_seen_streams, v_seen_versions) AS x (stream_id, version)
      ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version;
    EXCEPTION WHEN OTHERS OR QUERY_CANCELED THEN
      PERFORM pg_advisory_unlock(hashtext(${appendSpace}), hashtext(${schemaLiteral}));
      RAISE;
    END;
    PERFORM pg_advisory_unlock(hashtext(${appendSpace}), hashtext(${schemaLiteral}));

    IF p_channel IS NOT NULL THEN
      PERFORM pg_notify(p_channel, v_positions[v_total]::text);
    END IF;
    RETURN QUERY SELECT v_versions::text[], v_positions::text[];
  END
  $append$`;
}

/** Every migration, oldest first. Versions are consecutive from 1 and never change once released. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [V1, V2];

/** The schema version this release of Ordo creates and expects. */
export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.length;
