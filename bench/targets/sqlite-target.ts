/**
 * The SQLite store on a fresh file in a temporary directory (WAL, the adapter's default `synchronous`), and
 * its baseline: better-sqlite3 writing a second file whose table the adapter's own migration created, and
 * reading the store's own file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { EventStore, NewEvent } from 'ordo';
import { createSqliteEventStore, type SqliteEventStore } from 'ordo/sqlite';
import { encodeRow } from '../lib/events.js';
import type { BenchTarget, Closeable, RawEvent, RawReader, RawWriter } from '../lib/types.js';

type Connection = Database.Database;

/** `PRAGMA synchronous` answers a number; these are its names. */
const SYNCHRONOUS_NAMES = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

/** Opens a connection set up as the store sets up its own: same journal mode, durability and busy wait. */
function openConnection(path: string, synchronous: string): Connection {
  const connection = new Database(path, { timeout: 5000 });
  connection.pragma('busy_timeout = 5000');
  connection.pragma('journal_mode = WAL');
  connection.pragma(`synchronous = ${synchronous}`);
  return connection;
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The columns a store read returns, aliased as the adapter aliases them. */
const READ_COLUMNS = `global_position AS globalPosition, event_id AS eventId, stream_id AS streamId,
  stream_version AS streamVersion, type, schema_version AS schemaVersion, data, metadata, recorded_at AS recordedAt`;

interface TextRow {
  data: unknown;
  metadata: unknown;
}

/** Parses the JSON columns in place: the least decoding a reader of the table must do. */
function parseRows(rows: TextRow[]): readonly RawEvent[] {
  for (const row of rows) {
    row.data = JSON.parse(row.data as string);
    row.metadata = JSON.parse(row.metadata as string);
  }
  return rows as unknown as RawEvent[];
}

/** better-sqlite3 on one connection: one INSERT per transaction (autocommit), batches in one transaction. */
function rawWriter(connection: Connection, table: string): RawWriter {
  const insert = connection.prepare(
    `INSERT INTO ${quote(table)} (event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const version = connection.prepare(`SELECT max(stream_version) AS version FROM ${quote(table)} WHERE stream_id = ?`);
  const insertRow = (streamId: string, streamVersion: number, event: NewEvent, recordedAt: string): void => {
    const row = encodeRow(streamId, streamVersion, event, recordedAt);
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
  };
  const insertBatch = connection.transaction((streamId: string, expected: number, events: readonly NewEvent[]) => {
    const recordedAt = new Date().toISOString();
    for (let i = 0; i < events.length; i++) insertRow(streamId, expected + i + 1, events[i] as NewEvent, recordedAt);
  });
  return {
    async appendOne(streamId, expectedVersion, event) {
      insertRow(streamId, expectedVersion + 1, event, new Date().toISOString());
    },
    async appendBatch(streamId, expectedVersion, events) {
      insertBatch(streamId, expectedVersion, events);
    },
    async streamVersion(streamId) {
      return ((version.get(streamId) as { version: number | null } | undefined)?.version ?? 0) as number;
    },
    isConflict(error) {
      return (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
    },
  };
}

/** better-sqlite3 reading pages by keyset, as the adapter pages. */
function rawReader(connection: Connection, table: string): RawReader & Closeable {
  const all = connection.prepare(
    `SELECT ${READ_COLUMNS} FROM ${quote(table)} WHERE global_position >= ? ORDER BY global_position LIMIT ?`,
  );
  const stream = connection.prepare(
    `SELECT ${READ_COLUMNS} FROM ${quote(table)} WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version LIMIT ?`,
  );
  return {
    async readAllPage(fromPosition, limit) {
      return parseRows(all.all(fromPosition, limit) as TextRow[]);
    },
    async readStreamPage(streamId, fromVersion, limit) {
      return parseRows(stream.all(streamId, fromVersion, limit) as TextRow[]);
    },
    async close() {
      connection.close();
    },
  };
}

/** A fresh SQLite store in a temporary directory, and its better-sqlite3 baseline. Closing deletes the directory. */
export async function createSqliteTarget(): Promise<BenchTarget> {
  // Under the runner's scratch directory when there is one, so a killed run leaves nothing behind.
  const directory = await mkdtemp(join(process.env.ORDO_BENCH_TMPDIR ?? tmpdir(), 'ordo-bench-sqlite-'));
  const storePath = join(directory, 'store.db');
  const rawPath = join(directory, 'baseline.db');
  const database = new Database(storePath, { timeout: 5000 });
  const eventStore = createSqliteEventStore({ database });
  await eventStore.migrate();
  const synchronous = SYNCHRONOUS_NAMES[Number(database.pragma('synchronous', { simple: true }))] ?? 'unknown';
  const journalMode = String(database.pragma('journal_mode', { simple: true })).toUpperCase();
  const table = eventStore.tables.events;
  const opened: Connection[] = [database];
  let rawReady = false;

  const connect = (path: string): Connection => {
    const connection = openConnection(path, synchronous);
    opened.push(connection);
    return connection;
  };

  return {
    store: 'sqlite',
    eventStore,
    info: { synchronous, journal_mode: journalMode },
    driverLabel: 'better-sqlite3',

    async openWriters(count) {
      const stores: SqliteEventStore[] = [];
      for (let i = 0; i < count; i++) stores.push(createSqliteEventStore({ database: connect(storePath) }));
      return {
        stores: stores as readonly EventStore[],
        close: async () => void (await Promise.all(stores.map((store) => store.close()))),
      };
    },

    async openRawWriters(count) {
      if (!rawReady) {
        // The adapter's own migration makes the baseline's table, so both have the same columns and indexes.
        const schemaOnly = createSqliteEventStore({ database: connect(rawPath) });
        await schemaOnly.migrate();
        await schemaOnly.close();
        rawReady = true;
      }
      const writers = Array.from({ length: count }, () => rawWriter(connect(rawPath), table));
      return { writers, close: async () => {} };
    },

    async openRawReader() {
      return rawReader(connect(storePath), table);
    },

    async close() {
      await eventStore.close();
      for (const connection of opened) if (connection.open) connection.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
