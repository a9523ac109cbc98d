import { describe, expect, it } from 'vitest';
import type { ErpError, ErpResult } from '../../src/services/erp-result.js';
import { createTestErp, type TestErp } from '../../src/testing/test-erp.js';
import { SAMPLE_ERP_ITEM_GROUPS } from '../../src/testing/test-erp-data.js';

function codes(result: ErpResult<unknown>): string[] {
  return result.ok ? [] : result.errors.map((error) => error.code);
}

function assertOk<T>(result: ErpResult<T>): asserts result is { ok: true } & T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
}

function refusal(result: ErpResult<unknown>): ErpError {
  if (result.ok || result.errors.length !== 1 || !result.errors[0]) {
    throw new Error(`expected one error, got ${JSON.stringify(result)}`);
  }
  return result.errors[0];
}

const usd = (amount: string) => ({ amount, currency: 'USD' });
const eur = (amount: string) => ({ amount, currency: 'EUR' });

/** Without pricing rules a widget is 25.00 USD and a gadget 120.00 USD, so amounts are exact. */
const NO_RULES = { pricing: { rules: [], itemGroups: SAMPLE_ERP_ITEM_GROUPS, defaultPriceListId: 'Standard Selling' } };

/** CUST-BETA with a 2,000 USD limit that bypasses the check at sales order. */
async function bypassingBeta(options: { readonly rules?: boolean } = {}): Promise<TestErp> {
  const erp = await createTestErp(options.rules ? {} : { settings: NO_RULES });
  assertOk(
    await erp.manageCustomer({
      type: 'ChangeCustomerCreditLimit',
      customerId: 'CUST-BETA',
      company: 'Ordo Trading',
      limit: usd('2000'),
      bypassAtSalesOrder: true,
    }),
  );
  return erp;
}

/** An order of `qty` gadgets (120.00 each) for CUST-BETA: 20 of them (2,400.00) pass only thanks to the bypass. */
async function gadgets(erp: TestErp, orderId: string, qty: string): Promise<void> {
  const placed = await erp.placeOrder({ orderId, customerId: 'CUST-BETA', lines: [{ itemCode: 'GADGET', qty }] });
  assertOk(placed);
  expect(placed.credit?.outcome).toBe('bypassed');
}

