import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/kernel/errors.js';
import { createErp } from '../../src/services/erp.js';
import { createErpEventRegistry } from '../../src/services/erp-registry.js';
import type { ErpResult } from '../../src/services/erp-result.js';
import { createMemoryEventStore } from '../../src/stores/memory/index.js';
import { createTestErp, type TestErp } from '../../src/testing/test-erp.js';

function assertOk<T>(result: ErpResult<T>): asserts result is { ok: true } & T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
}

function failures(result: ErpResult<unknown>) {
  return result.ok ? [] : result.errors.map((error) => ({ code: error.code, path: error.path }));
}

const LINE = { itemCode: 'WIDGET', qty: '1' };

describe('unknown keys in a command', () => {
  it('puts the key at the end of the path: at the root', async () => {
    const erp = await createTestErp();
    const result = await erp.placeOrder({ customerId: 'CUST-ACME', lines: [LINE], foo: 1 } as never);
    expect(failures(result)).toEqual([{ code: 'VALIDATION_FAILED', path: ['foo'] }]);
    expect(result.ok ? undefined : result.errors[0]).toMatchObject({
      message: 'Unrecognized key: "foo"',
      data: { issue: 'unrecognized_keys' },
    });
  });

  it('puts the key at the end of the path: in a line', async () => {
    const erp = await createTestErp();
    const result = await erp.placeOrder({ customerId: 'CUST-ACME', lines: [LINE, { ...LINE, foo: 1 }] } as never);
    expect(failures(result)).toEqual([{ code: 'VALIDATION_FAILED', path: ['lines', 1, 'foo'] }]);
  });

  it('lists one error per unknown key, each naming its key, alongside the other problems', async () => {
    const erp = await createTestErp();
    const result = await erp.placeOrder({
      customerId: 'CUST-ACME',
      lines: [{ ...LINE, qty: '-1' }],
      discount: '50',
      notes: 'x',
    } as never);
    expect(result.ok ? [] : result.errors.map((error) => [error.path, error.message])).toEqual([
      [['lines', 0, 'qty'], expect.any(String)],
      [['discount'], 'Unrecognized key: "discount"'],
      [['notes'], 'Unrecognized key: "notes"'],
    ]);
  });

  it('does the same in other use cases and in the context', async () => {
    const erp = await createTestErp();
    expect(
      failures(await erp.invoiceOrder({ orderId: 'SO-1', lines: [{ lineId: 'L1', qty: '1', rate: '1' }] } as never)),
    ).toEqual([{ code: 'VALIDATION_FAILED', path: ['lines', 0, 'rate'] }]);
    expect(failures(await erp.submitOrder({ orderId: 'SO-1', force: true } as never))).toEqual([
      { code: 'VALIDATION_FAILED', path: ['force'] },
    ]);
    expect(
      failures(await erp.placeOrder({ customerId: 'CUST-ACME', lines: [LINE] }, { actor: 'a', user: 'b' } as never)),
    ).toEqual([{ code: 'VALIDATION_FAILED', path: ['context', 'user'] }]);
  });

  it('names a misspelt setting in the issue path when createErp refuses it', () => {
    let thrown: unknown;
    try {
      createErp({ store: createMemoryEventStore(), settings: { highValueTreshold: '5' } as never });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).issues.map((issue) => issue.path)).toEqual([['settings', 'highValueTreshold']]);
  });
});

