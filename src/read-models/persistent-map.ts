/**
 * A small immutable map for the in-memory read models. A state projection's handlers return a new state for
 * every event, and the state before a transaction must survive untouched so a rollback can restore it; copying
 * one flat object per event would cost O(entries). This is a hash trie: 32-way branches indexed by 5 bits of the
 * key's hash at a time, with small `Map` leaves that split into a branch once they outgrow {@link LEAF_SIZE}. An
 * update copies the path from the root to one leaf: a few arrays of 32 slots and a leaf of a few entries, whatever
 * the size of the map (with 100,000 orders, four levels). @internal
 */

/** Bits of the hash consumed per level, and the branching factor they give. */
const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;
/** Entries a leaf holds before it splits into a branch (leaves past the last level of hash bits never split). */
const LEAF_SIZE = 8;

/** A node of the trie: a leaf of entries, or a branch of 32 children indexed by hash bits. @internal */
type Node<V> = ReadonlyMap<string, V> | Branch<V>;
type Branch<V> = readonly (Node<V> | undefined)[];

/** An immutable string-keyed map; change it only with {@link pmSet} and {@link pmDelete}. @internal */
export interface PersistentMap<V> {
  readonly size: number;
  readonly root: Node<V> | undefined;
}

const EMPTY: PersistentMap<never> = Object.freeze({ size: 0, root: undefined });

/** The empty map. @internal */
export function pmEmpty<V>(): PersistentMap<V> {
  return EMPTY;
}

/** FNV-1a over UTF-16 code units: cheap, and spreads similar keys (`SO-1`, `SO-2`) over the branches. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const isBranch = <V>(node: Node<V>): node is Branch<V> => Array.isArray(node);

const slotOf = (hash: number, shift: number): number => (hash >>> shift) & MASK;

/** A leaf's entries spread over a new branch at `shift`, each child split further if it still outgrows a leaf. */
function split<V>(leaf: ReadonlyMap<string, V>, shift: number): Node<V> {
  if (leaf.size <= LEAF_SIZE || shift >= 32) return leaf;
  const children: Map<string, V>[] = [];
  for (const [key, value] of leaf) {
    const slot = slotOf(hashOf(key), shift);
    let child = children[slot];
    if (!child) {
      child = new Map();
      children[slot] = child;
    }
    child.set(key, value);
  }
  const branch: (Node<V> | undefined)[] = new Array(WIDTH).fill(undefined);
  for (let slot = 0; slot < WIDTH; slot++) {
    const child = children[slot];
    if (child) branch[slot] = split(child, shift + BITS);
  }
  return branch;
}

/** `node` with `key` set; `added` tells whether the key is new. */
function setIn<V>(
  node: Node<V> | undefined,
  hash: number,
  shift: number,
  key: string,
  value: V,
): { node: Node<V>; added: boolean } {
  if (node === undefined) return { node: new Map([[key, value]]), added: true };
  if (isBranch(node)) {
    const slot = slotOf(hash, shift);
    const result = setIn(node[slot], hash, shift + BITS, key, value);
    const branch = node.slice();
    branch[slot] = result.node;
    return { node: branch, added: result.added };
  }
  const leaf = new Map(node);
  const added = !leaf.has(key);
  leaf.set(key, value);
  return { node: split(leaf, shift), added };
}

/** `node` without `key`, or `node` itself when it has no such key; `undefined` once nothing is left. */
function deleteIn<V>(node: Node<V> | undefined, hash: number, shift: number, key: string): Node<V> | undefined {
  if (node === undefined) return undefined;
  if (isBranch(node)) {
    const slot = slotOf(hash, shift);
    const child = node[slot];
    const next = deleteIn(child, hash, shift + BITS, key);
    if (next === child) return node;
    const branch = node.slice();
    branch[slot] = next;
    return branch.some((entry) => entry !== undefined) ? branch : undefined;
  }
  if (!node.has(key)) return node;
  const leaf = new Map(node);
  leaf.delete(key);
  return leaf.size === 0 ? undefined : leaf;
}

/** The value under `key`, if any. @internal */
export function pmGet<V>(map: PersistentMap<V>, key: string): V | undefined {
  const hash = hashOf(key);
  let node = map.root;
  for (let shift = 0; node !== undefined && isBranch(node); shift += BITS) node = node[slotOf(hash, shift)];
  return node?.get(key);
}

/** A map with `key` set to `value`; `map` is left as it was. @internal */
export function pmSet<V>(map: PersistentMap<V>, key: string, value: V): PersistentMap<V> {
  const { node, added } = setIn(map.root, hashOf(key), 0, key, value);
  return { size: map.size + (added ? 1 : 0), root: node };
}

/** A map without `key`; `map` itself when it had no such key. @internal */
export function pmDelete<V>(map: PersistentMap<V>, key: string): PersistentMap<V> {
  const root = deleteIn(map.root, hashOf(key), 0, key);
  return root === map.root ? map : { size: map.size - 1, root };
}

/** A map with `key` set, or deleted when `value` is `undefined`. @internal */
export function pmPut<V>(map: PersistentMap<V>, key: string, value: V | undefined): PersistentMap<V> {
  return value === undefined ? pmDelete(map, key) : pmSet(map, key, value);
}

/** Calls `visit` with every leaf, in no particular order. */
function eachLeaf<V>(node: Node<V> | undefined, visit: (leaf: ReadonlyMap<string, V>) => void): void {
  if (node === undefined) return;
  if (isBranch(node)) for (const child of node) eachLeaf(child, visit);
  else visit(node);
}

/** Every value, in no particular order. @internal */
export function pmValues<V>(map: PersistentMap<V>): V[] {
  const values: V[] = [];
  eachLeaf(map.root, (leaf) => {
    for (const value of leaf.values()) values.push(value);
  });
  return values;
}

/** Every key, in no particular order. @internal */
export function pmKeys<V>(map: PersistentMap<V>): string[] {
  const keys: string[] = [];
  eachLeaf(map.root, (leaf) => {
    for (const key of leaf.keys()) keys.push(key);
  });
  return keys;
}
