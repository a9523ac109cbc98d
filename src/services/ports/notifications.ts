import type { JsonValue } from '../../kernel/event.js';

/** How a notification travels. */
export type NotificationChannel = 'email' | 'sms' | 'push';

/** What a notification is about. */
export type NotificationKind =
  | 'order_placed'
  | 'order_submitted'
  | 'order_cancelled'
  | 'order_delivered'
  | 'invoice_issued'
  | 'payment_received'
  | 'high_value_order';

/**
 * One message the ERP asks the host to send. Sent only after the change it reports has committed, so a
 * notification never announces something that was rolled back.
 */
export interface Notification {
  readonly kind: NotificationKind;
  readonly channel: NotificationChannel;
  /**
   * Who it is for, as `<kind>:<id>`: `customer:CUST-1` for the customer of the order, `role:sales-manager` for
   * staff. The host maps it to an address, a phone number or a device.
   */
  readonly recipient: string;
  /** A one-line summary (an email subject, a push title). */
  readonly subject: string;
  /** The message text. */
  readonly body: string;
  /** The figures behind it (order id, amounts as `{ amount, currency }`), for templates. */
  readonly data: { readonly [key: string]: JsonValue };
  /** The correlation id of the use-case call that caused it, to find it in the event metadata and the audit log. */
  readonly correlationId: string;
}

/**
 * The notifications port: the host sends email, SMS and push messages its own way.
 *
 * @remarks A failing `send` (a thrown error or a rejected promise) never loses or rolls back what the use case
 * committed: the ERP catches it, records it in the audit log and calls `onNotificationError`.
 */
export interface NotificationPort {
  /** Delivers one notification (or hands it to a queue); the ERP awaits it before the use case returns. */
  send(notification: Notification): void | Promise<void>;
}

/** Options of {@link createInMemoryNotifications}. */
export interface InMemoryNotificationsOptions {
  /**
   * Decides, per notification, to fail it instead of recording it: return an `Error` to throw. For tests of what
   * happens when the mail server is down. @defaultValue never fails
   */
  readonly fail?: (notification: Notification) => Error | undefined;
}

/** The in-memory notifications port: it records what it was asked to send. */
export interface InMemoryNotifications extends NotificationPort {
  /** Every notification sent so far, in order. */
  readonly sent: readonly Notification[];
  /** Forgets what was sent. */
  clear(): void;
}

/**
 * Creates an in-memory {@link NotificationPort} that keeps what it is asked to send, for tests and demos.
 *
 * @example
 * ```ts
 * const notifications = createInMemoryNotifications();
 * const erp = createErp({ store, notifications });
 * await erp.placeOrder(input);
 * notifications.sent.filter((n) => n.kind === 'high_value_order');
 * ```
 */
export function createInMemoryNotifications(options: InMemoryNotificationsOptions = {}): InMemoryNotifications {
  const sent: Notification[] = [];
  return {
    sent,
    send(notification) {
      const failure = options.fail?.(notification);
      if (failure) throw failure;
      sent.push(notification);
    },
    clear() {
      sent.length = 0;
    },
  };
}
