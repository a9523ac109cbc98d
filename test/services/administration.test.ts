import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/kernel/errors.js';
import { createErp } from '../../src/services/erp.js';
import type { ErpResult } from '../../src/services/erp-result.js';
import { createMemoryEventStore } from '../../src/stores/memory/memory-event-store.js';
import { createTestErp } from '../../src/testing/test-erp.js';

function codes(result: ErpResult<unknown>): string[] {
  return result.ok ? [] : result.errors.map((error) => error.code);
}

function assertOk<T>(result: ErpResult<T>): asserts result is { ok: true } & T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
}

const usd = (amount: string) => ({ amount, currency: 'USD' });

describe('customer administration', () => {
  it('registers a customer and returns its record and the events appended', async () => {
    const erp = await createTestErp({ sampleData: false });
    const registered = await erp.manageCustomer({
      type: 'RegisterCustomer',
      customerId: 'CUST-NEW',
      name: 'New Co',
      customerGroup: 'Retail',
      creditLimits: [{ company: 'Ordo Trading', limit: usd('1000') }],
    });
    assertOk(registered);
    expect(registered.events).toEqual(['CustomerRegistered']);
    expect(registered.record).toMatchObject({ name: 'New Co', disabled: false });
  });

  it('reads the current outstanding from the ledger: a limit below what is owed is CREDIT_LIMIT_BELOW_OUTSTANDING', async () => {
    const erp = await createTestErp();
    // 9 gadgets at 120.00: 1,080.00 unbilled.
    assertOk(await erp.placeOrder({ customerId: 'CUST-BETA', lines: [{ itemCode: 'GADGET', qty: '9' }] }));
    const change = (amount: string) =>
      erp.manageCustomer({
        type: 'ChangeCustomerCreditLimit',
        customerId: 'CUST-BETA',
        company: 'Ordo Trading',
        limit: usd(amount),
        // A given figure is ignored: the ERP knows what is owed.
        currentOutstanding: usd('0'),
      });
    expect(codes(await change('1079.99'))).toEqual(['CREDIT_LIMIT_BELOW_OUTSTANDING']);
    assertOk(await change('1080'));
  });

  it('leaves unbilled orders out of the outstanding when the limit bypasses the sales-order check', async () => {
    const erp = await createTestErp();
    assertOk(await erp.placeOrder({ customerId: 'CUST-BETA', lines: [{ itemCode: 'GADGET', qty: '10' }] }));
    assertOk(
      await erp.manageCustomer({
        type: 'ChangeCustomerCreditLimit',
        customerId: 'CUST-BETA',
        company: 'Ordo Trading',
        limit: usd('100'),
        bypassAtSalesOrder: true,
      }),
    );
  });

  it('refuses a malformed command with VALIDATION_FAILED and paths', async () => {
    const erp = await createTestErp();
    const refused = await erp.manageCustomer({
      type: 'AddCustomerCreditLimit',
      customerId: 'CUST-GAMMA',
      company: 'Ordo Trading',
      limit: usd('-5'),
    });
    expect(refused.ok ? [] : refused.errors.map((error) => [error.code, error.path])).toEqual([
      ['VALIDATION_FAILED', ['limit']],
    ]);
  });
});

