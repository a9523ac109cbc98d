import { beforeEach, describe, expect, it } from 'vitest';
import { SalesOrder, type SalesOrderEvent, type SalesOrderState } from '../../../src/domain/sales-order/index.js';
import {
  type SalesOrderLineFactRow,
  type StreamChange,
  salesOrderFactRows,
  salesOrderLineFactRows,
} from '../../../src/export/index.js';
import type { MemoryEventStore } from '../../../src/index.js';
import {
  createErpWriter,
  createValidatingStore,
  type ErpWriter,
  rowShapeProblems,
  streamChanges,
} from '../export-test-support.js';

let store: MemoryEventStore;
let erp: ErpWriter;

beforeEach(() => {
  store = createValidatingStore();
  erp = createErpWriter(store);
});

const line = (lineId: string, itemCode: string, qty: string, rate: string) => ({
  lineId,
  itemCode,
  qty,
  uom: 'Nos',
  rate,
  warehouse: 'Main',
});

/** A draft of two lines with 19 % VAT, and whatever `more` commands follow. */
async function order(more: readonly Parameters<ErpWriter['order']>[0][] = []) {
  await erp.order({
    type: 'CreateSalesOrder',
    data: { orderId: 'SO-1', customerId: 'C-1', company: 'Acme', currency: 'EUR', deliveryDate: '2026-04-01' },
  });
  await erp.order({ type: 'AddSalesOrderLine', data: { orderId: 'SO-1', line: line('L1', 'WIDGET', '3', '10.00') } });
  await erp.order({ type: 'AddSalesOrderLine', data: { orderId: 'SO-1', line: line('L2', 'GADGET', '2', '2.50') } });
  await erp.order({
    type: 'AddSalesOrderTax',
    data: { orderId: 'SO-1', tax: { taxId: 'VAT', description: 'VAT', kind: 'on_net_total', rate: '19' } },
  });
  for (const command of more) await erp.order(command);
  return streamChanges<SalesOrderState, SalesOrderEvent>(
    store,
    SalesOrder.streamId('SO-1'),
    SalesOrder.initialState,
    SalesOrder.evolve,
  );
}

const submit = { type: 'SubmitSalesOrder', data: { orderId: 'SO-1' } } as const;
const rowsOf = <R>(
  changes: readonly StreamChange<SalesOrderEvent, SalesOrderState>[],
  transform: (c: StreamChange<SalesOrderEvent, SalesOrderState>) => readonly R[],
) => changes.flatMap((change) => transform(change));

describe('sales_order_fact', () => {
  it('writes no row while the order is a draft', async () => {
    const changes = await order();
    expect(rowsOf(changes, salesOrderFactRows)).toEqual([]);
  });

  it('writes the submitted order with its totals as decimal strings in the order currency', async () => {
    const changes = await order([submit]);
    const rows = rowsOf(changes, salesOrderFactRows);
    expect(rows).toHaveLength(1);
    const submitted = changes.at(-1)?.event;
    expect(rows[0]).toMatchObject({
      table: 'sales_order_fact',
      key: `sales_order_fact:${submitted?.eventId}:0`,
      values: {
        event_type: 'SalesOrderSubmitted',
        global_position: submitted?.globalPosition,
        order_id: 'SO-1',
        version: 5,
        customer_id: 'C-1',
        currency: 'EUR',
        status: 'to_deliver_and_bill',
        doc_status: 'submitted',
        line_count: 2,
        total: '35.00',
        net_total: '35.00',
        total_taxes: '6.65',
        grand_total: '41.65',
        rounded_total: null,
        unbilled_amount: '41.65',
        per_delivered: '0',
      },
    });
    expect(rowShapeProblems(rows)).toEqual([]);
  });

  it('writes a new version of the order after each later event, with the figures after it', async () => {
    const changes = await order([
      submit,
      { type: 'RecordSalesOrderDelivery', data: { orderId: 'SO-1', lines: [{ lineId: 'L1', qty: '3' }] } },
      { type: 'CloseSalesOrder', data: { orderId: 'SO-1' } },
    ]);
    const rows = rowsOf(changes, salesOrderFactRows);
    expect(rows.map((row) => [row.values.version, row.values.event_type, row.values.status])).toEqual([
      [5, 'SalesOrderSubmitted', 'to_deliver_and_bill'],
      [6, 'SalesOrderDeliveryRecorded', 'to_deliver_and_bill'],
      [7, 'SalesOrderClosed', 'closed'],
    ]);
    expect(rows[1]?.values.per_delivered).not.toBe('0');
    expect(rows[2]?.values).toMatchObject({ is_closed: true, unbilled_amount: '0.00' });
  });

  it('records cancellation with its time and nothing left unbilled', async () => {
    const changes = await order([submit, { type: 'CancelSalesOrder', data: { orderId: 'SO-1' } }]);
    const last = rowsOf(changes, salesOrderFactRows).at(-1);
    expect(last?.values).toMatchObject({ doc_status: 'cancelled', status: 'cancelled', unbilled_amount: '0.00' });
    expect(last?.values.cancelled_at).toEqual(expect.any(String));
  });
});

