import { describe, expect, it } from 'vitest';
import {
  computeSalesOrderTotals,
  type SalesOrderDiscount,
  type SalesOrderPricing,
  type SalesOrderRoundingMethod,
  type SalesOrderTax,
} from '../../../src/domain/sales-order/index.js';
import { addLine, addTax, create, orderOf, setDiscount } from './sales-order-fixtures.js';

const halfEven: SalesOrderPricing = { roundingMethod: 'half-even', roundedTotal: false, smallestFraction: null };

function totals(options: {
  lines: readonly (readonly [qty: string, rate: string])[];
  discount?: SalesOrderDiscount;
  taxes?: readonly SalesOrderTax[];
  currency?: string;
  pricing?: Partial<SalesOrderPricing>;
}) {
  return computeSalesOrderTotals({
    currency: options.currency ?? 'USD',
    lines: options.lines.map(([qty, rate], index) => ({ lineId: `L${index + 1}`, qty, rate })),
    discount: options.discount ?? null,
    taxes: options.taxes ?? [],
    pricing: { ...halfEven, ...options.pricing },
  });
}

const vat = (rate: string): SalesOrderTax => ({ taxId: 'VAT', description: 'VAT', kind: 'on_net_total', rate });
const freight = (amount: string): SalesOrderTax => ({
  taxId: 'FREIGHT',
  description: 'Freight',
  kind: 'actual',
  amount,
});

