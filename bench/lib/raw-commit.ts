/**
 * A raw writer of multi-stream commits: the events of several streams written in one transaction, which is what an
 * `appendMany` (a use case's commit) does physically. `RawWriter.appendBatch` writes one stream per transaction, so
 * this opens its own baseline table with the target's driver, created by the adapter's own migration as the
 * targets' baselines are:
 *
 * - memory: the target's `Map`-of-arrays writer, every stream of the commit in one synchronous turn;
 * - SQLite: better-sqlite3 on a file of its own (same journal mode and `synchronous` as the store), every row of
 *   the commit in one `db.transaction`, one prepared INSERT per row;
 * - PostgreSQL on a server: `pg` on a schema of its own, the whole commit as one multi-row
 *   `INSERT ... SELECT FROM unnest(...)` (one statement: one transaction, one round trip);
 * - PGlite: the process's PGlite is not reachable from here, so the target's raw writer's `appendBatch` per
 *   stream, one transaction per stream (the label says so).
 *
 * Versions are checked by the table's `UNIQUE (stream_id, stream_version)` (memory: a length comparison).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { NewEvent } from 'ordo';
import { createPostgresEventStore } from 'ordo/postgres';
import { createSqliteEventStore } from 'ordo/sqlite';
import pg from 'pg';
import { postgresUrl } from '../targets/index.js';
import { encodeRow } from './events.js';
import type { BenchTarget, Closeable } from './types.js';

/** One stream's part of a commit: its events at `expectedVersion + 1 ...`. */
export interface RawStreamAppend {
  readonly streamId: string;
  readonly expectedVersion: number;
  readonly events: readonly NewEvent[];
}

/** Writes commits of several streams, each commit atomically (see the module comment for the PGlite exception). */
export interface RawCommitWriter extends Closeable {
  /** What the writer does per commit, for the baseline label. */
  readonly label: string;
  commit(appends: readonly RawStreamAppend[]): Promise<void>;
}

/** A raw commit writer for `target`'s store, on a baseline table of its own; `close()` deletes that table. */
export async function openRawCommitWriter(target: BenchTarget): Promise<RawCommitWriter> {
  if (target.store === 'sqlite') return openSqliteWriter(String(target.info.synchronous ?? 'NORMAL'));
  if (target.store === 'postgres' && target.info.driver === 'pg') {
    const url = postgresUrl();
    if (url !== undefined) return openPgWriter(url);
  }
  // Memory (one synchronous turn per commit), or PGlite (one transaction per stream).
  const raw = await target.openRawWriters(1);
  const writer = raw.writers[0];
  if (!writer) throw new Error('no raw writer');
  return {
    label:
      target.store === 'memory'
        ? 'Map of arrays, version check, deep copy, every stream of an order in one turn'
        : `${target.driverLabel}: one INSERT ... SELECT FROM unnest per stream, one transaction per stream (not one per order)`,
    async commit(appends) {
      for (const append of appends) await writer.appendBatch(append.streamId, append.expectedVersion, append.events);
    },
    close: () => raw.close(),
  };
}

async function openSqliteWriter(synchronous: string): Promise<RawCommitWriter> {
  const directory = await mkdtemp(join(process.env.ORDO_BENCH_TMPDIR ?? tmpdir(), 'ordo-bench-w6-raw-'));
  const connection = new Database(join(directory, 'baseline.db'), { timeout: 5000 });
  try {
    connection.pragma('busy_timeout = 5000');
    connection.pragma('journal_mode = WAL');
    connection.pragma(`synchronous = ${synchronous}`);
    // The adapter's own migration makes the table, so it has the store's columns and indexes.
    const schemaOnly = createSqliteEventStore({ database: connection });
    await schemaOnly.migrate();
    const table = `"${schemaOnly.tables.events.replaceAll('"', '""')}"`;
    const insert = connection.prepare(
      `INSERT INTO ${table} (event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const write = connection.transaction((appends: readonly RawStreamAppend[]) => {
      const recordedAt = new Date().toISOString();
      for (const { streamId, expectedVersion, events } of appends) {
        for (let i = 0; i < events.length; i++) {
          const row = encodeRow(streamId, expectedVersion + i + 1, events[i] as NewEvent, recordedAt);
          insert.run(
            row.eventId,
            row.streamId,
            row.streamVersion,
            row.type,
            row.schemaVersion,
            row.data,
            row.metadata,
            row.recordedAt,
          );
        }
      }
    });
    return {
      label: 'better-sqlite3: every row of an order in one transaction, one INSERT per row',
      async commit(appends) {
        write(appends);
      },
      async close() {
        if (connection.open) connection.close();
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    connection.close();
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

async function openPgWriter(url: string): Promise<RawCommitWriter> {
  // Named like the targets' schemas, so the runner's clean-up after a crash drops it too.
  const schema = `ordo_bench_${process.pid}_${Date.now().toString(36)}_w6raw`;
  const pool = new pg.Pool({ connectionString: url, max: 1, idleTimeoutMillis: 0 });
  const drop = async (): Promise<void> => {
    try {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await pool.end();
    }
  };
  try {
    const schemaOnly = createPostgresEventStore({ client: pool, schema });
    await schemaOnly.migrate();
    await schemaOnly.close();
  } catch (error) {
    await drop();
    throw error;
  }
  const insert = `INSERT INTO "${schema}".events (global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at)
    SELECT nextval('"${schema}".events_position_seq'), e.event_id, e.stream_id, e.stream_version, e.type, 1, e.data::json, e.metadata::json, $1::timestamptz
    FROM unnest($2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY
      AS e (event_id, stream_id, stream_version, type, data, metadata, n)
    ORDER BY e.n`;
  return {
    label: 'pg: every row of an order in one INSERT ... SELECT FROM unnest (one transaction, one round trip)',
    async commit(appends) {
      const recordedAt = new Date().toISOString();
      const ids: string[] = [];
      const streams: string[] = [];
      const versions: number[] = [];
      const types: string[] = [];
      const data: string[] = [];
      const metadata: string[] = [];
      for (const { streamId, expectedVersion, events } of appends) {
        events.forEach((event, index) => {
          const row = encodeRow(streamId, expectedVersion + index + 1, event, recordedAt);
          ids.push(row.eventId);
          streams.push(row.streamId);
          versions.push(row.streamVersion);
          types.push(row.type);
          data.push(row.data);
          metadata.push(row.metadata);
        });
      }
      await pool.query(insert, [recordedAt, ids, streams, versions, types, data, metadata]);
    },
    close: drop,
  };
}
