import { type Clock, systemClock } from './clock.js';
import { ValidationError } from './errors.js';
import { uuidV7Ids } from './ids.js';
import { assertName } from './store-support.js';

/**
 * A named, time-limited, exclusive right to do some work: the port that turns several async projection
 * runners or subscriptions (in one process or on many machines) into competing consumers, of which only one
 * is active per name.
 *
 * A holder keeps its lease by renewing it well before `ttlMs` runs out. When it stops renewing (it crashed,
 * hung, or lost its network), the lease expires and another contender's next `acquire` wins, so work moves
 * over within about `ttlMs` plus one poll interval.
 *
 * @remarks
 * Implement it over whatever every contender can reach: the in-memory one ({@link createMemoryLease}) for
 * one process and tests; on PostgreSQL a lease row (`UPDATE ... SET owner, expires_at WHERE name = $1 AND
 * (owner = $2 OR expires_at < now())`) or a session advisory lock. The contract:
 * - `acquire` succeeds when nobody holds the name, the lease has expired, or `owner` already holds it (then
 *   it extends it); it never waits.
 * - `renew` extends a lease `owner` holds and has not lost; it returns `false` once another owner took it.
 * - `release` gives it up at once (a no-op when `owner` does not hold it), so a graceful stop hands over
 *   without waiting for the expiry.
 *
 * A lease limits, it does not fence: a holder that stalls past its ttl may still finish the batch it was in.
 * The projection runner stays exact anyway because each batch re-checks its checkpoint inside the batch's
 * transaction; subscriptions are at-least-once by nature.
 */
