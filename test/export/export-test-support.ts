/**
 * Shared helpers of the warehouse export tests: an ERP writer that runs real domain commands through the
 * deciders into a store, a seeded scenario with every kind of exported event, and an in-memory sink that keeps
 * the sink contract (rows and position committed together).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Customer, type CustomerCommand } from '../../src/domain/customer/index.js';
import { SalesInvoice, type SalesInvoiceCommand } from '../../src/domain/invoice/index.js';
import { Item, type ItemCommand } from '../../src/domain/item/index.js';
import { SalesOrder, type SalesOrderCommand, type SalesOrderState } from '../../src/domain/sales-order/index.js';
import { Stock, type StockCommand } from '../../src/domain/stock/index.js';
import type {
  ExportBatch,
  ExportSink,
  ExportSinkContext,
  StoredEventOf,
  StreamChange,
  WarehouseColumn,
  WarehouseColumnType,
  WarehouseRow,
} from '../../src/export/index.js';
import { WAREHOUSE_TABLES } from '../../src/export/index.js';
import { createMemoryEventStore, type MemoryEventStore } from '../../src/index.js';
import { createFixedClock } from '../../src/kernel/clock.js';
import type { DecideContext } from '../../src/kernel/decider.js';
import type { EventLike, StoredEvent } from '../../src/kernel/event.js';
import { createEventRegistry } from '../../src/kernel/event-registry.js';
import type { EventStore } from '../../src/kernel/event-store.js';
import { createDeterministicIds } from '../../src/kernel/ids.js';

/** Reads an async iterable to the end. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Runs domain commands through the deciders and appends what they decide, with deterministic time and ids. */
export interface ErpWriter {
  customer(command: CustomerCommand): Promise<readonly StoredEvent[]>;
  item(command: ItemCommand): Promise<readonly StoredEvent[]>;
  stock(command: StockCommand): Promise<readonly StoredEvent[]>;
  order(command: SalesOrderCommand): Promise<readonly StoredEvent[]>;
  invoice(command: SalesInvoiceCommand): Promise<readonly StoredEvent[]>;
  /** The folded state of an order. */
  orderState(orderId: string): Promise<SalesOrderState>;
}

/** An {@link ErpWriter} over `store`; time starts at `start` and moves one minute per command. */
export function createErpWriter(store: EventStore, start = '2026-03-02T08:00:00.000Z', seed = 7): ErpWriter {
  const clock = createFixedClock(start, 60_000);
  const ids = createDeterministicIds(seed);
  const context = (): DecideContext => ({ now: clock.now(), newId: () => ids.next() });

  /** The writer is the only one writing, so it keeps each stream's state instead of refolding it per command. */
  const known = new Map<string, { readonly version: number; readonly state: unknown }>();

  async function execute<State, Event extends EventLike>(
    streamId: string,
    initialState: State,
    evolve: (state: State, event: Event) => State,
    decide: (state: State, ctx: DecideContext) => readonly Event[],
  ): Promise<readonly StoredEvent[]> {
    let entry = known.get(streamId) as { readonly version: number; readonly state: State } | undefined;
    if (!entry) {
      const history = await collect(store.readStream(streamId));
      const state = history.reduce((current, event) => evolve(current, event as unknown as Event), initialState);
      entry = { version: history.length, state };
    }
    const ctx = context();
    const events = decide(entry.state, ctx);
    if (events.length === 0) return [];
    await store.appendToStream(
      streamId,
      events.map((event) => ({ type: event.type, data: event.data, metadata: { occurredAt: ctx.now.toISOString() } })),
      { expectedVersion: entry.version === 0 ? 'no_stream' : entry.version },
    );
    known.set(streamId, { version: entry.version + events.length, state: events.reduce(evolve, entry.state) });
    return collect(store.readStream(streamId, { fromVersion: entry.version + 1 }));
  }

  return {
    customer: (command) =>
      execute(Customer.streamId(command.customerId), Customer.initialState, Customer.evolve, (state, ctx) =>
        Customer.decide(command, state, ctx),
      ),
    item: (command) =>
      execute(Item.streamId(command.itemCode), Item.initialState, Item.evolve, (state, ctx) =>
        Item.decide(command, state, ctx),
      ),
    stock: (command) =>
      execute(Stock.streamId(command.itemCode, command.warehouse), Stock.initialState, Stock.evolve, (state, ctx) =>
        Stock.decide(command, state, ctx),
      ),
    order: (command) =>
      execute(SalesOrder.streamId(command.data.orderId), SalesOrder.initialState, SalesOrder.evolve, (state, ctx) =>
        SalesOrder.decide(command, state, ctx),
      ),
    invoice: (command) =>
      execute(SalesInvoice.streamId(command.invoiceId), SalesInvoice.initialState, SalesInvoice.evolve, (state, ctx) =>
        SalesInvoice.decide(command, state, ctx),
      ),
    async orderState(orderId) {
      const events = await collect(store.readStream(SalesOrder.streamId(orderId)));
      return events.reduce(
        (state, event) => SalesOrder.evolve(state, event as unknown as Parameters<typeof SalesOrder.evolve>[1]),
        SalesOrder.initialState,
      );
    },
  };
}

