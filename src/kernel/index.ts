export { type Clock, createFixedClock, systemClock } from './clock.js';
export {
  type CommandHandler,
  type CommandHandlerConfig,
  type CommandResult,
  createCommandHandler,
  type HandleOptions,
  type LoadedState,
  type RetryOptions,
  type SnapshotOptions,
} from './command-handler.js';
export {
  type CommandOf,
  type DecideContext,
  type Decider,
  type EventOfDecider,
  fold,
  type StateOf,
} from './decider.js';
export {
  type ActualVersion,
  ConcurrencyError,
  CorruptEventError,
  DomainRuleError,
  DuplicateEventIdError,
  isOrdoError,
  type KernelErrorCode,
  OrdoError,
  type OrdoErrorCode,
  StoreClosedError,
  StoreUnavailableError,
  StreamNotFoundError,
  UnknownEventTypeError,
  ValidationError,
  type ValidationIssue,
} from './errors.js';
export type {
  EventLike,
  EventMetadata,
  JsonValue,
  NewEvent,
  StoredEvent,
  StoredEventMetadata,
} from './event.js';
export {
  createEventRegistry,
  defineEvent,
  type EventDataOf,
  type EventDefinition,
  type EventDefinitionInput,
  type EventOf,
  type EventRegistry,
  type EventRegistryOptions,
  type RawEventParts,
  type Upcaster,
} from './event-registry.js';
export type {
  AppendManyOptions,
  AppendManyResult,
  AppendOptions,
  AppendResult,
  BeforeCommitHook,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  Snapshot,
  SnapshotInput,
  StreamAppend,
} from './event-store.js';
export {
  assertExpectedVersion,
  type ExpectedVersion,
  isExpectedVersion,
  matchesExpectedVersion,
} from './expected-version.js';
export { createDeterministicIds, type IdGenerator, idempotentEventId, isUuid, uuidV7Ids } from './ids.js';
export {
  type CheckpointTransaction,
  type CommitNotifier,
  isCommitNotifier,
  isTransactionalStore,
  type TransactionalEventStore,
} from './transactional-store.js';
export { parseOrThrow, toValidationIssues } from './validation.js';
