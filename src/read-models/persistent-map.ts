/**
 * A small immutable map for the in-memory read models. A state projection's handlers return a new state for
 * every event, and the state before a transaction must survive untouched so a rollback can restore it; copying
 * one flat object per event would cost O(entries). Keys are spread over a fixed number of buckets, so an update
 * copies the bucket array and one bucket: O(buckets + entries / buckets). @internal
 */

const BUCKETS = 128;

/** An immutable string-keyed map; change it only with {@link pmSet} and {@link pmDelete}. @internal */
export interface PersistentMap<V> {
  readonly size: number;
  readonly buckets: readonly (ReadonlyMap<string, V> | undefined)[];
}

const EMPTY: PersistentMap<never> = Object.freeze({
  size: 0,
  buckets: Object.freeze(new Array(BUCKETS).fill(undefined)),
});

/** The empty map. @internal */
export function pmEmpty<V>(): PersistentMap<V> {
  return EMPTY;
}

/** FNV-1a over UTF-16 code units: cheap, and spreads similar keys (`SO-1`, `SO-2`) over buckets. */
function bucketOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % BUCKETS;
}

/** The value under `key`, if any. @internal */
export function pmGet<V>(map: PersistentMap<V>, key: string): V | undefined {
  return map.buckets[bucketOf(key)]?.get(key);
}

/** A map with `key` set to `value`; `map` is left as it was. @internal */
export function pmSet<V>(map: PersistentMap<V>, key: string, value: V): PersistentMap<V> {
  const index = bucketOf(key);
  const bucket = new Map(map.buckets[index]);
  const added = !bucket.has(key);
  bucket.set(key, value);
  const buckets = [...map.buckets];
  buckets[index] = bucket;
  return { size: map.size + (added ? 1 : 0), buckets };
}

/** A map without `key`; `map` itself when it had no such key. @internal */
export function pmDelete<V>(map: PersistentMap<V>, key: string): PersistentMap<V> {
  const index = bucketOf(key);
  const current = map.buckets[index];
  if (!current?.has(key)) return map;
  const bucket = new Map(current);
  bucket.delete(key);
  const buckets = [...map.buckets];
  buckets[index] = bucket.size === 0 ? undefined : bucket;
  return { size: map.size - 1, buckets };
}

/** A map with `key` set, or deleted when `value` is `undefined`. @internal */
export function pmPut<V>(map: PersistentMap<V>, key: string, value: V | undefined): PersistentMap<V> {
  return value === undefined ? pmDelete(map, key) : pmSet(map, key, value);
}

/** Every value, in no particular order. @internal */
export function pmValues<V>(map: PersistentMap<V>): V[] {
  const values: V[] = [];
  for (const bucket of map.buckets) if (bucket) for (const value of bucket.values()) values.push(value);
  return values;
}
