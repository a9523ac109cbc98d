import { describe, expect, it } from 'vitest';
import { SalesOrder, SalesOrderCreated } from '../../../src/domain/sales-order/index.js';
import { createEventRegistry } from '../../../src/kernel/event-registry.js';
import { addLine, create, NOW, ORDER, orderOf, spec } from './sales-order-fixtures.js';

describe('SalesOrder: the price list an order is priced from', () => {
  it('records the price list given at creation in SalesOrderCreated and in the state', () => {
    spec()
      .given()
      .when(create({ priceListId: 'Wholesale' }))
      .thenEmits([
        {
          type: 'SalesOrderCreated',
          data: {
            orderId: SalesOrder.id(ORDER),
            customerId: 'CUST-1',
            company: 'Acme',
            currency: 'USD',
            transactionDate: '2026-01-10',
            deliveryDate: null,
            priceListId: 'Wholesale',
            pricing: { roundingMethod: 'half-even', roundedTotal: false, smallestFraction: null },
            createdAt: NOW,
          },
        },
      ]);
    expect(orderOf([create({ priceListId: 'Wholesale' }), addLine('L1')]).priceListId).toBe('Wholesale');
  });

  it('leaves it out of the event, and null in the state, when none is given', () => {
    spec()
      .given()
      .when(create())
      .thenState((_state, events) => expect(events[0]?.data).not.toHaveProperty('priceListId'));
    expect(orderOf([create()]).priceListId).toBeNull();
  });

  it('reads SalesOrderCreated events stored without the field (schema version 1, no upcaster needed)', () => {
    const registry = createEventRegistry([SalesOrderCreated]);
    const stored = {
      orderId: ORDER,
      customerId: 'CUST-1',
      company: 'Acme',
      currency: 'USD',
      transactionDate: '2026-01-10',
      deliveryDate: null,
      pricing: { roundingMethod: 'half-even', roundedTotal: false, smallestFraction: null },
      createdAt: NOW,
    };
    const decoded = registry.decode({
      streamId: 'SalesOrder-SO-1',
      streamVersion: 1,
      type: 'SalesOrderCreated',
      schemaVersion: 1,
      data: stored,
    });
    expect(decoded).toEqual({ schemaVersion: 1, data: stored });
    expect(SalesOrderCreated.schemaVersion).toBe(1);
  });

  it('round-trips it through a snapshot, and loads snapshots taken before it existed as null', () => {
    const order = orderOf([create({ priceListId: 'Wholesale' }), addLine('L1')]);
    const snapshot = SalesOrder.toSnapshot(order);
    expect(snapshot).toMatchObject({ priceListId: 'Wholesale' });
    expect(SalesOrder.fromSnapshot(snapshot)).toEqual(order);
    const { priceListId: _dropped, ...older } = snapshot as Record<string, unknown>;
    const loaded = SalesOrder.fromSnapshot(older);
    expect(loaded.exists && loaded.priceListId).toBeNull();
  });

  it('refuses an empty price list id', () => {
    spec()
      .given()
      .when(create({ priceListId: '' }))
      .thenRejects('VALIDATION_FAILED');
  });
});
