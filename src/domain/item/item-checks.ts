import { DomainRuleError } from '../../kernel/errors.js';
import type { ItemRecord, ItemState } from './item-state.js';

/**
 * Returns the item when it can be put on a sales document: it must exist and not be disabled.
 *
 * @throws DomainRuleError `ITEM_NOT_FOUND` or `ITEM_DISABLED` (ERPNext: "Item {0} is disabled").
 */
export function assertItemSellable(state: ItemState, itemCode: string): ItemRecord {
  if (!state.exists) {
    throw new DomainRuleError('ITEM_NOT_FOUND', `Item "${itemCode}" does not exist`, { itemCode });
  }
  if (state.item.disabled) {
    throw new DomainRuleError('ITEM_DISABLED', `Item "${itemCode}" is disabled`, { itemCode });
  }
  return state.item;
}
