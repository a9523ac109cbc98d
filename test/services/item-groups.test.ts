import { describe, expect, it } from 'vitest';
import { itemStreamId } from '../../src/domain/item/item-ids.js';
import type { ErpResult } from '../../src/services/erp-result.js';
import { createTestErp } from '../../src/testing/test-erp.js';

function assertOk<T>(result: ErpResult<T>): asserts result is { ok: true } & T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
}

function failures(result: ErpResult<unknown>) {
  return result.ok ? [] : result.errors.map((error) => ({ code: error.code, path: error.path }));
}

const NO_TREE = { pricing: { rules: [], defaultPriceListId: 'Standard Selling' } };

const drill = {
  type: 'RegisterItem',
  itemCode: 'DRILL',
  name: 'Drill',
  itemGroup: 'Tools',
  stockUnit: 'Nos',
  standardRate: { amount: '50.00', currency: 'USD' },
} as const;

describe('items and the item-group tree', () => {
  it('refuses to register an item whose group is not in the tree (ITEM_GROUP_NOT_FOUND at itemGroup), writing nothing', async () => {
    const erp = await createTestErp();
    const before = await erp.store.headPosition();
    const result = await erp.manageItem(drill);
    expect(failures(result)).toEqual([{ code: 'ITEM_GROUP_NOT_FOUND', path: ['itemGroup'] }]);
    expect(result.ok ? undefined : result.errors[0]?.data).toEqual({ itemGroup: 'Tools' });
    expect(await erp.store.headPosition()).toBe(before);
    expect(await erp.events(itemStreamId('DRILL'))).toEqual([]);
    expect(erp.audit.find({ action: 'manageItem' })).toEqual([
      expect.objectContaining({ outcome: 'rejected', errors: ['ITEM_GROUP_NOT_FOUND'] }),
    ]);
  });

  it('registers an item of any group of the tree, ancestors included', async () => {
    const erp = await createTestErp();
    assertOk(await erp.manageItem({ ...drill, itemGroup: 'All Item Groups' }));
    expect((await erp.getItem('DRILL'))?.itemGroup).toBe('All Item Groups');
  });

  it('refuses to move an item to a group outside the tree, and lets other details change', async () => {
    const erp = await createTestErp();
    const moved = await erp.manageItem({ type: 'ChangeItemDetails', itemCode: 'WIDGET', itemGroup: 'Tools' });
    expect(failures(moved)).toEqual([{ code: 'ITEM_GROUP_NOT_FOUND', path: ['itemGroup'] }]);
    expect((await erp.getItem('WIDGET'))?.itemGroup).toBe('Widgets');
    assertOk(await erp.manageItem({ type: 'ChangeItemDetails', itemCode: 'WIDGET', name: 'Widget Mk II' }));
    assertOk(await erp.manageItem({ type: 'ChangeItemDetails', itemCode: 'WIDGET', itemGroup: 'Gadgets' }));
    expect(await erp.getItem('WIDGET')).toMatchObject({ name: 'Widget Mk II', itemGroup: 'Gadgets' });
  });

  it("lists the item's own refusal too (ITEM_ALREADY_EXISTS)", async () => {
    const erp = await createTestErp();
    const result = await erp.manageItem({ ...drill, itemCode: 'WIDGET' });
    expect(failures(result).map((failure) => failure.code)).toEqual(['ITEM_GROUP_NOT_FOUND', 'ITEM_ALREADY_EXISTS']);
  });

  it('accepts any group when the ERP has no tree', async () => {
    const erp = await createTestErp({ settings: NO_TREE });
    assertOk(await erp.manageItem({ ...drill, isStockItem: false }));
    const placed = await erp.placeOrder({ customerId: 'CUST-ACME', lines: [{ itemCode: 'DRILL', qty: '1' }] });
    assertOk(placed);
    expect(placed.lines[0]?.rate.amount).toBe('50.00');
  });

  it('refuses to price an item whose group has left the tree (ITEM_GROUP_NOT_FOUND at the line) instead of dropping its group rules', async () => {
    // The item was registered by an ERP without a tree; an ERP with one now shares the store.
    const before = await createTestErp({ settings: NO_TREE });
    assertOk(await before.manageItem({ ...drill, isStockItem: false }));
    const erp = await createTestErp({ store: before.store, sampleData: false, seed: 2 });
    const head = await erp.store.headPosition();

    const placed = await erp.placeOrder({
      orderId: 'SO-1',
      customerId: 'CUST-ACME',
      lines: [
        { itemCode: 'WIDGET', qty: '1' },
        { itemCode: 'DRILL', qty: '1' },
      ],
    });
    expect(failures(placed)).toEqual([{ code: 'ITEM_GROUP_NOT_FOUND', path: ['lines', 1] }]);
    expect(placed.ok ? undefined : placed.errors[0]?.data).toEqual({ itemGroup: 'Tools' });
    expect(await erp.store.headPosition()).toBe(head);

    assertOk(
      await erp.placeOrder({ orderId: 'SO-2', customerId: 'CUST-ACME', lines: [{ itemCode: 'WIDGET', qty: '1' }] }),
    );
    const added = await erp.updateOrderItems({ orderId: 'SO-2', add: [{ itemCode: 'DRILL', qty: '1' }] });
    expect(failures(added)).toEqual([{ code: 'ITEM_GROUP_NOT_FOUND', path: ['add', 0] }]);

    // Moving the item into the tree fixes it.
    assertOk(await erp.manageItem({ type: 'ChangeItemDetails', itemCode: 'DRILL', itemGroup: 'Products' }));
    assertOk(await erp.updateOrderItems({ orderId: 'SO-2', add: [{ itemCode: 'DRILL', qty: '1' }] }));
  });
});
