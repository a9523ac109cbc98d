/**
 * Which aggregates the export reads, how it folds their streams, and which transforms turn their events into
 * rows. Internal: the public surface is the transforms and tables themselves.
 */
import { Customer, type CustomerEvent, type CustomerState } from '../domain/customer/index.js';
import { SalesInvoice, type SalesInvoiceEvent, type SalesInvoiceState } from '../domain/invoice/index.js';
import { Item, type ItemEvent, type ItemState } from '../domain/item/index.js';
import { SalesOrder, type SalesOrderEvent, type SalesOrderState } from '../domain/sales-order/index.js';
import { Stock, type StockEvent, type StockState } from '../domain/stock/index.js';
import type { EventLike, StoredEvent } from '../kernel/event.js';
import { createEventRegistry, type EventDefinition, type EventRegistry } from '../kernel/event-registry.js';
import { customerDimRows } from './star-schema/customer-dim.js';
import { inventoryMovementFactRows } from './star-schema/inventory-movement-fact.js';
import { invoiceFactRows } from './star-schema/invoice-fact.js';
import { itemDimRows } from './star-schema/item-dim.js';
import { salesOrderFactRows } from './star-schema/sales-order-fact.js';
import { salesOrderLineFactRows } from './star-schema/sales-order-line-fact.js';
import type { StoredEventOf, StreamChange } from './star-schema/star-schema-table.js';
import type { WarehouseRow } from './warehouse-schema.js';

/**
 * One aggregate the export reads, with its types erased so that sources can sit in one list. The state is
 * opaque here: only the source's own `evolve` and transforms look into it.
 */
export interface ExportSource {
  readonly name: string;
  readonly types: ReadonlySet<string>;
  readonly definitions: readonly EventDefinition[];
  readonly initialState: unknown;
  evolve(state: unknown, event: StoredEvent): unknown;
  rows(event: StoredEvent, before: unknown, after: unknown): readonly WarehouseRow[];
}

type Transform<Event extends EventLike, State> = (change: StreamChange<Event, State>) => readonly WarehouseRow[];

function defineSource<Event extends EventLike, State>(spec: {
  readonly name: string;
  readonly definitions: readonly EventDefinition[];
  readonly initialState: State;
  readonly evolve: (state: State, event: Event) => State;
  readonly transforms: readonly Transform<Event, State>[];
}): ExportSource {
  // The casts are sound because events reach a source only after its own definitions validated them, and states
  // only ever come from its own `initialState` and `evolve`.
  const typed = (event: StoredEvent) => event as unknown as StoredEventOf<Event>;
  return {
    name: spec.name,
    types: new Set(spec.definitions.map((definition) => definition.type)),
    definitions: spec.definitions,
    initialState: spec.initialState,
    evolve: (state, event) => spec.evolve(state as State, typed(event) as unknown as Event),
    rows: (event, before, after) =>
      spec.transforms.flatMap((transform) =>
        transform({ event: typed(event), before: before as State, after: after as State }),
      ),
  };
}

/** Every source, in no particular order (events are processed in global order whatever their source). */
export const EXPORT_SOURCES: readonly ExportSource[] = [
  defineSource<CustomerEvent, CustomerState>({
    name: 'customer',
    definitions: Customer.events,
    initialState: Customer.initialState,
    evolve: Customer.evolve,
    transforms: [customerDimRows],
  }),
  defineSource<ItemEvent, ItemState>({
    name: 'item',
    definitions: Item.events,
    initialState: Item.initialState,
    evolve: Item.evolve,
    transforms: [itemDimRows],
  }),
  defineSource<SalesOrderEvent, SalesOrderState>({
    name: 'sales_order',
    definitions: SalesOrder.events,
    initialState: SalesOrder.initialState,
    evolve: SalesOrder.evolve,
    transforms: [salesOrderFactRows, salesOrderLineFactRows],
  }),
  defineSource<SalesInvoiceEvent, SalesInvoiceState>({
    name: 'sales_invoice',
    definitions: SalesInvoice.events,
    initialState: SalesInvoice.initialState,
    evolve: SalesInvoice.evolve,
    transforms: [invoiceFactRows],
  }),
  defineSource<StockEvent, StockState>({
    name: 'stock',
    definitions: Stock.events,
    initialState: Stock.initialState,
    evolve: Stock.evolve,
    transforms: [inventoryMovementFactRows],
  }),
];

/** The source of each event type the export reads. */
export const SOURCE_BY_TYPE: ReadonlyMap<string, ExportSource> = new Map(
  EXPORT_SOURCES.flatMap((source) => [...source.types].map((type) => [type, source] as const)),
);

/** Every event type the export reads (the `types` filter of its `readAll`). */
export const EXPORTED_EVENT_TYPES: readonly string[] = [...SOURCE_BY_TYPE.keys()];

/** Validates (and upcasts) the events the export reads, whether or not the store has a registry of its own. */
export const EXPORT_REGISTRY: EventRegistry = createEventRegistry(
  EXPORT_SOURCES.flatMap((source) => source.definitions),
);

/** The event with its data decoded by {@link EXPORT_REGISTRY}. @throws CorruptEventError */
export function decodeForExport(event: StoredEvent): StoredEvent {
  const decoded = EXPORT_REGISTRY.decode(event);
  return { ...event, schemaVersion: decoded.schemaVersion, data: decoded.data };
}
