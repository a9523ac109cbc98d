import { describe, expect, it } from 'vitest';
import {
  BrandId,
  conversionFactor,
  Item,
  ItemCode,
  type ItemEvent,
  ItemGroupId,
  toStockQuantity,
} from '../../../src/domain/item/index.js';
import { deciderSpec } from '../../../src/testing/decider-spec.js';

const spec = deciderSpec(Item.decider);
const code = ItemCode('WIDGET');

const registered: ItemEvent = {
  type: 'ItemRegistered',
  data: {
    itemCode: code,
    name: 'Widget',
    itemGroup: ItemGroupId('Widgets'),
    brand: BrandId('Acme'),
    stockUnit: 'Nos',
    unitConversions: [{ unit: 'Box', factor: '12' }],
    standardRate: { amount: '10.00', currency: 'USD' },
    isStockItem: true,
    maxDiscount: '20',
  },
};

const register = {
  type: 'RegisterItem' as const,
  itemCode: 'WIDGET',
  name: 'Widget',
  itemGroup: 'Widgets',
  brand: 'Acme',
  stockUnit: 'Nos',
  unitConversions: [{ unit: 'Box', factor: '12.0' }],
  standardRate: { amount: '10', currency: 'USD' },
  maxDiscount: '20',
};

describe('Item decider', () => {
  it('registers an item with canonical amounts and the stock flag on by default', () => {
    spec.given().when(register).thenEmits([registered]);
  });

  it('refuses to register an item code twice', () => {
    spec.given([registered]).when(register).thenRejects('ITEM_ALREADY_EXISTS');
  });

  it('refuses a unit listed twice in the conversion table', () => {
    spec
      .given()
      .when({
        ...register,
        unitConversions: [
          { unit: 'Box', factor: '12' },
          { unit: 'Box', factor: '6' },
        ],
      })
      .thenRejects('DUPLICATE_UNIT_CONVERSION');
  });

  it('refuses a stock-unit conversion factor other than 1 and drops one of exactly 1', () => {
    spec
      .given()
      .when({ ...register, unitConversions: [{ unit: 'Nos', factor: '2' }] })
      .thenRejects('STOCK_UNIT_FACTOR_MUST_BE_ONE');
    spec
      .given()
      .when({ ...register, unitConversions: [{ unit: 'Nos', factor: '1' }] })
      .thenState((state) => expect(state.exists && state.item.unitConversions).toEqual([]));
  });

  it('rejects invalid commands with paths: negative standard rate, zero factor, discount above 100', () => {
    const paths = (command: object) => {
      try {
        Item.decide(command as never, Item.initialState);
      } catch (error) {
        return (error as { issues: { path: unknown[] }[] }).issues.map((issue) => issue.path.join('.'));
      }
      return [];
    };
    expect(paths({ ...register, standardRate: { amount: '-1', currency: 'USD' } })).toContain('standardRate');
    expect(paths({ ...register, unitConversions: [{ unit: 'Box', factor: '0' }] })).toContain(
      'unitConversions.0.factor',
    );
    expect(paths({ ...register, maxDiscount: '101' })).toContain('maxDiscount');
    spec
      .given()
      .when({ ...register, name: '' })
      .thenRejects('VALIDATION_FAILED');
  });

  it('needs a registered item for every other command', () => {
    spec.given().when({ type: 'DisableItem', itemCode: 'WIDGET' }).thenRejects('ITEM_NOT_FOUND');
    spec
      .given()
      .when({ type: 'SetItemStandardRate', itemCode: 'WIDGET', standardRate: null })
      .thenRejects('ITEM_NOT_FOUND');
  });

  it('disables and enables an item, and doing either twice emits nothing', () => {
    const disabled: ItemEvent = { type: 'ItemDisabled', data: { itemCode: code } };
    spec.given([registered]).when({ type: 'DisableItem', itemCode: 'WIDGET' }).thenEmits([disabled]);
    spec.given([registered, disabled]).when({ type: 'DisableItem', itemCode: 'WIDGET' }).thenNothingHappens();
    spec.given([registered]).when({ type: 'EnableItem', itemCode: 'WIDGET' }).thenNothingHappens();
    spec
      .given([registered, disabled])
      .when({ type: 'EnableItem', itemCode: 'WIDGET' })
      .thenState((state) => expect(state.exists && state.item.disabled).toBe(false));
  });

  it('changes details, keeping omitted fields and removing the brand with null', () => {
    spec
      .given([registered])
      .when({ type: 'ChangeItemDetails', itemCode: 'WIDGET', itemGroup: 'Gadgets', brand: null })
      .thenEmits([
        {
          type: 'ItemDetailsChanged',
          data: { itemCode: code, name: 'Widget', itemGroup: ItemGroupId('Gadgets'), brand: null },
        },
      ]);
    spec
      .given([registered])
      .when({ type: 'ChangeItemDetails', itemCode: 'WIDGET', name: 'Widget' })
      .thenNothingHappens();
  });

  it('sets, replaces and removes unit conversions', () => {
    spec
      .given([registered])
      .when({ type: 'SetItemUnitConversion', itemCode: 'WIDGET', unit: 'Box', factor: '24' })
      .thenState((state) =>
        expect(state.exists && state.item.unitConversions).toEqual([{ unit: 'Box', factor: '24' }]),
      );
    spec
      .given([registered])
      .when({ type: 'SetItemUnitConversion', itemCode: 'WIDGET', unit: 'Box', factor: '12.00' })
      .thenNothingHappens();
    spec
      .given([registered])
      .when({ type: 'RemoveItemUnitConversion', itemCode: 'WIDGET', unit: 'Box' })
      .thenState((state) => expect(state.exists && state.item.unitConversions).toEqual([]));
    spec
      .given([registered])
      .when({ type: 'RemoveItemUnitConversion', itemCode: 'WIDGET', unit: 'Pallet' })
      .thenNothingHappens();
  });

  it('sets and clears the standard rate and the max discount', () => {
    spec
      .given([registered])
      .when({ type: 'SetItemStandardRate', itemCode: 'WIDGET', standardRate: { amount: '12.5', currency: 'USD' } })
      .thenEmits([
        { type: 'ItemStandardRateSet', data: { itemCode: code, standardRate: { amount: '12.50', currency: 'USD' } } },
      ]);
    spec
      .given([registered])
      .when({ type: 'SetItemStandardRate', itemCode: 'WIDGET', standardRate: { amount: '10', currency: 'USD' } })
      .thenNothingHappens();
    spec
      .given([registered])
      .when({ type: 'SetItemMaxDiscount', itemCode: 'WIDGET', maxDiscount: null })
      .thenState((state) => expect(state.exists && state.item.maxDiscount).toBeNull());
  });
});

