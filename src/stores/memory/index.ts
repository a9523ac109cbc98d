export {
  createMemoryEventStorage,
  createMemoryEventStore,
  type MemoryEventStorage,
  type MemoryEventStore,
  type MemoryEventStoreOptions,
  type MemoryTransaction,
} from './memory-event-store.js';
