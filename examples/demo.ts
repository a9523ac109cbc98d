/**
 * `npm run demo`: Ordo as an embedded ERP core. A SQLite file (`.tmp/demo.sqlite`, recreated on each run) holds
 * every event — the in-memory store stands in when better-sqlite3 cannot load. Sample customers, items, price lists
 * and stock are loaded through the administration use cases; then orders are placed, refused (credit, stock, bad
 * input, several rules at once), edited by two clerks at once (a concurrency conflict the command handler retries),
 * submitted, held, delivered, invoiced, paid and cancelled, and the state is printed as tables of orders, stock and
 * customer balances.
 *
 * Run with: `npx tsx examples/demo.ts`
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CheckpointTransaction,
  createCommandHandler,
  createErp,
  createErpEventRegistry,
  createErpReadModels,
  createInMemoryAuditLog,
  createInMemoryNotifications,
  createJsonlSink,
  createMemoryEventStore,
  createProjectionRunner,
  createWarehouseExport,
  type Erp,
  type ErpReadModelQueries,
  type ErpReadModels,
  type ErpResult,
  type MemoryEventStore,
  SalesOrder,
  type TransactionalEventStore,
} from 'ordo';
import { openSqliteEventStore, type SqliteEventStore } from 'ordo/sqlite';
import { loadSampleData, SAMPLE_ERP_SETTINGS } from 'ordo/testing';

const started = performance.now();
const registry = createErpEventRegistry();

type DemoStore = { kind: 'sqlite'; store: SqliteEventStore } | { kind: 'memory'; store: MemoryEventStore };

/** The embedded default: a SQLite file when the driver loads, the in-memory store otherwise. */
async function openStore(): Promise<DemoStore & { where: string }> {
  const dir = join(process.cwd(), '.tmp');
  const path = join(dir, 'demo.sqlite');
  try {
    mkdirSync(dir, { recursive: true });
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    return { kind: 'sqlite', store: await openSqliteEventStore({ path, registry }), where: `SQLite file ${path}` };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      kind: 'memory',
      store: createMemoryEventStore({ registry }),
      where: `in-memory store (SQLite unavailable: ${reason})`,
    };
  }
}

const opened = await openStore();
const { store, where } = opened;
const notifications = createInMemoryNotifications();
const audit = createInMemoryAuditLog();
const erp: Erp = createErp({ store, notifications, audit, settings: SAMPLE_ERP_SETTINGS, registry });

const money = (value: { amount: string; currency: string }) =>
  `${Number(value.amount).toLocaleString('en-US', { minimumFractionDigits: 2 })} ${value.currency}`;

function report<T>(label: string, result: ErpResult<T>, describe: (payload: T) => string): void {
  if (result.ok) {
    console.log(`  ✓ ${label.padEnd(48)} ${describe(result)}`);
    return;
  }
  console.log(`  ✗ ${label.padEnd(48)} refused, nothing written:`);
  for (const error of result.errors) {
    const at = error.path ? ` at ${error.path.join('.')}` : '';
    console.log(`      ${error.code}${at}: ${error.message}`);
  }
}

function table(title: string, head: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = head.map((cell, index) => Math.max(cell.length, ...rows.map((row) => (row[index] ?? '').length)));
  const numeric = head.map((_, index) => rows.every((row) => /^-?[\d,.]+( [A-Z]{3})?%?$/.test(row[index] ?? '')));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => (numeric[index] ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0)))
      .join('  ');
  console.log(`\n${title}`);
  console.log(`  ${line(head)}`);
  console.log(`  ${widths.map((width) => '─'.repeat(width)).join('  ')}`);
  for (const row of rows) console.log(`  ${line(row)}`);
}

console.log(`Ordo demo — events in the ${where}\n`);
console.log('1. Sample data through the administration use cases');
await loadSampleData(erp);
console.log('  5 customers, 5 items, 2 price lists (Standard Selling, Wholesale), opening stock in "Main"');