describe('credit with the bypass-at-sales-order flag', () => {
  it('lets the sales order through unchecked', async () => {
    const erp = await bypassingBeta();
    await gadgets(erp, 'SO-1', '20');
    expect((await erp.customerBalance('CUST-BETA')).unbilled).toEqual(usd('2400.00'));
  });

  it('refuses an invoice when outstanding + its total exceeds the limit (CREDIT_LIMIT_EXCEEDED) and writes nothing', async () => {
    const erp = await bypassingBeta();
    await gadgets(erp, 'SO-1', '20');
    const before = await erp.store.headPosition();
    const error = refusal(await erp.invoiceOrder({ orderId: 'SO-1', invoiceId: 'SINV-1' }));
    expect(error.code).toBe('CREDIT_LIMIT_EXCEEDED');
    expect(error.data).toMatchObject({
      customerId: 'CUST-BETA',
      company: 'Ordo Trading',
      outstanding: usd('0.00'),
      // The bypassed orders are left out, as ERPNext does.
      unbilled: usd('0.00'),
      amount: usd('2400.00'),
      exposure: usd('2400.00'),
      limit: usd('2000.00'),
      limitSource: 'customer',
    });
    expect(await erp.store.headPosition()).toBe(before);
    expect(await erp.getInvoice('SINV-1')).toBeUndefined();
    expect((await erp.getOrder('SO-1'))?.perBilled).toBe('0');
  });

  it('allows an invoice that brings outstanding exactly to the limit, and refuses the next one until a payment', async () => {
    const erp = await bypassingBeta();
    // 96 widgets at 25.00: 2,400.00, through only thanks to the bypass.
    const placed = await erp.placeOrder({
      orderId: 'SO-1',
      customerId: 'CUST-BETA',
      lines: [{ itemCode: 'WIDGET', qty: '96' }],
    });
    assertOk(placed);
    expect(placed.credit?.outcome).toBe('bypassed');
    // 72 × 25.00 = 1,800.00; then 8 × 25.00 = 200.00 reaches 2,000.00 exactly.
    assertOk(await erp.invoiceOrder({ orderId: 'SO-1', invoiceId: 'SINV-1', lines: [{ lineId: 'L1', qty: '72' }] }));
    assertOk(await erp.invoiceOrder({ orderId: 'SO-1', invoiceId: 'SINV-2', lines: [{ lineId: 'L1', qty: '8' }] }));
    expect(refusal(await erp.invoiceOrder({ orderId: 'SO-1', invoiceId: 'SINV-3' })).data).toMatchObject({
      outstanding: usd('2000.00'),
      amount: usd('400.00'),
      exposure: usd('2400.00'),
    });
    assertOk(await erp.receivePayment({ customerId: 'CUST-BETA', amount: usd('1000') }));
    assertOk(await erp.invoiceOrder({ orderId: 'SO-1', invoiceId: 'SINV-3' }));
    expect((await erp.customerBalance('CUST-BETA')).outstanding).toEqual(usd('1400.00'));
  });

  it('refuses a delivery when outstanding + the delivered value at the line rates exceeds the limit, and writes nothing', async () => {
    const erp = await bypassingBeta();
    await gadgets(erp, 'SO-1', '20');
    const before = await erp.store.headPosition();
    const error = refusal(await erp.deliverOrder({ orderId: 'SO-1' }));
    expect(error.code).toBe('CREDIT_LIMIT_EXCEEDED');
    expect(error.data).toMatchObject({
      customerId: 'CUST-BETA',
      outstanding: usd('0.00'),
      amount: usd('2400.00'),
      limit: usd('2000.00'),
    });
    expect(await erp.store.headPosition()).toBe(before);
    expect((await erp.getStock('GADGET')).actualQty).toBe('40');
    expect((await erp.getOrder('SO-1'))?.perDelivered).toBe('0');
  });

  it('counts invoices outstanding against a delivery, but not what is delivered and not yet billed', async () => {
    const erp = await bypassingBeta();
    await gadgets(erp, 'SO-1', '20');
    assertOk(await erp.deliverOrder({ orderId: 'SO-1', lines: [{ lineId: 'L1', qty: '10' }] }));
    assertOk(await erp.deliverOrder({ orderId: 'SO-1', lines: [{ lineId: 'L1', qty: '5' }] }));
    assertOk(await erp.invoiceOrder({ orderId: 'SO-1', lines: [{ lineId: 'L1', qty: '15' }] }));
    // 1,800.00 outstanding + 5 × 120.00 = 2,400.00 > 2,000.00.
    expect(refusal(await erp.deliverOrder({ orderId: 'SO-1' })).data).toMatchObject({
      outstanding: usd('1800.00'),
      amount: usd('600.00'),
    });
    // 1,800.00 + 1 × 120.00 is within the limit.
    assertOk(await erp.deliverOrder({ orderId: 'SO-1', lines: [{ lineId: 'L1', qty: '1' }] }));
  });

  it("values a delivery at the line's net rate, after pricing rules", async () => {
    const erp = await bypassingBeta({ rules: true });
    // 12 widgets at 25.00 less the 2 % promotion: 24.50 each, 294.00.
    assertOk(
      await erp.placeOrder({ orderId: 'SO-1', customerId: 'CUST-BETA', lines: [{ itemCode: 'WIDGET', qty: '12' }] }),
    );
    assertOk(
      await erp.manageCustomer({
        type: 'ChangeCustomerCreditLimit',
        customerId: 'CUST-BETA',
        company: 'Ordo Trading',
        limit: usd('100'),
        bypassAtSalesOrder: true,
      }),
    );
    expect(
      refusal(await erp.deliverOrder({ orderId: 'SO-1', lines: [{ lineId: 'L1', qty: '5' }] })).data,
    ).toMatchObject({ amount: usd('122.50'), limit: usd('100.00') });
    assertOk(await erp.deliverOrder({ orderId: 'SO-1', lines: [{ lineId: 'L1', qty: '4' }] }));
  });

  it('checks nothing when the bypassing customer has no non-zero limit at any level', async () => {
    const erp = await createTestErp({ settings: NO_RULES });
    assertOk(
      await erp.manageCustomer({
        type: 'ChangeCustomerCreditLimit',
        customerId: 'CUST-BETA',
        company: 'Ordo Trading',
        limit: usd('0'),
        bypassAtSalesOrder: true,
      }),
    );
    assertOk(
      await erp.placeOrder({ orderId: 'SO-1', customerId: 'CUST-BETA', lines: [{ itemCode: 'GADGET', qty: '40' }] }),
    );
    assertOk(await erp.deliverOrder({ orderId: 'SO-1' }));
    assertOk(await erp.invoiceOrder({ orderId: 'SO-1' }));
  });
});

