import { v5 as uuidV5, v7 as uuidV7 } from 'uuid';

/** Where ids come from. Injected, so tests can make them deterministic. */
export interface IdGenerator {
  /** A new unique id (a UUID for event ids). */
  next(): string;
}

/** UUID v7 ids: time-ordered, random, unique. The default everywhere. */
export const uuidV7Ids: IdGenerator = { next: () => uuidV7() };

/**
 * Deterministic, valid UUID v7 ids for tests: the same seed gives the same sequence.
 *
 * @param seed - varies the sequence. @defaultValue `1`
 * @param startMs - the timestamp embedded in the first id. @defaultValue `1767225600000` (2026-01-01)
 */
export function createDeterministicIds(seed = 1, startMs = 1_767_225_600_000): IdGenerator {
  let counter = 0;
  let state = seed >>> 0 || 1;
  const random = new Uint8Array(16);
  return {
    next() {
      counter += 1;
      for (let i = 0; i < 16; i++) {
        // xorshift32: enough spread for ids, and reproducible.
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        random[i] = state & 0xff;
      }
      return uuidV7({ msecs: startMs + counter, seq: counter, random });
    },
  };
}

const IDEMPOTENCY_NAMESPACE = '6f0c1d2e-8a4b-4c7d-9e1f-2a3b4c5d6e7f';

/**
 * The id of the `index`-th event produced by the command with idempotency key `key`: a name-based UUID (v5),
 * the same every time, so that the store's event-id uniqueness turns a replayed command into a no-op.
 */
export function idempotentEventId(key: string, index: number): string {
  return uuidV5(`${key}#${index}`, IDEMPOTENCY_NAMESPACE);
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in its canonical 8-4-4-4-12 hex form (any version). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}
