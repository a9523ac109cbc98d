import { beforeEach, describe, expect, it } from 'vitest';
import { Customer, type CustomerEvent, type CustomerState } from '../../../src/domain/customer/index.js';
import { Item, type ItemEvent, type ItemState } from '../../../src/domain/item/index.js';
import { customerDimRows, itemDimRows } from '../../../src/export/index.js';
import type { MemoryEventStore } from '../../../src/index.js';
import {
  createErpWriter,
  createValidatingStore,
  type ErpWriter,
  rowShapeProblems,
  streamChanges,
} from '../export-test-support.js';

let store: MemoryEventStore;
let erp: ErpWriter;

beforeEach(() => {
  store = createValidatingStore();
  erp = createErpWriter(store);
});

describe('customer_dim (SCD type 2, append-only)', () => {
  async function rows() {
    const changes = await streamChanges<CustomerState, CustomerEvent>(
      store,
      Customer.streamId('C-1'),
      Customer.initialState,
      Customer.evolve,
    );
    return changes.flatMap((change) => customerDimRows(change));
  }

  beforeEach(async () => {
    await erp.customer({
      type: 'RegisterCustomer',
      customerId: 'C-1',
      name: 'Acme',
      customerGroup: 'Commercial',
      billingAddress: { line1: 'Hauptstrasse 1', city: 'Zürich', postalCode: '8001', country: 'ch' },
    });
  });

  it('writes version 1 on registration, with the address columns and nulls for what is absent', async () => {
    const written = await rows();
    expect(written).toHaveLength(1);
    expect(written[0]?.values).toMatchObject({
      customer_id: 'C-1',
      version: 1,
      name: 'Acme',
      customer_group: 'Commercial',
      default_price_list: null,
      is_disabled: false,
      billing_city: 'Zürich',
      billing_state: null,
      billing_postal_code: '8001',
      billing_country: 'CH',
      shipping_city: null,
      shipping_country: null,
    });
    expect(rowShapeProblems(written)).toEqual([]);
  });

  it('writes a new version for each change of an exported attribute, and none for a credit limit', async () => {
    await erp.customer({ type: 'ChangeCustomerDetails', customerId: 'C-1', customerGroup: 'VIP' });
    await erp.customer({
      type: 'AddCustomerCreditLimit',
      customerId: 'C-1',
      company: 'Acme',
      limit: { amount: '1000.00', currency: 'EUR' },
      currentOutstanding: { amount: '0.00', currency: 'EUR' },
    });
    await erp.customer({ type: 'DisableCustomer', customerId: 'C-1' });
    const written = await rows();
    expect(written.map((row) => [row.values.version, row.values.customer_group, row.values.is_disabled])).toEqual([
      [1, 'Commercial', false],
      [2, 'VIP', false],
      [4, 'VIP', true],
    ]);
  });

  it('writes no version for an event that changes only what is not exported (a street line)', async () => {
    const events = await erp.customer({
      type: 'ChangeCustomerAddresses',
      customerId: 'C-1',
      billingAddress: { line1: 'Bahnhofstrasse 2', city: 'Zürich', postalCode: '8001', country: 'CH' },
    });
    expect(events.map((event) => event.type)).toEqual(['CustomerAddressesChanged']);
    expect(await rows()).toHaveLength(1);
  });
});

describe('item_dim (SCD type 2, append-only)', () => {
  async function rows() {
    const changes = await streamChanges<ItemState, ItemEvent>(
      store,
      Item.streamId('WIDGET'),
      Item.initialState,
      Item.evolve,
    );
    return changes.flatMap((change) => itemDimRows(change));
  }

  beforeEach(async () => {
    await erp.item({
      type: 'RegisterItem',
      itemCode: 'WIDGET',
      name: 'Widget',
      itemGroup: 'Products',
      stockUnit: 'Nos',
      standardRate: { amount: '12.50', currency: 'EUR' },
    });
  });

  it('writes version 1 on registration with the standard rate as a decimal string and its currency', async () => {
    const written = await rows();
    expect(written[0]?.values).toMatchObject({
      item_code: 'WIDGET',
      version: 1,
      name: 'Widget',
      item_group: 'Products',
      brand: null,
      stock_unit: 'Nos',
      is_stock_item: true,
      standard_rate: '12.50',
      standard_rate_currency: 'EUR',
      max_discount: null,
      is_disabled: false,
    });
    expect(rowShapeProblems(written)).toEqual([]);
  });

  it('writes a new version when the rate is cleared, and none for a unit conversion', async () => {
    await erp.item({ type: 'SetItemUnitConversion', itemCode: 'WIDGET', unit: 'Box', factor: '12' });
    await erp.item({ type: 'SetItemStandardRate', itemCode: 'WIDGET', standardRate: null });
    const written = await rows();
    expect(
      written.map((row) => [row.values.version, row.values.standard_rate, row.values.standard_rate_currency]),
    ).toEqual([
      [1, '12.50', 'EUR'],
      [3, null, null],
    ]);
  });
});
