import { describe, expect, it } from 'vitest';
import { assertStockAvailable, checkStockAvailability } from '../../../src/domain/stock/index.js';

const stock = [
  { itemCode: 'WIDGET', warehouse: 'Main', actualQty: '10', reservedQty: '4' },
  { itemCode: 'GADGET', warehouse: 'Main', actualQty: '100', reservedQty: '0' },
];
const lines = [
  { lineId: 'L1', itemCode: 'WIDGET', warehouse: 'Main', stockQty: '5' },
  { lineId: 'L2', itemCode: 'GADGET', warehouse: 'Main', stockQty: '10' },
];

describe('stock availability', () => {
  it('checks each line against projected quantity (actual − reserved) and reserves every line when all are available', () => {
    const decision = checkStockAvailability({ policy: 'block', orderId: 'SO-1', lines, stock });
    expect(decision.allowed).toBe(true);
    expect(decision.shortfalls).toEqual([]);
    expect(decision.reservations).toEqual([
      {
        type: 'ReserveStock',
        itemCode: 'WIDGET',
        warehouse: 'Main',
        orderId: 'SO-1',
        lineId: 'L1',
        qty: '5',
        kind: 'soft',
      },
      {
        type: 'ReserveStock',
        itemCode: 'GADGET',
        warehouse: 'Main',
        orderId: 'SO-1',
        lineId: 'L2',
        qty: '10',
        kind: 'soft',
      },
    ]);
    expect(decision.violation).toBeNull();
  });

  it('block refuses with INSUFFICIENT_STOCK, the shortfall per line, and reserves nothing', () => {
    const decision = checkStockAvailability({
      policy: 'block',
      orderId: 'SO-1',
      lines: [{ lineId: 'L1', itemCode: 'WIDGET', warehouse: 'Main', stockQty: '9' }],
      stock,
    });
    expect(decision.allowed).toBe(false);
    expect(decision.reservations).toEqual([]);
    expect(decision.shortfalls).toEqual([
      { lineId: 'L1', itemCode: 'WIDGET', warehouse: 'Main', requested: '9', available: '6', shortfall: '3' },
    ]);
    expect(decision.violation?.rule).toBe('INSUFFICIENT_STOCK');
    expect(decision.violation?.data.shortfalls).toEqual(decision.shortfalls);
    expect(() =>
      assertStockAvailable({ policy: 'block', orderId: 'SO-1', lines: [{ ...lines[0]!, stockQty: '9' }], stock }),
    ).toThrow(expect.objectContaining({ rule: 'INSUFFICIENT_STOCK' }));
  });

  it('warn accepts a shortfall, reserves the full quantity, and warns', () => {
    const decision = checkStockAvailability({
      policy: 'warn',
      orderId: 'SO-1',
      lines: [{ ...lines[0]!, stockQty: '9' }],
      stock,
    });
    expect(decision.allowed).toBe(true);
    expect(decision.reservations.map((reservation) => reservation.qty)).toEqual(['9']);
    expect(decision.warnings).toHaveLength(1);
    expect(decision.lines[0]?.backordered).toBe('0');
  });

  it('backorder accepts a shortfall, reserves the full quantity and reports the backordered quantity', () => {
    const decision = checkStockAvailability({
      policy: 'backorder',
      orderId: 'SO-1',
      lines: [{ ...lines[0]!, stockQty: '9' }],
      stock,
    });
    expect(decision.allowed).toBe(true);
    expect(decision.lines[0]).toMatchObject({ status: 'short', backordered: '3' });
    expect(decision.reservations).toHaveLength(1);
  });

  it('lines of the same item and warehouse draw on the same projected quantity', () => {
    const decision = checkStockAvailability({
      policy: 'block',
      orderId: 'SO-1',
      lines: [
        { lineId: 'L1', itemCode: 'WIDGET', warehouse: 'Main', stockQty: '4' },
        { lineId: 'L2', itemCode: 'WIDGET', warehouse: 'Main', stockQty: '4' },
      ],
      stock,
    });
    expect(decision.shortfalls).toEqual([
      { lineId: 'L2', itemCode: 'WIDGET', warehouse: 'Main', requested: '4', available: '2', shortfall: '2' },
    ]);
  });

  it('an item with no stock record has nothing available, and a negative projection counts as zero', () => {
    const decision = checkStockAvailability({
      policy: 'block',
      orderId: 'SO-1',
      lines: [
        { lineId: 'L1', itemCode: 'NEW', warehouse: 'Main', stockQty: '1' },
        { lineId: 'L2', itemCode: 'OVER', warehouse: 'Main', stockQty: '1' },
      ],
      stock: [{ itemCode: 'OVER', warehouse: 'Main', actualQty: '1', reservedQty: '5' }],
    });
    expect(decision.shortfalls.map((entry) => [entry.available, entry.shortfall])).toEqual([
      ['0', '1'],
      ['0', '1'],
    ]);
  });

  it('skips non-stock items: neither checked nor reserved', () => {
    const decision = checkStockAvailability({
      policy: 'block',
      orderId: 'SO-1',
      lines: [{ lineId: 'L1', itemCode: 'SERVICE', warehouse: 'Main', stockQty: '1000', isStockItem: false }],
      stock,
    });
    expect(decision.allowed).toBe(true);
    expect(decision.reservations).toEqual([]);
    expect(decision.lines[0]?.status).toBe('not_stock_item');
  });
});