const clerk = { actor: 'clerk@ordo.example', correlationId: 'demo-orders' };
console.log('\n2. Placing orders (validate customer → items → stock → price → credit → create → reserve → notify)');
report(
  'SO-1001 Acme: 4 Gizmo Pro, 1 box widgets, 3 h',
  await erp.placeOrder(
    {
      orderId: 'SO-1001',
      customerId: 'CUST-ACME',
      lines: [
        { itemCode: 'GIZMO-PRO', qty: '4' },
        { itemCode: 'WIDGET', qty: '1', unit: 'Box' },
        { itemCode: 'INSTALL', qty: '3' },
      ],
    },
    clerk,
  ),
  (order) => `${money(order.grandTotal)}${order.highValue ? '  (high-value alert sent)' : ''}`,
);
report(
  'SO-1002 Wholesale Partners: 120 widgets',
  await erp.placeOrder(
    { orderId: 'SO-1002', customerId: 'CUST-WHOLESALE', lines: [{ itemCode: 'WIDGET', qty: '120' }] },
    clerk,
  ),
  (order) =>
    `${money(order.grandTotal)}  (${order.lines[0]?.rate.amount} each: ${order.lines[0]?.appliedRules.length} rules on the Wholesale list)`,
);
report(
  'Beta Retail: 1 Gizmo Pro',
  await erp.placeOrder({ customerId: 'CUST-BETA', lines: [{ itemCode: 'GIZMO-PRO', qty: '1' }] }, clerk),
  () => '',
);
report(
  'Gamma Labs: 8 Gizmo Pro',
  await erp.placeOrder({ customerId: 'CUST-GAMMA', lines: [{ itemCode: 'GIZMO-PRO', qty: '8' }] }, clerk),
  () => '',
);
report(
  'Gamma Labs: a typo in the quantity',
  await erp.placeOrder({ customerId: 'CUST-GAMMA', lines: [{ itemCode: 'WIDGET', qty: '1O' }] }, clerk),
  () => '',
);
report(
  'Closed Account Ltd: legacy part, 2 pallets',
  await erp.placeOrder(
    {
      customerId: 'CUST-CLOSED',
      lines: [
        { itemCode: 'LEGACY-PART', qty: '1' },
        { itemCode: 'WIDGET', qty: '2', unit: 'Pallet' },
      ],
    },
    clerk,
  ),
  () => '',
);
report(
  'SO-1003 Gamma Labs: draft, 6 gadgets',
  await erp.placeOrder(
    { orderId: 'SO-1003', customerId: 'CUST-GAMMA', draft: true, lines: [{ itemCode: 'GADGET', qty: '6' }] },
    clerk,
  ),
  (order) => `${money(order.grandTotal)}  (${order.status}: nothing reserved yet)`,
);
report(
  'SO-1004 Beta Retail: 8 gadgets',
  await erp.placeOrder(
    { orderId: 'SO-1004', customerId: 'CUST-BETA', lines: [{ itemCode: 'GADGET', qty: '8' }] },
    clerk,
  ),
  (order) =>
    `${money(order.grandTotal)}  (headroom left ${order.credit?.headroom ? money(order.credit.headroom) : '-'})`,
);

// Two clerks change draft SO-1003 at the same moment through a command handler. Both load the same version; one
// append wins, the other gets CONCURRENCY_CONFLICT (nothing written), reloads, decides again and lands.
console.log('\n3. Two clerks edit draft SO-1003 at once (command handler: optimistic concurrency, retry)');
const orderCommands = createCommandHandler({ store, decider: SalesOrder.decider });
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const edits = await Promise.all(
  (['alice', 'bob'] as const).map(async (name, index) => {
    const deliveryDate = inDays(14 + 7 * index);
    const result = await orderCommands.handle(
      SalesOrder.streamId('SO-1003'),
      { type: 'SetSalesOrderDeliveryDate', data: { orderId: 'SO-1003', deliveryDate } },
      { metadata: { actor: `${name}@ordo.example` } },
    );
    return { label: `${name}: delivery date ${deliveryDate}`, result };
  }),
);
for (const { label, result } of edits) {
  const how = result.attempts === 1 ? 'first try' : `conflicted, reloaded, retried: ${result.attempts} attempts`;
  console.log(`  ✓ ${label.padEnd(48)} version ${result.nextExpectedVersion} (${how})`);
}

