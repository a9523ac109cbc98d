import { describe, expect, it } from 'vitest';
import type { ErpResult } from '../../src/services/erp-result.js';
import { createTestErp, type TestErp } from '../../src/testing/test-erp.js';

function codes(result: ErpResult<unknown>): string[] {
  return result.ok ? [] : result.errors.map((error) => error.code);
}

function assertOk<T>(result: ErpResult<T>): asserts result is { ok: true } & T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
}

async function placed(erp: TestErp, orderId: string, customerId = 'CUST-ACME', qty = '5'): Promise<void> {
  assertOk(await erp.placeOrder({ orderId, customerId, lines: [{ itemCode: 'GADGET', qty }] }));
}

async function setLimit(erp: TestErp, customerId: string, amount: string): Promise<void> {
  assertOk(
    await erp.manageCustomer({
      type: 'ChangeCustomerCreditLimit',
      customerId,
      company: 'Ordo Trading',
      limit: { amount, currency: 'USD' },
    }),
  );
}

describe('hold and resume', () => {
  it('hold releases the reservations but the order still counts in the credit exposure', async () => {
    const erp = await createTestErp();
    await placed(erp, 'SO-1');
    const held = await erp.holdOrder({ orderId: 'SO-1', reason: 'customer asked to wait' });
    assertOk(held);
    expect(held.status).toBe('on_hold');
    expect((await erp.getStock('GADGET')).reservedQty).toBe('0');
    expect((await erp.customerBalance('CUST-ACME')).unbilled.amount).toBe('600.00');
  });

  it('resume restores the reservations and checks the credit limit again', async () => {
    const erp = await createTestErp();
    await placed(erp, 'SO-1');
    assertOk(await erp.holdOrder({ orderId: 'SO-1' }));
    const resumed = await erp.resumeOrder({ orderId: 'SO-1' });
    assertOk(resumed);
    expect(resumed.credit?.outcome).toBe('within_limit');
    expect((await erp.getStock('GADGET')).reservedQty).toBe('5');
  });

  it('refuses to resume an order the credit limit no longer covers (CREDIT_LIMIT_EXCEEDED) and writes nothing', async () => {
    // A customer limit may not be lowered below what is owed, but it may be removed: the company's lower one applies.
    const erp = await createTestErp({
      settings: { credit: { companyLimits: [{ company: 'Ordo Trading', limit: { amount: '500', currency: 'USD' } }] } },
    });
    await placed(erp, 'SO-1', 'CUST-BETA');
    assertOk(await erp.holdOrder({ orderId: 'SO-1' }));
    assertOk(
      await erp.manageCustomer({ type: 'RemoveCustomerCreditLimit', customerId: 'CUST-BETA', company: 'Ordo Trading' }),
    );
    const before = await erp.store.headPosition();
    const refused = await erp.resumeOrder({ orderId: 'SO-1' });
    expect(refused.ok ? [] : refused.errors.map((error) => [error.code, error.data?.limitSource])).toEqual([
      ['CREDIT_LIMIT_EXCEEDED', 'company'],
    ]);
    expect(await erp.store.headPosition()).toBe(before);
    expect((await erp.getStock('GADGET')).reservedQty).toBe('0');
  });

  it('refuses to hold a draft (ORDER_NOT_SUBMITTED) and to resume an order that is not on hold', async () => {
    const erp = await createTestErp();
    assertOk(
      await erp.placeOrder({
        orderId: 'SO-D',
        customerId: 'CUST-ACME',
        draft: true,
        lines: [{ itemCode: 'WIDGET', qty: '1' }],
      }),
    );
    expect(codes(await erp.holdOrder({ orderId: 'SO-D' }))).toEqual(['ORDER_NOT_SUBMITTED']);
    await placed(erp, 'SO-1');
    expect(codes(await erp.resumeOrder({ orderId: 'SO-1' }))).toEqual(['ORDER_NOT_ON_HOLD']);
  });

  it('answers ORDER_NOT_FOUND for an order that does not exist', async () => {
    const erp = await createTestErp();
    expect(codes(await erp.holdOrder({ orderId: 'SO-404' }))).toEqual(['ORDER_NOT_FOUND']);
  });
});

