/**
 * The ports application services depend on, each with an in-memory implementation. Time and ids are the kernel's
 * own ports (`Clock` with `systemClock` / `createFixedClock`, `IdGenerator` with `uuidV7Ids` /
 * `createDeterministicIds`), re-exported here so a host finds every port in one place.
 *
 * @packageDocumentation
 */
export { type Clock, createFixedClock, systemClock } from '../../kernel/clock.js';
export { createDeterministicIds, type IdGenerator, uuidV7Ids } from '../../kernel/ids.js';
export {
  type AuditEntry,
  type AuditedEvent,
  type AuditLogPort,
  type AuditOutcome,
  createInMemoryAuditLog,
  type InMemoryAuditLog,
} from './audit-log.js';
export {
  createInMemoryNotifications,
  type InMemoryNotifications,
  type InMemoryNotificationsOptions,
  type Notification,
  type NotificationChannel,
  type NotificationKind,
  type NotificationPort,
} from './notifications.js';
