/**
 * The PostgreSQL store, on the server at `ORDO_PG_URL` through a `pg` `Pool`, or on an in-memory PGlite when no
 * server is given. Each run gets fresh schemas (the store's, and `<schema>_raw` for the baseline's writes,
 * both created by the adapter's own migration so the tables are identical) and drops them at the end.
 */
import { PGlite } from '@electric-sql/pglite';
import type { EventStore, NewEvent } from 'ordo';
import { createPostgresEventStore, type PostgresEventStore } from 'ordo/postgres';
import pg from 'pg';
import { type EncodedRow, encodeRow } from '../lib/events.js';
import type { BenchTarget, Closeable, RawEvent, RawReader, RawWriter } from '../lib/types.js';

/** What both drivers offer that the baselines use: one parameterised statement, rows back. */
interface Queryable {
  query(text: string, params?: unknown[]): Promise<{ readonly rows: readonly unknown[] }>;
}

/** Connections large enough for W4's 8 writers plus a reader. */
const POOL_SIZE = 10;

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The columns as the adapter selects them: numbers and timestamps as text, JSON as text parsed in JS. */
const READ_COLUMNS = `global_position::text AS "globalPosition", event_id::text AS "eventId", stream_id AS "streamId",
  stream_version::text AS "streamVersion", type, schema_version AS "schemaVersion", data::text AS data,
  metadata::text AS metadata, recorded_at::text AS "recordedAt"`;

interface TextRow {
  globalPosition: unknown;
  streamVersion: unknown;
  data: unknown;
  metadata: unknown;
}

/** Parses JSON and bigint-as-text columns in place: the least decoding a reader must do. */
function parseRows(rows: readonly unknown[]): readonly RawEvent[] {
  for (const raw of rows) {
    const row = raw as TextRow;
    row.globalPosition = Number(row.globalPosition);
    row.streamVersion = Number(row.streamVersion);
    row.data = JSON.parse(row.data as string);
    row.metadata = JSON.parse(row.metadata as string);
  }
  return rows as readonly RawEvent[];
}

/**
 * The raw driver writing the baseline table: one autocommit INSERT per event (one transaction, one round
 * trip), and a batch as one multi-row `INSERT ... SELECT FROM unnest(...)` (one transaction, one round trip,
 * the fastest way the driver has). Positions come from the table's own sequence, as the adapter's do.
 */
function rawWriter(db: Queryable, schema: string): RawWriter {
  const s = quote(schema);
  const sequence = `${schema}.events_position_seq`;
  const insertOne = `INSERT INTO ${s}.events (global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at)
    VALUES (nextval('${sequence}'), $1::uuid, $2, $3, $4, $5, $6::json, $7::json, $8::timestamptz)`;
  const insertMany = `INSERT INTO ${s}.events (global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at)
    SELECT nextval('${sequence}'), e.event_id, $1, e.stream_version, e.type, 1, e.data::json, e.metadata::json, $2::timestamptz
    FROM unnest($3::uuid[], $4::bigint[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY
      AS e (event_id, stream_version, type, data, metadata, n)
    ORDER BY e.n`;
  const version = `SELECT coalesce(max(stream_version), 0)::int AS version FROM ${s}.events WHERE stream_id = $1`;
  return {
    async appendOne(streamId, expectedVersion, event) {
      const row = encodeRow(streamId, expectedVersion + 1, event, new Date().toISOString());
      await db.query(insertOne, [
        row.eventId,
        row.streamId,
        row.streamVersion,
        row.type,
        row.schemaVersion,
        row.data,
        row.metadata,
        row.recordedAt,
      ]);
    },
    async appendBatch(streamId, expectedVersion, events: readonly NewEvent[]) {
      const recordedAt = new Date().toISOString();
      const rows: EncodedRow[] = events.map((event, index) =>
        encodeRow(streamId, expectedVersion + index + 1, event, recordedAt),
      );
      await db.query(insertMany, [
        streamId,
        recordedAt,
        rows.map((row) => row.eventId),
        rows.map((row) => row.streamVersion),
        rows.map((row) => row.type),
        rows.map((row) => row.data),
        rows.map((row) => row.metadata),
      ]);
    },
    async streamVersion(streamId) {
      const [row] = (await db.query(version, [streamId])).rows as { version: number }[];
      return row?.version ?? 0;
    },
    isConflict(error) {
      return (error as { code?: unknown } | null)?.code === '23505';
    },
  };
}