/** xorshift32: a reproducible source of choices for scenarios. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

/** What {@link seedErp} writes. */
export interface ErpScenarioOptions {
  readonly orders: number;
  readonly seed?: number;
  /** Orders are numbered from this one, so a second call adds new orders. @defaultValue `1` */
  readonly firstOrder?: number;
  /** Register customers, items and opening stock. @defaultValue `true` */
  readonly masterData?: boolean;
}

export const CUSTOMERS = ['C-1', 'C-2', 'C-3'] as const;
export const ITEMS = ['WIDGET', 'GADGET', 'BOLT'] as const;
export const WAREHOUSE = 'Main';

/**
 * A varied ERP history: customers (one with commas, quotes, a line break and non-ASCII in its name), items,
 * opening stock, then orders that are submitted with reservations, and then delivered, invoiced, paid, put on
 * hold or cancelled, with customer and item changes in between.
 */
export async function seedErp(writer: ErpWriter, options: ErpScenarioOptions): Promise<void> {
  const random = seededRandom(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  if (options.masterData ?? true) {
    await writer.customer({
      type: 'RegisterCustomer',
      customerId: 'C-1',
      name: 'Müller, "Acme" & Söhne\nGmbH 😀',
      customerGroup: 'Commercial',
      billingAddress: { line1: 'Hauptstraße 1', city: 'Zürich', postalCode: '8001', country: 'CH' },
    });
    await writer.customer({ type: 'RegisterCustomer', customerId: 'C-2', name: 'Beta Ltd', customerGroup: 'Retail' });
    await writer.customer({ type: 'RegisterCustomer', customerId: 'C-3', name: 'Gamma', customerGroup: 'Retail' });
    for (const [index, itemCode] of ITEMS.entries()) {
      await writer.item({
        type: 'RegisterItem',
        itemCode,
        name: `${itemCode.toLowerCase()}, standard`,
        itemGroup: 'Products',
        stockUnit: 'Nos',
        standardRate: { amount: `${index + 1}0.00`, currency: 'EUR' },
      });
      await writer.stock({ type: 'ReceiveStock', itemCode, warehouse: WAREHOUSE, qty: '100000', reference: 'OPENING' });
    }
  }
  const first = options.firstOrder ?? 1;
  for (let number = first; number < first + options.orders; number++) {
    const orderId = `SO-${number}`;
    const customerId = pick(CUSTOMERS);
    await writer.order({
      type: 'CreateSalesOrder',
      data: { orderId, customerId, company: 'Acme', currency: 'EUR', deliveryDate: '2026-04-01' },
    });
    const lines = 1 + Math.floor(random() * 3);
    for (let line = 1; line <= lines; line++) {
      await writer.order({
        type: 'AddSalesOrderLine',
        data: {
          orderId,
          line: {
            lineId: `L${line}`,
            itemCode: pick(ITEMS),
            qty: String(1 + Math.floor(random() * 9)),
            uom: 'Nos',
            rate: `${1 + Math.floor(random() * 50)}.${Math.floor(random() * 90) + 10}`,
            warehouse: WAREHOUSE,
          },
        },
      });
    }
    if (random() < 0.3) {
      await writer.order({
        type: 'SetSalesOrderDiscount',
        data: { orderId, discount: { kind: 'percentage', percentage: '5' } },
      });
    }
    if (random() < 0.5) {
      await writer.order({
        type: 'AddSalesOrderTax',
        data: { orderId, tax: { taxId: 'VAT', description: 'VAT 19 %', kind: 'on_net_total', rate: '19' } },
      });
    }
    if (random() < 0.15) continue; // stays a draft: no fact rows
    await writer.order({ type: 'SubmitSalesOrder', data: { orderId } });
    const order = await writer.orderState(orderId);
    if (!order.exists) throw new Error(`order ${orderId} vanished`);
    for (const line of order.lines) {
      await writer.stock({
        type: 'ReserveStock',
        itemCode: line.itemCode,
        warehouse: WAREHOUSE,
        orderId,
        lineId: line.lineId,
        qty: line.qty,
      });
    }
    const fate = random();
    if (fate < 0.15) {
      await writer.order({ type: 'CancelSalesOrder', data: { orderId, reason: 'customer changed their mind' } });
      for (const line of order.lines) {
        await writer.stock({
          type: 'ReleaseStockReservation',
          itemCode: line.itemCode,
          warehouse: WAREHOUSE,
          orderId,
          lineId: line.lineId,
          reason: 'cancelled',
        });
      }
      continue;
    }
    if (fate < 0.25) {
      await writer.order({ type: 'HoldSalesOrder', data: { orderId, reason: 'credit check' } });
      await writer.order({ type: 'ResumeSalesOrder', data: { orderId } });
    }
    const delivered = order.lines.filter(() => random() < 0.7);
    if (delivered.length > 0) {
      for (const line of delivered) {
        await writer.stock({
          type: 'DeliverStock',
          itemCode: line.itemCode,
          warehouse: WAREHOUSE,
          orderId,
          lineId: line.lineId,
          qty: line.qty,
          reference: `DN-${number}`,
        });
      }
      await writer.order({
        type: 'RecordSalesOrderDelivery',
        data: {
          orderId,
          reference: `DN-${number}`,
          lines: delivered.map((line) => ({ lineId: line.lineId, qty: line.qty })),
        },
      });
    }
    if (random() < 0.6) {
      const invoiceId = `SINV-${number}`;
      const [created] = await writer.invoice({
        type: 'CreateSalesInvoice',
        invoiceId,
        customerId,
        company: 'Acme',
        salesOrderId: orderId,
        currency: 'EUR',
        postingDate: '2026-03-10',
        dueDate: '2026-04-09',
        lines: order.lines.map((line) => ({
          orderLineId: line.lineId,
          itemCode: line.itemCode,
          qty: line.qty,
          rate: { amount: line.rate, currency: 'EUR' },
          amount: { amount: line.amount, currency: 'EUR' },
          unbilledAmount: { amount: line.amount, currency: 'EUR' },
        })),
      });
      await writer.order({
        type: 'RecordSalesOrderBilling',
        data: {
          orderId,
          reference: invoiceId,
          lines: order.lines.map((line) => ({ lineId: line.lineId, amount: line.amount })),
        },
      });
      const total = (created?.data as { total: { amount: string } } | undefined)?.total.amount ?? '0';
      const paying = random();
      if (paying < 0.4) {
        await writer.invoice({
          type: 'ApplyPaymentToInvoice',
          invoiceId,
          paymentId: `PAY-${number}`,
          amount: { amount: total, currency: 'EUR' },
        });
      } else if (paying < 0.6 && Number.parseFloat(total) >= 2) {
        await writer.invoice({
          type: 'ApplyPaymentToInvoice',
          invoiceId,
          paymentId: `PAY-${number}-a`,
          amount: { amount: '1.00', currency: 'EUR' },
        });
      }
    }
    if (random() < 0.1) {
      await writer.customer({
        type: 'ChangeCustomerDetails',
        customerId,
        customerGroup: random() < 0.5 ? 'VIP' : 'Retail',
      });
    }
    if (random() < 0.05) {
      const itemCode = pick(ITEMS);
      await writer.item({
        type: 'SetItemStandardRate',
        itemCode,
        standardRate: { amount: `${number}.50`, currency: 'EUR' },
      });
    }
  }
}

/**
 * A sink that keeps rows in memory and honours the sink contract: a batch's rows and position commit together,
 * and a batch that does not follow the committed position is refused. `failOnBatch` makes the n-th write
 * (1-based, counted across runs) throw before committing, to stand in for a crash.
 */
export function createMemorySink(options: { failOnBatch?: number } = {}): ExportSink & {
  readonly rows: WarehouseRow[];
  readonly batches: ExportBatch[];
  readonly position: number;
  readonly contexts: ExportSinkContext[];
  opens: number;
  closes: number;
} {
  let position = 0;
  let writes = 0;
  const rows: WarehouseRow[] = [];
  const batches: ExportBatch[] = [];
  const contexts: ExportSinkContext[] = [];
  return {
    rows,
    batches,
    contexts,
    opens: 0,
    closes: 0,
    get position() {
      return position;
    },
    async open(context) {
      this.opens += 1;
      contexts.push(context);
      return { position };
    },
    async write(batch) {
      writes += 1;
      if (writes === options.failOnBatch) throw new Error(`batch ${writes} failed`);
      if (batch.fromPosition !== position) throw new Error(`batch from ${batch.fromPosition}, sink at ${position}`);
      rows.push(...batch.rows);
      batches.push(batch);
      position = batch.toPosition;
    },
    async close() {
      this.closes += 1;
    },
  };
}

/** Every domain event definition the export reads, so a test store validates what the deciders write. */
export function createValidatingStore(): MemoryEventStore {
  return createMemoryEventStore({
    registry: createEventRegistry([
      ...Customer.events,
      ...Item.events,
      ...Stock.events,
      ...SalesOrder.events,
      ...SalesInvoice.events,
    ]),
    clock: createFixedClock('2026-03-02T08:00:00.000Z', 1000),
    ids: createDeterministicIds(99),
  });
}

/** The `{ event, before, after }` of every event of a stream, folded with `evolve`. */
export async function streamChanges<State, Event extends EventLike>(
  store: EventStore,
  streamId: string,
  initialState: State,
  evolve: (state: State, event: Event) => State,
): Promise<StreamChange<Event, State>[]> {
  const changes: StreamChange<Event, State>[] = [];
  let state = initialState;
  for (const event of await collect(store.readStream(streamId))) {
    const typed = event as unknown as StoredEventOf<Event>;
    const after = evolve(state, typed as unknown as Event);
    changes.push({ event: typed, before: state, after });
    state = after;
  }
  return changes;
}

const CELL_PATTERNS: Readonly<Record<WarehouseColumnType, (value: unknown) => boolean>> = {
  text: (value) => typeof value === 'string',
  decimal: (value) => typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value),
  integer: (value) => typeof value === 'number' && Number.isSafeInteger(value),
  boolean: (value) => typeof value === 'boolean',
  date: (value) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value),
  timestamp: (value) => typeof value === 'string' && !Number.isNaN(Date.parse(value)) && value.includes('T'),
};