describe('unit conversion', () => {
  const item = { itemCode: 'WIDGET', stockUnit: 'Nos', unitConversions: [{ unit: 'Box', factor: '12' }] };

  it('has factor 1 for the stock unit and the item factor for other units', () => {
    expect(conversionFactor(item).value).toBe('1');
    expect(conversionFactor(item, 'Nos').value).toBe('1');
    expect(conversionFactor(item, 'Box').value).toBe('12');
    expect(toStockQuantity(item, '2.5', 'Box').value).toBe('30');
  });

  it('refuses a unit the item has no factor for', () => {
    expect(() => conversionFactor(item, 'Pallet')).toThrow(expect.objectContaining({ rule: 'UNIT_NOT_CONVERTIBLE' }));
  });

  it('lets only existing, enabled items be sold', () => {
    expect(() => Item.assertSellable(Item.initialState, 'X')).toThrow(
      expect.objectContaining({ rule: 'ITEM_NOT_FOUND' }),
    );
    const disabled = Item.evolve(Item.evolve(Item.initialState, registered), {
      type: 'ItemDisabled',
      data: { itemCode: code },
    });
    expect(() => Item.assertSellable(disabled, 'WIDGET')).toThrow(expect.objectContaining({ rule: 'ITEM_DISABLED' }));
  });
});
