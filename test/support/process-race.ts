/**
 * Evidence that two writer processes really raced, for the multi-process store tests: without it, a test where one
 * process ran before the other would pass while proving nothing about concurrency.
 */
import { expect } from 'vitest';
import type { StoredEvent } from '../../src/kernel/event.js';

/** How many times consecutive versions of a stream were written by different writers (`data.writer`), summed. */
export function writerSwitches(streams: Iterable<readonly StoredEvent[]>): number {
  let switches = 0;
  for (const events of streams) {
    events.forEach((event, index) => {
      const previous = events[index - 1];
      if (previous && (previous.data as { writer: number }).writer !== (event.data as { writer: number }).writer) {
        switches += 1;
      }
    });
  }
  return switches;
}

/**
 * Asserts the processes overlapped: some read-then-append lost to the other process (and retried), and the
 * streams' consecutive versions were written by one process, then the other, at least `minSwitches` times.
 */
export function expectProcessesRaced(conflicts: readonly number[], switches: number, minSwitches: number): void {
  const overlap = `conflicts per process ${conflicts.join(', ')}; writer switches ${switches}`;
  expect(
    conflicts.reduce((total, count) => total + count, 0),
    overlap,
  ).toBeGreaterThan(0);
  expect(switches, overlap).toBeGreaterThanOrEqual(minSwitches);
}
