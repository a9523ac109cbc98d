import { beforeEach, describe, expect, it } from 'vitest';
import { Stock, type StockEvent, type StockState } from '../../../src/domain/stock/index.js';
import { inventoryMovementFactRows } from '../../../src/export/index.js';
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

const where = { itemCode: 'WIDGET', warehouse: 'Main' } as const;

async function rows() {
  const changes = await streamChanges<StockState, StockEvent>(
    store,
    Stock.streamId('WIDGET', 'Main'),
    Stock.initialState,
    Stock.evolve,
  );
  return changes.flatMap((change) => inventoryMovementFactRows(change));
}

describe('inventory_movement_fact', () => {
  it('writes each movement with signed quantity changes and the balances after it', async () => {
    await erp.stock({ type: 'ReceiveStock', ...where, qty: '10.5', reference: 'PR-1' });
    await erp.stock({ type: 'ReserveStock', ...where, orderId: 'SO-1', lineId: 'L1', qty: '4', kind: 'hard' });
    await erp.stock({ type: 'DeliverStock', ...where, orderId: 'SO-1', lineId: 'L1', qty: '3', reference: 'DN-1' });
    await erp.stock({ type: 'IssueStock', ...where, qty: '0.5' });
    const written = await rows();
    expect(
      written.map((row) => [
        row.values.movement_type,
        row.values.actual_qty_change,
        row.values.reserved_qty_change,
        row.values.actual_qty_after,
        row.values.reserved_qty_after,
        row.values.projected_qty_after,
      ]),
    ).toEqual([
      ['received', '10.5', '0', '10.5', '0', '10.5'],
      ['reserved', '0', '4', '10.5', '4', '6.5'],
      ['delivered', '-3', '-3', '7.5', '1', '6.5'],
      ['issued', '-0.5', '0', '7', '1', '6'],
    ]);
    expect(written.map((row) => [row.values.order_id, row.values.line_id, row.values.reference])).toEqual([
      [null, null, 'PR-1'],
      ['SO-1', 'L1', null],
      ['SO-1', 'L1', 'DN-1'],
      [null, null, null],
    ]);
    expect(written[1]?.values.reservation_kind).toBe('hard');
    expect(written.map((row) => row.values.version)).toEqual([1, 2, 3, 4]);
    expect(rowShapeProblems(written)).toEqual([]);
  });

  it('writes releases and restores of a reservation with their reason', async () => {
    await erp.stock({ type: 'ReceiveStock', ...where, qty: '5' });
    await erp.stock({ type: 'ReserveStock', ...where, orderId: 'SO-1', lineId: 'L1', qty: '2' });
    await erp.stock({ type: 'ReleaseStockReservation', ...where, orderId: 'SO-1', reason: 'on_hold' });
    await erp.stock({ type: 'RestoreStockReservation', ...where, orderId: 'SO-1', reason: 'resumed' });
    const written = (await rows()).slice(2);
    expect(written.map((row) => [row.values.movement_type, row.values.reserved_qty_change, row.values.reason])).toEqual(
      [
        ['reservation_released', '-2', 'on_hold'],
        ['reservation_restored', '2', 'resumed'],
      ],
    );
  });
});
