/**
 * A read model of the suite's own, for SQLite: per stream, how many events were applied, the last version and how
 * often an event did not follow the previous one. A crash that applied an event twice or skipped one shows up in
 * it exactly, and its expected content is a one-line fold of the log.
 */
import type { StoredEvent } from '../../src/kernel/event.js';
import { defineProjection, type Projection, type ProjectionHandler } from '../../src/kernel/projection.js';
import { erpEventDefinitions } from '../../src/services/erp-registry.js';
import type { SqliteDatabase, SqliteTransaction } from '../../src/stores/sqlite/index.js';

/** The type of the raw (non-ERP) events the suite appends. */
export const RAW_EVENT_TYPE = 'ReliabilityRawAppended';

/** The projection's name: its checkpoint is `projection:reliability-stream-counts`. */
export const STREAM_COUNTS = 'reliability-stream-counts';

const TABLE = 'rel_stream_counts';

/** One stream's row. */
export interface StreamCount {
  readonly events: number;
  readonly lastVersion: number;
  readonly outOfOrder: number;
}

/** The projection over every ERP event type and the raw type. */
export function streamCountsProjection(): Projection<SqliteTransaction> {
  const apply: ProjectionHandler<SqliteTransaction> = (tx, event) => {
    tx.database
      .prepare(
        `INSERT INTO ${TABLE} (stream_id, events, last_version, out_of_order) VALUES (?, 1, ?, 0)
         ON CONFLICT (stream_id) DO UPDATE SET events = events + 1, last_version = excluded.last_version,
           out_of_order = out_of_order + (CASE WHEN last_version + 1 = excluded.last_version THEN 0 ELSE 1 END)`,
      )
      .run(event.streamId, event.streamVersion);
  };
  const types = [RAW_EVENT_TYPE, ...erpEventDefinitions.map((definition) => definition.type)];
  return defineProjection<SqliteTransaction>({
    name: STREAM_COUNTS,
    init: (tx) => {
      tx.database.exec(
        `CREATE TABLE IF NOT EXISTS ${TABLE} (stream_id TEXT PRIMARY KEY, events INTEGER NOT NULL, last_version INTEGER NOT NULL, out_of_order INTEGER NOT NULL)`,
      );
    },
    reset: (tx) => {
      tx.database.exec(`DELETE FROM ${TABLE}`);
    },
    handlers: Object.fromEntries(types.map((type) => [type, apply])),
  });
}

/** The table's rows, or an empty map before the projection first ran. */
export function readStreamCounts(database: SqliteDatabase): Map<string, StreamCount> {
  const exists = database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(TABLE);
  if (!exists) return new Map();
  const rows = database.prepare(`SELECT * FROM ${TABLE}`).all() as {
    stream_id: string;
    events: number;
    last_version: number;
    out_of_order: number;
  }[];
  return new Map(
    rows.map((row) => [
      row.stream_id,
      { events: row.events, lastVersion: row.last_version, outOfOrder: row.out_of_order },
    ]),
  );
}

/** What the table must hold after applying `events` (the log up to the projection's checkpoint). */
export function expectedStreamCounts(events: readonly StoredEvent[]): Map<string, StreamCount> {
  const counts = new Map<string, StreamCount>();
  for (const event of events) {
    const current = counts.get(event.streamId) ?? { events: 0, lastVersion: 0, outOfOrder: 0 };
    counts.set(event.streamId, { events: current.events + 1, lastVersion: event.streamVersion, outOfOrder: 0 });
  }
  return counts;
}
