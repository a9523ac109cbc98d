// The warehouse export, runnable: `npx tsx examples/warehouse-export.ts`.
// An ERP history written through the deciders, exported to CSV with progress, exported again incrementally after
// more events, exported "as of" an earlier position to JSONL, and loaded by a host's own sink that stores its
// position with the rows. Everything goes to a temporary directory, removed at the end.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Until the export is part of 'ordo', it comes from its sources.
import {
  Customer,
  createCsvSink,
  createJsonlSink,
  createMemoryEventStore,
  createWarehouseExport,
  type DecideContext,
  type EventLike,
  type EventStore,
  type ExportSink,
  Item,
  SalesInvoice,
  SalesOrder,
  Stock,
  type WarehouseRow,
} from 'ordo';

const store = createMemoryEventStore();
let clock = Date.parse('2026-03-02T09:00:00.000Z');
let nextId = 0;

/** Load → decide → append, as a command handler would (kept inline so the example shows every step). */
async function handle<State, Event extends EventLike>(
  decider: {
    initialState: State;
    evolve: (state: State, event: Event) => State;
    decide: (state: State, context: DecideContext) => readonly Event[];
  },
  streamId: string,
): Promise<void> {
  let state = decider.initialState;
  let version = 0;
  for await (const event of store.readStream(streamId)) {
    state = decider.evolve(state, event as unknown as Event);
    version = event.streamVersion;
  }
  clock += 60_000;
  const now = new Date(clock);
  const events = decider.decide(state, { now, newId: () => `id-${++nextId}` });
  await store.appendToStream(
    streamId,
    events.map((event) => ({ type: event.type, data: event.data, metadata: { occurredAt: now.toISOString() } })),
    { expectedVersion: version === 0 ? 'no_stream' : version },
  );
}

const customer = (command: Parameters<typeof Customer.decide>[0]) =>
  handle(
    { ...Customer, decide: (state, context) => Customer.decide(command, state, context) },
    Customer.streamId(command.customerId),
  );
const item = (command: Parameters<typeof Item.decide>[0]) =>
  handle(
    { ...Item, decide: (state, context) => Item.decide(command, state, context) },
    Item.streamId(command.itemCode),
  );
const stock = (command: Parameters<typeof Stock.decide>[0]) =>
  handle(
    { ...Stock, decide: (state, context) => Stock.decide(command, state, context) },
    Stock.streamId(command.itemCode, command.warehouse),
  );
const order = (command: Parameters<typeof SalesOrder.decide>[0]) =>
  handle(
    { ...SalesOrder, decide: (state, context) => SalesOrder.decide(command, state, context) },
    SalesOrder.streamId(command.data.orderId),
  );
const invoice = (command: Parameters<typeof SalesInvoice.decide>[0]) =>
  handle(
    { ...SalesInvoice, decide: (state, context) => SalesInvoice.decide(command, state, context) },
    SalesInvoice.streamId(command.invoiceId),
  );

