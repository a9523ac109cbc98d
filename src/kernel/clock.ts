/** Where time comes from. Injected everywhere time matters, so tests are deterministic. */
export interface Clock {
  /** The current instant (a fresh `Date` on every call). */
  now(): Date;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock for tests: starts at `start` and moves forward `stepMs` on every call.
 *
 * @param start - the first instant returned. @defaultValue `2026-01-01T00:00:00.000Z`
 * @param stepMs - how far each call advances. @defaultValue `0` (time stands still)
 */
export function createFixedClock(
  start: Date | string = '2026-01-01T00:00:00.000Z',
  stepMs = 0,
): Clock & {
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void;
  /** Sets the clock to `instant`. */
  set(instant: Date | string): void;
} {
  let current = new Date(start).getTime();
  return {
    now() {
      const value = new Date(current);
      current += stepMs;
      return value;
    },
    advance(ms) {
      current += ms;
    },
    set(instant) {
      current = new Date(instant).getTime();
    },
  };
}
