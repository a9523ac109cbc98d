import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { CustomerCommand } from '../../src/domain/customer/index.js';
import type { SalesInvoiceCommand } from '../../src/domain/invoice/index.js';
import { Money } from '../../src/domain/money/index.js';
import type { SalesOrderCommand } from '../../src/domain/sales-order/index.js';
import type { StockCommand } from '../../src/domain/stock/index.js';
import { salesOrderCommandsArb } from '../../src/testing/arbitraries/sales-order-arbitraries.js';
import { orderLifecycleCommandsArb } from '../../src/testing/arbitraries/stock-arbitraries.js';
import { closeReadModelBackends, type RunMode, readModelBackends, snapshot } from './read-model-backends.js';
import { expectedReadModels } from './read-model-reference.js';
import { ErpWorld } from './read-model-world.js';

afterAll(closeReadModelBackends);

const CUSTOMERS = ['C-1', 'C-2', 'C-3'] as const;
const COMPANIES = ['Acme', 'Globex'] as const;
const DATES = ['2026-01-10', '2026-01-11', '2026-01-12'] as const;

/** One stream's commands, run one at a time in an interleaving the scenario picks. */
type Queue =
  | { readonly kind: 'order'; readonly orderId: string; readonly commands: SalesOrderCommand[] }
  | { readonly kind: 'stock'; readonly commands: StockCommand[] }
  | { readonly kind: 'customer'; readonly commands: CustomerCommand[] }
  | { readonly kind: 'invoice'; readonly commands: SalesInvoiceCommand[] };

interface Scenario {
  readonly queues: Queue[];
  /** Which queue moves next, modulo the queues left. */
  readonly schedule: readonly number[];
  readonly mode: RunMode;
}

/** A whole order life from the shared arbitrary, for a random customer, company and date. */
function orderQueueArb(index: number): fc.Arbitrary<Queue> {
  const orderId = `SO-${index + 1}`;
  return fc
    .tuple(fc.constantFrom(...DATES), fc.constantFrom(...CUSTOMERS), fc.constantFrom(...COMPANIES))
    .chain(([transactionDate, customerId, company]) =>
      salesOrderCommandsArb({ orderId, transactionDate, currencies: ['USD', 'EUR'], maxLines: 3 }).map((commands) => ({
        kind: 'order' as const,
        orderId,
        commands: commands.map((command) =>
          command.type === 'CreateSalesOrder'
            ? { ...command, data: { ...command.data, customerId, company } }
            : command,
        ),
      })),
    );
}

/** `cents` hundredths of the currency as money JSON (exact: never a float division). */
const money = (cents: number, currency = 'USD') => Money.of(cents, currency).divide(100).round().toJSON();

/** A customer with a limit at Acme, later changed to another amount (possibly 0) or removed. */
function customerQueueArb(customerId: string): fc.Arbitrary<Queue> {
  return fc
    .record({
      limit: fc.constantFrom(0, 5_000, 100_000_00),
      bypass: fc.boolean(),
      later: fc.constantFrom('keep' as const, 'change' as const, 'remove' as const),
      next: fc.constantFrom(0, 2_500, 1_000_000_00),
    })
    .map(({ limit, bypass, later, next }) => {
      const commands: CustomerCommand[] = [
        {
          type: 'RegisterCustomer',
          customerId,
          name: customerId,
          customerGroup: 'Retail',
          creditLimits: [{ company: 'Acme', limit: money(limit), bypassAtSalesOrder: bypass }],
        },
      ];
      if (later === 'change') {
        commands.push({
          type: 'ChangeCustomerCreditLimit',
          customerId,
          company: 'Acme',
          limit: money(next),
          bypassAtSalesOrder: !bypass,
          currentOutstanding: money(0),
        });
      }
      if (later === 'remove') commands.push({ type: 'RemoveCustomerCreditLimit', customerId, company: 'Acme' });
      return { kind: 'customer' as const, commands };
    });
}

