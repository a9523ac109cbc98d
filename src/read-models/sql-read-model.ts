import { ValidationError } from '../kernel/errors.js';
import type { StoredEvent } from '../kernel/event.js';
import { defineProjection, type Projection, type ProjectionHandler } from '../kernel/projection.js';
import { decodeReadModelEvent } from './read-model-events.js';
import {
  executorForTransaction,
  type SqlDialect,
  type SqlExecutor,
  type SqlTransactionLike,
  type SqlValue,
} from './sql-executor.js';

/** The default prefix of the SQL read models' tables. */
export const DEFAULT_READ_MODEL_TABLE_PREFIX = 'ordo_rm_';

/** Letters, digits and `_`, not starting with a digit, at most 31 characters (room for the table names). */
const TABLE_PREFIX_PATTERN = /^(?:[a-z_][a-z0-9_]{0,30})?$/;
/** A PostgreSQL schema name Ordo accepts (the event store's rule). */
const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** Optional behaviour of the SQL read model factories. */
export interface SqlReadModelOptions {
  /**
   * Prefix of every table and index the read model creates: lower-case letters, digits and `_`, not starting with
   * a digit, at most 31 characters, or `''`. Anything else is `VALIDATION_FAILED`: table names are never built
   * from unchecked text.
   * @defaultValue `'ordo_rm_'`
   */
  readonly tablePrefix?: string;
  /**
   * PostgreSQL only: the schema holding the tables (created when missing). With SQLite it must be absent.
   * @defaultValue none: the connection's `search_path` (`createErpReadModels` uses the store's schema)
   */
  readonly schema?: string;
  /**
   * The projection's name: its checkpoints are `projection:<name>`.
   * @defaultValue the read model's own name, e.g. `'ordo-customer-order-summary'`
   */
  readonly name?: string;
}

/** Wiring of the SQL read model factories: where queries run, plus optional behaviour. */
export interface SqlReadModelConfig extends SqlReadModelOptions {
  /**
   * Runs the queries: `createSqliteExecutor(store.database)` for SQLite, `createPostgresExecutor(pool)` for
   * PostgreSQL. The projection itself writes through the store's transaction handle, not through this.
   */
  readonly executor: SqlExecutor;
}

/**
 * A SQL read model: a projection writing real tables through the store's transaction handle (so it runs inline
 * or async, on SQLite or PostgreSQL, and can be rebuilt), and queries reading those tables.
 */
export interface SqlReadModel<Queries> {
  /** The projection, to run inline (`withInlineProjections`) or async (`createProjectionRunner`). */
  readonly projection: Projection<SqlTransactionLike>;
  /** Reads the tables through the configured executor. */
  readonly queries: Queries;
  /** The tables the projection owns (as written in SQL: quoted, schema-qualified on PostgreSQL). */
  readonly tables: readonly string[];
}

/** Table names of one read model, from a validated prefix and schema. @internal */
export interface TableNaming {
  /** `"schema"."<prefix><base>"`, or `"<prefix><base>"` without a schema. */
  table(base: string): string;
  /** `"<prefix><name>"`: index names are never schema-qualified (PostgreSQL puts them next to their table). */
  index(name: string): string;
  /** The schema, if any, as its name and quoted. */
  readonly schema: { readonly name: string; readonly quoted: string } | undefined;
  /** Distinguishes this set of tables in lock names. */
  readonly scope: string;
}

