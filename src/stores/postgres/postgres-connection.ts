/**
 * One interface over the three kinds of connection the store accepts, so the store is written once:
 * - a `pg` `Pool`: plain statements go to the pool; a transaction, a `LISTEN` or a held lock checks a
 *   connection out;
 * - a single `pg` `Client`: everything is serialised on it by an in-process mutex shared by every store on that
 *   client, because a statement sent while a transaction is open would run inside that transaction;
 * - PGlite: its own `transaction()` already excludes every other statement while it runs.
 */
import { StoreUnavailableError } from '../../kernel/errors.js';
import type {
  PostgresClient,
  PostgresConnectionSource,
  PostgresNotification,
  PostgresPGlite,
  PostgresPool,
  PostgresPoolClient,
  PostgresQueryable,
  PostgresQueryResult,
} from './postgres-config.js';
import { isConnectionError } from './postgres-errors.js';

/** How the connection source was recognised. */
export type ConnectionMode = 'pool' | 'client' | 'pglite';

/** Runs async work one at a time, in call order. */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `work` once every earlier `run` has settled. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

/** In-process exclusive locks by key, for `withStreamLock` on connections that are one session. */
export class KeyedLocks {
  readonly #tails = new Map<string, Promise<void>>();

  /** Waits for `key`, then holds it until the returned function is called. */
  async acquire(key: string): Promise<() => void> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => held);
    this.#tails.set(key, tail);
    await previous;
    return () => {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    };
  }
}

/** A session held for `withStreamLock`: statements on it run outside any transaction. */
export interface HeldSession extends PostgresQueryable {
  /** Gives the session back (to the pool, or nothing to do for a single connection). */
  release(broken?: boolean): void;
}

/** What the store needs from a connection, whatever its kind. */
export interface Connection {
  readonly mode: ConnectionMode;
  /** Runs one statement on its own (autocommit) and returns its rows. */
  query(text: string, params?: readonly unknown[]): Promise<unknown[]>;
  /** Runs `work` between `BEGIN` and `COMMIT` on one connection; rolls back and rethrows if it throws. */
  transaction<T>(work: (connection: PostgresQueryable) => Promise<T>): Promise<T>;
  /** A dedicated session for session-level advisory locks; `undefined` when the source is one session. */
  holdSession(): Promise<HeldSession> | undefined;
  /**
   * `LISTEN`s on `channel` and calls `onPayload` for each notification; `onLost` when the listening connection
   * dies. Resolves to a function that stops listening; `undefined` when the source cannot listen.
   */
  listen(
    channel: string,
    onPayload: (payload: string | undefined) => void,
    onLost: (error: unknown) => void,
  ): Promise<() => Promise<void>> | undefined;
  /** The per-source in-process locks used by `withStreamLock` on single-session sources. */
  readonly localLocks: KeyedLocks;
  /** Ends the pool or client, or closes PGlite. */
  end(): Promise<void>;
}

const mutexes = new WeakMap<object, Mutex>();
const keyedLocks = new WeakMap<object, KeyedLocks>();
const listenCounts = new WeakMap<object, Map<string, number>>();

function sharedFor<T>(map: WeakMap<object, T>, key: object, create: () => T): T {
  let value = map.get(key);
  if (!value) {
    value = create();
    map.set(key, value);
  }
  return value;
}

function isPGlite(source: PostgresConnectionSource): source is PostgresPGlite {
  return typeof (source as Partial<PostgresPGlite>).transaction === 'function';
}

function isPool(source: PostgresConnectionSource): source is PostgresPool {
  const candidate = source as Partial<PostgresPool>;
  return typeof candidate.connect === 'function' && typeof candidate.totalCount === 'number';
}

/** Recognises the connection source; see {@link ConnectionMode}. */
export function connectionMode(source: PostgresConnectionSource): ConnectionMode {
  if (isPGlite(source)) return 'pglite';
  if (isPool(source)) return 'pool';
  return 'client';
}

