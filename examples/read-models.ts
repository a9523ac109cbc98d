/**
 * The built-in ERP read models, runnable: `npx tsx examples/read-models.ts`.
 *
 * 1. In memory, inline: every append updates the customer order summary, the daily sales dashboard, the order
 *    list, stock levels and credit balances before it returns; a cancellation takes its order back out.
 * 2. In SQLite, async: the same read models as real tables, built by a projection runner from the log, then
 *    rebuilt from position 0 with progress, to the same figures.
 * 3. In PostgreSQL (PGlite in process), inline: the same tables and queries on the other SQL engine.
 */
import { PGlite } from '@electric-sql/pglite';
import Database from 'better-sqlite3';
// The read models are not in the `ordo` barrel yet; once they are, import them from 'ordo' like the rest.
import {
  Customer,
  type CustomerCommand,
  createErpReadModels,
  createMemoryEventStore,
  createProjectionRunner,
  type ErpReadModelQueries,
  type EventLike,
  SalesInvoice,
  type SalesInvoiceCommand,
  SalesOrder,
  type SalesOrderCommand,
  type SalesOrderContext,
  Stock,
  type StockCommand,
  uuidV7Ids,
  withInlineProjections,
} from 'ordo';
import { createPostgresEventStore } from 'ordo/postgres';
import { createSqliteEventStore } from 'ordo/sqlite';

// ---------------------------------------------------------------------------------------------------------------
// A little ERP history, decided by the aggregates themselves.

type Append = (streamId: string, events: readonly EventLike[]) => Promise<void>;

const context: SalesOrderContext = { now: new Date('2026-03-02T09:00:00Z'), newId: () => uuidV7Ids.next() };

/** Decides commands against a stream's state (kept here) and appends what they decide. */
function decider<C, S, E extends EventLike>(
  decide: (c: C, s: S) => readonly E[],
  evolve: (s: S, e: E) => S,
  initial: S,
) {
  const states = new Map<string, S>();
  return async (append: Append, streamId: string, command: C): Promise<void> => {
    const state = states.get(streamId) ?? initial;
    const events = decide(command, state);
    await append(streamId, events);
    states.set(streamId, events.reduce(evolve, state));
  };
}

async function history(append: Append): Promise<void> {
  const order = decider<
    SalesOrderCommand,
    ReturnType<typeof SalesOrder.evolve>,
    ReturnType<typeof SalesOrder.decide>[number]
  >((command, state) => SalesOrder.decide(command, state, context), SalesOrder.evolve, SalesOrder.initialState);
  const stock = decider(
    (command: StockCommand, state) => Stock.decide(command, state),
    Stock.evolve,
    Stock.initialState,
  );
  const customer = decider(
    (command: CustomerCommand, state) => Customer.decide(command, state),
    Customer.evolve,
    Customer.initialState,
  );
  const invoice = decider(
    (command: SalesInvoiceCommand, state) => SalesInvoice.decide(command, state),
    SalesInvoice.evolve,
    SalesInvoice.initialState,
  );

  await customer(append, Customer.streamId('CUST-1'), {
    type: 'RegisterCustomer',
    customerId: 'CUST-1',
    name: 'Northwind',
    customerGroup: 'Retail',
    creditLimits: [{ company: 'Acme', limit: { amount: '2000.00', currency: 'EUR' } }],
  });
  await stock(append, Stock.streamId('WIDGET', 'Main'), {
    type: 'ReceiveStock',
    itemCode: 'WIDGET',
    warehouse: 'Main',
    qty: '100',
  });

  const place = async (orderId: string, customerId: string, date: string, qty: string, rate: string) => {
    const commands: SalesOrderCommand[] = [
      {
        type: 'CreateSalesOrder',
        data: { orderId, customerId, company: 'Acme', currency: 'EUR', transactionDate: date, deliveryDate: date },
      },
      {
        type: 'AddSalesOrderLine',
        data: { orderId, line: { lineId: 'L1', itemCode: 'WIDGET', qty, uom: 'Nos', rate, warehouse: 'Main' } },
      },
      // 10 % off the net total, then 20 % VAT: the sales figures count the net total (after discount, before tax).
      {
        type: 'SetSalesOrderDiscount',
        data: { orderId, discount: { kind: 'percentage', percentage: '10', applyOn: 'net_total' } },
      },
      {
        type: 'AddSalesOrderTax',
        data: { orderId, tax: { taxId: 'VAT', kind: 'on_net_total', rate: '20', description: 'VAT' } },
      },
      { type: 'SubmitSalesOrder', data: { orderId } },
    ];
    for (const command of commands) await order(append, SalesOrder.streamId(orderId), command);
    await stock(append, Stock.streamId('WIDGET', 'Main'), {
      type: 'ReserveStock',
      itemCode: 'WIDGET',
      warehouse: 'Main',
      orderId,
      lineId: 'L1',
      qty,
    });
  };
  await place('SO-1', 'CUST-1', '2026-03-01', '10', '40.00');
  await place('SO-2', 'CUST-1', '2026-03-02', '5', '40.00');
  await place('SO-3', 'CUST-2', '2026-03-02', '8', '25.00');

  // SO-2 is cancelled: it leaves the summary and the dashboard, and its reservation is released.
  await order(append, SalesOrder.streamId('SO-2'), { type: 'CancelSalesOrder', data: { orderId: 'SO-2' } });
  await stock(append, Stock.streamId('WIDGET', 'Main'), {
    type: 'ReleaseStockReservation',
    itemCode: 'WIDGET',
    warehouse: 'Main',
    orderId: 'SO-2',
    reason: 'cancelled',
  });

  // SO-1 is invoiced in full: the receivable moves from "unbilled orders" to "outstanding".
  await invoice(append, SalesInvoice.streamId('INV-1'), {
    type: 'CreateSalesInvoice',
    invoiceId: 'INV-1',
    customerId: 'CUST-1',
    company: 'Acme',
    salesOrderId: 'SO-1',
    currency: 'EUR',
    postingDate: '2026-03-03',
    lines: [
      {
        orderLineId: 'L1',
        itemCode: 'WIDGET',
        qty: '10',
        rate: { amount: '43.20', currency: 'EUR' },
        unbilledAmount: { amount: '432.00', currency: 'EUR' },
      },
    ],
  });
  await order(append, SalesOrder.streamId('SO-1'), {
    type: 'RecordSalesOrderBilling',
    data: { orderId: 'SO-1', reference: 'INV-1', lines: [{ lineId: 'L1', amount: '400.00' }] },
  });
}

