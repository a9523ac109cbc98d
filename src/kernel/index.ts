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
  backoffDelay,
  createEventBus,
  type DeadLetterFilter,
  type DeadLetterReplay,
  type EventBus,
  type EventBusConfig,
  type EventBusContext,
  type EventBusHandler,
  type EventBusHandlerOptions,
  type EventBusHandlerStatus,
  type RetryPolicy,
} from './event-bus.js';
export {
  type DeadLetter,
  type DeadLetterEventRef,
  DeadLetterRecorded,
  DeadLetterResolved,
  deadLetterEvents,
  deadLetterStreamId,
} from './event-bus-dead-letters.js';
export { createProcessedEvents, type ProcessedEvents, type ProcessedEventsOptions } from './event-bus-processed.js';
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
  createMemoryLease,
  type Lease,
  type LeaseOptions,
  type MemoryLease,
  type MemoryLeaseOptions,
} from './lease.js';
export {
  defineProjection,
  type Projection,
  type ProjectionDefinition,
  type ProjectionHandler,
  type ProjectionHandlers,
  projectionCheckpointId,
} from './projection.js';
export {
  type InlineProjectionControls,
  type InlineProjectionOptions,
  type InlineProjectionStore,
  type TransactionOf,
  withInlineProjections,
} from './projection-inline.js';
export {
  createProjectionRunner,
  type ProjectionRunner,
  type ProjectionRunnerConfig,
  type ProjectionRunResult,
  type ProjectionStatus,
  type RebuildOptions,
  type RebuildProgress,
} from './projection-runner.js';
export {
  defineStateProjection,
  type StateProjection,
  type StateProjectionDefinition,
  type StateProjectionHandler,
  type UndoableTransaction,
} from './projection-state.js';
export {
  type Subscription,
  type SubscriptionContext,
  type SubscriptionHandler,
  type SubscriptionOptions,
  type SubscriptionStart,
  type SubscriptionState,
  type SubscriptionStatus,
  subscribe,
} from './subscription.js';
export type { ErrorSummary } from './subscription-support.js';
export {
  type CheckpointTransaction,
  type CommitNotifier,
  isCommitNotifier,
  isTransactionalStore,
  type TransactionalEventStore,
} from './transactional-store.js';
export { parseOrThrow, toValidationIssues } from './validation.js';