describe('close and re-open', () => {
  it('close releases the reservations and the order stops counting as unbilled', async () => {
    const erp = await createTestErp();
    await placed(erp, 'SO-1');
    assertOk(await erp.closeOrder({ orderId: 'SO-1' }));
    expect((await erp.getStock('GADGET')).reservedQty).toBe('0');
    expect((await erp.customerBalance('CUST-ACME')).unbilled.amount).toBe('0.00');
  });

  it('re-open restores the reservations and counts the order again', async () => {
    const erp = await createTestErp();
    await placed(erp, 'SO-1');
    assertOk(await erp.closeOrder({ orderId: 'SO-1' }));
    const reopened = await erp.reopenOrder({ orderId: 'SO-1' });
    assertOk(reopened);
    expect(reopened.credit?.outcome).toBe('within_limit');
    expect((await erp.getStock('GADGET')).reservedQty).toBe('5');
    expect((await erp.customerBalance('CUST-ACME')).unbilled.amount).toBe('600.00');
  });

  it('refuses to re-open an order the credit limit no longer covers (CREDIT_LIMIT_EXCEEDED) and writes nothing', async () => {
    const erp = await createTestErp();
    await placed(erp, 'SO-1', 'CUST-BETA', '10');
    assertOk(await erp.closeOrder({ orderId: 'SO-1' }));
    // With SO-1 closed, 1,200.00 of other orders fits the 2,000.00 limit; SO-1's 1,200.00 on top does not.
    await placed(erp, 'SO-2', 'CUST-BETA', '10');
    const before = await erp.store.headPosition();
    expect(codes(await erp.reopenOrder({ orderId: 'SO-1' }))).toEqual(['CREDIT_LIMIT_EXCEEDED']);
    expect(await erp.store.headPosition()).toBe(before);
    expect((await erp.getOrder('SO-1'))?.status).toBe('closed');
  });
});

describe('cancel', () => {
  it('releases every reservation of the order and tells the customer', async () => {
    const erp = await createTestErp();
    assertOk(
      await erp.placeOrder({
        orderId: 'SO-1',
        customerId: 'CUST-ACME',
        lines: [
          { itemCode: 'GADGET', qty: '3' },
          { itemCode: 'WIDGET', qty: '7' },
        ],
      }),
    );
    const cancelled = await erp.cancelOrder({ orderId: 'SO-1', reason: 'duplicate' });
    assertOk(cancelled);
    expect(cancelled).toMatchObject({ status: 'cancelled', unbilledAmount: { amount: '0.00' } });
    expect((await erp.getStock('GADGET')).reservedQty).toBe('0');
    expect((await erp.getStock('WIDGET')).reservedQty).toBe('0');
    expect(erp.notifications.sent.map((notification) => notification.kind)).toContain('order_cancelled');
  });

  it('releases reservations of an order on hold too (nothing left to release twice)', async () => {
    const erp = await createTestErp();
    await placed(erp, 'SO-1');
    assertOk(await erp.holdOrder({ orderId: 'SO-1' }));
    assertOk(await erp.cancelOrder({ orderId: 'SO-1' }));
    expect((await erp.getStock('GADGET')).reservedQty).toBe('0');
  });

  it('refuses to cancel a delivered order (ORDER_HAS_DELIVERIES) and writes nothing', async () => {
    const erp = await createTestErp();
    await placed(erp, 'SO-1');
    assertOk(await erp.deliverOrder({ orderId: 'SO-1', lines: [{ lineId: 'L1', qty: '1' }] }));
    const before = await erp.store.headPosition();
    expect(codes(await erp.cancelOrder({ orderId: 'SO-1' }))).toEqual(['ORDER_HAS_DELIVERIES']);
    expect(await erp.store.headPosition()).toBe(before);
  });

  it('refuses to cancel a draft (ORDER_NOT_SUBMITTED): a draft reserves nothing, so there is nothing to release', async () => {
    const erp = await createTestErp();
    assertOk(
      await erp.placeOrder({
        orderId: 'SO-D',
        customerId: 'CUST-ACME',
        draft: true,
        lines: [{ itemCode: 'WIDGET', qty: '1' }],
      }),
    );
    expect(codes(await erp.cancelOrder({ orderId: 'SO-D' }))).toEqual(['ORDER_NOT_SUBMITTED']);
  });
});