export interface Lease {
  /** Takes (or extends) the lease `name` for `owner` for `ttlMs`. True when `owner` now holds it. */
  acquire(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Extends a lease `owner` holds by `ttlMs` from now. False when it no longer holds it. */
  renew(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives up the lease if `owner` holds it. */
  release(name: string, owner: string): Promise<void>;
}

/** How a projection runner, subscription or event bus competes for its work; see {@link Lease}. */
export interface LeaseOptions {
  /** Where leases live, shared by every contender. */
  readonly lease: Lease;
  /** This contender's identity, unique among contenders. @defaultValue a new UUID v7 */
  readonly owner?: string;
  /** How long a lease lasts without renewal: the longest time work may stay orphaned. @defaultValue `10000` (ms) */
  readonly ttlMs?: number;
  /** How often a holder renews. Must be below `ttlMs`. @defaultValue a third of `ttlMs` */
  readonly renewIntervalMs?: number;
}

/** Options of {@link createMemoryLease}. */
export interface MemoryLeaseOptions {
  /** Source of "now" for expiry; a fixed clock makes failover tests deterministic. @defaultValue the system clock */
  readonly clock?: Clock;
}

/** An in-memory {@link Lease}, plus a way to see who holds what. */
export interface MemoryLease extends Lease {
  /** The owner holding `name` now, if the lease is held and not expired. */
  holder(name: string): string | undefined;
}

function assertTtl(ttlMs: unknown): asserts ttlMs is number {
  if (!(typeof ttlMs === 'number' && Number.isSafeInteger(ttlMs) && ttlMs > 0)) {
    throw new ValidationError([{ path: ['ttlMs'], message: 'must be a positive integer', code: 'invalid_value' }]);
  }
}

/**
 * A {@link Lease} held in process memory: for contenders inside one process (several runners over one
 * store) and for tests. Expiry is measured with the injected clock.
 *
 * @example
 * ```ts
 * const lease = createMemoryLease();
 * const runner = createProjectionRunner({ store, projections, lease: { lease, owner: 'worker-1' } });
 * ```
 */
export function createMemoryLease(options: MemoryLeaseOptions = {}): MemoryLease {
  const clock = options.clock ?? systemClock;
  const leases = new Map<string, { owner: string; expiresAt: number }>();

  const current = (name: string): { owner: string; expiresAt: number } | undefined => {
    const entry = leases.get(name);
    // Expired means free: the holder stopped renewing, so anyone may take it.
    if (entry && entry.expiresAt <= clock.now().getTime()) {
      leases.delete(name);
      return undefined;
    }
    return entry;
  };

  return {
    async acquire(name, owner, ttlMs) {
      assertName(name, 'name', 'lease name');
      assertName(owner, 'owner', 'lease owner');
      assertTtl(ttlMs);
      const entry = current(name);
      if (entry && entry.owner !== owner) return false;
      leases.set(name, { owner, expiresAt: clock.now().getTime() + ttlMs });
      return true;
    },
    async renew(name, owner, ttlMs) {
      assertName(name, 'name', 'lease name');
      assertName(owner, 'owner', 'lease owner');
      assertTtl(ttlMs);
      const entry = current(name);
      if (!entry || entry.owner !== owner) return false;
      entry.expiresAt = clock.now().getTime() + ttlMs;
      return true;
    },
    async release(name, owner) {
      if (current(name)?.owner === owner) leases.delete(name);
    },
    holder(name) {
      return current(name)?.owner;
    },
  };
}

/** Default lease duration. */
export const DEFAULT_LEASE_TTL_MS = 10_000;

/**
 * Keeps the leases one contender holds: acquires on demand, renews them on a timer while started, releases
 * them on stop. Internal to the runner, subscriptions and the bus.
 * @internal
 */
export interface LeaseKeeper {
  readonly owner: string;
  /** Acquires (or confirms) `name`; true when this contender may work on it now. */
  ensure(name: string): Promise<boolean>;
  /** True when the last acquire or renew of `name` succeeded. */
  holds(name: string): boolean;
  /** Starts renewing held leases in the background. */
  startRenewing(): void;
  /** Stops renewing and releases every held lease. */
  releaseAll(): Promise<void>;
}

/** @internal */
export function createLeaseKeeper(options: LeaseOptions, clock: Clock, onError: (error: unknown) => void): LeaseKeeper {
  const owner = options.owner ?? uuidV7Ids.next();
  const ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  assertTtl(ttlMs);
  const renewIntervalMs = options.renewIntervalMs ?? Math.max(1, Math.floor(ttlMs / 3));
  if (!(Number.isSafeInteger(renewIntervalMs) && renewIntervalMs > 0 && renewIntervalMs < ttlMs)) {
    throw new ValidationError([
      { path: ['renewIntervalMs'], message: 'must be a positive integer below ttlMs', code: 'invalid_value' },
    ]);
  }
  /** Name → when (clock ms) the lease was last confirmed. */
  const held = new Map<string, number>();
  let timer: ReturnType<typeof setInterval> | undefined;

  const renewAll = async (): Promise<void> => {
    for (const name of [...held.keys()]) {
      try {
        if (await options.lease.renew(name, owner, ttlMs)) held.set(name, clock.now().getTime());
        else held.delete(name);
      } catch (error) {
        // A lease store we cannot reach is a lease we may have lost: stop working on it until confirmed.
        held.delete(name);
        onError(error);
      }
    }
  };

  return {
    owner,
    async ensure(name) {
      const confirmedAt = held.get(name);
      // Skip the round trip while a recent confirmation still leaves most of the ttl.
      if (confirmedAt !== undefined && clock.now().getTime() - confirmedAt < renewIntervalMs) return true;
      let ok: boolean;
      try {
        ok = await options.lease.acquire(name, owner, ttlMs);
      } catch (error) {
        onError(error);
        ok = false;
      }
      if (ok) held.set(name, clock.now().getTime());
      else held.delete(name);
      return ok;
    },
    holds: (name) => held.has(name),
    startRenewing() {
      if (timer) return;
      timer = setInterval(() => void renewAll(), renewIntervalMs);
    },
    async releaseAll() {
      if (timer) clearInterval(timer);
      timer = undefined;
      const names = [...held.keys()];
      held.clear();
      for (const name of names) {
        try {
          await options.lease.release(name, owner);
        } catch (error) {
          // It will expire on its own; report and go on.
          onError(error);
        }
      }
    },
  };
}
