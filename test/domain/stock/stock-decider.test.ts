import { describe, expect, it } from 'vitest';
import { ItemCode } from '../../../src/domain/item/index.js';
import { Stock, type StockEvent, WarehouseId } from '../../../src/domain/stock/index.js';
import { deciderSpec } from '../../../src/testing/decider-spec.js';

const spec = deciderSpec(Stock.decider);
const where = { itemCode: ItemCode('WIDGET'), warehouse: WarehouseId('Main') };
const received = (qty: string): StockEvent => ({ type: 'StockReceived', data: { ...where, qty, reference: null } });
const reserved = (orderId: string, lineId: string, qty: string, kind: 'soft' | 'hard' = 'soft'): StockEvent => ({
  type: 'StockReserved',
  data: { ...where, orderId, lineId, qty, kind },
});
const cmd = { itemCode: 'WIDGET', warehouse: 'Main' };

describe('Stock decider: actual quantity', () => {
  it('receipts raise and issues lower actual quantity', () => {
    spec
      .given([received('10')])
      .when({ type: 'IssueStock', ...cmd, qty: '4' })
      .thenState((state) => expect(state.actualQty).toBe('6'));
  });

  it('refuses to issue more than is there with INSUFFICIENT_STOCK and the shortfall', () => {
    spec
      .given([received('3')])
      .when({ type: 'IssueStock', ...cmd, qty: '5' })
      .thenRejects((error) => {
        const data = error as { rule: string; data: Record<string, unknown> };
        return data.rule === 'INSUFFICIENT_STOCK' && data.data.shortfall === '2';
      });
  });

  it('lets actual quantity go negative when negative stock is allowed', () => {
    spec
      .given([received('3')])
      .when({ type: 'IssueStock', ...cmd, qty: '5', allowNegativeStock: true })
      .thenState((state) => expect(state.actualQty).toBe('-2'));
  });

  it('refuses a command for another item or warehouse than the stream holds', () => {
    spec
      .given([received('3')])
      .when({ type: 'ReceiveStock', itemCode: 'WIDGET', warehouse: 'Other', qty: '1' })
      .thenRejects('STOCK_LOCATION_MISMATCH');
  });

  it('rejects a zero or negative quantity with its path', () => {
    spec
      .given()
      .when({ type: 'ReceiveStock', ...cmd, qty: '0' })
      .thenRejects((error) => (error as { issues: { path: unknown[] }[] }).issues[0]?.path.join('.') === 'qty');
  });
});

describe('Stock decider: soft reservations', () => {
  it('a soft reservation raises reserved quantity and may take projected quantity below zero', () => {
    spec
      .given([received('5')])
      .when({ type: 'ReserveStock', ...cmd, orderId: 'SO-1', lineId: 'L1', qty: '8' })
      .thenState((state) => {
        expect(state.reservedQty).toBe('8');
        expect(Stock.projectedQty(state).value).toBe('-3');
      });
  });

  it('reserving the same order line again with the same quantity emits nothing', () => {
    spec
      .given([reserved('SO-1', 'L1', '8')])
      .when({ type: 'ReserveStock', ...cmd, orderId: 'SO-1', lineId: 'L1', qty: '8' })
      .thenNothingHappens();
  });

  it('refuses a different second reservation for the same order line', () => {
    spec
      .given([reserved('SO-1', 'L1', '8')])
      .when({ type: 'ReserveStock', ...cmd, orderId: 'SO-1', lineId: 'L1', qty: '9' })
      .thenRejects('RESERVATION_EXISTS');
  });

  it('soft reservations do not block issuing', () => {
    spec
      .given([received('5'), reserved('SO-1', 'L1', '5')])
      .when({ type: 'IssueStock', ...cmd, qty: '5' })
      .thenState((state) => expect(state.actualQty).toBe('0'));
  });

  it('releasing on hold, cancel or close frees exactly the outstanding quantity, once', () => {
    const given = [
      received('5'),
      reserved('SO-1', 'L1', '3'),
      reserved('SO-1', 'L2', '2'),
      reserved('SO-2', 'L1', '4'),
    ];
    spec
      .given(given)
      .when({ type: 'ReleaseStockReservation', ...cmd, orderId: 'SO-1', reason: 'on_hold' })
      .thenEmits([
        {
          type: 'StockReservationReleased',
          data: { ...where, orderId: 'SO-1', lineId: 'L1', qty: '3', reason: 'on_hold' },
        },
        {
          type: 'StockReservationReleased',
          data: { ...where, orderId: 'SO-1', lineId: 'L2', qty: '2', reason: 'on_hold' },
        },
      ]);
    const released = spec
      .given(given)
      .when({ type: 'ReleaseStockReservation', ...cmd, orderId: 'SO-1', reason: 'on_hold' })
      .events();
    spec
      .given([...given, ...released])
      .when({ type: 'ReleaseStockReservation', ...cmd, orderId: 'SO-1', reason: 'cancelled' })
      .thenNothingHappens();
    spec
      .given([...given, ...released])
      .when({ type: 'RestoreStockReservation', ...cmd, orderId: 'SO-1', reason: 'resumed' })
      .thenState((state) => expect(state.reservedQty).toBe('9'));
  });

  it('restoring reservations that are active emits nothing', () => {
    spec
      .given([reserved('SO-1', 'L1', '3')])
      .when({ type: 'RestoreStockReservation', ...cmd, orderId: 'SO-1', reason: 're_opened' })
      .thenNothingHappens();
  });

  it('releases one line only when a line id is given', () => {
    spec
      .given([reserved('SO-1', 'L1', '3'), reserved('SO-1', 'L2', '2')])
      .when({ type: 'ReleaseStockReservation', ...cmd, orderId: 'SO-1', lineId: 'L2', reason: 'closed' })
      .thenState((state) => expect(state.reservedQty).toBe('3'));
  });

  it('a delivery reduces the line reservation by the delivered quantity, never below zero', () => {
    spec
      .given([received('10'), reserved('SO-1', 'L1', '4')])
      .when({ type: 'DeliverStock', ...cmd, orderId: 'SO-1', lineId: 'L1', qty: '6' })
      .thenState((state, events) => {
        expect(events[0]?.type === 'StockDelivered' && events[0].data.reservationReduced).toBe('4');
        expect(state.actualQty).toBe('4');
        expect(state.reservedQty).toBe('0');
      });
  });

  it('a delivery while the reservation is released lowers what a restore brings back', () => {
    const released: StockEvent = {
      type: 'StockReservationReleased',
      data: { ...where, orderId: 'SO-1', lineId: 'L1', qty: '4', reason: 'on_hold' },
    };
    const delivered: StockEvent = {
      type: 'StockDelivered',
      data: { ...where, orderId: 'SO-1', lineId: 'L1', qty: '1', reservationReduced: '1', reference: null },
    };
    spec
      .given([received('10'), reserved('SO-1', 'L1', '4'), released, delivered])
      .when({ type: 'RestoreStockReservation', ...cmd, orderId: 'SO-1', reason: 'resumed' })
      .thenState((state) => expect(state.reservedQty).toBe('3'));
  });

  it('adjusts an active reservation to a new quantity and refuses adjusting a missing or released one', () => {
    spec
      .given([reserved('SO-1', 'L1', '4')])
      .when({ type: 'AdjustStockReservation', ...cmd, orderId: 'SO-1', lineId: 'L1', qty: '7' })
      .thenState((state) => expect(state.reservedQty).toBe('7'));
    spec
      .given()
      .when({ type: 'AdjustStockReservation', ...cmd, orderId: 'SO-1', lineId: 'L1', qty: '7' })
      .thenRejects('RESERVATION_NOT_FOUND');
    spec
      .given([
        reserved('SO-1', 'L1', '4'),
        {
          type: 'StockReservationReleased',
          data: { ...where, orderId: 'SO-1', lineId: 'L1', qty: '4', reason: 'on_hold' },
        },
      ])
      .when({ type: 'AdjustStockReservation', ...cmd, orderId: 'SO-1', lineId: 'L1', qty: '7' })
      .thenRejects('RESERVATION_NOT_ACTIVE');
  });
});