describe('SalesOrder totals (ERPNext calculate_taxes_and_totals)', () => {
  it('rounds each line amount (rate × qty) to the currency and sums them into the total', () => {
    const result = totals({
      lines: [
        ['3', '0.335'],
        ['1.5', '2.25'],
      ],
    });
    expect(result.lines.map((line) => line.amount)).toEqual(['1.00', '3.38']);
    expect(result).toMatchObject({ total: '4.38', netTotal: '4.38', grandTotal: '4.38' });
  });

  it('spreads a discount on the net total over the lines by amount, the last line taking the rounding residue', () => {
    const result = totals({
      lines: [
        ['10', '1.00'],
        ['10', '1.00'],
        ['10', '1.00'],
      ],
      discount: { kind: 'amount', amount: '1.00', applyOn: 'net_total' },
      taxes: [vat('8.25')],
    });
    expect(result.lines.map((line) => line.discountAmount)).toEqual(['0.33', '0.33', '0.34']);
    expect(result.lines.map((line) => line.netAmount)).toEqual(['9.67', '9.67', '9.66']);
    expect(result).toMatchObject({
      total: '30.00',
      discountAmount: '1.00',
      netTotal: '29.00',
      totalTaxes: '2.39',
      grandTotal: '31.39',
    });
    // The tax row is split over the lines by net amount too, the last line taking the residue.
    expect(result.taxes[0]?.lineAmounts.map((line) => line.amount)).toEqual(['0.80', '0.80', '0.79']);
  });

  it('takes a percentage discount on the grand total from the taxed total, and keeps the grand total exact', () => {
    // CHF: 3 × 17.99 + 7 × 4.35 = 84.42; VAT 7.7 % = 6.50; freight 9.90; grand total before discount 100.82.
    // Discount 5 % of 100.82 = 5.04, of which 5.04 × 84.42 / (100.82 - 9.90) = 4.68 falls on the net amounts.
    const result = totals({
      currency: 'CHF',
      lines: [
        ['3', '17.99'],
        ['7', '4.35'],
      ],
      discount: { kind: 'percentage', percentage: '5', applyOn: 'grand_total' },
      taxes: [vat('7.7'), freight('9.90')],
      pricing: { roundedTotal: true, smallestFraction: '0.05' },
    });
    expect(result.lines.map((line) => [line.amount, line.discountAmount, line.netAmount])).toEqual([
      ['53.97', '2.99', '50.98'],
      ['30.45', '1.69', '28.76'],
    ]);
    expect(result.taxes.map((tax) => [tax.amount, tax.total, tax.lineAmounts.map((line) => line.amount)])).toEqual([
      ['6.14', '85.88', ['3.93', '2.21']],
      ['9.90', '95.78', ['6.33', '3.57']],
    ]);
    expect(result).toMatchObject({
      total: '84.42',
      discountAmount: '5.04',
      netTotal: '79.74',
      totalTaxes: '16.04',
      discountRoundingDifference: '0.00',
      grandTotal: '95.78',
      roundingAdjustment: '0.02',
      roundedTotal: '95.80',
    });
  });

  it('books the cent lost by spreading a grand-total discount over taxed net amounts as the discount rounding difference', () => {
    // 10.00 + 19 % VAT = 11.90, less 0.03 must be 11.87; the net share round(0.03 × 10 / 11.90) = 0.03 gives
    // 9.97 + 1.89 = 11.86, so 0.01 is added back.
    const result = totals({
      lines: [['1', '10.00']],
      discount: { kind: 'amount', amount: '0.03', applyOn: 'grand_total' },
      taxes: [vat('19')],
    });
    expect(result).toMatchObject({
      netTotal: '9.97',
      totalTaxes: '1.89',
      discountRoundingDifference: '0.01',
      grandTotal: '11.87',
    });
  });

  it('spreads a fixed tax amount over the lines by net amount, the last line taking the residue', () => {
    const result = totals({
      lines: [
        ['1', '1.00'],
        ['1', '1.00'],
        ['1', '1.00'],
      ],
      taxes: [freight('10.00')],
    });
    expect(result.taxes[0]?.lineAmounts.map((line) => line.amount)).toEqual(['3.33', '3.33', '3.34']);
    expect(result.grandTotal).toBe('13.00');
  });

  it('gives a fixed tax wholly to the last line on a zero net total, and nothing without lines', () => {
    expect(
      totals({
        lines: [
          ['1', '0'],
          ['2', '0'],
        ],
        taxes: [freight('5.00')],
      }).taxes[0]?.lineAmounts.map((line) => line.amount),
    ).toEqual(['0.00', '5.00']);
    expect(totals({ lines: [], taxes: [freight('5.00')] })).toMatchObject({ totalTaxes: '0.00', grandTotal: '0.00' });
  });

  it('ignores a discount whose base is zero', () => {
    expect(
      totals({
        lines: [
          ['1', '5.00'],
          ['1', '-5.00'],
        ],
        discount: { kind: 'amount', amount: '1.00', applyOn: 'net_total' },
      }),
    ).toMatchObject({
      discountAmount: '0.00',
      netTotal: '0.00',
    });
  });

  it('accumulates tax rows in order', () => {
    const result = totals({
      lines: [['1', '100.00']],
      taxes: [vat('10'), freight('2.50'), { ...vat('1'), taxId: 'CESS' }],
    });
    expect(result.taxes.map((tax) => tax.total)).toEqual(['110.00', '112.50', '113.50']);
  });

  it('rounds with the configured method at each line: half-even, commercial, ERPNext legacy', () => {
    const amount = (rate: string, method: SalesOrderRoundingMethod, currency = 'USD') =>
      totals({ currency, lines: [['0.5', rate]], pricing: { roundingMethod: method } }).lines[0]?.amount;
    // 0.5 × 1.25 = 0.625 (a tie at cents); 0.5 × -1.25 = -0.625.
    expect([amount('1.25', 'half-even'), amount('1.25', 'commercial'), amount('1.25', 'erpnext-legacy')]).toEqual([
      '0.62',
      '0.63',
      '0.63',
    ]);
    expect([amount('-1.25', 'half-even'), amount('-1.25', 'commercial'), amount('-1.25', 'erpnext-legacy')]).toEqual([
      '-0.62',
      '-0.63',
      '-0.62',
    ]);
    // At zero decimals (JPY) Frappe's legacy rounding is banker's: 0.5 × 5 = 2.5 → 2.
    expect([
      amount('5', 'half-even', 'JPY'),
      amount('5', 'commercial', 'JPY'),
      amount('5', 'erpnext-legacy', 'JPY'),
    ]).toEqual(['2', '3', '2']);
  });

  it('rounds the grand total to whole units with the configured method when the currency has no smallest fraction', () => {
    const rounded = (method: SalesOrderRoundingMethod) =>
      totals({ lines: [['1', '10.50']], pricing: { roundingMethod: method, roundedTotal: true } });
    expect(rounded('half-even')).toMatchObject({ roundedTotal: '10.00', roundingAdjustment: '-0.50' });
    expect(rounded('commercial')).toMatchObject({ roundedTotal: '11.00', roundingAdjustment: '0.50' });
    expect(rounded('erpnext-legacy')).toMatchObject({ roundedTotal: '10.00' });
  });

  it('rounds the grand total to the smallest fraction as ERPNext does: up only past half, an exact half goes down', () => {
    const rounded = (amount: string, fraction: string) =>
      totals({ lines: [['1', amount]], pricing: { roundedTotal: true, smallestFraction: fraction } }).roundedTotal;
    expect(rounded('10.26', '0.10')).toBe('10.30');
    expect(rounded('10.25', '0.10')).toBe('10.20');
    expect(rounded('10.24', '0.05')).toBe('10.25');
    expect(rounded('10.22', '0.05')).toBe('10.20');
    expect(rounded('-10.26', '0.05')).toBe('-10.25');
  });

  it('has no rounded total unless enabled', () => {
    expect(totals({ lines: [['1', '10.50']] })).toMatchObject({ roundedTotal: null, roundingAdjustment: null });
  });

  it('keeps the rounding method recorded at creation, whatever the settings say later', () => {
    const commands = [create(), addLine('L1', { qty: '0.5', rate: '1.25' })];
    expect(orderOf(commands, { roundingMethod: 'commercial' }).lines[0]?.amount).toBe('0.63');
    expect(orderOf(commands).lines[0]?.amount).toBe('0.62');
  });

  it('puts the per-line figures on the state lines and the order totals on the state', () => {
    const order = orderOf([
      create(),
      addLine('L1'),
      addLine('L2'),
      setDiscount({ kind: 'percentage', percentage: '10', applyOn: 'net_total' }),
      addTax({ kind: 'on_net_total', rate: '20' }),
    ]);
    expect(order.lines.map((line) => [line.amount, line.discountAmount, line.netAmount])).toEqual([
      ['50.00', '5.00', '45.00'],
      ['50.00', '5.00', '45.00'],
    ]);
    expect(order.totals).toMatchObject({
      total: '100.00',
      discountAmount: '10.00',
      netTotal: '90.00',
      totalTaxes: '18.00',
      grandTotal: '108.00',
    });
  });
});