async function show(title: string, queries: ErpReadModelQueries): Promise<void> {
  console.log(`\n=== ${title}`);
  console.log('customer summary:', await queries.customerOrderSummary.list({ orderBy: 'totalAmount' }));
  console.log('daily totals:    ', await queries.salesDashboard.dailyTotals({ from: '2026-03-01', to: '2026-03-31' }));
  console.log(
    'orders:          ',
    (await queries.orders.list()).map((entry) => `${entry.orderId} ${entry.status} net ${entry.netTotal}`),
  );
  console.log('stock:           ', await queries.stockLevels.get('WIDGET', 'Main'));
  console.log('credit:          ', await queries.creditBalances.get('CUST-1', 'Acme'));
}

const appendTo =
  (store: {
    appendToStream: (id: string, events: EventLike[], o: { expectedVersion: 'any' }) => Promise<unknown>;
  }): Append =>
  async (streamId, events) => {
    await store.appendToStream(
      streamId,
      events.map((event) => ({ type: event.type, data: event.data })),
      { expectedVersion: 'any' },
    );
  };

// 1. In memory, inline.
{
  const models = createErpReadModels({ mode: 'memory' });
  const store = withInlineProjections(createMemoryEventStore(), models.projections);
  await history(appendTo(store));
  await show('memory, inline', models.queries);
}

// 2. SQLite, async, then rebuilt from position 0.
{
  const database = new Database(':memory:');
  const store = createSqliteEventStore({ database });
  await history(appendTo(store));
  const models = createErpReadModels({ mode: 'sqlite', store });
  const runner = createProjectionRunner({ store, projections: models.projections });
  await runner.catchUp();
  await show('sqlite, async', models.queries);
  const rebuilt = await runner.rebuild('ordo-customer-order-summary', {
    onProgress: (progress) => progress.done && console.log(`rebuilt ${progress.projection}: ${progress.events} events`),
  });
  console.log(
    'rebuild applied',
    rebuilt.applied,
    'events; summary now',
    await models.queries.customerOrderSummary.get('CUST-1'),
  );
  await store.close();
  database.close();
}

// 3. PostgreSQL (PGlite), inline: the read models' tables go in the store's schema.
{
  const pglite = new PGlite();
  const store = createPostgresEventStore({ client: pglite });
  const models = createErpReadModels({ mode: 'postgres', store, client: pglite });
  const inline = withInlineProjections(store, models.projections);
  await history(appendTo(inline));
  await show('postgres (PGlite), inline', models.queries);
  await store.close();
  await pglite.close();
}