/** Validates the naming options and builds the names. @internal */
export function tableNaming(options: SqlReadModelOptions, dialect: SqlDialect): TableNaming {
  const prefix = options.tablePrefix ?? DEFAULT_READ_MODEL_TABLE_PREFIX;
  const issues = [];
  if (typeof prefix !== 'string' || !TABLE_PREFIX_PATTERN.test(prefix)) {
    issues.push({
      path: ['tablePrefix'],
      message: 'must be lower-case letters, digits and "_", not starting with a digit, at most 31 characters',
      code: 'invalid_value',
    });
  }
  const { schema } = options;
  if (schema !== undefined && dialect.name !== 'postgres') {
    issues.push({ path: ['schema'], message: 'is only for PostgreSQL', code: 'invalid_value' });
  } else if (schema !== undefined && (typeof schema !== 'string' || !SCHEMA_PATTERN.test(schema))) {
    issues.push({ path: ['schema'], message: `must match ${SCHEMA_PATTERN}`, code: 'invalid_value' });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  // Safe to quote by wrapping: both names match patterns without quotes.
  const quotedSchema = schema === undefined ? undefined : `"${schema}"`;
  return {
    table: (base) => (quotedSchema ? `${quotedSchema}."${prefix}${base}"` : `"${prefix}${base}"`),
    index: (name) => `"${prefix}${name}"`,
    schema: schema === undefined || quotedSchema === undefined ? undefined : { name: schema, quoted: quotedSchema },
    scope: `${schema ?? ''}.${prefix}`,
  };
}

/** How a SQL projection writes one event type, given an executor in the event's transaction. @internal */
export type SqlEventHandler = (sql: SqlExecutor, event: StoredEvent) => Promise<void>;

/** One table of a read model: its base name and how to create it (and its indexes) for a dialect. @internal */
export interface SqlTable {
  readonly name: string;
  create(dialect: SqlDialect): readonly string[];
}

/** What {@link defineSqlProjection} takes. @internal */
export interface SqlProjectionSpec {
  readonly name: string;
  readonly version: number;
  readonly naming: TableNaming;
  readonly tables: readonly SqlTable[];
  readonly handlers: Readonly<Record<string, SqlEventHandler>>;
}

/**
 * Defines the projection of a SQL read model: `init` creates its tables and indexes (idempotently), `reset` drops
 * them so that `init` recreates them in the shape of the current version, and every handler runs through an
 * executor over the store's transaction, on the event decoded by the aggregates' definitions (malformed data is a
 * `CORRUPT_EVENT` before anything is written).
 *
 * On PostgreSQL, where appends commit concurrently, every transaction that writes the read model first takes a
 * transaction-scoped advisory lock named after it: the handlers read a row, compute with `Money` and write it back,
 * and two concurrent appends for one customer must not both start from the same row. @internal
 */
export function defineSqlProjection(spec: SqlProjectionSpec): Projection<SqlTransactionLike> {
  const locked = new WeakSet<SqlTransactionLike>();
  const lockName = `ordo-read-model:${spec.naming.scope}${spec.name}`;
  const enter = async (tx: SqlTransactionLike): Promise<SqlExecutor> => {
    const sql = executorForTransaction(tx);
    const lock = sql.dialect.transactionLock;
    if (lock !== undefined && !locked.has(tx)) {
      await sql.all(lock, [lockName]);
      locked.add(tx);
    }
    return sql;
  };
  const handlers: Record<string, ProjectionHandler<SqlTransactionLike>> = {};
  for (const [type, handle] of Object.entries(spec.handlers)) {
    // Decoded before the lock and any write: malformed data is a CORRUPT_EVENT, never a TypeError mid-handler.
    handlers[type] = async (tx, event) => {
      const decoded = decodeReadModelEvent(event);
      return handle(await enter(tx), decoded);
    };
  }
  return defineProjection<SqlTransactionLike>({
    name: spec.name,
    version: spec.version,
    handlers,
    async init(tx) {
      const sql = await enter(tx);
      const { schema } = spec.naming;
      if (schema !== undefined) {
        // Looked up first: CREATE SCHEMA IF NOT EXISTS still needs the CREATE privilege on the database, which an
        // application role often lacks even though the schema (the store's, by default) is there.
        const found = await sql.all('SELECT 1 AS found FROM pg_namespace WHERE nspname = ?', [schema.name]);
        if (found.length === 0) await sql.run(`CREATE SCHEMA IF NOT EXISTS ${schema.quoted}`);
      }
      for (const table of spec.tables) for (const statement of table.create(sql.dialect)) await sql.run(statement);
    },
    async reset(tx) {
      const sql = await enter(tx);
      for (const table of spec.tables) await sql.run(`DROP TABLE IF EXISTS ${spec.naming.table(table.name)}`);
    },
  });
}

/** A SQL integer (a `BIGINT` read as text, a count) as a JS number. @internal */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** `0`/`1` for a boolean column. @internal */
export function flag(value: boolean): number {
  return value ? 1 : 0;
}

/** A `WHERE` clause and its parameters, from optional conditions (each a clause and the values of its `?`s). @internal */
export function whereOf(conditions: readonly (readonly [string, ...SqlValue[]] | undefined)[]): {
  readonly sql: string;
  readonly params: SqlValue[];
} {
  const present = conditions.filter((condition) => condition !== undefined);
  return {
    sql: present.length === 0 ? '' : ` WHERE ${present.map(([clause]) => clause).join(' AND ')}`,
    params: present.flatMap(([, ...values]) => values),
  };
}
