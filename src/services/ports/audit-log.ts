import type { JsonValue } from '../../kernel/event.js';

/** What an audit entry records the outcome of. */
export type AuditOutcome = 'succeeded' | 'rejected' | 'notification_failed';

/** One event a use case appended, as the audit log names it. */
export interface AuditedEvent {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
}

/**
 * Who did what, when, and what came of it. Built from the metadata the ERP stamps on every event it appends
 * (`actor`, `correlationId`, `causationId`, `useCase`, `occurredAt`), so the log and the event store agree.
 */
export interface AuditEntry {
  /** When it happened (the ERP clock, ISO 8601): the events' `occurredAt`. */
  readonly at: string;
  /** Who asked: the use case's `context.actor`, or the ERP's default actor. */
  readonly actor: string;
  /** The use case, e.g. `placeOrder`, `admin.customer`. */
  readonly action: string;
  readonly correlationId: string;
  /** The id of this use-case call: the events' `causationId`. */
  readonly commandId: string;
  readonly outcome: AuditOutcome;
  /** The events appended (empty when rejected). */
  readonly events: readonly AuditedEvent[];
  /** The error codes of a rejection; the error message of a failed notification. */
  readonly errors: readonly string[];
  /** Free details (the order id, the notification kind and channel). */
  readonly details: { readonly [key: string]: JsonValue };
}

/**
 * The audit-log port. `record` is called after the outcome is known: after the commit for a success, at once for
 * a rejection. A failing `record` never undoes a committed change (the ERP reports it to `onAuditError`).
 */
export interface AuditLogPort {
  /** Stores one entry; the ERP awaits it before the use case returns. */
  record(entry: AuditEntry): void | Promise<void>;
}

/** The in-memory audit log: it keeps every entry. */
export interface InMemoryAuditLog extends AuditLogPort {
  /** Every entry so far, in order. */
  readonly entries: readonly AuditEntry[];
  /** The entries of one actor, or of one correlation id. */
  find(filter: { readonly actor?: string; readonly correlationId?: string; readonly action?: string }): AuditEntry[];
  /** Forgets every entry. */
  clear(): void;
}

/**
 * Creates an in-memory {@link AuditLogPort}, for tests, demos and single-process hosts that only need the log
 * while they run (the events themselves keep the lasting record: `actor` and `correlationId` are in their
 * metadata).
 */
export function createInMemoryAuditLog(): InMemoryAuditLog {
  const entries: AuditEntry[] = [];
  return {
    entries,
    record(entry) {
      entries.push(entry);
    },
    find(filter) {
      return entries.filter(
        (entry) =>
          (filter.actor === undefined || entry.actor === filter.actor) &&
          (filter.correlationId === undefined || entry.correlationId === filter.correlationId) &&
          (filter.action === undefined || entry.action === filter.action),
      );
    },
    clear() {
      entries.length = 0;
    },
  };
}
