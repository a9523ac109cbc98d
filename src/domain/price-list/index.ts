/**
 * Price lists and item prices: the PriceList aggregate that records them and the pure lookup that finds the
 * rate of an item for a customer, unit and date.
 */
import type { Decider } from '../../kernel/decider.js';
import { type PriceListCommand, PriceListCommandSchema } from './price-list-commands.js';
import { decidePriceList } from './price-list-decide.js';
import { type PriceListEvent, priceListEvents } from './price-list-events.js';
import { evolvePriceList } from './price-list-evolve.js';
import { priceListStreamId } from './price-list-ids.js';
import { isItemPriceValidOn, lookupItemPrice } from './price-list-lookup.js';
import { initialPriceListState, type PriceListState } from './price-list-state.js';

export {
  BusinessDateSchema,
  CreatePriceListSchema,
  DisablePriceListSchema,
  EnablePriceListSchema,
  type ParsedPriceListCommand,
  type PriceListCommand,
  PriceListCommandSchema,
  RemoveItemPriceSchema,
  SetItemPriceSchema,
} from './price-list-commands.js';
export type { PriceListRuleCode } from './price-list-decide.js';
export {
  ItemPriceRemoved,
  ItemPriceSchema,
  ItemPriceSet,
  PriceListCreated,
  PriceListDisabled,
  PriceListEnabled,
  type PriceListEvent,
  priceListEvents,
} from './price-list-events.js';
export {
  ItemPriceId,
  ItemPriceIdSchema,
  PRICE_LIST_STREAM_PREFIX,
  PriceListId,
  PriceListIdSchema,
  priceListStreamId,
} from './price-list-ids.js';
export {
  type ItemPriceLookup,
  type ItemPriceQuery,
  type ItemPriceSource,
  isItemPriceValidOn,
  lookupItemPrice,
} from './price-list-lookup.js';
export {
  type ItemPrice,
  initialPriceListState,
  type PriceListRecord,
  type PriceListState,
} from './price-list-state.js';

/** The PriceList aggregate as a decider. One stream per price list: see {@link PriceList.streamId}. */
export const priceListDecider: Decider<PriceListCommand, PriceListEvent, PriceListState> = {
  initialState: initialPriceListState,
  decide: decidePriceList,
  evolve: evolvePriceList,
};

/**
 * Everything about price lists in one namespace: `PriceList.decider`, `PriceList.events`,
 * `PriceList.lookup` (the pure rate lookup), `PriceList.streamId`.
 */
export const PriceList = {
  /** `{ initialState, decide, evolve }`. */
  decider: priceListDecider,
  /** Decides the events for a PriceList command (pure; throws `ValidationError` or `DomainRuleError`). */
  decide: decidePriceList,
  /** Folds one PriceList event into the state (pure). */
  evolve: evolvePriceList,
  initialState: initialPriceListState,
  /** The event definitions, for the event registry. */
  events: priceListEvents,
  /** Validates any PriceList command. */
  commandSchema: PriceListCommandSchema,
  /** The stream that holds one price list's events: `PriceList-<priceListId>`. */
  streamId: priceListStreamId,
  /** {@link lookupItemPrice}: the rate of an item for a customer, unit and date, or `null`. */
  lookup: lookupItemPrice,
  /** {@link isItemPriceValidOn}: true when a date lies in the price's validity period. */
  isValidOn: isItemPriceValidOn,
} as const;
