/**
 * Commit wake-ups for followers: this store's own commits at once, other processes' commits through
 * `LISTEN`/`NOTIFY` when the connection can listen, and a poll of the safe head as the fallback that also
 * covers reconnections and events that became readable without a notification of their own.
 */
import type { PostgresCommitNotice, PostgresCommitSource } from './postgres-config.js';
import type { Connection } from './postgres-connection.js';

/** What the notifier needs from the store. */
export interface CommitNotifierConfig {
  readonly connection: Connection;
  readonly channel: string;
  /** `false` when notifications are turned off: only local commits and the poll wake listeners. */
  readonly listen: boolean;
  readonly pollIntervalMs: number;
  /** The highest position a reader may safely see now. */
  readSafeHead(): Promise<number>;
}

/** The store's side of the notifier. */
export interface CommitNotifierHandle {
  /** Adds a listener; returns a function that removes it. */
  add(listener: (notice: PostgresCommitNotice) => void): () => void;
  /** Tells listeners about a commit made by this store. */
  local(position: number): void;
  /** Stops listening and polling for good. */
  close(): Promise<void>;
}

/** Creates the notifier; it connects only while it has listeners. */
export function createCommitNotifier(config: CommitNotifierConfig): CommitNotifierHandle {
  const listeners = new Set<(notice: PostgresCommitNotice) => void>();
  let closed = false;
  let pollTimer: ReturnType<typeof setInterval> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let stopListening: Promise<(() => Promise<void>) | undefined> | undefined;
  let lastPolledHead = -1;
  let polling = false;

  const emit = (source: PostgresCommitSource, position: number | undefined): void => {
    const notice: PostgresCommitNotice = { source, position };
    for (const listener of [...listeners]) {
      try {
        listener(notice);
      } catch {
        // A listener's failure is its own business; the commit has happened and others must still hear of it.
      }
    }
  };

  const parsePosition = (payload: string | undefined): number | undefined => {
    const value = payload === undefined ? Number.NaN : Number(payload);
    return Number.isSafeInteger(value) ? value : undefined;
  };

  const active = (): boolean => !closed && listeners.size > 0;

  const startListening = (): void => {
    if (!config.listen || stopListening || !active()) return;
    const started = config.connection.listen(
      config.channel,
      (payload) => emit('notify', parsePosition(payload)),
      () => {
        // The listening connection died: forget it and try again later; the poll covers the gap.
        stopListening = undefined;
        scheduleRetry();
      },
    );
    if (!started) return;
    stopListening = started.then(
      (stop) => stop,
      () => {
        stopListening = undefined;
        scheduleRetry();
        return undefined;
      },
    );
  };

  const scheduleRetry = (): void => {
    if (retryTimer || !active()) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      startListening();
    }, config.pollIntervalMs);
    retryTimer.unref?.();
  };

  const poll = async (): Promise<void> => {
    if (polling || !active()) return;
    polling = true;
    try {
      const head = await config.readSafeHead();
      if (head !== lastPolledHead) {
        lastPolledHead = head;
        if (active()) emit('poll', head);
      }
    } catch {
      // Unavailable for now: the next tick tries again.
    } finally {
      polling = false;
    }
  };

  const start = (): void => {
    startListening();
    if (!pollTimer) {
      pollTimer = setInterval(() => void poll(), config.pollIntervalMs);
      pollTimer.unref?.();
    }
  };

  const stop = async (): Promise<void> => {
    if (pollTimer) clearInterval(pollTimer);
    if (retryTimer) clearTimeout(retryTimer);
    pollTimer = undefined;
    retryTimer = undefined;
    lastPolledHead = -1;
    const pending = stopListening;
    stopListening = undefined;
    const unlisten = await pending?.catch(() => undefined);
    await unlisten?.().catch(() => undefined);
  };

  return {
    add(listener) {
      listeners.add(listener);
      if (!closed) start();
      return () => {
        if (!listeners.delete(listener)) return;
        if (listeners.size === 0) void stop();
      };
    },
    local(position) {
      if (!closed) emit('local', position);
    },
    async close() {
      closed = true;
      listeners.clear();
      await stop();
    },
  };
}