/**
 * Every way `rows` break their tables' definitions (missing or extra columns, a cell of the wrong type, a null
 * in a non-nullable column, a key that is not the row_key); empty when they keep them.
 */
export function rowShapeProblems(rows: readonly WarehouseRow[]): string[] {
  const problems: string[] = [];
  for (const row of rows) {
    const table = WAREHOUSE_TABLES.find((candidate) => candidate.name === row.table);
    if (!table) {
      problems.push(`${row.key}: unknown table ${row.table}`);
      continue;
    }
    const values = row.values as Readonly<Record<string, unknown>>;
    const names: readonly string[] = (table.columns as readonly WarehouseColumn[]).map((column) => column.name);
    const extra = Object.keys(values).filter((key) => !names.includes(key));
    if (extra.length > 0) problems.push(`${row.key}: extra columns ${extra.join(', ')}`);
    for (const column of table.columns as readonly WarehouseColumn[]) {
      const value = values[column.name];
      if (value === null && column.nullable) continue;
      if (!CELL_PATTERNS[column.type](value)) problems.push(`${row.key}: ${column.name} = ${JSON.stringify(value)}`);
    }
    if (values.row_key !== row.key) problems.push(`${row.key}: row_key ${String(values.row_key)}`);
  }
  return problems;
}

/** A fresh temporary directory, and a way to remove it. */
export function tempDirectory(prefix = 'ordo-export-'): { readonly path: string; dispose(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Parses RFC 4180 CSV (quoted fields, doubled quotes, line breaks inside quotes) into records of raw fields,
 * telling a quoted empty field (`""` → `''`) from an empty one (→ `null`). Test-only: it reads back what the CSV
 * sink wrote, to check csv-stringify's quoting round-trips.
 */
export function parseCsv(text: string): (string | null)[][] {
  const records: (string | null)[][] = [];
  let record: (string | null)[] = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  const endField = () => {
    record.push(quoted || field !== '' ? field : null);
    field = '';
    quoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (inQuotes) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') inQuotes = false;
      else field += char;
    } else if (char === '"') {
      inQuotes = true;
      quoted = true;
    } else if (char === ',') endField();
    else if (char === '\n') {
      endField();
      records.push(record);
      record = [];
    } else field += char;
  }
  if (field !== '' || quoted || record.length > 0) {
    endField();
    records.push(record);
  }
  return records;
}
