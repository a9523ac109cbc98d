import { z } from 'zod';
import { DomainRuleError, ValidationError, type ValidationIssue } from '../../kernel/errors.js';
import { parseOrThrow } from '../../kernel/validation.js';
import { type ItemGroupId, ItemGroupIdSchema } from './item-ids.js';

/** ERPNext's conventional root of the item-group tree. A tree may have other roots; this is only the usual one. */
export const ALL_ITEM_GROUPS = 'All Item Groups';

/** Validates one node of the item-group tree as given by a host. */
export const ItemGroupSchema = z.object({
  id: ItemGroupIdSchema,
  /** The parent group; `null` or absent for a root. */
  parent: ItemGroupIdSchema.nullable().default(null),
  /** A display name; defaults to the id. */
  name: z.string().min(1).optional(),
});

/** One node of the item-group tree as a host gives it (`parent` omitted or `null` for a root). */
export type ItemGroupInput = z.input<typeof ItemGroupSchema>;

/** One node of the item-group tree. */
export interface ItemGroup {
  readonly id: ItemGroupId;
  /** `null` for a root. */
  readonly parent: ItemGroupId | null;
  readonly name: string;
}

/**
 * The item-group tree as data: every group with a link to its parent. Build it with
 * {@link createItemGroupTree}, which guarantees every parent exists and there is no cycle.
 */
export interface ItemGroupTree {
  readonly groups: ReadonlyMap<ItemGroupId, ItemGroup>;
}

/**
 * Builds an item-group tree from a flat list of groups with parent links.
 *
 * @throws ValidationError (with the path of the offending entry) when an id appears twice, a parent is not in
 *   the list, or the parent links form a cycle.
 */
export function createItemGroupTree(groups: readonly ItemGroupInput[]): ItemGroupTree {
  const parsed = parseOrThrow(z.array(ItemGroupSchema), groups);
  const byId = new Map<ItemGroupId, ItemGroup>();
  const issues: ValidationIssue[] = [];
  parsed.forEach((group, index) => {
    if (byId.has(group.id)) {
      issues.push({ path: [index, 'id'], message: `item group "${group.id}" is listed twice`, code: 'duplicate' });
      return;
    }
    byId.set(group.id, { id: group.id, parent: group.parent, name: group.name ?? group.id });
  });
  parsed.forEach((group, index) => {
    if (group.parent !== null && !byId.has(group.parent)) {
      issues.push({
        path: [index, 'parent'],
        message: `parent item group "${group.parent}" is not in the list`,
        code: 'unknown_parent',
      });
    }
  });
  if (issues.length === 0) {
    parsed.forEach((group, index) => {
      // Walking up at most `size` steps: a longer walk can only mean the links loop back.
      let current = group.parent;
      for (let steps = 0; current !== null; steps++) {
        if (current === group.id || steps > byId.size) {
          issues.push({
            path: [index, 'parent'],
            message: `item group "${group.id}" is its own ancestor`,
            code: 'cycle',
          });
          return;
        }
        current = byId.get(current)?.parent ?? null;
      }
    });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return { groups: byId };
}

/**
 * The ancestors of a group, nearest first (parent, grandparent, ..., root). A root has none.
 *
 * @throws DomainRuleError `ITEM_GROUP_NOT_FOUND` when the group is not in the tree.
 */
export function itemGroupAncestors(tree: ItemGroupTree, groupId: ItemGroupId | string): readonly ItemGroupId[] {
  const group = tree.groups.get(groupId as ItemGroupId);
  if (!group) {
    throw new DomainRuleError('ITEM_GROUP_NOT_FOUND', `Item group "${groupId}" is not in the item-group tree`, {
      itemGroup: groupId,
    });
  }
  const ancestors: ItemGroupId[] = [];
  let current = group.parent;
  while (current !== null) {
    ancestors.push(current);
    current = tree.groups.get(current)?.parent ?? null;
  }
  return ancestors;
}

/**
 * The group itself followed by its ancestors, nearest first: the groups whose rules apply to an item of this group.
 *
 * @throws DomainRuleError `ITEM_GROUP_NOT_FOUND` when the group is not in the tree.
 */
export function itemGroupLineage(tree: ItemGroupTree, groupId: ItemGroupId | string): readonly ItemGroupId[] {
  return [groupId as ItemGroupId, ...itemGroupAncestors(tree, groupId)];
}

/** True when `groupId` is `ancestorId` or lies below it. False when either is not in the tree. */
export function isInItemGroup(
  tree: ItemGroupTree,
  groupId: ItemGroupId | string,
  ancestorId: ItemGroupId | string,
): boolean {
  if (!tree.groups.has(groupId as ItemGroupId)) return false;
  return itemGroupLineage(tree, groupId).includes(ancestorId as ItemGroupId);
}