describe('submit', () => {
  it('lists every failed rule of a draft at submit (item disabled since, stock, credit) and writes nothing', async () => {
    const erp = await createTestErp();
    assertOk(
      await erp.placeOrder({
        orderId: 'SO-D',
        customerId: 'CUST-BETA',
        draft: true,
        lines: [
          { itemCode: 'WIDGET', qty: '4' },
          { itemCode: 'GADGET', qty: '15' },
        ],
      }),
    );
    assertOk(await erp.manageItem({ type: 'DisableItem', itemCode: 'WIDGET' }));
    assertOk(await erp.placeOrder({ customerId: 'CUST-ACME', lines: [{ itemCode: 'GADGET', qty: '30' }] }));
    await setLimit(erp, 'CUST-BETA', '1500');
    const before = await erp.store.headPosition();
    expect(codes(await erp.submitOrder({ orderId: 'SO-D' }))).toEqual([
      'ITEM_DISABLED',
      'INSUFFICIENT_STOCK',
      'CREDIT_LIMIT_EXCEEDED',
    ]);
    expect(await erp.store.headPosition()).toBe(before);
  });

  it('refuses to submit an order twice (ORDER_NOT_DRAFT)', async () => {
    const erp = await createTestErp();
    await placed(erp, 'SO-1');
    expect(codes(await erp.submitOrder({ orderId: 'SO-1' }))).toEqual(['ORDER_NOT_DRAFT']);
  });
});

describe('updateOrderItems', () => {
  it('adjusts the reservation of a line whose quantity changes, down or up', async () => {
    const erp = await createTestErp();
    await placed(erp, 'SO-1');
    assertOk(await erp.updateOrderItems({ orderId: 'SO-1', update: [{ lineId: 'L1', qty: '3' }] }));
    expect((await erp.getStock('GADGET')).reservations).toEqual([{ orderId: 'SO-1', lineId: 'L1', qty: '3' }]);
    const raised = await erp.updateOrderItems({ orderId: 'SO-1', update: [{ lineId: 'L1', qty: '9' }] });
    assertOk(raised);
    expect(raised.credit?.outcome).toBe('within_limit');
    expect((await erp.getStock('GADGET')).reservations).toEqual([{ orderId: 'SO-1', lineId: 'L1', qty: '9' }]);
  });

  it('checks an increase against projected stock (INSUFFICIENT_STOCK on the changed line) and writes nothing', async () => {
    const erp = await createTestErp();
    await placed(erp, 'SO-1', 'CUST-ACME', '30');
    const before = await erp.store.headPosition();
    const refused = await erp.updateOrderItems({ orderId: 'SO-1', update: [{ lineId: 'L1', qty: '45' }] });
    expect(refused.ok ? [] : refused.errors.map((error) => [error.code, error.data?.shortfall])).toEqual([
      ['INSUFFICIENT_STOCK', '5'],
    ]);
    expect(await erp.store.headPosition()).toBe(before);
  });

  it('checks a rate or quantity increase against the credit limit, and not a decrease', async () => {
    const erp = await createTestErp();
    await placed(erp, 'SO-1', 'CUST-BETA', '10');
    expect(codes(await erp.updateOrderItems({ orderId: 'SO-1', update: [{ lineId: 'L1', rate: '250' }] }))).toEqual([
      'CREDIT_LIMIT_EXCEEDED',
    ]);
    const lower = await erp.updateOrderItems({ orderId: 'SO-1', update: [{ lineId: 'L1', rate: '100' }] });
    assertOk(lower);
    expect(lower.credit).toBeNull();
    expect(lower.grandTotal.amount).toBe('1000.00');
  });

  it('prices and reserves added lines, and releases removed ones', async () => {
    const erp = await createTestErp();
    await placed(erp, 'SO-1');
    const updated = await erp.updateOrderItems({
      orderId: 'SO-1',
      add: [{ itemCode: 'WIDGET', qty: '12' }],
      remove: ['L1'],
    });
    assertOk(updated);
    // 12 widgets at 25.00 less the 2 % promotion.
    expect(updated.grandTotal.amount).toBe('294.00');
    expect((await erp.getStock('GADGET')).reservedQty).toBe('0');
    expect((await erp.getStock('WIDGET')).reservations).toEqual([{ orderId: 'SO-1', lineId: 'L2', qty: '12' }]);
  });

  it('never reuses a removed line id for an added line', async () => {
    const erp = await createTestErp();
    assertOk(
      await erp.placeOrder({
        orderId: 'SO-1',
        customerId: 'CUST-ACME',
        lines: [
          { itemCode: 'GADGET', qty: '1' },
          { itemCode: 'GADGET', qty: '1' },
        ],
      }),
    );
    assertOk(await erp.updateOrderItems({ orderId: 'SO-1', remove: ['L2'] }));
    assertOk(await erp.updateOrderItems({ orderId: 'SO-1', add: [{ itemCode: 'GADGET', qty: '2' }] }));
    expect((await erp.getOrder('SO-1'))?.lines.map((line) => line.lineId)).toEqual(['L1', 'L3']);
    expect((await erp.getStock('GADGET')).reservedQty).toBe('3');
  });
});