// 1. A small history: a customer, an item in stock, an order submitted, reserved, delivered and invoiced.
await customer({
  type: 'RegisterCustomer',
  customerId: 'C-1',
  name: 'Müller, "Acme" & Söhne',
  customerGroup: 'Commercial',
  billingAddress: { line1: 'Hauptstrasse 1', city: 'Zürich', postalCode: '8001', country: 'CH' },
});
await item({
  type: 'RegisterItem',
  itemCode: 'WIDGET',
  name: 'Widget',
  itemGroup: 'Products',
  stockUnit: 'Nos',
  standardRate: { amount: '12.50', currency: 'CHF' },
});
await stock({ type: 'ReceiveStock', itemCode: 'WIDGET', warehouse: 'Main', qty: '100', reference: 'PR-1' });
await order({
  type: 'CreateSalesOrder',
  data: { orderId: 'SO-1', customerId: 'C-1', company: 'Acme', currency: 'CHF', deliveryDate: '2026-03-20' },
});
await order({
  type: 'AddSalesOrderLine',
  data: {
    orderId: 'SO-1',
    line: { lineId: 'L1', itemCode: 'WIDGET', qty: '4', uom: 'Nos', rate: '12.50', warehouse: 'Main' },
  },
});
await order({ type: 'SubmitSalesOrder', data: { orderId: 'SO-1' } });
await stock({ type: 'ReserveStock', itemCode: 'WIDGET', warehouse: 'Main', orderId: 'SO-1', lineId: 'L1', qty: '4' });
await stock({ type: 'DeliverStock', itemCode: 'WIDGET', warehouse: 'Main', orderId: 'SO-1', lineId: 'L1', qty: '4' });
await order({ type: 'RecordSalesOrderDelivery', data: { orderId: 'SO-1', lines: [{ lineId: 'L1', qty: '4' }] } });
await invoice({
  type: 'CreateSalesInvoice',
  invoiceId: 'SINV-1',
  customerId: 'C-1',
  company: 'Acme',
  salesOrderId: 'SO-1',
  currency: 'CHF',
  postingDate: '2026-03-21',
  dueDate: '2026-04-20',
  lines: [
    {
      orderLineId: 'L1',
      itemCode: 'WIDGET',
      qty: '4',
      rate: { amount: '12.50', currency: 'CHF' },
      unbilledAmount: { amount: '50.00', currency: 'CHF' },
    },
  ],
});
const invoicedAt = await store.headPosition();

const directory = mkdtempSync(join(tmpdir(), 'ordo-warehouse-'));
try {
  // 2. Export to CSV, with progress. The sink's manifest records how far it got.
  const csv = createWarehouseExport({
    store,
    sink: createCsvSink({ directory: join(directory, 'csv') }),
    batchSize: 4,
    onProgress: (p) =>
      console.log(`  ${p.processed}/${p.total} positions, ${p.events} events${p.done ? ' (done)' : ''}`),
  });
  console.log('first run:', await csv.run());
  console.log(readFileSync(join(directory, 'csv', 'invoice_fact.csv'), 'utf8'));

  // 3. A payment arrives; the next run exports only the new event's rows.
  await invoice({
    type: 'ApplyPaymentToInvoice',
    invoiceId: 'SINV-1',
    paymentId: 'PAY-1',
    amount: { amount: '50.00', currency: 'CHF' },
  });
  const second = await csv.run();
  console.log('second run:', second.fromPosition, '→', second.toPosition, second.rows);

  // 4. Export as of the invoice: the warehouse as it was then (the invoice still unpaid), to JSONL.
  await createWarehouseExport({
    store,
    sink: createJsonlSink({ directory: join(directory, 'as-of') }),
    toPosition: invoicedAt,
  }).run();
  const asOf = readFileSync(join(directory, 'as-of', 'invoice_fact.jsonl'), 'utf8')
    .trim()
    .split('\n');
  console.log('as of position', invoicedAt, '→', JSON.parse(asOf.at(-1) ?? '{}').status);

  // 5. A host's own sink: a "warehouse" that stores its position with the rows in one transaction (here, one
  // assignment), so that it too gets every row exactly once.
  const warehouse = { position: 0, tables: new Map<string, WarehouseRow[]>() };
  const loader: ExportSink = {
    async open() {
      return { position: warehouse.position };
    },
    async write(batch) {
      if (batch.fromPosition !== warehouse.position) throw new Error('another export wrote in between');
      const tables = new Map(warehouse.tables);
      for (const row of batch.rows) tables.set(row.table, [...(tables.get(row.table) ?? []), row]);
      Object.assign(warehouse, { position: batch.toPosition, tables });
    },
    async close() {},
  };
  await createWarehouseExport({ store: store as EventStore, sink: loader }).run();
  const latest = warehouse.tables.get('invoice_fact')?.at(-1);
  console.log('loader:', warehouse.position, latest?.table === 'invoice_fact' ? latest.values.outstanding : '?');
} finally {
  rmSync(directory, { recursive: true, force: true });
}
