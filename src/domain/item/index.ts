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
  /** Decides the events for an Item command (pure; throws `ValidationError` or `DomainRuleError`). */
  decide: decideItem,
  /** Folds one Item event into the state (pure). */
  evolve: evolveItem,
  initialState: initialItemState,
  /** The event definitions, for the event registry. */
  events: itemEvents,
  /** Validates any Item command. */
  commandSchema: ItemCommandSchema,
  /** The stream that holds one item's events: `Item-<itemCode>`. */
  streamId: itemStreamId,
  /** {@link conversionFactor}: how many stock units one `unit` of the item holds. */
  conversionFactor,
  /** {@link toStockQuantity}: a quantity in `unit` expressed in stock units. */
  toStockQuantity,
  /** {@link assertItemSellable}: returns the item if it exists and is enabled, else throws. */
  assertSellable: assertItemSellable,
  /** The item-group tree: build it, walk up it. */
  groups: {
    /** {@link createItemGroupTree}: builds the tree from a flat list with parent links (validated). */
    create: createItemGroupTree,
    /** {@link itemGroupAncestors}: a group's ancestors, nearest first. */
    ancestors: itemGroupAncestors,
    /** {@link itemGroupLineage}: the group itself, then its ancestors (the groups whose rules apply). */
    lineage: itemGroupLineage,
    /** {@link isInItemGroup}: true when a group is, or lies below, another. */
    contains: isInItemGroup,
  },
} as const;