console.log('\n4. Submitting, holding, delivering');
report('submit SO-1003', await erp.submitOrder({ orderId: 'SO-1003' }), (order) => `${order.status}, stock reserved`);
report(
  'hold SO-1004 (customer asked to wait)',
  await erp.holdOrder({ orderId: 'SO-1004', reason: 'wait' }),
  (o) => o.status,
);
report(
  'deliver SO-1001 line L1, 2 units (DN-1)',
  await erp.deliverOrder({ orderId: 'SO-1001', reference: 'DN-1', lines: [{ lineId: 'L1', qty: '2' }] }),
  (d) => `${d.perDelivered}% delivered`,
);
report(
  'deliver the rest of SO-1001 (DN-2)',
  await erp.deliverOrder({ orderId: 'SO-1001', reference: 'DN-2' }),
  (d) => `${d.perDelivered}% delivered`,
);
report(
  'deliver SO-1002 (DN-3)',
  await erp.deliverOrder({ orderId: 'SO-1002', reference: 'DN-3' }),
  (d) => `${d.perDelivered}% delivered`,
);
report('deliver SO-1004 while on hold', await erp.deliverOrder({ orderId: 'SO-1004' }), () => '');

console.log('\n5. Invoicing and collecting');
report(
  'invoice SO-1001 (SINV-1001)',
  await erp.invoiceOrder({ orderId: 'SO-1001', invoiceId: 'SINV-1001' }),
  (i) => `${money(i.total)} due ${i.dueDate}`,
);
report(
  'invoice SO-1002 (SINV-1002)',
  await erp.invoiceOrder({ orderId: 'SO-1002', invoiceId: 'SINV-1002' }),
  (i) => `${money(i.total)} due ${i.dueDate}`,
);
report(
  'Acme pays 10,000.00',
  await erp.receivePayment({
    customerId: 'CUST-ACME',
    paymentId: 'PAY-1',
    amount: { amount: '10000.00', currency: 'USD' },
  }),
  (p) => `allocated to ${p.allocations.map((a) => `${a.invoiceId} (${money(a.amount)})`).join(', ')}`,
);
report(
  'Wholesale Partners pay 3,000.00',
  await erp.receivePayment({
    customerId: 'CUST-WHOLESALE',
    paymentId: 'PAY-2',
    amount: { amount: '3000.00', currency: 'USD' },
  }),
  (p) => `${money(p.unallocated)} left as an advance`,
);

console.log('\n6. Cancelling');
report(
  'cancel SO-1003',
  await erp.cancelOrder({ orderId: 'SO-1003', reason: 'ordered twice' }),
  (o) => `${o.status}, reservations released`,
);

const orderIds = ['SO-1001', 'SO-1002', 'SO-1003', 'SO-1004'];
const orders = await Promise.all(orderIds.map((id) => erp.getOrder(id)));
table(
  'Orders',
  ['Order', 'Customer', 'Status', 'Grand total', 'Delivered', 'Billed'],
  orders.flatMap((order) =>
    order
      ? [
          [
            order.orderId,
            order.customerId,
            order.status,
            money({ amount: order.totals.grandTotal, currency: order.currency }),
            `${Number(order.perDelivered)}%`,
            `${Number(order.perBilled)}%`,
          ],
        ]
      : [],
  ),
);

