/**
 * In-process coordination of writers. SQLite lets one connection write at a time and `better-sqlite3` waits
 * for the lock synchronously, blocking the event loop. That is fine between processes, but inside one
 * process it would deadlock-until-timeout: a connection waiting for the lock blocks the very event loop the
 * lock holder (an append with an async hook) needs to finish. So writers in one process queue on an async
 * gate first, shared by every connection to the same file, and only ever wait on SQLite for other processes.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { resolve } from 'node:path';
import type { SqliteDatabase } from './sqlite-config.js';

/** A FIFO async mutex. The holder may hand it straight to the next waiter, so nobody can barge in between. */
export class WriteGate {
  #locked = false;
  readonly #waiters: (() => void)[] = [];

  /** True while someone holds the gate. */
  get locked(): boolean {
    return this.#locked;
  }

  /** Takes the gate if it is free, synchronously; false when it is held. */
  tryAcquire(): boolean {
    if (this.#locked) return false;
    this.#locked = true;
    return true;
  }

  /** Resolves once the caller holds the gate. */
  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise<void>((resolveTurn) => this.#waiters.push(resolveTurn));
  }

  /** Gives the gate to the next waiter, or frees it. */
  release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }
}

/** State shared by every connection of this process to one database file (or by one in-memory connection). */
export interface SharedDatabaseState {
  /** Writers to the file in this process take turns here. */
  readonly gate: WriteGate;
  /** Called after each append commit in this process. */
  readonly listeners: Set<() => void>;
}

/** State of one connection. */
export interface ConnectionState {
  /** Replaced when the connection is retained again after every store on its file had closed. */
  shared: SharedDatabaseState;
  /** True while a transaction of the store (an append's, across its hook, or `withTransaction`'s) is open. */
  transactionOpen: boolean;
  /**
   * While an append's transaction is open across an async hook, the lowest position it wrote. Reads on this
   * connection run inside that transaction and would see its rows, so they stop below this position: a
   * reader sees only what has committed, as on any other connection.
   */
  uncommittedFrom: number | undefined;
}

interface FileEntry {
  readonly state: SharedDatabaseState;
  references: number;
}

const byFile = new Map<string, FileEntry>();
const byConnection = new WeakMap<SqliteDatabase, ConnectionState>();

/** The file a connection writes to, when it is a file at all (two handles on one file share a key). */
function fileKey(database: SqliteDatabase): string | undefined {
  if (database.memory || database.name === '' || database.name === ':memory:') return undefined;
  return resolve(database.name);
}

function newSharedState(): SharedDatabaseState {
  return { gate: new WriteGate(), listeners: new Set() };
}

/**
 * The state of a connection, created on first use. Each call must be matched by one {@link releaseConnection}
 * so that the per-file entry is dropped when the last store on the file closes.
 */
export function retainConnection(database: SqliteDatabase): ConnectionState {
  const key = fileKey(database);
  let shared: SharedDatabaseState;
  if (key === undefined) {
    shared = byConnection.get(database)?.shared ?? newSharedState();
  } else {
    let entry = byFile.get(key);
    if (!entry) {
      entry = { state: newSharedState(), references: 0 };
      byFile.set(key, entry);
    }
    entry.references += 1;
    shared = entry.state;
  }
  const connection = byConnection.get(database);
  if (!connection) {
    const created: ConnectionState = { shared, transactionOpen: false, uncommittedFrom: undefined };
    byConnection.set(database, created);
    return created;
  }
  connection.shared = shared;
  return connection;
}

/** Undoes one {@link retainConnection}. */
export function releaseConnection(database: SqliteDatabase): void {
  const key = fileKey(database);
  if (key === undefined) return;
  const entry = byFile.get(key);
  if (!entry) return;
  entry.references -= 1;
  if (entry.references <= 0) byFile.delete(key);
}

/**
 * Set while a `beforeCommit` hook or `withTransaction` work runs, to the connection whose transaction is
 * open. Store calls made from inside on that connection join the transaction instead of queueing behind it
 * (which would never end), and calls that would need the write lock it holds fail fast instead of waiting
 * forever.
 */
export const hookScope = new AsyncLocalStorage<ConnectionState>();