describe('Stock decider: hard reservations', () => {
  it('a hard reservation needs free stock', () => {
    spec
      .given([received('5'), reserved('SO-1', 'L1', '4', 'hard')])
      .when({ type: 'ReserveStock', ...cmd, orderId: 'SO-2', lineId: 'L1', qty: '2', kind: 'hard' })
      .thenRejects('INSUFFICIENT_STOCK');
  });

  it('blocks issuing hard-reserved stock for anything else', () => {
    spec
      .given([received('5'), reserved('SO-1', 'L1', '4', 'hard')])
      .when({ type: 'IssueStock', ...cmd, qty: '2' })
      .thenRejects('STOCK_RESERVED');
    spec
      .given([received('5'), reserved('SO-1', 'L1', '4', 'hard')])
      .when({ type: 'DeliverStock', ...cmd, orderId: 'SO-2', lineId: 'L1', qty: '2' })
      .thenRejects('STOCK_RESERVED');
  });

  it('blocks issuing hard-reserved stock even when negative stock is allowed', () => {
    spec
      .given([received('5'), reserved('SO-1', 'L1', '4', 'hard')])
      .when({ type: 'IssueStock', ...cmd, qty: '2', allowNegativeStock: true })
      .thenRejects('STOCK_RESERVED');
  });

  it('lets the reserving order line take its hard-reserved stock', () => {
    spec
      .given([received('5'), reserved('SO-1', 'L1', '4', 'hard')])
      .when({ type: 'DeliverStock', ...cmd, orderId: 'SO-1', lineId: 'L1', qty: '4' })
      .thenState((state) => {
        expect(state.actualQty).toBe('1');
        expect(state.hardReservedQty).toBe('0');
        expect(state.reservedQty).toBe('0');
      });
  });

  it('released hard reservations stop blocking, and restoring them needs free stock again', () => {
    const released: StockEvent = {
      type: 'StockReservationReleased',
      data: { ...where, orderId: 'SO-1', lineId: 'L1', qty: '4', reason: 'on_hold' },
    };
    const issued: StockEvent = { type: 'StockIssued', data: { ...where, qty: '3', reference: null } };
    spec
      .given([received('5'), reserved('SO-1', 'L1', '4', 'hard'), released])
      .when({ type: 'IssueStock', ...cmd, qty: '3' })
      .thenEmits([issued]);
    spec
      .given([received('5'), reserved('SO-1', 'L1', '4', 'hard'), released, issued])
      .when({ type: 'RestoreStockReservation', ...cmd, orderId: 'SO-1', reason: 'resumed' })
      .thenRejects('INSUFFICIENT_STOCK');
  });
});
