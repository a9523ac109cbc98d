import fc from 'fast-check';
import {
  ALL_ITEM_GROUPS,
  createItemGroupTree,
  Item,
  type ItemCommand,
  type ItemGroupInput,
  type ItemGroupTree,
  type ItemRecord,
} from '../../domain/item/index.js';
import { fold } from '../../kernel/decider.js';
import { decimalStringArb, moneyJsonArb } from './money-arbitraries.js';

/** A `RegisterItem` command as a caller writes it. */
export type RegisterItemCommand = Extract<ItemCommand, { type: 'RegisterItem' }>;

/** Options of the item arbitraries. */
export interface ItemArbOptions {
  /**
   * Item groups an item may belong to.
   * @defaultValue `['All Item Groups', 'Products', 'Widgets', 'Gadgets', 'Services']`
   */
  readonly itemGroups?: readonly string[];
  /**
   * Brands an item may have (or none).
   * @defaultValue `['Acme', 'Globex']`
   */
  readonly brands?: readonly string[];
  /**
   * Currency of the standard rate.
   * @defaultValue `'USD'`
   */
  readonly currency?: string;
  /**
   * Item codes to choose from.
   * @defaultValue `ITEM-001` ... `ITEM-999`
   */
  readonly itemCodes?: readonly string[];
}

/** The item-group tree the arbitraries use by default: `All Item Groups` > `Products` > `Widgets`, `Gadgets`; `Services`. */
export const SAMPLE_ITEM_GROUPS: readonly ItemGroupInput[] = Object.freeze([
  { id: ALL_ITEM_GROUPS },
  { id: 'Products', parent: ALL_ITEM_GROUPS },
  { id: 'Widgets', parent: 'Products' },
  { id: 'Gadgets', parent: 'Products' },
  { id: 'Services', parent: ALL_ITEM_GROUPS },
]);

const DEFAULT_GROUPS = SAMPLE_ITEM_GROUPS.map((group) => group.id);
const DEFAULT_BRANDS = ['Acme', 'Globex'] as const;
const UNITS = ['Box', 'Pack', 'Pallet', 'Kg'] as const;

/** Item codes `ITEM-001` ... `ITEM-999`. */
export function itemCodeArb(): fc.Arbitrary<string> {
  return fc.integer({ min: 1, max: 999 }).map((n) => `ITEM-${String(n).padStart(3, '0')}`);
}

/**
 * Item-group trees of 1 to `maxGroups` groups under the root `All Item Groups`, each group's parent chosen among
 * the groups before it (so there is never a cycle), with the tree built from them.
 */
export function itemGroupTreeArb(
  options: { readonly maxGroups?: number } = {},
): fc.Arbitrary<{ readonly groups: readonly ItemGroupInput[]; readonly tree: ItemGroupTree }> {
  return fc.array(fc.nat(), { maxLength: (options.maxGroups ?? 8) - 1 }).map((parents) => {
    const groups: ItemGroupInput[] = [{ id: ALL_ITEM_GROUPS }];
    parents.forEach((pick, index) => {
      const parent = groups[pick % groups.length]?.id ?? ALL_ITEM_GROUPS;
      groups.push({ id: `Group ${index + 1}`, parent });
    });
    return { groups, tree: createItemGroupTree(groups) };
  });
}

/**
 * Valid `RegisterItem` commands: stock unit `Nos`, up to two other units with factors 2 to 48, an optional
 * standard rate, max discount and brand.
 */
export function registerItemCommandArb(options: ItemArbOptions = {}): fc.Arbitrary<RegisterItemCommand> {
  const currency = options.currency ?? 'USD';
  return fc
    .record({
      itemCode: options.itemCodes ? fc.constantFrom(...options.itemCodes) : itemCodeArb(),
      itemGroup: fc.constantFrom(...(options.itemGroups ?? DEFAULT_GROUPS)),
      brand: fc.option(fc.constantFrom(...(options.brands ?? DEFAULT_BRANDS)), { nil: undefined }),
      unitConversions: fc.uniqueArray(
        fc.record({ unit: fc.constantFrom(...UNITS), factor: fc.integer({ min: 2, max: 48 }).map(String) }),
        { selector: (entry) => entry.unit, maxLength: 2 },
      ),
      standardRate: fc.option(moneyJsonArb({ currency, min: '0', max: '1000', maxFractionDigits: 2 }), {
        nil: undefined,
      }),
      isStockItem: fc.boolean(),
      maxDiscount: fc.option(decimalStringArb({ min: '0', max: '100', maxFractionDigits: 1 }), { nil: undefined }),
    })
    .map(({ brand, standardRate, maxDiscount, ...rest }) => ({
      type: 'RegisterItem' as const,
      name: `Item ${rest.itemCode}`,
      stockUnit: 'Nos',
      ...rest,
      ...(brand === undefined ? {} : { brand }),
      ...(standardRate === undefined ? {} : { standardRate }),
      ...(maxDiscount === undefined ? {} : { maxDiscount }),
    }));
}

/** Registered items' records, made by running a generated `RegisterItem` through the Item decider. */
export function itemRecordArb(options: ItemArbOptions = {}): fc.Arbitrary<ItemRecord> {
  return registerItemCommandArb(options).map((command) => {
    const state = fold(Item.decider, Item.decide(command, Item.initialState));
    if (!state.exists) throw new Error('a registered item must exist');
    return state.item;
  });
}
