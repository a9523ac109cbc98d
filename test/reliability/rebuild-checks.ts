/**
 * Checks against a rebuild from position 0, shared by the crash test and the soak: the suite's stream counts
 * against a fold of the log, the built-in read models against a second set built from scratch next to them, and
 * an export directory against a reference export of the same log.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createJsonlSink, createWarehouseExport } from '../../src/export/index.js';
import type { StoredEvent } from '../../src/kernel/event.js';
import { createProjectionRunner } from '../../src/kernel/projection-runner.js';
import { createErpReadModels } from '../../src/read-models/index.js';
import type { SqliteDatabase, SqliteEventStore } from '../../src/stores/sqlite/index.js';
import type { Tally } from './reliability-support.js';
import { expectedStreamCounts, readStreamCounts } from './stream-counts.js';

/** Compares the stream counts with the fold of the log up to the projection's checkpoint. */
export function checkStreamCounts(
  tally: Tally,
  database: SqliteDatabase,
  events: readonly StoredEvent[],
  checkpoint: number,
  label: string,
): void {
  const expected = expectedStreamCounts(events.filter((event) => event.globalPosition <= checkpoint));
  const actual = readStreamCounts(database);
  for (const [streamId, want] of expected) {
    const got = actual.get(streamId);
    if (!got) tally.lost.push(`${label}: stream counts miss ${streamId}`);
    else if (got.events > want.events)
      tally.duplicated.push(`${label}: ${streamId} applied ${got.events}x, log ${want.events}`);
    else if (got.events < want.events)
      tally.lost.push(`${label}: ${streamId} applied ${got.events}x, log ${want.events}`);
    else if (got.lastVersion !== want.lastVersion || got.outOfOrder !== 0) {
      tally.corrupt.push(
        `${label}: ${streamId} last ${got.lastVersion}/${want.lastVersion}, out of order ${got.outOfOrder}`,
      );
    }
  }
  for (const streamId of actual.keys()) {
    if (!expected.has(streamId)) tally.duplicated.push(`${label}: ${streamId} counted beyond the checkpoint`);
  }
}

/** Every row of every table whose name starts with `prefix`, keyed by the name without it, rows sorted. */
function tablesWithPrefix(database: SqliteDatabase, prefix: string): Map<string, string[]> {
  const names = (
    database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
  )
    .map((row) => row.name)
    .filter((name) => name.startsWith(prefix));
  return new Map(
    names.map((name) => [
      name.slice(prefix.length),
      (database.prepare(`SELECT * FROM "${name}"`).all() as unknown[]).map((row) => JSON.stringify(row)).sort(),
    ]),
  );
}

/**
 * Builds a second set of the built-in read models from position 0 (other names, other tables) and compares every
 * table with the live one, row for row. The live set must be caught up first.
 */
export async function checkReadModelsAgainstRebuild(
  tally: Tally,
  store: SqliteEventStore,
  label: string,
): Promise<void> {
  const rebuilt = createErpReadModels({ mode: 'sqlite', store, namePrefix: 'rebuild-', tablePrefix: 'rel_rebuild_' });
  await createProjectionRunner({ store, projections: rebuilt.projections }).catchUp();
  const live = tablesWithPrefix(store.database, 'ordo_rm_');
  const fresh = tablesWithPrefix(store.database, 'rel_rebuild_');
  if (live.size === 0) tally.corrupt.push(`${label}: the built-in read models have no tables`);
  for (const [table, rows] of fresh) {
    const liveRows = live.get(table);
    if (!liveRows) {
      tally.lost.push(`${label}: read model table ${table} missing`);
    } else if (liveRows.join('\n') !== rows.join('\n')) {
      const missing = rows.filter((row) => !liveRows.includes(row)).length;
      const extra = liveRows.filter((row) => !rows.includes(row)).length;
      const message = `${label}: read model ${table} differs from its rebuild (${missing} rows missing, ${extra} unexpected)`;
      (extra > missing ? tally.duplicated : tally.corrupt).push(message);
    }
  }
}

/** The table files of a JSONL export directory and their text. */
function exportFiles(directory: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(directory)) return files;
  for (const name of readdirSync(directory).sort()) {
    if (name.endsWith('.jsonl')) files.set(name, readFileSync(join(directory, name), 'utf8'));
  }
  return files;
}

/**
 * Exports the whole log afresh into `referenceDirectory` in one run and compares `directory` with it, file by file:
 * every row exactly once (by `row_key`), and byte for byte the same. The export into `directory` must be done.
 */
export async function checkExportAgainstReference(
  tally: Tally,
  store: SqliteEventStore,
  directory: string,
  referenceDirectory: string,
  label: string,
): Promise<void> {
  await createWarehouseExport({
    store,
    sink: createJsonlSink({ directory: referenceDirectory }),
    batchSize: 1000,
  }).run();
  const reference = exportFiles(referenceDirectory);
  const written = exportFiles(directory);
  if (reference.size === 0) tally.corrupt.push(`${label}: the reference export wrote nothing`);
  for (const [name, text] of reference) {
    const got = written.get(name) ?? '';
    const lines = got.split('\n').filter((line) => line.length > 0);
    const keys = lines.map((line) => JSON.stringify((JSON.parse(line) as { row_key?: unknown }).row_key ?? line));
    const unique = new Set(keys);
    if (unique.size !== keys.length)
      tally.duplicated.push(`${label}: ${name} has ${keys.length - unique.size} rows twice`);
    const want = text.split('\n').filter((line) => line.length > 0);
    if (lines.length < want.length)
      tally.lost.push(`${label}: ${name} has ${lines.length} rows, ${want.length} expected`);
    else if (got !== text) tally.corrupt.push(`${label}: ${name} differs from the reference export`);
  }
  for (const name of written.keys()) {
    if (!reference.has(name)) tally.corrupt.push(`${label}: ${name} is not in the reference export`);
  }
}
