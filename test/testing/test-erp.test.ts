// The example test of docs/testing-with-ordo.md: how a host's test suite uses the test ERP. A host imports
// `createTestErp` from 'ordo/testing'; inside this repository it comes from the sources.
import { describe, expect, it } from 'vitest';
import { createTestErp } from '../../src/testing/test-erp.js';

describe('a host app testing its checkout with the test ERP', () => {
  it('places an order for a sample customer and reads back the reservation and the confirmation', async () => {
    const erp = await createTestErp();
    const { customers, items } = erp.sample;

    const placed = await erp.placeOrder({
      orderId: 'SO-1',
      customerId: customers.acme,
      lines: [{ itemCode: items.widget, qty: '10' }],
    });

    expect(placed).toMatchObject({ ok: true, grandTotal: { amount: '245.00', currency: 'USD' } });
    expect(await erp.getStock(items.widget)).toMatchObject({ reservedQty: '10', projectedQty: '490' });
    expect(erp.notifications.sent).toEqual([
      expect.objectContaining({ kind: 'order_placed', channel: 'email', recipient: `customer:${customers.acme}` }),
    ]);
  });

  it('shows the checkout what to tell the user when the ERP refuses', async () => {
    const erp = await createTestErp();
    const refused = await erp.placeOrder({
      customerId: erp.sample.customers.beta,
      lines: [{ itemCode: erp.sample.items.gizmo, qty: '1' }],
    });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.errors.map((error) => error.code)).toEqual(['CREDIT_LIMIT_EXCEEDED']);
  });
});

describe('createTestErp', () => {
  it('is deterministic: the same calls give the same ids, events and positions on every run', async () => {
    const run = async () => {
      const erp = await createTestErp();
      await erp.placeOrder({ customerId: 'CUST-ACME', lines: [{ itemCode: 'GADGET', qty: '2' }] });
      return (await erp.events()).map((event) => [
        event.eventId,
        event.streamId,
        event.type,
        event.data,
        event.recordedAt,
      ]);
    };
    expect(await run()).toEqual(await run());
  });

  it('starts with the sample data loaded and nothing notified or audited yet', async () => {
    const erp = await createTestErp();
    expect(await erp.getCustomer('CUST-CLOSED')).toMatchObject({ disabled: true });
    expect(await erp.getItem('INSTALL')).toMatchObject({ isStockItem: false });
    expect((await erp.getStock('GADGET')).actualQty).toBe('40');
    expect(erp.notifications.sent).toEqual([]);
    expect(erp.audit.entries).toEqual([]);
  });

  it('can start empty, on another date, with other settings', async () => {
    const erp = await createTestErp({
      sampleData: false,
      startAt: '2027-01-15T08:00:00.000Z',
      settings: { currency: 'EUR' },
    });
    expect(await erp.events()).toEqual([]);
    expect(erp.settings.currency).toBe('EUR');
    expect(erp.clock.now().toISOString()).toBe('2027-01-15T08:00:00.000Z');
  });

  it('moves time only when the test says so', async () => {
    const erp = await createTestErp();
    erp.clock.advance(24 * 60 * 60 * 1000);
    const placed = await erp.placeOrder({
      orderId: 'SO-T',
      customerId: 'CUST-ACME',
      lines: [{ itemCode: 'WIDGET', qty: '1' }],
    });
    expect(placed.ok).toBe(true);
    expect((await erp.getOrder('SO-T'))?.transactionDate).toBe('2026-03-03');
  });
});
