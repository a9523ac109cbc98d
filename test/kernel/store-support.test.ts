import { describe, expect, it } from 'vitest';
import { createFixedClock } from '../../src/kernel/clock.js';
import { ValidationError } from '../../src/kernel/errors.js';
import { createEventRegistry } from '../../src/kernel/event-registry.js';
import { uuidV7Ids } from '../../src/kernel/ids.js';
import { prepareAppend } from '../../src/kernel/store-support.js';
import { createMemoryEventStore } from '../../src/stores/memory/memory-event-store.js';

const context = { ids: uuidV7Ids, clock: createFixedClock() };

function issuePaths(run: () => unknown): (string | number)[][] {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((issue) => [...issue.path]);
    throw error;
  }
  return [];
}

describe('store support', () => {
  it('points at the exact field holding a NUL, a lone surrogate or a non-finite number', () => {
    expect(
      issuePaths(() => prepareAppend('s', [{ type: 'T', data: { a: { b: 'x\u0000' } } }], 'any', undefined, context)),
    ).toEqual([['events', 0, 'data', 'a', 'b']]);
    expect(
      issuePaths(() => prepareAppend('s', [{ type: 'T', data: { n: Number.NaN } }], 'any', undefined, context)),
    ).toEqual([['events', 0, 'data', 'n']]);
    expect(
      issuePaths(() =>
        prepareAppend('s', [{ type: 'T', data: {}, metadata: { actor: 'a\ud800' } }], 'any', undefined, context),
      ),
    ).toEqual([['events', 0, 'metadata', 'actor']]);
  });

  it('refuses junk arguments with VALIDATION_FAILED rather than a TypeError', async () => {
    const store = createMemoryEventStore();
    await expect(store.appendMany({} as never)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(store.appendMany(null as never)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(store.saveSnapshot('s', null as never)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const events = [];
    for await (const event of store.readAll(null as never)) events.push(event);
    for await (const event of store.readStream('s', null as never)) events.push(event);
    expect(events).toEqual([]);
  });

  it('reports an unprintable stream id as VALIDATION_FAILED even when the registry does not know the event type', async () => {
    const registry = createEventRegistry([]);
    const store = createMemoryEventStore({ registry });
    const streamId = Object.create(null) as never;
    await expect(
      store.appendToStream(streamId, [{ type: 'Unknown', data: {} }], { expectedVersion: 'any' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [expect.objectContaining({ path: ['streamId'] })],
    });
    // With a valid stream id the same append is refused for what it is: an unknown type.
    await expect(
      store.appendToStream('s', [{ type: 'Unknown', data: {} }], { expectedVersion: 'any' }),
    ).rejects.toMatchObject({
      code: 'UNKNOWN_EVENT_TYPE',
    });
    expect(await store.headPosition()).toBe(0);
  });
});
