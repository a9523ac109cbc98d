import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isOrdoError } from '../../src/kernel/errors.js';
import type { StoredEvent } from '../../src/kernel/event.js';
import { defineProjection } from '../../src/kernel/projection.js';
import type { ErpReadModelQueries } from '../../src/read-models/index.js';
import {
  closeReadModelBackends,
  type ReadModelHarness,
  type RunMode,
  readModelBackends,
  snapshot,
} from './read-model-backends.js';
import { ErpWorld } from './read-model-world.js';

afterAll(closeReadModelBackends);

/** Expects a promise to reject with `VALIDATION_FAILED`. */
async function expectValidationError(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isOrdoError(error, 'VALIDATION_FAILED')).toBe(true);
}

const MODES: readonly RunMode[] = ['inline', 'async'];

describe.each(readModelBackends())('ERP read models on $name', (backend) => {
  describe.each(MODES)('run %s', (mode) => {
    let harness: ReadModelHarness;
    let world: ErpWorld;
    let q: ErpReadModelQueries;

    beforeEach(async () => {
      harness = await backend.open(mode);
      world = new ErpWorld(harness.append);
      q = harness.queries;
    });
    afterEach(async () => {
      await harness.close();
    });

    describe('customer order summary', () => {
      it('counts submitted orders only, at their net total after discounts and before taxes', async () => {
        await world.placeOrder('SO-1', { date: '2026-01-10' });
        await world.placeOrder('SO-2', {
          date: '2026-01-12',
          lines: [{ qty: '2', rate: '100.00' }],
          discountPercent: '10',
          taxPercent: '20',
        });
        await world.placeOrder('SO-3', { date: '2026-01-20', submit: false });
        await world.placeOrder('SO-4', { customerId: 'CUST-2', date: '2026-01-11' });
        await harness.settle();

        expect(await q.customerOrderSummary.get('CUST-1')).toEqual({
          customerId: 'CUST-1',
          currency: 'USD',
          totalOrders: 2,
          totalAmount: '230.00',
          lastOrderDate: '2026-01-12',
          openOrders: 2,
        });
        expect(await q.customerOrderSummary.list({ orderBy: 'totalAmount' })).toEqual([
          expect.objectContaining({ customerId: 'CUST-1', totalAmount: '230.00' }),
          expect.objectContaining({ customerId: 'CUST-2', totalAmount: '50.00', lastOrderDate: '2026-01-11' }),
        ]);
        expect(await q.customerOrderSummary.get('NOBODY')).toBeUndefined();
      });

      it('takes back what a cancelled order contributed, last order date included', async () => {
        await world.placeOrder('SO-1', { date: '2026-01-10' });
        await world.placeOrder('SO-2', { date: '2026-01-12', lines: [{ rate: '18.00' }] });
        await world.simple('SO-2', 'CancelSalesOrder');
        await harness.settle();
        expect(await q.customerOrderSummary.get('CUST-1')).toEqual({
          customerId: 'CUST-1',
          currency: 'USD',
          totalOrders: 1,
          totalAmount: '50.00',
          lastOrderDate: '2026-01-10',
          openOrders: 1,
        });

        await world.simple('SO-1', 'CancelSalesOrder');
        await harness.settle();
        expect(await q.customerOrderSummary.get('CUST-1')).toBeUndefined();
        expect(await q.customerOrderSummary.list()).toEqual([]);
      });

      it('keeps on-hold and closed orders in the totals, but only on-hold ones as open, and completed ones as not open', async () => {
        await world.placeOrder('SO-1');
        await world.simple('SO-1', 'HoldSalesOrder');
        await world.placeOrder('SO-2');
        await world.simple('SO-2', 'CloseSalesOrder');
        await world.placeOrder('SO-3');
        await world.deliver('SO-3', 'L1', '10');
        await world.bill('SO-3', 'L1', '50.00');
        await harness.settle();
        expect(await q.customerOrderSummary.get('CUST-1')).toMatchObject({
          totalOrders: 3,
          totalAmount: '150.00',
          openOrders: 1,
        });

        await world.simple('SO-2', 'ReopenSalesOrder');
        await world.simple('SO-1', 'ResumeSalesOrder');
        await harness.settle();
        expect(await q.customerOrderSummary.get('CUST-1')).toMatchObject({ totalOrders: 3, openOrders: 2 });
      });

      it('moves the totals when a submitted order is changed (Update Items)', async () => {
        await world.placeOrder('SO-1');
        await world.order('SO-1', [
          { type: 'UpdateSalesOrderItems', data: { orderId: 'SO-1', update: [{ lineId: 'L1', qty: '20' }] } },
        ]);
        await harness.settle();
        expect(await q.customerOrderSummary.get('CUST-1')).toMatchObject({ totalOrders: 1, totalAmount: '100.00' });
        expect(await q.salesDashboard.daily({ from: '2026-01-10', to: '2026-01-10' })).toEqual([
          expect.objectContaining({ totalSales: '100.00', orderCount: 1 }),
        ]);
      });

      it('never adds amounts across currencies and asks which currency is meant', async () => {
        await world.placeOrder('SO-1', { currency: 'USD' });
        await world.placeOrder('SO-2', { currency: 'EUR', date: '2026-01-15' });
        await harness.settle();
        await expectValidationError(q.customerOrderSummary.get('CUST-1'));
        expect(await q.customerOrderSummary.get('CUST-1', { currency: 'EUR' })).toEqual({
          customerId: 'CUST-1',
          currency: 'EUR',
          totalOrders: 1,
          totalAmount: '50.00',
          lastOrderDate: '2026-01-15',
          openOrders: 1,
        });
        expect((await q.customerOrderSummary.list()).map((row) => row.currency)).toEqual(['EUR', 'USD']);
      });

      it('sorts, filters and pages the list with ties broken by customer', async () => {
        await world.placeOrder('SO-1', { customerId: 'B' });
        await world.placeOrder('SO-2', { customerId: 'A' });
        await world.placeOrder('SO-3', { customerId: 'C', lines: [{ rate: '1.00' }] });
        await harness.settle();
        const ids = async (options: Parameters<typeof q.customerOrderSummary.list>[0]) =>
          (await q.customerOrderSummary.list(options)).map((row) => row.customerId);
        expect(await ids({})).toEqual(['A', 'B', 'C']);
        expect(await ids({ orderBy: 'totalAmount' })).toEqual(['A', 'B', 'C']);
        expect(await ids({ orderBy: 'totalAmount', direction: 'asc' })).toEqual(['C', 'A', 'B']);
        expect(await ids({ limit: 1, offset: 1 })).toEqual(['B']);
        expect(await ids({ customerId: 'C' })).toEqual(['C']);
        await expectValidationError(q.customerOrderSummary.list({ limit: 0 }));
        await expectValidationError(q.customerOrderSummary.list({ orderBy: 'name' as never }));
      });
    });

    describe('daily sales dashboard', () => {
      it('sums each day per company and customer, with the average rounded to the currency', async () => {
        await world.placeOrder('SO-1', { lines: [{ qty: '1', rate: '10.00' }] });
        await world.placeOrder('SO-2', { lines: [{ qty: '1', rate: '10.00' }] });
        await world.placeOrder('SO-3', { lines: [{ qty: '1', rate: '13.33' }] });
        await world.placeOrder('SO-4', { customerId: 'CUST-2', lines: [{ qty: '1', rate: '1.00' }] });
        await world.placeOrder('SO-5', {
          customerId: 'CUST-2',
          company: 'Globex',
          lines: [{ qty: '1', rate: '2.00' }],
        });
        await world.placeOrder('SO-6', { date: '2026-01-11', lines: [{ qty: '1', rate: '5.00' }] });
        await harness.settle();

        expect(await q.salesDashboard.daily({ from: '2026-01-10', to: '2026-01-10' })).toEqual([
          {
            date: '2026-01-10',
            company: 'Acme',
            customerId: 'CUST-1',
            currency: 'USD',
            totalSales: '33.33',
            orderCount: 3,
            averageOrderValue: '11.11',
          },
          {
            date: '2026-01-10',
            company: 'Acme',
            customerId: 'CUST-2',
            currency: 'USD',
            totalSales: '1.00',
            orderCount: 1,
            averageOrderValue: '1.00',
          },
          {
            date: '2026-01-10',
            company: 'Globex',
            customerId: 'CUST-2',
            currency: 'USD',
            totalSales: '2.00',
            orderCount: 1,
            averageOrderValue: '2.00',
          },
        ]);
        expect(await q.salesDashboard.dailyTotals({ from: '2026-01-01', to: '2026-01-31', company: 'Acme' })).toEqual([
          {
            date: '2026-01-10',
            currency: 'USD',
            totalSales: '34.33',
            orderCount: 4,
            averageOrderValue: '8.58',
            customers: 2,
          },
          {
            date: '2026-01-11',
            currency: 'USD',
            totalSales: '5.00',
            orderCount: 1,
            averageOrderValue: '5.00',
            customers: 1,
          },
        ]);
        expect(
          await q.salesDashboard.daily({
            from: '2026-01-01',
            to: '2026-01-31',
            customerId: 'CUST-2',
            company: 'Globex',
          }),
        ).toEqual([expect.objectContaining({ totalSales: '2.00' })]);
      });

      it('removes a cancelled order from its day, and the day when nothing is left', async () => {
        await world.placeOrder('SO-1', { date: '2026-01-10' });
        await world.placeOrder('SO-2', { date: '2026-01-10', lines: [{ rate: '7.00' }] });
        await world.placeOrder('SO-3', { date: '2026-01-11' });
        await world.simple('SO-2', 'CancelSalesOrder');
        await world.simple('SO-3', 'CancelSalesOrder');
        await harness.settle();
        expect(await q.salesDashboard.daily({ from: '2026-01-01', to: '2026-01-31' })).toEqual([
          expect.objectContaining({
            date: '2026-01-10',
            totalSales: '50.00',
            orderCount: 1,
            averageOrderValue: '50.00',
          }),
        ]);
      });

      it('refuses a malformed range', async () => {
        await expectValidationError(q.salesDashboard.daily({ from: '2026-1-1', to: '2026-01-31' }));
        await expectValidationError(
          q.salesDashboard.dailyTotals({ from: '2026-01-01', to: '2026-01-31', customerId: 'X' } as never),
        );
      });
    });

    describe('orders', () => {
      beforeEach(async () => {
        await world.placeOrder('SO-1', { date: '2026-01-10', taxPercent: '10' });
        await world.placeOrder('SO-2', {
          date: '2026-01-12',
          customerId: 'CUST-2',
          lines: [{}, { itemCode: 'BOLT', qty: '3', rate: '2.50' }],
        });
        await world.placeOrder('SO-3', { date: '2026-01-11', submit: false });
        await world.placeOrder('SO-4', { date: '2026-01-12' });
        await world.simple('SO-4', 'CancelSalesOrder');
        await world.deliver('SO-2', 'L1', '4');
        await harness.settle();
      });

      it('lists every order, drafts included, newest first, with status and totals', async () => {
        const list = await q.orders.list();
        expect(list.map((order) => [order.orderId, order.status])).toEqual([
          ['SO-4', 'cancelled'],
          ['SO-2', 'to_deliver_and_bill'],
          ['SO-3', 'draft'],
          ['SO-1', 'to_deliver_and_bill'],
        ]);
        expect(list[3]).toEqual({
          orderId: 'SO-1',
          customerId: 'CUST-1',
          company: 'Acme',
          currency: 'USD',
          transactionDate: '2026-01-10',
          deliveryDate: '2026-01-10',
          status: 'to_deliver_and_bill',
          docStatus: 'submitted',
          total: '50.00',
          discountAmount: '0.00',
          netTotal: '50.00',
          totalTaxes: '5.00',
          grandTotal: '55.00',
          perDelivered: '0',
          perBilled: '0',
          lineCount: 1,
          createdAt: '2026-02-01T09:00:00.000Z',
          submittedAt: '2026-02-01T09:00:00.000Z',
          cancelledAt: null,
        });
      });

      it('filters by status, customer and dates, sorts and pages, and counts the same filter', async () => {
        const ids = async (options: Parameters<typeof q.orders.list>[0]) =>
          (await q.orders.list(options)).map((order) => order.orderId);
        expect(await ids({ status: 'draft' })).toEqual(['SO-3']);
        expect(await ids({ status: ['cancelled', 'draft'] })).toEqual(['SO-4', 'SO-3']);
        expect(await ids({ customerId: 'CUST-2' })).toEqual(['SO-2']);
        expect(await ids({ from: '2026-01-11', to: '2026-01-11' })).toEqual(['SO-3']);
        expect(await ids({ orderBy: 'orderId', direction: 'asc' })).toEqual(['SO-1', 'SO-2', 'SO-3', 'SO-4']);
        expect(await ids({ orderBy: 'grandTotal', direction: 'asc' })).toEqual(['SO-3', 'SO-4', 'SO-1', 'SO-2']);
        expect(await ids({ limit: 2, offset: 1 })).toEqual(['SO-2', 'SO-3']);
        expect(await q.orders.count()).toBe(4);
        expect(await q.orders.count({ status: 'to_deliver_and_bill', customerId: 'CUST-1' })).toBe(1);
        await expectValidationError(q.orders.list({ status: 'shipped' as never }));
        await expectValidationError(q.orders.count({ from: 'yesterday' }));
      });

      it('gives an order with its lines and their progress', async () => {
        const order = await q.orders.get('SO-2');
        expect(order).toMatchObject({
          orderId: 'SO-2',
          customerId: 'CUST-2',
          netTotal: '57.50',
          perDelivered: '30.76923',
          onHold: false,
          holdReason: null,
          closed: false,
        });
        expect(order?.lines).toEqual([
          {
            lineId: 'L1',
            itemCode: 'WIDGET',
            warehouse: 'Main',
            qty: '10',
            uom: 'Nos',
            priceListRate: '5.00',
            discountPercentage: '0',
            rate: '5.00',
            amount: '50.00',
            discountAmount: '0.00',
            netAmount: '50.00',
            deliveredQty: '4',
            billedAmount: '0.00',
            deliveryDate: '2026-01-12',
          },
          expect.objectContaining({ lineId: 'L2', itemCode: 'BOLT', qty: '3', amount: '7.50', deliveredQty: '0' }),
        ]);
        expect(await q.orders.get('SO-404')).toBeUndefined();
        await world.order('SO-1', [{ type: 'HoldSalesOrder', data: { orderId: 'SO-1', reason: 'credit review' } }]);
        await harness.settle();
        expect(await q.orders.get('SO-1')).toMatchObject({
          status: 'on_hold',
          onHold: true,
          holdReason: 'credit review',
        });
      });
    });

    describe('stock levels', () => {
      it('tracks actual, reserved and projected quantity through reservations, deliveries, releases and issues', async () => {
        const at = { itemCode: 'WIDGET', warehouse: 'Main' } as const;
        await world.stock([
          { type: 'ReceiveStock', ...at, qty: '100' },
          { type: 'ReserveStock', ...at, orderId: 'SO-1', lineId: 'L1', qty: '30', kind: 'soft' },
          { type: 'ReserveStock', ...at, orderId: 'SO-2', lineId: 'L1', qty: '20', kind: 'hard' },
          { type: 'DeliverStock', ...at, orderId: 'SO-1', lineId: 'L1', qty: '10' },
          { type: 'ReceiveStock', itemCode: 'WIDGET', warehouse: 'East', qty: '5.5' },
        ]);
        await harness.settle();
        expect(await q.stockLevels.get('WIDGET', 'Main')).toEqual({
          itemCode: 'WIDGET',
          warehouse: 'Main',
          actualQty: '90',
          reservedQty: '40',
          hardReservedQty: '20',
          projectedQty: '50',
        });

        await world.stock([{ type: 'ReleaseStockReservation', ...at, orderId: 'SO-2', reason: 'on_hold' }]);
        await harness.settle();
        expect(await q.stockLevels.get('WIDGET', 'Main')).toMatchObject({ reservedQty: '20', hardReservedQty: '0' });

        await world.stock([
          { type: 'RestoreStockReservation', ...at, orderId: 'SO-2', reason: 'resumed' },
          { type: 'IssueStock', ...at, qty: '60' },
        ]);
        await harness.settle();
        expect(await q.stockLevels.get('WIDGET', 'Main')).toMatchObject({
          actualQty: '30',
          reservedQty: '40',
          hardReservedQty: '20',
          projectedQty: '-10',
        });
        expect(await q.stockLevels.list({ itemCode: 'WIDGET' })).toEqual([
          expect.objectContaining({ warehouse: 'East', actualQty: '5.5', projectedQty: '5.5' }),
          expect.objectContaining({ warehouse: 'Main' }),
        ]);
        expect(await q.stockLevels.list({ warehouse: 'East' })).toHaveLength(1);
        expect(await q.stockLevels.get('WIDGET', 'Nowhere')).toBeUndefined();
      });
    });

    describe('credit balances', () => {
      const limit = (amount: string) => ({ amount, currency: 'USD' });
      const invoice = (invoiceId: string, amount: string) => ({
        type: 'CreateSalesInvoice' as const,
        invoiceId,
        customerId: 'CUST-1',
        company: 'Acme',
        salesOrderId: 'SO-1',
        currency: 'USD',
        postingDate: '2026-01-15',
        lines: [
          {
            orderLineId: 'L1',
            itemCode: 'WIDGET',
            qty: '1',
            rate: limit(amount),
            amount: limit(amount),
            unbilledAmount: limit('100000.00'),
          },
        ],
      });

      it('shows limit, outstanding invoices, unbilled orders and what is available', async () => {
        await world.customer([
          {
            type: 'RegisterCustomer',
            customerId: 'CUST-1',
            name: 'One',
            customerGroup: 'Retail',
            creditLimits: [{ company: 'Acme', limit: limit('1000.00') }],
          },
        ]);
        await world.placeOrder('SO-1', { lines: [{ rate: '50.00' }], taxPercent: '10' });
        await harness.settle();
        expect(await q.creditBalances.get('CUST-1', 'Acme')).toEqual({
          customerId: 'CUST-1',
          company: 'Acme',
          currency: 'USD',
          creditLimit: '1000.00',
          bypassAtSalesOrder: false,
          outstanding: '0.00',
          unbilledOrders: '550.00',
          exposure: '550.00',
          available: '450.00',
          overLimit: false,
        });

        await world.invoice([invoice('INV-1', '300.00')]);
        await world.bill('SO-1', 'L1', '300.00');
        await world.payment('PAY-1', 'CUST-1', 'Acme', '100.00');
        await world.invoice([
          { type: 'ApplyPaymentToInvoice', invoiceId: 'INV-1', paymentId: 'PAY-1', amount: limit('100.00') },
        ]);
        await harness.settle();
        expect(await q.creditBalances.get('CUST-1', 'Acme')).toMatchObject({
          outstanding: '200.00',
          unbilledOrders: '220.00',
          exposure: '420.00',
          available: '580.00',
        });

        await world.placeOrder('SO-2', { lines: [{ rate: '80.00' }] });
        await harness.settle();
        expect(await q.creditBalances.get('CUST-1', 'Acme')).toMatchObject({ available: '-220.00', overLimit: true });
        expect(await q.creditBalances.list({ overLimit: true })).toEqual([
          expect.objectContaining({ customerId: 'CUST-1' }),
        ]);

        await world.simple('SO-2', 'CancelSalesOrder');
        await world.invoice([invoice('INV-2', '75.00'), { type: 'CancelSalesInvoice', invoiceId: 'INV-2' }]);
        await harness.settle();
        expect(await q.creditBalances.get('CUST-1', 'Acme')).toMatchObject({ exposure: '420.00', overLimit: false });
        expect(await q.creditBalances.list({ overLimit: true })).toEqual([]);
      });

      it('follows limit changes and drops a balance with no limit and nothing owed', async () => {
        await world.customer([
          {
            type: 'RegisterCustomer',
            customerId: 'CUST-2',
            name: 'Two',
            customerGroup: 'Retail',
            creditLimits: [{ company: 'Acme', limit: limit('500.00'), bypassAtSalesOrder: true }],
          },
        ]);
        await harness.settle();
        expect(await q.creditBalances.get('CUST-2', 'Acme')).toMatchObject({
          creditLimit: '500.00',
          bypassAtSalesOrder: true,
          exposure: '0.00',
          available: '500.00',
        });

        await world.placeOrder('SO-9', { customerId: 'CUST-2' });
        await world.customer([
          {
            type: 'ChangeCustomerCreditLimit',
            customerId: 'CUST-2',
            company: 'Acme',
            limit: limit('0'),
            currentOutstanding: limit('50.00'),
          },
        ]);
        await harness.settle();
        expect(await q.creditBalances.get('CUST-2', 'Acme')).toMatchObject({
          creditLimit: null,
          bypassAtSalesOrder: false,
          unbilledOrders: '50.00',
          available: null,
          overLimit: false,
        });

        await world.simple('SO-9', 'CloseSalesOrder');
        await world.customer([{ type: 'RemoveCustomerCreditLimit', customerId: 'CUST-2', company: 'Acme' }]);
        await harness.settle();
        expect(await q.creditBalances.get('CUST-2', 'Acme')).toBeUndefined();
        expect(await q.creditBalances.list({ customerId: 'CUST-2' })).toEqual([]);
      });
    });

    describe('rebuild and atomicity', () => {
      it('rebuilds every read model from position 0 to exactly what was live', async () => {
        await world.placeOrder('SO-1');
        await world.placeOrder('SO-2', { customerId: 'CUST-2', date: '2026-01-11' });
        await world.simple('SO-2', 'CancelSalesOrder');
        await world.stock([{ type: 'ReceiveStock', itemCode: 'WIDGET', warehouse: 'Main', qty: '7' }]);
        await harness.settle();
        const before = await snapshot(q);
        await harness.rebuild();
        expect(await snapshot(q)).toEqual(before);
        expect(before.summaries).toHaveLength(1);
      });

      it('leaves every read model untouched when the append they ran in rolls back', async () => {
        await world.placeOrder('SO-1');
        await harness.settle();
        const before = await snapshot(q);
        const failing = defineProjection({
          name: 'fails-on-SO-2',
          handlers: {
            SalesOrderSubmitted: (_tx, event: StoredEvent) => {
              if ((event.data as { orderId: string }).orderId === 'SO-2') throw new Error('boom');
            },
          },
        });
        const failingWorld = new ErpWorld(harness.withExtraProjection(failing));
        await expect(failingWorld.placeOrder('SO-2', { customerId: 'CUST-2' })).rejects.toThrow('boom');
        // The create and line events of SO-2 were appended before the failing submit: they are kept, and only
        // the submit is missing from the read models (and from the store).
        await harness.settle();
        const after = await snapshot(q);
        expect(after.summaries).toEqual(before.summaries);
        expect(after.days).toEqual(before.days);
        expect((await q.orders.get('SO-2'))?.status).toBe('draft');
      });
    });

    if (backend.sql) {
      it('counts an event once even if a handler is given it twice (the fold tables remember positions)', async () => {
        await world.placeOrder('SO-1');
        await world.stock([{ type: 'ReceiveStock', itemCode: 'WIDGET', warehouse: 'Main', qty: '7' }]);
        await harness.settle();
        const before = await snapshot(q);
        const events: StoredEvent[] = [];
        for await (const event of harness.store.readAll()) events.push(event);
        await harness.store.withTransaction(async (tx) => {
          for (const projection of harness.projections) {
            for (const event of events) await projection.handlers[event.type]?.(tx as never, event);
          }
        });
        expect(await snapshot(q)).toEqual(before);
      });
    }
  });
});
