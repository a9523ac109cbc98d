/**
 * The SQLite schema as versioned migrations, and the runner that applies them idempotently.
 */
import type { Clock } from '../../kernel/clock.js';
import { StoreUnavailableError, ValidationError } from '../../kernel/errors.js';
import type { SqliteDatabase, SqliteMigrationResult, SqliteTableNames } from './sqlite-config.js';

/** Default prefix of the store's tables. */
export const DEFAULT_TABLE_PREFIX = 'ordo_';

/**
 * What a table prefix may look like. Table names cannot be bound as parameters, so the prefix is the one
 * piece of text that reaches SQL unparameterised: it is held to a pattern that cannot express anything but
 * an identifier, and names are double-quoted on top of that.
 */
const TABLE_PREFIX_PATTERN = /^[a-z_][a-z0-9_]{0,30}$/i;

/** Returns the prefix if it is `''` or matches the identifier pattern; throws `VALIDATION_FAILED` otherwise. */
export function validateTablePrefix(prefix: unknown): string {
  if (prefix === '' || (typeof prefix === 'string' && TABLE_PREFIX_PATTERN.test(prefix))) return prefix;
  throw new ValidationError([
    {
      path: ['tablePrefix'],
      message: 'must be empty or start with a letter or _ and hold only letters, digits and _ (at most 31 characters)',
      code: 'invalid_format',
    },
  ]);
}

/** The table names for a (validated) prefix. */
export function sqliteTableNames(prefix: string): SqliteTableNames {
  return {
    events: `${prefix}events`,
    snapshots: `${prefix}snapshots`,
    checkpoints: `${prefix}checkpoints`,
    migrations: `${prefix}migrations`,
  };
}

/** Quotes an identifier that was built from a validated prefix. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** One schema version. Migrations are append-only: a released one is never edited, only followed. */
export interface SqliteMigration {
  /** 1, 2, 3, ... applied in order. */
  readonly version: number;
  /** What it does, recorded in the migrations table. */
  readonly name: string;
  /** The DDL for the given table names. Runs inside the migration's transaction. */
  sql(tables: SqliteTableNames): string;
}

/** Every migration of the SQLite schema, in order. */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'events, snapshots, checkpoints',
    sql: (tables) => {
      const events = quoteIdentifier(tables.events);
      const snapshots = quoteIdentifier(tables.snapshots);
      const checkpoints = quoteIdentifier(tables.checkpoints);
      // AUTOINCREMENT: a plain INTEGER PRIMARY KEY would hand the highest rowid out again after that row is
      // deleted, and a subscriber checkpointed past it would skip the new event. STRICT: a wrong column type
      // is an error instead of a silent conversion. The UNIQUE constraints are the store's guarantees (one
      // event per stream version, event ids unique across the store), enforced by the database itself; the
      // (stream_id, stream_version) index also serves stream reads and version lookups.
      return `
        CREATE TABLE IF NOT EXISTS ${events} (
          global_position INTEGER PRIMARY KEY AUTOINCREMENT,
          event_id TEXT NOT NULL UNIQUE,
          stream_id TEXT NOT NULL,
          stream_version INTEGER NOT NULL CHECK (stream_version >= 1),
          type TEXT NOT NULL,
          schema_version INTEGER NOT NULL,
          data TEXT NOT NULL,
          metadata TEXT NOT NULL,
          recorded_at TEXT NOT NULL,
          UNIQUE (stream_id, stream_version)
        ) STRICT;
        CREATE TABLE IF NOT EXISTS ${snapshots} (
          stream_id TEXT NOT NULL,
          schema_version INTEGER NOT NULL,
          stream_version INTEGER NOT NULL,
          state TEXT NOT NULL,
          saved_at TEXT NOT NULL,
          PRIMARY KEY (stream_id, schema_version)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS ${checkpoints} (
          subscriber_id TEXT NOT NULL PRIMARY KEY,
          position INTEGER NOT NULL,
          updated_at TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;
      `;
    },
  },
];

/** The schema version this build of Ordo writes and reads. */
export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.length;

/**
 * Applies every migration not yet recorded, in one `BEGIN IMMEDIATE` transaction. The write lock makes it
 * safe to run from several connections or processes at once: the first applies and records, the others wait
 * for the lock, then find everything recorded and do nothing.
 *
 * @throws {@link StoreUnavailableError} when the database records a schema version newer than this build
 * knows, or the lock cannot be had within the busy timeout.
 */
export function runSqliteMigrations(
  database: SqliteDatabase,
  tables: SqliteTableNames,
  clock: Clock,
): SqliteMigrationResult {
  const migrations = quoteIdentifier(tables.migrations);
  const apply = database.transaction((): SqliteMigrationResult => {
    database.exec(
      `CREATE TABLE IF NOT EXISTS ${migrations} (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`,
    );
    const select = database.prepare(`SELECT version FROM ${migrations} ORDER BY version`);
    select.safeIntegers?.(false);
    const recorded = new Set((select.all() as { version: number }[]).map((row) => row.version));
    const newest = Math.max(0, ...recorded);
    if (newest > SQLITE_SCHEMA_VERSION) {
      throw new StoreUnavailableError(
        `The database's Ordo schema is at version ${newest}, newer than this version of Ordo knows (${SQLITE_SCHEMA_VERSION}); upgrade Ordo`,
      );
    }
    const insert = database.prepare(`INSERT INTO ${migrations} (version, name, applied_at) VALUES (?, ?, ?)`);
    const applied: number[] = [];
    for (const migration of SQLITE_MIGRATIONS) {
      if (recorded.has(migration.version)) continue;
      database.exec(migration.sql(tables));
      insert.run(migration.version, migration.name, clock.now().toISOString());
      applied.push(migration.version);
    }
    return { applied, version: Math.max(newest, ...applied) };
  });
  return apply.immediate();
}