describe('sales_order_line_fact', () => {
  const cells = (rows: readonly SalesOrderLineFactRow[]) =>
    rows.map((row) => [row.values.order_version, row.values.line_id, row.values.is_removed]);

  it('writes no row for the lines of a draft', async () => {
    expect(rowsOf(await order(), salesOrderLineFactRows)).toEqual([]);
  });

  it('writes every line on submission, with its amounts and the order keys', async () => {
    const rows = rowsOf(await order([submit]), salesOrderLineFactRows);
    expect(cells(rows)).toEqual([
      [5, 'L1', false],
      [5, 'L2', false],
    ]);
    expect(rows[0]?.values).toMatchObject({
      order_id: 'SO-1',
      customer_id: 'C-1',
      item_code: 'WIDGET',
      qty: '3',
      rate: '10.00',
      amount: '30.00',
      net_amount: '30.00',
      delivered_qty: '0',
      billed_amount: '0.00',
      delivery_date: '2026-04-01',
    });
    expect(rows.map((row) => row.key)).toEqual([
      `sales_order_line_fact:${rows[0]?.values.event_id}:0`,
      `sales_order_line_fact:${rows[0]?.values.event_id}:1`,
    ]);
    expect(rowShapeProblems(rows)).toEqual([]);
  });

  it('writes only the lines an event changed', async () => {
    const rows = rowsOf(
      await order([
        submit,
        { type: 'RecordSalesOrderDelivery', data: { orderId: 'SO-1', lines: [{ lineId: 'L2', qty: '1' }] } },
        { type: 'HoldSalesOrder', data: { orderId: 'SO-1' } },
      ]),
      salesOrderLineFactRows,
    );
    expect(cells(rows)).toEqual([
      [5, 'L1', false],
      [5, 'L2', false],
      [6, 'L2', false],
    ]);
    expect(rows.at(-1)?.values.delivered_qty).toBe('1');
  });

  it('writes a removal row for a line removed after submission', async () => {
    const rows = rowsOf(
      await order([
        submit,
        {
          type: 'UpdateSalesOrderItems',
          data: { orderId: 'SO-1', remove: ['L2'], add: [line('L3', 'BOLT', '4', '1.00')] },
        },
      ]),
      salesOrderLineFactRows,
    );
    const removed = rows.filter((row) => row.values.is_removed);
    expect(removed.map((row) => row.values.line_id)).toEqual(['L2']);
    expect(removed[0]?.values.qty).toBe('2');
    expect(rows.some((row) => row.values.line_id === 'L3' && !row.values.is_removed)).toBe(true);
    expect(rowShapeProblems(rows)).toEqual([]);
  });
});