/** The raw driver reading the store's own table in pages by keyset, as the adapter pages. */
function rawReader(db: Queryable, schema: string): RawReader & Closeable {
  const s = quote(schema);
  const all = `SELECT ${READ_COLUMNS} FROM ${s}.events WHERE global_position >= $1 ORDER BY global_position LIMIT $2`;
  const stream = `SELECT ${READ_COLUMNS} FROM ${s}.events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3`;
  return {
    async readAllPage(fromPosition, limit) {
      return parseRows((await db.query(all, [fromPosition, limit])).rows);
    },
    async readStreamPage(streamId, fromVersion, limit) {
      return parseRows((await db.query(stream, [streamId, fromVersion, limit])).rows);
    },
    async close() {},
  };
}

let schemaCounter = 0;

/** A schema name no other run uses: `ordo_bench_<pid>_<time>_<n>`. */
function freshSchemaName(): string {
  schemaCounter += 1;
  return `ordo_bench_${process.pid}_${Date.now().toString(36)}_${schemaCounter}`;
}

/**
 * One PGlite per process, shared by the targets made in it (each on fresh schemas): starting PGlite runs an
 * initdb in WebAssembly, which takes seconds and several hundred MB, and a quick run makes five targets.
 */
let sharedPglite: PGlite | undefined;

/** Closes the shared PGlite, if one was started. Call once, when the process has no more targets to make. */
export async function closeSharedPglite(): Promise<void> {
  const db = sharedPglite;
  sharedPglite = undefined;
  await db?.close();
}

/**
 * A fresh PostgreSQL target. With `url`, a `pg` `Pool` on that server; without, the process's in-memory
 * PGlite (labelled `"driver":"pglite"` in the results). Closing drops the schemas and ends the pool.
 */
export async function createPostgresTarget(url: string | undefined): Promise<BenchTarget> {
  const schema = freshSchemaName();
  const rawSchema = `${schema}_raw`;
  // idleTimeoutMillis 0: connections stay open between rounds, as in a running app, instead of being closed
  // after 10 s idle and reopened (with a new session that compiles the append function again) mid-run.
  const pool =
    url === undefined ? undefined : new pg.Pool({ connectionString: url, max: POOL_SIZE, idleTimeoutMillis: 0 });
  if (url === undefined) sharedPglite ??= await PGlite.create();
  const pglite = url === undefined ? sharedPglite : undefined;
  const client = (pool ?? pglite) as pg.Pool | PGlite;
  const db = client as unknown as Queryable;
  const eventStore = createPostgresEventStore({ client, schema });
  await eventStore.migrate();
  const [versionRow] = (await db.query('SHOW server_version')).rows as { server_version: string }[];
  const extraStores: PostgresEventStore[] = [];
  let rawReady = false;

  return {
    store: 'postgres',
    eventStore,
    info: {
      driver: pool ? 'pg' : 'pglite',
      server_version: versionRow?.server_version ?? 'unknown',
      ...(pool ? { pool_size: POOL_SIZE } : {}),
      notifications: true,
    },
    driverLabel: pool ? 'pg' : 'pglite',

    async openWriters(count) {
      // Stores sharing one pool, as request handlers of one app instance would; PGlite is one connection.
      const stores: PostgresEventStore[] = [];
      for (let i = 0; i < count; i++) {
        const store = createPostgresEventStore({ client, schema });
        await store.migrate();
        stores.push(store);
        extraStores.push(store);
      }
      return {
        stores: stores as readonly EventStore[],
        close: async () => void (await Promise.all(stores.map((store) => store.close()))),
      };
    },

    async openRawWriters(count) {
      if (!rawReady) {
        // The adapter's own migration makes the baseline's tables, so both have the same columns and indexes.
        const schemaOnly = createPostgresEventStore({ client, schema: rawSchema });
        await schemaOnly.migrate();
        await schemaOnly.close();
        rawReady = true;
      }
      // Each writer's statements go to the pool, which gives concurrent writers their own connections.
      return { writers: Array.from({ length: count }, () => rawWriter(db, rawSchema)), close: async () => {} };
    },

    async openRawReader() {
      return rawReader(db, schema);
    },

    async close() {
      await eventStore.close();
      for (const store of extraStores) await store.close();
      try {
        await db.query(`DROP SCHEMA IF EXISTS ${quote(schema)} CASCADE`);
        await db.query(`DROP SCHEMA IF EXISTS ${quote(rawSchema)} CASCADE`);
      } finally {
        // The shared PGlite stays up for the next target; closeSharedPglite() ends it.
        await pool?.end();
      }
    },
  };
}
