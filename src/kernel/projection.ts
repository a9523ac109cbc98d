import { ValidationError, type ValidationIssue } from './errors.js';
import type { StoredEvent } from './event.js';
import { MAX_NAME_LENGTH } from './store-support.js';

/**
 * Applies one event to a read model, inside a transaction. `tx` is the store's transaction handle: a SQL
 * read model writes its tables through it, so the change commits (or rolls back) with the checkpoint, or
 * with the append when the projection runs inline.
 *
 * @remarks Declared so that a handler may narrow `event` (`(tx, event: StoredEvent<'Deposited', { amount: string }>) => ...`).
 */
export type ProjectionHandler<Tx> = {
  /** `(tx, event) => void | Promise<void>`; a method, so that its parameters are checked bivariantly. */
  bivarianceHack(tx: Tx, event: StoredEvent): void | Promise<void>;
}['bivarianceHack'];

/** A projection's handlers, keyed by event type. Events of other types are not read at all. */
export type ProjectionHandlers<Tx> = {
  /** The handler for events of type `eventType`. */
  readonly [eventType: string]: ProjectionHandler<Tx>;
};

/** What {@link defineProjection} takes. */
export interface ProjectionDefinition<Tx> {
  /** Unique among projections of a store; its checkpoints are `projection:<name>` and `projection:<name>#version`. */
  readonly name: string;
  /**
   * The version of the read model's logic and shape. Bump it when a handler changes meaning: the runner then
   * resets the read model and rebuilds it from position 0.
   * @defaultValue `1`
   */
  readonly version?: number;
  /** What to do with each event type, given the transaction handle. Other types are not read. */
  readonly handlers: ProjectionHandlers<Tx>;
  /**
   * Prepares the read model (create tables if missing, start from an empty state). Runs in a transaction,
   * before the first event, and again after `reset` when rebuilding. @defaultValue nothing to prepare
   */
  readonly init?: (tx: Tx) => void | Promise<void>;
  /**
   * Throws the read model's data away before a rebuild (truncate, drop), in the same transaction that moves
   * the checkpoint back to 0. A projection that neither resets nor re-initialises its data counts everything
   * twice on rebuild. @defaultValue nothing to reset
   */
  readonly reset?: (tx: Tx) => void | Promise<void>;
}

/**
 * A named set of event handlers over a read model, run inline ({@link withInlineProjections}) or async
 * ({@link createProjectionRunner}). Make it with {@link defineProjection} or {@link defineStateProjection}.
 */
export interface Projection<Tx = unknown> {
  /** See {@link ProjectionDefinition.name}. */
  readonly name: string;
  /** See {@link ProjectionDefinition.version}. */
  readonly version: number;
  /** Handlers per event type. */
  readonly handlers: ProjectionHandlers<Tx>;
  /** The event types the projection handles (the keys of `handlers`). */
  readonly types: readonly string[];
  /** See {@link ProjectionDefinition.init}. */
  readonly init?: (tx: Tx) => void | Promise<void>;
  /** See {@link ProjectionDefinition.reset}. */
  readonly reset?: (tx: Tx) => void | Promise<void>;
}

/** Longest projection name, leaving room for the checkpoint prefix and suffix. */
const MAX_PROJECTION_NAME = MAX_NAME_LENGTH - 32;

/**
 * Defines a projection: handlers per event type that write a read model through the store's transaction
 * handle `Tx`.
 *
 * @example
 * ```ts
 * const totals = defineProjection({
 *   name: 'book-totals',
 *   version: 2,
 *   init: (tx: SqliteTransaction) => tx.database.exec('CREATE TABLE IF NOT EXISTS totals (...)'),
 *   reset: (tx) => tx.database.exec('DELETE FROM totals'),
 *   handlers: {
 *     BookBorrowed: (tx, event) => tx.database.prepare('INSERT INTO totals ...').run(...),
 *   },
 * });
 * ```
 */
export function defineProjection<Tx>(definition: ProjectionDefinition<Tx>): Projection<Tx> {
  const issues: ValidationIssue[] = [];
  const { name, handlers } = definition ?? ({} as ProjectionDefinition<Tx>);
  const version = definition?.version ?? 1;
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_PROJECTION_NAME || name.includes('#')) {
    issues.push({
      path: ['name'],
      message: `must be a non-empty string of at most ${MAX_PROJECTION_NAME} characters without "#"`,
      code: 'invalid_value',
    });
  }
  // Version 0 is how the runner marks "being rebuilt", so real versions start at 1.
  if (!(Number.isSafeInteger(version) && version >= 1)) {
    issues.push({ path: ['version'], message: 'must be a positive integer', code: 'invalid_value' });
  }
  if (typeof handlers !== 'object' || handlers === null || Object.keys(handlers).length === 0) {
    issues.push({
      path: ['handlers'],
      message: 'must map at least one event type to a handler',
      code: 'invalid_value',
    });
  } else {
    for (const [type, handler] of Object.entries(handlers)) {
      if (typeof handler !== 'function') {
        issues.push({ path: ['handlers', type], message: 'must be a function', code: 'invalid_type' });
      }
    }
  }
  for (const hook of ['init', 'reset'] as const) {
    if (definition?.[hook] !== undefined && typeof definition[hook] !== 'function') {
      issues.push({ path: [hook], message: 'must be a function', code: 'invalid_type' });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return Object.freeze({
    name,
    version,
    handlers: Object.freeze({ ...handlers }),
    types: Object.freeze(Object.keys(handlers)),
    ...(definition.init ? { init: definition.init } : {}),
    ...(definition.reset ? { reset: definition.reset } : {}),
  });
}

/** The checkpoint holding the last global position a projection has applied. */
export function projectionCheckpointId(name: string): string {
  return `projection:${name}`;
}

/**
 * The checkpoint holding the version of the read model that is live (caught up and maintained), `0` while
 * a rebuild is under way.
 */
export function projectionVersionId(name: string): string {
  return `projection:${name}#version`;
}

/** The checkpoint holding the version a rebuild under way is building, so a restarted rebuild resumes. */
export function projectionRebuildId(name: string): string {
  return `projection:${name}#rebuild`;
}

/**
 * The checkpoint holding the last position an inline append left to a build under way (it stood aside
 * because the projection was not live). A build only goes live once it has covered that position.
 */
export function projectionDeferredId(name: string): string {
  return `projection:${name}#deferred`;
}

/** Applies events to a projection inside `tx`, in order, skipping types it does not handle. @internal */
export async function applyToProjection<Tx>(
  projection: Projection<Tx>,
  tx: Tx,
  events: readonly StoredEvent[],
): Promise<number> {
  let applied = 0;
  for (const event of events) {
    const handler = projection.handlers[event.type];
    if (!handler || !Object.hasOwn(projection.handlers, event.type)) continue;
    await handler(tx, event);
    applied += 1;
  }
  return applied;
}

/** Throws `VALIDATION_FAILED` when two projections share a name. @internal */
export function assertDistinctNames(projections: readonly Projection<never>[]): void {
  const seen = new Set<string>();
  projections.forEach((projection, index) => {
    if (seen.has(projection.name)) {
      throw new ValidationError([
        { path: ['projections', index, 'name'], message: 'two projections have this name', code: 'duplicate' },
      ]);
    }
    seen.add(projection.name);
  });
}