function rowsOf(result: PostgresQueryResult): unknown[] {
  return result.rows as unknown[];
}

/** `COMMIT` of a transaction that an error already aborted reports `ROLLBACK` instead of failing. */
function assertCommitted(result: PostgresQueryResult): void {
  if ((result as { command?: unknown }).command === 'ROLLBACK') {
    throw new Error(
      'The transaction was rolled back at COMMIT: a statement in it failed earlier and its error was caught. Nothing was committed.',
    );
  }
}

async function runTransaction<T>(
  connection: PostgresQueryable,
  work: (connection: PostgresQueryable) => Promise<T>,
  markBroken: (error: unknown) => void,
): Promise<T> {
  // READ COMMITTED explicitly: the append function relies on each of its statements seeing what committed
  // while it waited for a stream lock, which a host's default of REPEATABLE READ would prevent.
  await connection.query('BEGIN ISOLATION LEVEL READ COMMITTED');
  try {
    const result = await work(connection);
    assertCommitted(await connection.query('COMMIT'));
    return result;
  } catch (error) {
    if (isConnectionError(error)) {
      markBroken(error);
    } else {
      try {
        await connection.query('ROLLBACK');
      } catch (rollbackError) {
        markBroken(rollbackError);
      }
    }
    throw error;
  }
}