describe('credit without the bypass flag', () => {
  it('checks no invoice or delivery: the order was checked when it was submitted', async () => {
    // The customer's limit covers the order; once it is removed, the company's lower default applies.
    const erp = await createTestErp({
      settings: { ...NO_RULES, credit: { companyLimits: [{ company: 'Ordo Trading', limit: usd('500') }] } },
    });
    assertOk(
      await erp.placeOrder({ orderId: 'SO-1', customerId: 'CUST-BETA', lines: [{ itemCode: 'GADGET', qty: '10' }] }),
    );
    assertOk(
      await erp.manageCustomer({ type: 'RemoveCustomerCreditLimit', customerId: 'CUST-BETA', company: 'Ordo Trading' }),
    );
    assertOk(await erp.deliverOrder({ orderId: 'SO-1' }));
    assertOk(await erp.invoiceOrder({ orderId: 'SO-1' }));
    expect((await erp.customerBalance('CUST-BETA')).outstanding).toEqual(usd('1200.00'));
  });
});

/** A selling price list in EUR with a widget at 20.00 EUR. */
async function withEuroPrices(erp: TestErp): Promise<void> {
  assertOk(await erp.managePriceList({ type: 'CreatePriceList', priceListId: 'Euro Selling', currency: 'EUR' }));
  assertOk(
    await erp.managePriceList({
      type: 'SetItemPrice',
      priceListId: 'Euro Selling',
      itemPriceId: 'widget-eur',
      itemCode: 'WIDGET',
      rate: eur('20.00'),
    }),
  );
}

async function euroOrder(erp: TestErp, orderId: string, customerId: string, qty = '2'): Promise<ErpResult<unknown>> {
  return erp.placeOrder({
    orderId,
    customerId,
    currency: 'EUR',
    priceListId: 'Euro Selling',
    lines: [{ itemCode: 'WIDGET', qty }],
  });
}

