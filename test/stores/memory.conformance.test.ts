import { createMemoryEventStorage, createMemoryEventStore } from '../../src/stores/memory/index.js';
import { eventStoreConformance } from '../../src/testing/event-store-conformance.js';

// Each test gets its own storage; every store the suite opens over it shares the data, as processes share a database.
eventStoreConformance('memory', () => {
  const storage = createMemoryEventStorage();
  return { open: (options) => createMemoryEventStore({ storage, ...options }) };
});
