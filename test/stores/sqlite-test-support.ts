/** Helpers shared by the SQLite store tests: temp files, and a database wrapper that records queries. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from '../../src/stores/sqlite/index.js';

/** A temp directory and the connections opened in it, all closed and removed by `dispose`. */
export interface TempDatabases {
  readonly directory: string;
  /** A path inside the directory. */
  file(name?: string): string;
  /** Opens a tracked connection to `file` (default: the directory's `events.db`). */
  connect(file?: string, options?: Database.Options): Database.Database;
  dispose(): void;
}

export function tempDatabases(): TempDatabases {
  const directory = mkdtempSync(join(tmpdir(), 'ordo-sqlite-test-'));
  const connections: Database.Database[] = [];
  const file = (name = 'events.db'): string => join(directory, name);
  return {
    directory,
    file,
    connect(path = file(), options) {
      const database = new Database(path, options);
      connections.push(database);
      return database;
    },
    dispose() {
      for (const database of connections) if (database.open) database.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** One call of `all()` seen by a {@link recordingDatabase}. */
export interface RecordedQuery {
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly rows: number;
}

/**
 * Wraps a connection in the structural {@link SqliteDatabase} shape, recording every `all()` call, which is
 * how the store fetches pages. It also shows that a host can hand the store any object of that shape.
 */
export function recordingDatabase(inner: Database.Database): { database: SqliteDatabase; queries: RecordedQuery[] } {
  const queries: RecordedQuery[] = [];
  const database: SqliteDatabase = {
    get name() {
      return inner.name;
    },
    get memory() {
      return inner.memory;
    },
    get open() {
      return inner.open;
    },
    get inTransaction() {
      return inner.inTransaction;
    },
    prepare(source) {
      const statement = inner.prepare(source);
      const wrapped: SqliteStatement = {
        run: (...params) => statement.run(...params),
        get: (...params) => statement.get(...params),
        all: (...params) => {
          const rows = statement.all(...params);
          queries.push({ sql: source, params, rows: rows.length });
          return rows;
        },
        safeIntegers: (toggle) => statement.safeIntegers(toggle),
      };
      return wrapped;
    },
    exec: (source) => inner.exec(source),
    pragma: (source, options) => inner.pragma(source, options),
    transaction: (fn) => inner.transaction(fn),
    close: () => inner.close(),
  };
  return { database, queries };
}

/** Reads an async iterable to the end. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** A promise and the function that resolves it, to hold a hook open until the test lets it go. */
export function latch(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