describe('item, price and stock administration', () => {
  it('refuses an unknown command type with VALIDATION_FAILED at type', async () => {
    const erp = await createTestErp();
    const refused = await erp.manageItem({ type: 'DeleteItem', itemCode: 'WIDGET' } as never);
    expect(refused.ok ? [] : refused.errors.map((error) => [error.code, error.path])).toEqual([
      ['VALIDATION_FAILED', ['type']],
    ]);
  });

  it('sets an item price that the next order is priced with', async () => {
    const erp = await createTestErp();
    assertOk(
      await erp.managePriceList({
        type: 'SetItemPrice',
        priceListId: 'Standard Selling',
        itemPriceId: 'Standard Selling:GADGET',
        itemCode: 'GADGET',
        rate: usd('130.00'),
      }),
    );
    const placed = await erp.placeOrder({ customerId: 'CUST-ACME', lines: [{ itemCode: 'GADGET', qty: '1' }] });
    assertOk(placed);
    expect(placed.grandTotal).toEqual(usd('130.00'));
  });

  it('prices with what another ERP instance on the same store changed since this one last read the list', async () => {
    const erp = await createTestErp();
    const other = createErp({ store: erp.store });
    // The first order folds the price list (and the customer, the items, the stock) into this instance's cache.
    const before = await erp.placeOrder({ customerId: 'CUST-ACME', lines: [{ itemCode: 'GADGET', qty: '1' }] });
    assertOk(before);
    for (const rate of ['130.00', '140.00']) {
      assertOk(
        await other.managePriceList({
          type: 'SetItemPrice',
          priceListId: 'Standard Selling',
          itemPriceId: 'Standard Selling:GADGET',
          itemCode: 'GADGET',
          rate: usd(rate),
        }),
      );
      const placed = await erp.placeOrder({ customerId: 'CUST-ACME', lines: [{ itemCode: 'GADGET', qty: '1' }] });
      assertOk(placed);
      expect(placed.grandTotal).toEqual(usd(rate));
      // A fresh instance, reading every stream whole, agrees.
      expect(await erp.getPriceList('Standard Selling')).toEqual(
        await createErp({ store: erp.store }).getPriceList('Standard Selling'),
      );
    }
  });

  it('refuses a price in another currency than the list (PRICE_LIST_CURRENCY_MISMATCH)', async () => {
    const erp = await createTestErp();
    const refused = await erp.managePriceList({
      type: 'SetItemPrice',
      priceListId: 'Standard Selling',
      itemPriceId: 'eur',
      itemCode: 'GADGET',
      rate: { amount: '1', currency: 'EUR' },
    });
    expect(codes(refused)).toEqual(['PRICE_LIST_CURRENCY_MISMATCH']);
  });

  it('receives stock of a registered item only (ITEM_NOT_FOUND), and issues no more than is there', async () => {
    const erp = await createTestErp();
    expect(
      codes(await erp.adjustStock({ type: 'ReceiveStock', itemCode: 'NOPE', warehouse: 'Main', qty: '1' })),
    ).toEqual(['ITEM_NOT_FOUND']);
    const received = await erp.adjustStock({ type: 'ReceiveStock', itemCode: 'GADGET', warehouse: 'Main', qty: '10' });
    assertOk(received);
    expect(received.record).toMatchObject({ actualQty: '50', projectedQty: '50' });
    expect(
      codes(await erp.adjustStock({ type: 'IssueStock', itemCode: 'GADGET', warehouse: 'Main', qty: '51' })),
    ).toEqual(['INSUFFICIENT_STOCK']);
  });

  it('refuses reservations through stock administration: they belong to orders', async () => {
    const erp = await createTestErp();
    const refused = await erp.adjustStock({
      type: 'ReserveStock',
      itemCode: 'GADGET',
      warehouse: 'Main',
      orderId: 'X',
      lineId: 'L1',
      qty: '1',
    } as never);
    expect(codes(refused)).toEqual(['VALIDATION_FAILED']);
  });
});

describe('createErp settings', () => {
  it('throws VALIDATION_FAILED with paths under settings for invalid settings', () => {
    const store = createMemoryEventStore();
    expect(() => createErp({ store, settings: { stockPolicy: 'maybe' as never, highValueThreshold: '-1' } })).toThrow(
      ValidationError,
    );
    const thrown = (() => {
      try {
        createErp({ store, settings: { pricing: { rules: [{ id: 'r', applyOn: { kind: 'brand', brands: [] } }] } } });
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).issues.map((issue) => issue.path)).toEqual([
      ['settings', 'pricing', 'rules', 0, 'applyOn', 'brands'],
      ['settings', 'pricing', 'rules', 0, 'action'],
    ]);
  });

  it('refuses a misspelt setting instead of ignoring it', () => {
    expect(() => createErp({ store: createMemoryEventStore(), settings: { highValueTreshold: '5' } as never })).toThrow(
      /highValueTreshold/,
    );
  });
});
