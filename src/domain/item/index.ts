/**
 * The Item aggregate (code, name, group, brand, units, standard rate, stock flag, max discount) and the
 * item-group tree as data.
 */
import type { Decider } from '../../kernel/decider.js';
import { assertItemSellable } from './item-checks.js';
import { type ItemCommand, ItemCommandSchema } from './item-commands.js';
import { decideItem } from './item-decide.js';
import { type ItemEvent, itemEvents } from './item-events.js';
import { evolveItem } from './item-evolve.js';
import { createItemGroupTree, isInItemGroup, itemGroupAncestors, itemGroupLineage } from './item-groups.js';
import { itemStreamId } from './item-ids.js';
import { type ItemState, initialItemState } from './item-state.js';
import { conversionFactor, toStockQuantity } from './item-units.js';

export { assertItemSellable } from './item-checks.js';
export type { ItemCommand, ParsedItemCommand } from './item-commands.js';
export {
  ChangeItemDetailsSchema,
  DisableItemSchema,
  EnableItemSchema,
  ItemCommandSchema,
  RegisterItemSchema,
  RemoveItemUnitConversionSchema,
  SetItemMaxDiscountSchema,
  SetItemStandardRateSchema,
  SetItemUnitConversionSchema,
  UnitConversionSchema,
} from './item-commands.js';
export type { ItemRuleCode } from './item-decide.js';
export {
  ItemDetailsChanged,
  ItemDisabled,
  ItemEnabled,
  type ItemEvent,
  ItemMaxDiscountSet,
  ItemRegistered,
  ItemStandardRateSet,
  ItemUnitConversionRemoved,
  ItemUnitConversionSet,
  itemEvents,
} from './item-events.js';
export {
  ALL_ITEM_GROUPS,
  createItemGroupTree,
  type ItemGroup,
  type ItemGroupInput,
  ItemGroupSchema,
  type ItemGroupTree,
  isInItemGroup,
  itemGroupAncestors,
  itemGroupLineage,
} from './item-groups.js';
export {
  BrandId,
  BrandIdSchema,
  ITEM_STREAM_PREFIX,
  ItemCode,
  ItemCodeSchema,
  ItemGroupId,
  ItemGroupIdSchema,
  itemStreamId,
  UnitSchema,
} from './item-ids.js';
export { type ItemRecord, type ItemState, initialItemState, type UnitConversion } from './item-state.js';
export { conversionFactor, type ItemUnits, toStockQuantity } from './item-units.js';

/** The Item aggregate as a decider. One stream per item: see {@link Item.streamId}. */
export const itemDecider: Decider<ItemCommand, ItemEvent, ItemState> = {
  initialState: initialItemState,
  decide: decideItem,
  evolve: evolveItem,
};

/**
 * Everything about items in one namespace, so names never clash with other aggregates:
 * `Item.decider`, `Item.decide`, `Item.evolve`, `Item.events`, unit conversion and the group tree.
 */
export const Item = {
  /** `{ initialState, decide, evolve }`. */
  decider: itemDecider,
  decide: decideItem,
  evolve: evolveItem,
  initialState: initialItemState,
  /** The event definitions, for the event registry. */
  events: itemEvents,
  /** Validates any Item command. */
  commandSchema: ItemCommandSchema,
  /** The stream that holds one item's events: `Item-<itemCode>`. */
  streamId: itemStreamId,
  conversionFactor,
  toStockQuantity,
  assertSellable: assertItemSellable,
  /** The item-group tree: build it, walk up it. */
  groups: {
    create: createItemGroupTree,
    ancestors: itemGroupAncestors,
    lineage: itemGroupLineage,
    contains: isInItemGroup,
  },
} as const;
