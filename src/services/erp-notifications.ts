import type { JsonValue } from '../kernel/event.js';
import type { ErpRuntime, UseCaseCall } from './erp-runtime.js';
import type { Notification, NotificationKind } from './ports/notifications.js';

/** @internal One notification per configured customer channel, to `customer:<customerId>`. */
export function toCustomer(
  runtime: ErpRuntime,
  call: UseCaseCall,
  customerId: string,
  message: {
    readonly kind: NotificationKind;
    readonly subject: string;
    readonly body: string;
    readonly data: { readonly [key: string]: JsonValue };
  },
): Notification[] {
  return runtime.settings.customerChannels.map((channel) => ({
    ...message,
    channel,
    recipient: `customer:${customerId}`,
    correlationId: call.correlationId,
  }));
}

/** @internal The high-value alert: one notification per configured channel and recipient. */
export function highValueAlert(
  runtime: ErpRuntime,
  call: UseCaseCall,
  message: { readonly subject: string; readonly body: string; readonly data: { readonly [key: string]: JsonValue } },
): Notification[] {
  const { highValueChannels, highValueRecipients } = runtime.settings;
  return highValueRecipients.flatMap((recipient) =>
    highValueChannels.map((channel) => ({
      kind: 'high_value_order' as const,
      ...message,
      channel,
      recipient,
      correlationId: call.correlationId,
    })),
  );
}