/** An invoice, maybe part paid, maybe cancelled (only when unpaid, as the domain requires). */
function invoiceQueueArb(index: number): fc.Arbitrary<Queue> {
  return fc
    .record({
      customerId: fc.constantFrom(...CUSTOMERS),
      company: fc.constantFrom(...COMPANIES),
      currency: fc.constantFrom('USD', 'EUR'),
      cents: fc.integer({ min: 1, max: 50_000 }),
      paidPermille: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
      cancel: fc.boolean(),
    })
    .map(({ customerId, company, currency, cents, paidPermille, cancel }) => {
      const invoiceId = `INV-${index + 1}`;
      const amount = money(cents, currency);
      const commands: SalesInvoiceCommand[] = [
        {
          type: 'CreateSalesInvoice',
          invoiceId,
          customerId,
          company,
          salesOrderId: 'SO-X',
          currency,
          postingDate: '2026-01-15',
          lines: [
            {
              orderLineId: 'L1',
              itemCode: 'WIDGET',
              qty: '1',
              rate: amount,
              amount,
              unbilledAmount: money(100_000_00, currency),
            },
          ],
        },
      ];
      const paid = paidPermille === undefined ? 0 : Math.max(1, Math.floor((cents * paidPermille) / 1000));
      if (paid > 0) {
        commands.push({
          type: 'ApplyPaymentToInvoice',
          invoiceId,
          paymentId: `PAY-${index + 1}`,
          amount: money(paid, currency),
        });
      } else if (cancel) {
        commands.push({ type: 'CancelSalesInvoice', invoiceId });
      }
      return { kind: 'invoice' as const, commands };
    });
}

function scenarioArb(size: {
  readonly orders: number;
  readonly invoices: number;
  readonly stockOrders: number;
}): fc.Arbitrary<Scenario> {
  const indexes = (max: number) => fc.integer({ min: 0, max }).map((count) => [...Array(count).keys()]);
  return fc.record({
    queues: fc
      .tuple(
        indexes(size.orders).chain((ids) => fc.tuple(...ids.map(orderQueueArb))),
        fc.subarray([...CUSTOMERS]).chain((ids) => fc.tuple(...ids.map(customerQueueArb))),
        indexes(size.invoices).chain((ids) => fc.tuple(...ids.map(invoiceQueueArb))),
        orderLifecycleCommandsArb({ itemCode: 'WIDGET', warehouse: 'Main', maxOrders: size.stockOrders }),
        orderLifecycleCommandsArb({ itemCode: 'BOLT', warehouse: 'East', maxOrders: 1 }),
      )
      .map(([orders, customers, invoices, widget, bolt]): Queue[] => [
        ...orders,
        ...customers,
        ...invoices,
        { kind: 'stock', commands: widget },
        { kind: 'stock', commands: bolt },
      ]),
    schedule: fc.array(fc.nat(), { maxLength: 400 }),
    mode: fc.constantFrom<RunMode>('inline', 'async'),
  });
}

/** Runs the queues one command at a time, in the scheduled interleaving. */
async function play(world: ErpWorld, scenario: Scenario): Promise<void> {
  const queues = scenario.queues.map((queue) => ({ queue, next: 0 }));
  let turn = 0;
  for (;;) {
    const open = queues.filter(({ queue, next }) => next < queue.commands.length);
    if (open.length === 0) return;
    const pick = open[(scenario.schedule[turn] ?? 0) % open.length];
    turn += 1;
    if (!pick) return;
    const { queue } = pick;
    const index = pick.next;
    pick.next += 1;
    switch (queue.kind) {
      case 'order':
        await world.order(queue.orderId, [queue.commands[index] as SalesOrderCommand]);
        break;
      case 'stock':
        await world.stock([queue.commands[index] as StockCommand]);
        break;
      case 'customer':
        await world.customer([queue.commands[index] as CustomerCommand]);
        break;
      case 'invoice':
        await world.invoice([queue.commands[index] as SalesInvoiceCommand]);
        break;
    }
  }
}

/** Runs per backend: the SQL engines are slower per event, so they try fewer (and smaller) histories. */
interface RunSize {
  readonly numRuns: number;
  readonly orders: number;
  readonly invoices: number;
  readonly stockOrders: number;
}
const RUNS: Record<string, RunSize> = {
  memory: { numRuns: 30, orders: 6, invoices: 3, stockOrders: 2 },
  sqlite: { numRuns: 20, orders: 5, invoices: 3, stockOrders: 2 },
  pglite: { numRuns: 3, orders: 2, invoices: 1, stockOrders: 1 },
  'postgres server': { numRuns: 6, orders: 3, invoices: 2, stockOrders: 1 },
};

describe.each(readModelBackends())('ERP read models on $name (property)', (backend) => {
  const runs = RUNS[backend.name] ?? { numRuns: 4, orders: 2, invoices: 1, stockOrders: 1 };

  it('equal a direct fold of the events, and a rebuild from position 0 equals what was live, for any interleaved history', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb(runs), async (scenario) => {
        const harness = await backend.open(scenario.mode);
        try {
          const world = new ErpWorld(harness.append);
          await play(world, scenario);
          await harness.settle();
          const expected = expectedReadModels(world.log);
          const live = await snapshot(harness.queries);
          expect(live).toEqual(expected);
          await harness.rebuild();
          expect(await snapshot(harness.queries)).toEqual(live);
        } finally {
          await harness.close();
        }
      }),
      { numRuns: runs.numRuns },
    );
  }, 300_000);
});
