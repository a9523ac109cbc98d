import { describe, expect, it } from 'vitest';
import { ItemCode } from '../../../src/domain/item/index.js';
import { ItemPriceId, PriceList, type PriceListEvent, PriceListId } from '../../../src/domain/price-list/index.js';
import { deciderSpec } from '../../../src/testing/decider-spec.js';

const spec = deciderSpec(PriceList.decider);
const list = PriceListId('Standard Selling');
const created: PriceListEvent = {
  type: 'PriceListCreated',
  data: { priceListId: list, name: 'Standard Selling', currency: 'USD', selling: true, buying: false },
};
const setPrice = {
  type: 'SetItemPrice' as const,
  priceListId: 'Standard Selling',
  itemPriceId: 'IP-1',
  itemCode: 'WIDGET',
  rate: { amount: '10', currency: 'USD' },
  validFrom: '2026-01-01',
};
const priceSet: PriceListEvent = {
  type: 'ItemPriceSet',
  data: {
    itemPriceId: ItemPriceId('IP-1'),
    priceListId: list,
    itemCode: ItemCode('WIDGET'),
    unit: null,
    customerId: null,
    rate: { amount: '10.00', currency: 'USD' },
    validFrom: '2026-01-01',
    validUpto: null,
  },
};

describe('PriceList decider', () => {
  it('creates a selling price list in one currency', () => {
    spec
      .given()
      .when({ type: 'CreatePriceList', priceListId: 'Standard Selling', currency: 'USD' })
      .thenEmits([created]);
    spec
      .given([created])
      .when({ type: 'CreatePriceList', priceListId: 'Standard Selling', currency: 'USD' })
      .thenRejects('PRICE_LIST_ALREADY_EXISTS');
  });

  it('records an item price, and setting the same price again emits nothing', () => {
    spec.given([created]).when(setPrice).thenEmits([priceSet]);
    spec.given([created, priceSet]).when(setPrice).thenNothingHappens();
  });

  it('refuses an item price in another currency than the list', () => {
    spec
      .given([created])
      .when({ ...setPrice, rate: { amount: '10', currency: 'EUR' } })
      .thenRejects('PRICE_LIST_CURRENCY_MISMATCH');
  });

  it('refuses a second price for the same item, unit and customer starting the same day', () => {
    spec
      .given([created, priceSet])
      .when({ ...setPrice, itemPriceId: 'IP-2' })
      .thenRejects('ITEM_PRICE_DUPLICATE');
    expect(
      spec
        .given([created, priceSet])
        .when({ ...setPrice, itemPriceId: 'IP-2', customerId: 'CUST-1' })
        .events(),
    ).toHaveLength(1);
    expect(
      spec
        .given([created, priceSet])
        .when({ ...setPrice, itemPriceId: 'IP-2', validFrom: '2026-02-01' })
        .events(),
    ).toHaveLength(1);
  });

  it('rejects a validity period that ends before it starts, at the validUpto path', () => {
    spec
      .given([created])
      .when({ ...setPrice, validUpto: '2025-12-31' })
      .thenRejects((error) => (error as { issues: { path: unknown[] }[] }).issues[0]?.path.join('.') === 'validUpto');
  });

  it('removes a price, disables and enables the list, idempotently', () => {
    spec
      .given([created, priceSet])
      .when({ type: 'RemoveItemPrice', priceListId: 'Standard Selling', itemPriceId: 'IP-1' })
      .thenState((state) => expect(state.exists && state.itemPrices).toEqual([]));
    spec
      .given([created])
      .when({ type: 'RemoveItemPrice', priceListId: 'Standard Selling', itemPriceId: 'IP-1' })
      .thenNothingHappens();
    spec
      .given([created])
      .when({ type: 'DisablePriceList', priceListId: 'Standard Selling' })
      .thenState((state) => expect(state.exists && state.priceList.enabled).toBe(false));
    spec.given([created]).when({ type: 'EnablePriceList', priceListId: 'Standard Selling' }).thenNothingHappens();
    spec.given().when(setPrice).thenRejects('PRICE_LIST_NOT_FOUND');
  });
});
