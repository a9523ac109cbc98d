import type { EventStore } from './event-store.js';

/** Checkpoint reads and writes inside a transaction, so a read-model change and its checkpoint commit together. */
export interface CheckpointTransaction {
  /** The subscriber's checkpoint as seen inside the transaction. */
  getCheckpoint(subscriberId: string): Promise<number | undefined>;
  /** Records the checkpoint as part of the transaction: it commits or rolls back with everything else. */
  saveCheckpoint(subscriberId: string, position: number): Promise<void>;
}

/**
 * An event store that can run arbitrary work in one transaction, with checkpoints written in it. Async
 * projections use it to apply a batch of events to their read model and move their checkpoint atomically,
 * so a crash neither skips nor double-applies an event. Every built-in store implements it.
 */
export interface TransactionalEventStore<Tx extends CheckpointTransaction = CheckpointTransaction>
  extends EventStore<Tx> {
  /** Runs `work` in one transaction: all its writes commit together, or none do if it throws. */
  withTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

/** A store that tells listeners when events commit, so followers wake without polling. */
export interface CommitNotifier {
  /** Calls `listener` after each commit (possibly coalesced); returns a function that stops the calls. */
  onCommit(listener: () => void): () => void;
}

/** True when the store implements {@link TransactionalEventStore}. */
export function isTransactionalStore(store: EventStore): store is TransactionalEventStore {
  return typeof (store as Partial<TransactionalEventStore>).withTransaction === 'function';
}

/** True when the store implements {@link CommitNotifier}. */
export function isCommitNotifier(store: object): store is CommitNotifier {
  return typeof (store as Partial<CommitNotifier>).onCommit === 'function';
}
