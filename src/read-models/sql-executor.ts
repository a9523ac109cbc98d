/**
 * A tiny dialect-neutral SQL executor: the SQL read models are written once against it and run on SQLite and on
 * PostgreSQL. Following Kysely, the adapters declare the subset of each driver they call as their own
 * interfaces, so this module imports no driver: a `better-sqlite3` `Database`, the SQLite and PostgreSQL stores'
 * transaction handles, a `pg` `Pool` or a PGlite instance fit structurally.
 */

/** A value bound to a SQL parameter. Booleans are stored as `0`/`1`, decimals as strings. */
export type SqlValue = string | number | null;

/**
 * What differs between the SQL engines the read models run on, as capabilities rather than "if postgres"
 * checks scattered through the SQL.
 */
export interface SqlDialect {
  /** The engine. */
  readonly name: 'sqlite' | 'postgres';
  /**
   * Column type of exact decimals (money, quantities): `TEXT` in SQLite, which has no decimal type (sums are
   * done with `Money` in the projection, never in SQL), `NUMERIC` in PostgreSQL.
   */
  readonly decimalType: string;
  /** Column type of global positions (beyond 2³¹): `INTEGER` in SQLite (64-bit), `BIGINT` in PostgreSQL. */
  readonly bigintType: string;
  /** An `ORDER BY` expression sorting a decimal column by value. */
  orderDecimal(column: string): string;
  /** An `ORDER BY` expression sorting a text column by code point, whatever the database's collation. */
  orderText(column: string): string;
  /**
   * A statement taking a lock, named by its one text parameter, held until the transaction ends; `undefined`
   * when the engine already serialises writers (SQLite's write lock does).
   */
  readonly transactionLock: string | undefined;
}

/** SQLite: decimals as text, one writer at a time. */
export const sqliteDialect: SqlDialect = Object.freeze({
  name: 'sqlite',
  decimalType: 'TEXT',
  bigintType: 'INTEGER',
  // Text does not sort by value; REAL does, to 15 significant digits, which is enough to order by.
  orderDecimal: (column: string) => `CAST(${column} AS REAL)`,
  orderText: (column: string) => column,
  transactionLock: undefined,
} as const);

/** The advisory-lock namespace of the read models (`'ORDO'` in ASCII), apart from the store's own locks. */
const LOCK_NAMESPACE = 0x4f52444f;

/** PostgreSQL: exact `NUMERIC`, byte-order sorting, an advisory lock to serialise concurrent read-model writes. */
export const postgresDialect: SqlDialect = Object.freeze({
  name: 'postgres',
  decimalType: 'NUMERIC',
  bigintType: 'BIGINT',
  orderDecimal: (column: string) => column,
  orderText: (column: string) => `${column} COLLATE "C"`,
  // The two-key form keeps these locks apart from single-key advisory locks taken by the store.
  transactionLock: `SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(?))`,
} as const);

/**
 * Runs SQL written with `?` placeholders (the executor rewrites them for its engine) on one connection or
 * transaction. Everything the read models send goes through it, always with parameters: no value is ever
 * spliced into SQL text.
 */
export interface SqlExecutor {
  /** The engine, for the few places where the SQL differs. */
  readonly dialect: SqlDialect;
  /** Runs a statement that returns no rows. */
  run(sql: string, params?: readonly SqlValue[]): Promise<void>;
  /** Runs a query and returns its rows. */
  all<Row extends object = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
}

/** A prepared statement: the subset of `better-sqlite3`'s `Statement` the executor calls. */
export interface SqliteStatementLike {
  /** Executes the statement with positional parameters (a write); the result is not read. */
  run(...params: unknown[]): unknown;
  /** Executes the statement with positional parameters and returns every row. */
  all(...params: unknown[]): unknown[];
  /** Called, when the driver has it, so integers come back as numbers whatever the connection's default. */
  safeIntegers?(toggleState?: boolean): unknown;
}

/** A SQLite connection: the subset of `better-sqlite3`'s `Database` the executor calls. */
export interface SqliteDatabaseLike {
  /** Compiles one SQL statement (`?` placeholders); the executor caches the result per connection and text. */
  prepare(source: string): SqliteStatementLike;
}

