/**
 * The raw-driver read of a snapshot row, for baselines that rehydrate from a snapshot (W3): one SELECT of the
 * row by stream and state schema version plus `JSON.parse` of the state, with nothing of the adapter in
 * between. The targets' raw readers read events only, so this opens its own handle on the store's storage.
 */
import Database from 'better-sqlite3';
import type { PostgresEventStore } from 'ordo/postgres';
import type { SqliteEventStore } from 'ordo/sqlite';
import pg from 'pg';
import { postgresUrl } from '../targets/index.js';
import type { BenchTarget, Closeable } from './types.js';

/** A snapshot row as a baseline reads it: the version it includes and the parsed state. */
export interface RawSnapshot {
  readonly streamVersion: number;
  readonly state: unknown;
}

/** Reads snapshot rows with the raw driver. */
export interface RawSnapshotReader extends Closeable {
  /** What the read is, for the baseline label, e.g. `pg: SELECT of the snapshot row, JSON.parse`. */
  readonly label: string;
  /** The snapshot of `streamId` saved for `schemaVersion`, or `undefined`. */
  readSnapshot(streamId: string, schemaVersion: number): Promise<RawSnapshot | undefined>;
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/**
 * A raw snapshot reader over `target`'s storage. For memory, the snapshots of `streamIds` are copied (untimed)
 * into a plain `Map`, the counterpart of the memory target's raw event reader.
 */
export async function openRawSnapshotReader(
  target: BenchTarget,
  streamIds: readonly string[],
  schemaVersion: number,
): Promise<RawSnapshotReader> {
  switch (target.store) {
    case 'memory': {
      const copies = new Map<string, RawSnapshot>();
      for (const streamId of streamIds) {
        const snapshot = await target.eventStore.loadSnapshot(streamId, schemaVersion);
        if (snapshot) {
          copies.set(`${schemaVersion}\u241f${streamId}`, {
            streamVersion: snapshot.streamVersion,
            state: JSON.parse(JSON.stringify(snapshot.state)),
          });
        }
      }
      return {
        label: 'Map lookup',
        async readSnapshot(streamId, version) {
          return copies.get(`${version}\u241f${streamId}`);
        },
        async close() {
          copies.clear();
        },
      };
    }
    case 'sqlite': {
      const store = target.eventStore as SqliteEventStore;
      // A connection of its own on the store's file, set up as the targets set up their raw connections.
      const connection = new Database(store.database.name, { timeout: 5000 });
      connection.pragma('busy_timeout = 5000');
      const select = connection.prepare(
        `SELECT stream_version AS streamVersion, state FROM ${quote(store.tables.snapshots)} WHERE stream_id = ? AND schema_version = ?`,
      );
      return {
        label: 'better-sqlite3: SELECT of the snapshot row, JSON.parse',
        async readSnapshot(streamId, version) {
          const row = select.get(streamId, version) as { streamVersion: number; state: string } | undefined;
          return row && { streamVersion: row.streamVersion, state: JSON.parse(row.state) };
        },
        async close() {
          connection.close();
        },
      };
    }
    case 'postgres': {
      const store = target.eventStore as PostgresEventStore;
      const text = `SELECT stream_version::text AS stream_version, state::text AS state FROM ${quote(store.schema)}.snapshots
        WHERE stream_id = $1 AND schema_version = $2`;
      const toSnapshot = (rows: readonly unknown[]): RawSnapshot | undefined => {
        const row = rows[0] as { stream_version: string; state: string } | undefined;
        return row && { streamVersion: Number(row.stream_version), state: JSON.parse(row.state) };
      };
      const url = postgresUrl();
      if (url !== undefined) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        return {
          label: 'pg: SELECT of the snapshot row, JSON.parse',
          async readSnapshot(streamId, version) {
            return toSnapshot((await client.query(text, [streamId, version])).rows);
          },
          async close() {
            await client.end();
          },
        };
      }
      // PGlite is private to the target: reach it through the store's transaction handle (one BEGIN/COMMIT more).
      return {
        label: 'pglite: SELECT of the snapshot row in a transaction, JSON.parse',
        async readSnapshot(streamId, version) {
          return store.withTransaction(async (tx) => toSnapshot((await tx.query(text, [streamId, version])).rows));
        },
        async close() {},
      };
    }
  }
}
