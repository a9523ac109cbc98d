import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CustomerCommandSchema } from '../../src/domain/customer/customer-commands.js';
import { PaymentCommandSchema } from '../../src/domain/invoice/payment-commands.js';
import { SalesInvoiceCommandSchema } from '../../src/domain/invoice/sales-invoice-commands.js';
import { ItemCommandSchema } from '../../src/domain/item/item-commands.js';
import { PriceListCommandSchema } from '../../src/domain/price-list/price-list-commands.js';
import { SalesOrderCommandSchema } from '../../src/domain/sales-order/sales-order-commands.js';
import { StockCommandSchema } from '../../src/domain/stock/stock-commands.js';
import { toValidationIssues } from '../../src/kernel/validation.js';

const usd = (amount: string) => ({ amount, currency: 'USD' });

/** The issues of parsing `command` with `schema`, as `decide` reports them (path and code). */
function issues(schema: z.ZodType, command: unknown) {
  const result = schema.safeParse(command);
  return result.success ? [] : toValidationIssues(result.error.issues).map(({ path, code }) => ({ path, code }));
}

const unknownKeyAt = (...path: (string | number)[]) => [{ path, code: 'unrecognized_keys' }];

// One valid command per aggregate (or nesting level), each given one key its schema does not have.
const CASES: readonly [string, z.ZodType, unknown, (string | number)[]][] = [
  ['Item', ItemCommandSchema, { type: 'DisableItem', itemCode: 'W', why: 'x' }, ['why']],
  [
    'Item (unit conversion)',
    ItemCommandSchema,
    { type: 'SetItemUnitConversion', itemCode: 'W', unit: 'Box', factor: '12', note: 'x' },
    ['note'],
  ],
  [
    'Customer (credit limit)',
    CustomerCommandSchema,
    {
      type: 'RegisterCustomer',
      customerId: 'C',
      name: 'C',
      customerGroup: 'Retail',
      creditLimits: [{ company: 'Co', limit: usd('1.00'), bypas: true }],
    },
    ['creditLimits', 0, 'bypas'],
  ],
  [
    'Customer (extended credit-limit command)',
    CustomerCommandSchema,
    {
      type: 'ChangeCustomerCreditLimit',
      customerId: 'C',
      company: 'Co',
      limit: usd('1.00'),
      currentOutstanding: usd('0.00'),
      why: 'x',
    },
    ['why'],
  ],
  [
    'PriceList (refined command)',
    PriceListCommandSchema,
    {
      type: 'SetItemPrice',
      priceListId: 'PL',
      itemPriceId: 'P1',
      itemCode: 'W',
      rate: usd('1.00'),
      validTo: '2030-01-01',
    },
    ['validTo'],
  ],
  [
    'Stock',
    StockCommandSchema,
    { type: 'ReserveStock', itemCode: 'W', warehouse: 'Main', orderId: 'SO-1', lineId: 'L1', qty: '1', priority: 1 },
    ['priority'],
  ],
  [
    'Payment (allocation)',
    PaymentCommandSchema,
    {
      type: 'ReceivePayment',
      paymentId: 'PAY-1',
      customerId: 'C',
      company: 'Co',
      amount: usd('5.00'),
      receivedOn: '2024-01-01',
      allocations: [{ invoiceId: 'SINV-1', amount: usd('5.00'), invoiceOutstanding: usd('5.00'), note: 'x' }],
    },
    ['allocations', 0, 'note'],
  ],
  [
    'SalesInvoice (line of a refined command)',
    SalesInvoiceCommandSchema,
    {
      type: 'CreateSalesInvoice',
      invoiceId: 'SINV-1',
      customerId: 'C',
      company: 'Co',
      salesOrderId: 'SO-1',
      currency: 'USD',
      postingDate: '2024-01-01',
      lines: [{ orderLineId: 'L1', itemCode: 'W', qty: '1', rate: usd('1.00'), unbilledAmount: usd('1.00'), tax: '0' }],
    },
    ['lines', 0, 'tax'],
  ],
  [
    'SalesInvoice',
    SalesInvoiceCommandSchema,
    { type: 'CancelSalesInvoice', invoiceId: 'SINV-1', reason: 'x' },
    ['reason'],
  ],
  [
    'SalesOrder (root)',
    SalesOrderCommandSchema,
    { type: 'SubmitSalesOrder', data: { orderId: 'SO-1' }, meta: {} },
    ['meta'],
  ],
  [
    'SalesOrder (data)',
    SalesOrderCommandSchema,
    { type: 'SubmitSalesOrder', data: { orderId: 'SO-1', force: true } },
    ['data', 'force'],
  ],
  [
    'SalesOrder (line)',
    SalesOrderCommandSchema,
    {
      type: 'AddSalesOrderLine',
      data: { orderId: 'SO-1', line: { itemCode: 'W', qty: '1', uom: 'Nos', rate: '1', warehouse: 'Main', foo: 1 } },
    },
    ['data', 'line', 'foo'],
  ],
  [
    'SalesOrder (discount)',
    SalesOrderCommandSchema,
    {
      type: 'SetSalesOrderDiscount',
      data: { orderId: 'SO-1', discount: { kind: 'percentage', percentage: '5', on: 'x' } },
    },
    ['data', 'discount', 'on'],
  ],
  [
    'SalesOrder (update items)',
    SalesOrderCommandSchema,
    { type: 'UpdateSalesOrderItems', data: { orderId: 'SO-1', update: [{ lineId: 'L1', qty: '2', discount: '5' }] } },
    ['data', 'update', 0, 'discount'],
  ],
];

describe('command schemas refuse unknown keys, at the key', () => {
  it.each(CASES)('%s', (_name, schema, command, path) => {
    expect(issues(schema, command)).toEqual(unknownKeyAt(...path));
  });

  it.each(CASES)('%s: accepted without the key', (_name, schema, command, path) => {
    const withoutKey = structuredClone(command) as Record<string | number, unknown>;
    let parent: Record<string | number, unknown> = withoutKey;
    for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
    delete parent[path[path.length - 1] as string | number];
    expect(issues(schema, withoutKey)).toEqual([]);
  });
});