async function checkOut(pool: PostgresPool): Promise<PostgresPoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    if (isConnectionError(error)) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new StoreUnavailableError(`Could not get a PostgreSQL connection from the pool: ${reason}`, {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Runs `work` on a checked-out client with an `'error'` listener attached: `pg` emits `'error'` on a checked-out
 * client whose connection dies, and an unhandled `'error'` event would end the process. A broken client is
 * released with the error, so the pool discards it.
 */
async function withPoolClient<T>(
  pool: PostgresPool,
  work: (client: PostgresPoolClient, markBroken: (error: unknown) => void) => Promise<T>,
): Promise<T> {
  const client = await checkOut(pool);
  let broken: unknown;
  const markBroken = (error: unknown): void => {
    broken ??= error ?? new Error('connection lost');
  };
  const onError = (error: Error): void => markBroken(error);
  client.on?.('error', onError);
  try {
    return await work(client, markBroken);
  } catch (error) {
    if (isConnectionError(error)) markBroken(error);
    throw error;
  } finally {
    client.removeListener?.('error', onError);
    client.release(broken === undefined ? undefined : broken instanceof Error ? broken : true);
  }
}

const guardedPools = new WeakSet<object>();

/**
 * A connection killed right after it connects can emit `'error'` before anyone checked it out and listened, and
 * an unhandled `'error'` event ends the process. Every new connection of the pool gets a listener at once; the
 * failure still surfaces as `STORE_UNAVAILABLE` on the operation that uses it.
 */
function guardNewConnections(pool: PostgresPool): void {
  if (guardedPools.has(pool) || typeof pool.on !== 'function') return;
  guardedPools.add(pool);
  pool.on('connect', (client) => {
    client.on?.('error', () => undefined);
  });
}

function poolConnection(pool: PostgresPool): Connection {
  guardNewConnections(pool);
  return {
    mode: 'pool',
    localLocks: sharedFor(keyedLocks, pool, () => new KeyedLocks()),
    async query(text, params = []) {
      return rowsOf(await pool.query(text, [...params]));
    },
    transaction(work) {
      return withPoolClient(pool, (client, markBroken) => runTransaction(client, work, markBroken));
    },
    async holdSession() {
      const client = await checkOut(pool);
      let broken = false;
      const onError = (): void => {
        broken = true;
      };
      client.on?.('error', onError);
      return {
        query: (text, params) => client.query(text, params),
        release(wasBroken) {
          client.removeListener?.('error', onError);
          client.release(broken || wasBroken === true);
        },
      };
    },
    async listen(channel, onPayload, onLost) {
      const client = await checkOut(pool);
      const listener = client as PostgresPoolClient & PostgresClient;
      let released = false;
      const onNotification = (message: PostgresNotification): void => {
        if (message.channel === channel) onPayload(message.payload);
      };
      const release = (error?: unknown): void => {
        if (released) return;
        released = true;
        listener.removeListener?.('notification', onNotification);
        client.removeListener?.('error', onError);
        client.release(error === undefined ? undefined : error instanceof Error ? error : true);
      };
      const onError = (error: Error): void => {
        release(error);
        onLost(error);
      };
      client.on?.('error', onError);
      listener.on?.('notification', onNotification);
      try {
        await client.query(`LISTEN "${channel}"`);
      } catch (error) {
        release(error);
        throw error;
      }
      return async () => {
        if (released) return;
        try {
          await client.query(`UNLISTEN "${channel}"`);
          release();
        } catch (error) {
          release(error);
        }
      };
    },
    async end() {
      await pool.end?.();
    },
  };
}

function clientConnection(client: PostgresClient): Connection {
  const mutex = sharedFor(mutexes, client, () => new Mutex());
  return {
    mode: 'client',
    localLocks: sharedFor(keyedLocks, client, () => new KeyedLocks()),
    query(text, params = []) {
      return mutex.run(async () => rowsOf(await client.query(text, [...params])));
    },
    transaction(work) {
      return mutex.run(() => runTransaction(client, work, () => undefined));
    },
    holdSession: () => undefined,
    listen(channel, onPayload) {
      const on = client.on;
      if (typeof on !== 'function') return undefined;
      const onNotification = (message: PostgresNotification): void => {
        if (message.channel === channel) onPayload(message.payload);
      };
      const counts = sharedFor(listenCounts, client, () => new Map<string, number>());
      // Several stores may listen on one client: LISTEN on the first, UNLISTEN after the last, both inside the
      // mutex so the count and the session's state change together.
      return (async () => {
        on.call(client, 'notification', onNotification);
        try {
          await mutex.run(async () => {
            const count = counts.get(channel) ?? 0;
            if (count === 0) await client.query(`LISTEN "${channel}"`);
            counts.set(channel, count + 1);
          });
        } catch (error) {
          client.removeListener?.('notification', onNotification);
          throw error;
        }
        return async () => {
          client.removeListener?.('notification', onNotification);
          await mutex
            .run(async () => {
              const count = (counts.get(channel) ?? 1) - 1;
              if (count > 0) {
                counts.set(channel, count);
                return;
              }
              counts.delete(channel);
              await client.query(`UNLISTEN "${channel}"`);
            })
            .catch(() => undefined);
        };
      })();
    },
    async end() {
      await client.end?.();
    },
  };
}

function pgliteConnection(db: PostgresPGlite): Connection {
  return {
    mode: 'pglite',
    localLocks: sharedFor(keyedLocks, db, () => new KeyedLocks()),
    async query(text, params = []) {
      return rowsOf(await db.query(text, [...params]));
    },
    transaction(work) {
      return db.transaction((tx) => work(tx));
    },
    holdSession: () => undefined,
    listen(channel, onPayload) {
      if (typeof db.listen !== 'function') return undefined;
      // PGlite splices the channel into `LISTEN <channel>` as it is; ours is a plain lower-case identifier.
      return db.listen(channel, (payload) => onPayload(payload));
    },
    async end() {
      await db.close?.();
    },
  };
}

/** Wraps a connection source in a {@link Connection}. */
export function createConnection(source: PostgresConnectionSource): Connection {
  switch (connectionMode(source)) {
    case 'pglite':
      return pgliteConnection(source as PostgresPGlite);
    case 'pool':
      return poolConnection(source as PostgresPool);
    default:
      return clientConnection(source as PostgresClient);
  }
}
