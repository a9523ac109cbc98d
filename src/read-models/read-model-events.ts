/**
 * Decoding of the events the ERP read models handle. A store without a registry hands out whatever was stored;
 * the read models must not fold malformed data (a `TypeError` halfway through a handler, or wrong figures written
 * without any error). Every event is validated (and upcast) with the aggregates' own event definitions before a
 * handler sees it, so malformed data is a `CORRUPT_EVENT` naming stream, version and type, raised before anything
 * is written. @internal
 */
import { customerEvents } from '../domain/customer/index.js';
import { salesInvoiceEvents } from '../domain/invoice/index.js';
import { salesOrderEventDefinitions } from '../domain/sales-order/index.js';
import { stockEvents } from '../domain/stock/index.js';
import type { StoredEvent } from '../kernel/event.js';
import { createEventRegistry, type EventRegistry } from '../kernel/event-registry.js';

/** The definitions of every event type a built-in read model handles (a superset of them). */
const READ_MODEL_REGISTRY: EventRegistry = createEventRegistry([
  ...salesOrderEventDefinitions,
  ...stockEvents,
  ...salesInvoiceEvents,
  ...customerEvents,
]);

/**
 * Decoded events by the stored event they came from: the read models of one store share the event objects an
 * inline append (or the in-memory store) hands out, so each is decoded once, not once per read model.
 */
const decodedEvents = new WeakMap<StoredEvent, StoredEvent>();

/**
 * The event with its data validated and upcast by the aggregates' definitions.
 * @throws CorruptEventError (`CORRUPT_EVENT`, naming stream, version and type) when the data does not match.
 */
export function decodeReadModelEvent(event: StoredEvent): StoredEvent {
  const cached = decodedEvents.get(event);
  if (cached !== undefined) return cached;
  const decoded = READ_MODEL_REGISTRY.decode(event);
  const result: StoredEvent = Object.freeze({ ...event, schemaVersion: decoded.schemaVersion, data: decoded.data });
  decodedEvents.set(event, result);
  return result;
}

/** The handlers, each decoding its event first (see {@link decodeReadModelEvent}). */
export function decodingHandlers<First, Result>(
  handlers: Readonly<Record<string, (first: First, event: StoredEvent) => Result>>,
): Record<string, (first: First, event: StoredEvent) => Result> {
  return Object.fromEntries(
    Object.entries(handlers).map(([type, handle]) => [
      type,
      (first: First, event: StoredEvent) => handle(first, decodeReadModelEvent(event)),
    ]),
  );
}