const stock = await Promise.all(['WIDGET', 'GADGET', 'GIZMO-PRO'].map((item) => erp.getStock(item)));
table(
  'Stock in "Main"',
  ['Item', 'Actual', 'Reserved', 'Projected'],
  stock.map((level) => [level.itemCode, level.actualQty, level.reservedQty, level.projectedQty]),
);

const customers = ['CUST-ACME', 'CUST-BETA', 'CUST-WHOLESALE', 'CUST-GAMMA'];
const balances = await Promise.all(
  customers.map(async (id) => ({ customer: await erp.getCustomer(id), balance: await erp.customerBalance(id) })),
);
table(
  'Customer balances',
  ['Customer', 'Credit limit', 'Outstanding', 'Unbilled', 'Exposure', 'Advances'],
  balances.map(({ customer, balance }) => [
    customer?.name ?? balance.customerId,
    customer?.creditLimits[0] ? money(customer.creditLimits[0].limit) : 'none',
    money(balance.outstanding),
    money(balance.unbilled),
    money(balance.exposure),
    money(balance.advances),
  ]),
);

const kinds = new Map<string, number>();
for (const notification of notifications.sent) kinds.set(notification.kind, (kinds.get(notification.kind) ?? 0) + 1);
console.log(`\nNotifications sent after commit: ${[...kinds].map(([kind, count]) => `${kind} ×${count}`).join(', ')}`);
const refused = audit.entries.filter((entry) => entry.outcome === 'rejected');
console.log(
  `Audit log: ${audit.entries.length} entries, ${refused.length} refusals; by ${clerk.actor}: ${audit.find({ actor: clerk.actor }).length}`,
);
// The read side: the built-in read models, built from the log by a projection runner (as a host would run
// them async), and the warehouse export's star-schema rows written as JSONL.
const readModels =
  opened.kind === 'sqlite'
    ? await buildReadModels(createErpReadModels({ mode: 'sqlite', store: opened.store }), opened.store)
    : await buildReadModels(createErpReadModels({ mode: 'memory' }), opened.store);
const today = new Date().toISOString().slice(0, 10);
const daily = await readModels.salesDashboard.daily({ from: '2000-01-01', to: '2999-12-31' });
table(
  'Daily sales dashboard (submitted orders, net of discount, before tax)',
  ['Date', 'Customer', 'Orders', 'Total sales', 'Average order'],
  daily.map((row) => [
    row.date,
    row.customerId,
    String(row.orderCount),
    money({ amount: row.totalSales, currency: row.currency }),
    money({ amount: row.averageOrderValue, currency: row.currency }),
  ]),
);
const summaries = await readModels.customerOrderSummary.list({});
table(
  'Customer order summary',
  ['Customer', 'Orders', 'Open', 'Amount', 'Last order'],
  summaries.map((row) => [
    row.customerId,
    String(row.totalOrders),
    String(row.openOrders),
    money({ amount: row.totalAmount, currency: row.currency }),
    row.lastOrderDate ?? '-',
  ]),
);

const exportDir = join(process.cwd(), '.tmp', `demo-export-${today}`);
rmSync(exportDir, { recursive: true, force: true });
const exported = await createWarehouseExport({ store, sink: createJsonlSink({ directory: exportDir }) }).run();
console.log(
  `\nWarehouse export: ${exported.totalRows} star-schema rows from ${exported.eventsRead} events to ${exportDir} (${Object.entries(
    exported.rows,
  )
    .filter(([, count]) => count > 0)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ')})`,
);

console.log(`Event store: ${await store.headPosition()} events, in ${Math.round(performance.now() - started)} ms`);
await store.close();

/** Runs a projection runner over the log until the read models are current, then returns their queries. */
async function buildReadModels<Tx extends CheckpointTransaction>(
  models: ErpReadModels<Tx>,
  source: TransactionalEventStore<Tx>,
): Promise<ErpReadModelQueries> {
  const runner = createProjectionRunner({ store: source, projections: models.projections });
  await runner.catchUp();
  await runner.stop();
  return models.queries;
}