describe('customers with orders in several currencies', () => {
  it('a customer with no credit limit orders in EUR, then in USD: neither is refused (no limit, no check)', async () => {
    const erp = await createTestErp({ settings: NO_RULES });
    await withEuroPrices(erp);
    assertOk(await euroOrder(erp, 'SO-EUR', 'CUST-GAMMA'));
    const usdOrder = await erp.placeOrder({
      orderId: 'SO-USD',
      customerId: 'CUST-GAMMA',
      lines: [{ itemCode: 'WIDGET', qty: '4' }],
    });
    assertOk(usdOrder);
    expect(usdOrder.credit?.outcome).toBe('no_limit');
    assertOk(await euroOrder(erp, 'SO-EUR-2', 'CUST-GAMMA'));
    assertOk(await erp.holdOrder({ orderId: 'SO-EUR' }));
    assertOk(await erp.resumeOrder({ orderId: 'SO-EUR' }));
  });

  it('customerBalance keeps one currency in its figures and lists every currency in byCurrency', async () => {
    const erp = await createTestErp({ settings: NO_RULES });
    await withEuroPrices(erp);
    assertOk(await euroOrder(erp, 'SO-EUR', 'CUST-GAMMA'));
    assertOk(
      await erp.placeOrder({ orderId: 'SO-USD', customerId: 'CUST-GAMMA', lines: [{ itemCode: 'WIDGET', qty: '4' }] }),
    );
    assertOk(await erp.invoiceOrder({ orderId: 'SO-EUR' }));
    const balance = await erp.customerBalance('CUST-GAMMA');
    expect(balance).toMatchObject({
      currency: 'USD',
      outstanding: usd('0.00'),
      unbilled: usd('100.00'),
      exposure: usd('100.00'),
      advances: usd('0.00'),
    });
    expect(balance.byCurrency).toEqual([
      {
        currency: 'USD',
        outstanding: usd('0.00'),
        unbilled: usd('100.00'),
        exposure: usd('100.00'),
        advances: usd('0.00'),
      },
      {
        currency: 'EUR',
        outstanding: eur('40.00'),
        unbilled: eur('0.00'),
        exposure: eur('40.00'),
        advances: eur('0.00'),
      },
    ]);
    expect(balance.orders.map((order) => order.orderId)).toEqual(['SO-EUR', 'SO-USD']);
    expect(await erp.customerBalance('CUST-GAMMA', { currency: 'EUR' })).toMatchObject({
      currency: 'EUR',
      outstanding: eur('40.00'),
      exposure: eur('40.00'),
    });
  });

  it('customerBalance of a customer who deals in one currency has that one entry in byCurrency', async () => {
    const erp = await createTestErp({ settings: NO_RULES });
    assertOk(
      await erp.placeOrder({ orderId: 'SO-1', customerId: 'CUST-ACME', lines: [{ itemCode: 'WIDGET', qty: '4' }] }),
    );
    const balance = await erp.customerBalance('CUST-ACME');
    expect(balance.byCurrency).toEqual([
      {
        currency: 'USD',
        outstanding: usd('0.00'),
        unbilled: usd('100.00'),
        exposure: usd('100.00'),
        advances: usd('0.00'),
      },
    ]);
  });

  it('a limit counts only the entries in its own currency; an order in another currency is CURRENCY_MISMATCH', async () => {
    const erp = await createTestErp({ settings: NO_RULES });
    await withEuroPrices(erp);
    // 50 widgets: 1,000.00 EUR, placed while no limit applied.
    assertOk(await euroOrder(erp, 'SO-EUR', 'CUST-GAMMA', '50'));
    assertOk(
      await erp.manageCustomer({
        type: 'AddCustomerCreditLimit',
        customerId: 'CUST-GAMMA',
        company: 'Ordo Trading',
        limit: usd('1000'),
      }),
    );
    // 32 × 25.00 = 800.00 USD: within 1,000.00 USD, the EUR order not counted.
    const within = await erp.placeOrder({
      orderId: 'SO-USD',
      customerId: 'CUST-GAMMA',
      lines: [{ itemCode: 'WIDGET', qty: '32' }],
    });
    assertOk(within);
    expect(within.credit).toMatchObject({ outcome: 'within_limit', unbilled: usd('0.00'), exposure: usd('800.00') });
    const over = await erp.placeOrder({
      orderId: 'SO-USD-2',
      customerId: 'CUST-GAMMA',
      lines: [{ itemCode: 'WIDGET', qty: '12' }],
    });
    expect(refusal(over).data).toMatchObject({ unbilled: usd('800.00'), amount: usd('300.00'), limit: usd('1000.00') });
    const euro = refusal(await euroOrder(erp, 'SO-EUR-2', 'CUST-GAMMA'));
    expect([euro.code, euro.data]).toEqual(['CURRENCY_MISMATCH', { left: 'USD', right: 'EUR', operation: 'compare' }]);
    // Ordo converts no currency: an EUR order cannot be checked against a USD limit, so a resume is refused too.
    assertOk(await erp.holdOrder({ orderId: 'SO-EUR' }));
    expect(codes(await erp.resumeOrder({ orderId: 'SO-EUR' }))).toEqual(['CURRENCY_MISMATCH']);
  });
});