/** Anything that runs one parameterised PostgreSQL statement with `$1`, `$2`, ...: `pg` `Pool`/`Client`, PGlite. */
export interface PostgresQueryableLike {
  /** Runs one statement with `$n` placeholders bound to `params` and resolves with its rows. */
  query(text: string, params?: unknown[]): Promise<{ readonly rows: readonly unknown[] }>;
}

/** The SQLite store's transaction handle (`SqliteTransaction` from `ordo/sqlite`), as the read models use it. */
export interface SqliteTransactionLike {
  readonly kind: 'sqlite';
  readonly database: SqliteDatabaseLike;
}

/** The PostgreSQL store's transaction handle (`PostgresTransaction` from `ordo/postgres`), as the read models use it. */
export interface PostgresTransactionLike {
  readonly kind: 'postgres';
  /** Runs one statement with `$n` placeholders inside the store's transaction and resolves with its rows. */
  query(text: string, params?: readonly unknown[]): Promise<{ readonly rows: readonly unknown[] }>;
}

/**
 * The transaction handle a SQL read model's projection runs in: the SQLite or the PostgreSQL store's. A projection
 * typed with it runs on either store (`Projection<SqlTransactionLike>` is a `Projection<SqliteTransaction>` and a
 * `Projection<PostgresTransaction>`).
 */
export type SqlTransactionLike = SqliteTransactionLike | PostgresTransactionLike;

const statementCaches = new WeakMap<SqliteDatabaseLike, Map<string, SqliteStatementLike>>();

/** Prepared statements are reused per connection: the read models send the same few statements over and over. */
function prepared(database: SqliteDatabaseLike, sql: string): SqliteStatementLike {
  let cache = statementCaches.get(database);
  if (!cache) {
    cache = new Map();
    statementCaches.set(database, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = database.prepare(sql);
    statement.safeIntegers?.(false);
    cache.set(sql, statement);
  }
  return statement;
}

/**
 * An executor over a SQLite connection, e.g. `store.database` of a SQLite store (for queries) or
 * `tx.database` inside a transaction.
 */
export function createSqliteExecutor(database: SqliteDatabaseLike): SqlExecutor {
  return {
    dialect: sqliteDialect,
    async run(sql, params = []) {
      prepared(database, sql).run(...params);
    },
    async all<Row extends object>(sql: string, params: readonly SqlValue[] = []) {
      return prepared(database, sql).all(...params) as Row[];
    },
  };
}

/** Rewrites `?` placeholders to PostgreSQL's `$1`, `$2`, ... (the read models' SQL has no `?` in literals). */
export function toPostgresPlaceholders(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

/**
 * An executor over anything that runs PostgreSQL statements: a `pg` `Pool` or PGlite (for queries), or a
 * function that runs one, such as a store's `withTransaction`.
 */
export function createPostgresExecutor(
  client: PostgresQueryableLike | ((text: string, params: unknown[]) => Promise<readonly unknown[]>),
): SqlExecutor {
  const query =
    typeof client === 'function'
      ? client
      : async (text: string, params: unknown[]) => (await client.query(text, params)).rows;
  const texts = new Map<string, string>();
  const textOf = (sql: string): string => {
    let text = texts.get(sql);
    if (text === undefined) {
      text = toPostgresPlaceholders(sql);
      texts.set(sql, text);
    }
    return text;
  };
  return {
    dialect: postgresDialect,
    async run(sql, params = []) {
      await query(textOf(sql), [...params]);
    },
    async all<Row extends object>(sql: string, params: readonly SqlValue[] = []) {
      return (await query(textOf(sql), [...params])) as Row[];
    },
  };
}

const transactionExecutors = new WeakMap<SqlTransactionLike, SqlExecutor>();

/** The executor of a store transaction handle: SQLite's `tx.database`, or PostgreSQL's `tx.query`. */
export function executorForTransaction(tx: SqlTransactionLike): SqlExecutor {
  let executor = transactionExecutors.get(tx);
  if (!executor) {
    if (tx.kind === 'sqlite') {
      executor = createSqliteExecutor(tx.database);
    } else if (tx.kind === 'postgres') {
      executor = createPostgresExecutor(async (text, params) => (await tx.query(text, params)).rows);
    } else {
      throw new TypeError(
        `SQL read models run in a SQLite or PostgreSQL store transaction, not "${(tx as { kind?: unknown }).kind}"`,
      );
    }
    transactionExecutors.set(tx, executor);
  }
  return executor;
}
