import type { ItemEvent } from './item-events.js';
import type { ItemRecord, ItemState } from './item-state.js';

function update(state: ItemState, change: (item: ItemRecord) => ItemRecord): ItemState {
  // Events for an item that does not exist cannot come from this decider; ignoring them keeps evolve total.
  return state.exists ? { exists: true, item: change(state.item) } : state;
}

/** Folds one Item event into the state. Pure. */
export function evolveItem(state: ItemState, event: ItemEvent): ItemState {
  switch (event.type) {
    case 'ItemRegistered':
      return { exists: true, item: { ...event.data, disabled: false } };
    case 'ItemDetailsChanged':
      return update(state, (item) => ({
        ...item,
        name: event.data.name,
        itemGroup: event.data.itemGroup,
        brand: event.data.brand,
      }));
    case 'ItemUnitConversionSet':
      return update(state, (item) => ({
        ...item,
        unitConversions: [
          ...item.unitConversions.filter((entry) => entry.unit !== event.data.unit),
          { unit: event.data.unit, factor: event.data.factor },
        ],
      }));
    case 'ItemUnitConversionRemoved':
      return update(state, (item) => ({
        ...item,
        unitConversions: item.unitConversions.filter((entry) => entry.unit !== event.data.unit),
      }));
    case 'ItemStandardRateSet':
      return update(state, (item) => ({ ...item, standardRate: event.data.standardRate }));
    case 'ItemMaxDiscountSet':
      return update(state, (item) => ({ ...item, maxDiscount: event.data.maxDiscount }));
    case 'ItemDisabled':
      return update(state, (item) => ({ ...item, disabled: true }));
    case 'ItemEnabled':
      return update(state, (item) => ({ ...item, disabled: false }));
  }
}
