import { describe, expect, it } from 'vitest';
import { type ItemPrice, lookupItemPrice } from '../../../src/domain/price-list/index.js';

function price(id: string, rate: string, extra: Partial<Omit<ItemPrice, 'rate'>> = {}): ItemPrice {
  return {
    itemPriceId: id,
    priceListId: 'Standard Selling',
    itemCode: 'WIDGET',
    unit: null,
    customerId: null,
    validFrom: null,
    validUpto: null,
    ...extra,
    rate: { amount: rate, currency: 'USD' },
  } as ItemPrice;
}

const query = { priceListId: 'Standard Selling', itemCode: 'WIDGET', stockUnit: 'Nos', date: '2026-03-15' };

describe('item price lookup', () => {
  it('prefers the customer-specific price over the general one', () => {
    const prices = [price('general', '10'), price('special', '8', { customerId: 'CUST-1' as never })];
    const found = lookupItemPrice(prices, { ...query, customerId: 'CUST-1' });
    expect(found?.source).toBe('customer_price');
    expect(found?.rate.amount).toBe('8.00');
    expect(lookupItemPrice(prices, { ...query, customerId: 'CUST-2' })?.rate.amount).toBe('10.00');
    expect(lookupItemPrice(prices, query)?.source).toBe('general_price');
  });

  it('falls back to the stock-unit price times the conversion factor', () => {
    const prices = [price('per-unit', '2.5')];
    const found = lookupItemPrice(prices, { ...query, unit: 'Box', conversionFactor: '12' });
    expect(found?.source).toBe('general_stock_unit_price');
    expect(found?.rate.amount).toBe('30.00');
    expect(found?.conversionFactor).toBe('12');
  });

  it('uses a price in the line unit before the stock-unit fallback, even a general one before a customer stock-unit one', () => {
    const prices = [
      price('box', '28', { unit: 'Box' }),
      price('customer-unit', '2', { customerId: 'CUST-1' as never }),
    ];
    const found = lookupItemPrice(prices, { ...query, customerId: 'CUST-1', unit: 'Box', conversionFactor: '12' });
    expect(found?.itemPrice.itemPriceId).toBe('box');
  });

  it('takes the price with the latest valid-from among those valid on the date', () => {
    const prices = [
      price('old', '9', { validFrom: '2025-01-01' }),
      price('current', '10', { validFrom: '2026-03-01' }),
      price('future', '11', { validFrom: '2026-04-01' }),
      price('expired', '7', { validFrom: '2026-03-10', validUpto: '2026-03-14' }),
    ];
    expect(lookupItemPrice(prices, query)?.itemPrice.itemPriceId).toBe('current');
    expect(lookupItemPrice(prices, { ...query, date: '2026-03-12' })?.itemPrice.itemPriceId).toBe('expired');
  });

  it('treats validity bounds as inclusive', () => {
    const prices = [price('window', '5', { validFrom: '2026-03-15', validUpto: '2026-03-15' })];
    expect(lookupItemPrice(prices, query)?.rate.amount).toBe('5.00');
    expect(lookupItemPrice(prices, { ...query, date: '2026-03-16' })).toBeNull();
  });

  it('ignores other lists and items, and returns null when nothing is priced', () => {
    const prices = [
      price('other-list', '5', { priceListId: 'Wholesale' as never }),
      price('other-item', '5', { itemCode: 'GADGET' as never }),
    ];
    expect(lookupItemPrice(prices, query)).toBeNull();
  });
});
