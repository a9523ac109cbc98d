/**
 * The events every workload writes, and how a raw baseline turns one into a row. Store and baseline get
 * the same events from the same function, so both sides write the same bytes.
 */
import type { NewEvent } from 'ordo';
import { v7 as uuidV7 } from 'uuid';

/** The stream id of the `index`-th benchmark stream. Zero-padded so ids sort like their numbers. */
export function streamIdOf(prefix: string, index: number): string {
  return `${prefix}-${String(index).padStart(7, '0')}`;
}

/**
 * An order-line-like event of about 250 bytes of JSON: strings for money and quantities (as the domain
 * stores them), a nested object, and the metadata a command handler stamps.
 */
export function benchEvent(streamIndex: number, version: number): NewEvent {
  return {
    type: 'SalesOrderLineAdded',
    data: {
      orderId: `SO-${streamIndex}`,
      line: version,
      itemCode: `ITEM-${(streamIndex * 7 + version) % 500}`,
      qty: String((version % 9) + 1),
      rate: { amount: '12.50', currency: 'USD' },
      warehouse: 'Stores - WH',
    },
    metadata: { actor: 'bench', correlationId: `corr-${streamIndex}` },
  };
}

/** `count` consecutive events of one stream, versions `firstVersion ...`. */
export function benchEvents(streamIndex: number, firstVersion: number, count: number): NewEvent[] {
  const events: NewEvent[] = new Array(count);
  for (let i = 0; i < count; i++) events[i] = benchEvent(streamIndex, firstVersion + i);
  return events;
}

/** A row as the SQL baselines insert it: the adapters' columns, JSON as text. */
export interface EncodedRow {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: string;
  readonly metadata: string;
  readonly recordedAt: string;
}

/**
 * What any store must do to an event before writing it, and no more: a UUID v7 id, the ISO timestamp,
 * `occurredAt` defaulted into the metadata, and the JSON text of data and metadata.
 */
export function encodeRow(streamId: string, streamVersion: number, event: NewEvent, recordedAt: string): EncodedRow {
  return {
    eventId: event.eventId ?? uuidV7(),
    streamId,
    streamVersion,
    type: event.type,
    schemaVersion: 1,
    data: JSON.stringify(event.data),
    metadata: JSON.stringify({ ...event.metadata, occurredAt: event.metadata?.occurredAt ?? recordedAt }),
    recordedAt,
  };
}

/** A new UUID v7, for baselines that do not go through {@link encodeRow}. */
export const newEventId = (): string => uuidV7();
