import type { PriceListEvent } from './price-list-events.js';
import type { PriceListState } from './price-list-state.js';

/** Folds one PriceList event into the state. Pure. */
export function evolvePriceList(state: PriceListState, event: PriceListEvent): PriceListState {
  if (event.type === 'PriceListCreated') {
    return { exists: true, priceList: { ...event.data, enabled: true }, itemPrices: [] };
  }
  // Only `decide` produces the other events, and never before creation; ignoring strays keeps evolve total.
  if (!state.exists) return state;
  switch (event.type) {
    case 'ItemPriceSet':
      return {
        ...state,
        itemPrices: [...state.itemPrices.filter((price) => price.itemPriceId !== event.data.itemPriceId), event.data],
      };
    case 'ItemPriceRemoved':
      return {
        ...state,
        itemPrices: state.itemPrices.filter((price) => price.itemPriceId !== event.data.itemPriceId),
      };
    case 'PriceListDisabled':
      return { ...state, priceList: { ...state.priceList, enabled: false } };
    case 'PriceListEnabled':
      return { ...state, priceList: { ...state.priceList, enabled: true } };
  }
}
