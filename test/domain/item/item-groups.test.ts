import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALL_ITEM_GROUPS,
  createItemGroupTree,
  isInItemGroup,
  itemGroupAncestors,
  itemGroupLineage,
} from '../../../src/domain/item/index.js';
import { itemGroupTreeArb } from '../../../src/testing/arbitraries/item-arbitraries.js';

const tree = createItemGroupTree([
  { id: ALL_ITEM_GROUPS },
  { id: 'Products', parent: ALL_ITEM_GROUPS },
  { id: 'Widgets', parent: 'Products' },
  { id: 'Services', parent: ALL_ITEM_GROUPS },
]);

describe('item-group tree', () => {
  it('gives a group its ancestors nearest first, up to the root', () => {
    expect(itemGroupAncestors(tree, 'Widgets')).toEqual(['Products', ALL_ITEM_GROUPS]);
    expect(itemGroupAncestors(tree, ALL_ITEM_GROUPS)).toEqual([]);
    expect(itemGroupLineage(tree, 'Widgets')).toEqual(['Widgets', 'Products', ALL_ITEM_GROUPS]);
  });

  it('says whether a group lies under another', () => {
    expect(isInItemGroup(tree, 'Widgets', 'Products')).toBe(true);
    expect(isInItemGroup(tree, 'Widgets', 'Widgets')).toBe(true);
    expect(isInItemGroup(tree, 'Services', 'Products')).toBe(false);
    expect(isInItemGroup(tree, 'Unknown', ALL_ITEM_GROUPS)).toBe(false);
  });

  it('refuses an unknown group with ITEM_GROUP_NOT_FOUND', () => {
    expect(() => itemGroupAncestors(tree, 'Nope')).toThrow(expect.objectContaining({ rule: 'ITEM_GROUP_NOT_FOUND' }));
  });

  it('refuses duplicate ids, unknown parents and cycles, with the path of the entry', () => {
    const issues = (groups: Parameters<typeof createItemGroupTree>[0]) => {
      try {
        createItemGroupTree(groups);
      } catch (error) {
        return (error as { issues: { path: unknown[]; code: string }[] }).issues.map(
          (issue) => `${issue.path.join('.')}:${issue.code}`,
        );
      }
      return [];
    };
    expect(issues([{ id: 'A' }, { id: 'A' }])).toEqual(['1.id:duplicate']);
    expect(issues([{ id: 'A', parent: 'B' }])).toEqual(['0.parent:unknown_parent']);
    expect(
      issues([
        { id: 'A', parent: 'B' },
        { id: 'B', parent: 'A' },
      ]),
    ).toEqual(['0.parent:cycle', '1.parent:cycle']);
  });

  it('every group of a generated tree reaches the root, and its ancestors are in the tree', () => {
    fc.assert(
      fc.property(itemGroupTreeArb(), ({ groups, tree: generated }) => {
        for (const group of groups) {
          const lineage = itemGroupLineage(generated, group.id);
          expect(lineage.at(-1)).toBe(ALL_ITEM_GROUPS);
          expect(new Set(lineage).size).toBe(lineage.length);
        }
      }),
      { numRuns: 100 },
    );
  });
});
