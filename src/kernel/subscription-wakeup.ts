/**
 * The waiting part of every follower loop (subscriptions, projection runners): sleep until the poll
 * interval passes or someone says there is news (a commit notification, a stop). Internal.
 * @internal
 */
export interface Wakeup {
  /** Resolves after `ms`, or at once if woken since the last {@link Wakeup.clear}, or when woken. */
  wait(ms: number): Promise<void>;
  /** Ends the current wait, or makes the next one return at once. */
  wake(): void;
  /** Forgets earlier wake-ups: the caller is about to look at the store anyway. */
  clear(): void;
}

/** @internal */
export function createWakeup(): Wakeup {
  let pending = false;
  let current: { resolve: () => void; timer: ReturnType<typeof setTimeout> } | undefined;
  return {
    wait(ms) {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const done = (): void => {
          if (current?.resolve === done) {
            clearTimeout(current.timer);
            current = undefined;
          }
          resolve();
        };
        current = { resolve: done, timer: setTimeout(done, ms) };
      });
    },
    wake() {
      if (current) current.resolve();
      else pending = true;
    },
    clear() {
      pending = false;
    },
  };
}