describe('unknown keys in the command of every aggregate', () => {
  /** Calls `run` and checks it is refused with one VALIDATION_FAILED at `path`, having written nothing. */
  async function refusedAt(
    erp: TestErp,
    run: () => Promise<ErpResult<unknown>>,
    path: readonly (string | number)[],
  ): Promise<void> {
    const head = await erp.store.headPosition();
    const result = await run();
    expect(failures(result)).toEqual([{ code: 'VALIDATION_FAILED', path }]);
    expect(result.ok ? undefined : result.errors[0]?.data).toMatchObject({ issue: 'unrecognized_keys' });
    expect(await erp.store.headPosition()).toBe(head);
  }

  it('item (manageItem): at the root and in a unit conversion', async () => {
    const erp = await createTestErp();
    await refusedAt(erp, () => erp.manageItem({ type: 'DisableItem', itemCode: 'WIDGET', why: 'x' } as never), ['why']);
    expect((await erp.getItem('WIDGET'))?.disabled).toBe(false);
    await refusedAt(
      erp,
      () =>
        erp.manageItem({
          type: 'RegisterItem',
          itemCode: 'BOLT',
          name: 'Bolt',
          itemGroup: 'Products',
          stockUnit: 'Nos',
          unitConversions: [{ unit: 'Box', factor: '100', note: 'x' }],
        } as never),
      ['unitConversions', 0, 'note'],
    );
    expect(await erp.getItem('BOLT')).toBeUndefined();
  });

  it('customer (manageCustomer): at the root and in a credit limit', async () => {
    const erp = await createTestErp();
    await refusedAt(
      erp,
      () => erp.manageCustomer({ type: 'ChangeCustomerDetails', customerId: 'CUST-ACME', nickname: 'A' } as never),
      ['nickname'],
    );
    await refusedAt(
      erp,
      () =>
        erp.manageCustomer({
          type: 'AddCustomerCreditLimit',
          customerId: 'CUST-GAMMA',
          company: 'Ordo Trading',
          limit: { amount: '100.00', currency: 'USD' },
          bypass: true,
        } as never),
      ['bypass'],
    );
    await refusedAt(
      erp,
      () =>
        erp.manageCustomer({
          type: 'RegisterCustomer',
          customerId: 'CUST-NEW',
          name: 'New',
          customerGroup: 'Retail',
          creditLimits: [{ company: 'Ordo Trading', limit: { amount: '1.00', currency: 'USD' }, bypas: true }],
        } as never),
      ['creditLimits', 0, 'bypas'],
    );
  });

  it('price list (managePriceList)', async () => {
    const erp = await createTestErp();
    await refusedAt(
      erp,
      () =>
        erp.managePriceList({
          type: 'SetItemPrice',
          priceListId: 'Standard Selling',
          itemPriceId: 'Standard Selling:WIDGET',
          itemCode: 'WIDGET',
          rate: { amount: '30.00', currency: 'USD' },
          validTo: '2030-01-01',
        } as never),
      ['validTo'],
    );
  });

  it('stock (adjustStock)', async () => {
    const erp = await createTestErp();
    await refusedAt(
      erp,
      () =>
        erp.adjustStock({
          type: 'ReceiveStock',
          itemCode: 'WIDGET',
          warehouse: 'Main',
          qty: '5',
          batch: 'B1',
        } as never),
      ['batch'],
    );
    expect((await erp.getStock('WIDGET')).actualQty).toBe('500');
  });

  it('sales order (updateOrderItems, deliverOrder), invoice and payment', async () => {
    const erp = await createTestErp();
    assertOk(await erp.placeOrder({ orderId: 'SO-1', customerId: 'CUST-ACME', lines: [LINE] }));
    await refusedAt(
      erp,
      () => erp.updateOrderItems({ orderId: 'SO-1', update: [{ lineId: 'L1', qty: '2', discount: '5' }] } as never),
      ['update', 0, 'discount'],
    );
    await refusedAt(
      erp,
      () => erp.deliverOrder({ orderId: 'SO-1', lines: [{ lineId: 'L1', qty: '1', batch: 'B1' }] } as never),
      ['lines', 0, 'batch'],
    );
    await refusedAt(erp, () => erp.invoiceOrder({ orderId: 'SO-1', terms: 'net 30' } as never), ['terms']);
    await refusedAt(
      erp,
      () =>
        erp.receivePayment({
          customerId: 'CUST-ACME',
          amount: { amount: '25.00', currency: 'USD' },
          allocations: [{ invoiceId: 'SINV-1', amount: { amount: '25.00', currency: 'USD' }, note: 'x' }],
        } as never),
      ['allocations', 0, 'note'],
    );
  });
});

describe('stored events stay lenient', () => {
  it('reads an event written with a field this version does not know, dropping the field', () => {
    const registry = createErpEventRegistry();
    const decoded = registry.decode({
      streamId: 'Item-WIDGET',
      streamVersion: 2,
      type: 'ItemDisabled',
      schemaVersion: 1,
      data: { itemCode: 'WIDGET', reason: 'written by another version' },
    });
    expect(decoded.data).toEqual({ itemCode: 'WIDGET' });
  });

  it('drops an unknown key nested in a customer event address too (see lenient-event-addresses.test.ts)', () => {
    const registry = createErpEventRegistry();
    const address = { line1: '1 Main St', city: 'Springfield', country: 'US' };
    const decoded = registry.decode({
      streamId: 'Customer-CUST-ACME',
      streamVersion: 2,
      type: 'CustomerAddressesChanged',
      schemaVersion: 1,
      data: { customerId: 'CUST-ACME', billingAddress: { ...address, geo: 'x' }, shippingAddress: null },
    });
    expect(decoded.data).toEqual({ customerId: 'CUST-ACME', billingAddress: address, shippingAddress: null });
  });
});

describe('OVER_BILLING points at the input field', () => {
  async function order(erp: TestErp): Promise<void> {
    // L1: 2 gadgets at 120.00; L2: 1 widget at 25.00.
    assertOk(
      await erp.placeOrder({
        orderId: 'SO-1',
        customerId: 'CUST-ACME',
        lines: [
          { itemCode: 'GADGET', qty: '2' },
          { itemCode: 'WIDGET', qty: '1' },
        ],
      }),
    );
  }

  it("is at the line's qty (the input has no amount), with the figures in data", async () => {
    const erp = await createTestErp();
    await order(erp);
    const result = await erp.invoiceOrder({ orderId: 'SO-1', lines: [{ lineId: 'L1', qty: '3' }] });
    expect(failures(result)).toEqual([{ code: 'OVER_BILLING', path: ['lines', 0, 'qty'] }]);
    expect(result.ok ? undefined : result.errors[0]?.data).toMatchObject({
      orderLineId: 'L1',
      amount: { amount: '360.00', currency: 'USD' },
      unbilled: { amount: '240.00', currency: 'USD' },
    });
  });

  it('is at the qty of the input line that over-bills, not at the first line', async () => {
    const erp = await createTestErp();
    await order(erp);
    const result = await erp.invoiceOrder({
      orderId: 'SO-1',
      lines: [
        { lineId: 'L1', qty: '1' },
        { lineId: 'L2', qty: '2' },
      ],
    });
    expect(failures(result)).toEqual([{ code: 'OVER_BILLING', path: ['lines', 1, 'qty'] }]);
    // Within what is unbilled it bills.
    assertOk(await erp.invoiceOrder({ orderId: 'SO-1', lines: [{ lineId: 'L2', qty: '1' }] }));
  });
});
