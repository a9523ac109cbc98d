import { z } from 'zod';
import type { Clock } from '../kernel/clock.js';
import { ConcurrencyError, isOrdoError, type ValidationError } from '../kernel/errors.js';
import type { JsonValue } from '../kernel/event.js';
import type { EventRegistry } from '../kernel/event-registry.js';
import type { EventStore } from '../kernel/event-store.js';
import type { IdGenerator } from '../kernel/ids.js';
import { toValidationIssues } from '../kernel/validation.js';
import {
  type ErpError,
  type ErpFailure,
  type ErpResult,
  erpError,
  erpFailure,
  toErpErrors,
  validationErrors,
} from './erp-result.js';
import type { ResolvedErpSettings } from './erp-settings.js';
import { StorableName } from './erp-strings.js';
import type { AuditEntry, AuditLogPort } from './ports/audit-log.js';
import type { Notification, NotificationPort } from './ports/notifications.js';
import type { StreamStateCache } from './stream-state-cache.js';
import { type CommittedEvent, UnitOfWork } from './unit-of-work.js';

/** Who is calling and which outside request the call belongs to; stamped on every event the call appends. */
export interface UseCaseContext {
  /** A user id or a service name. @defaultValue the ERP's `defaultActor` (`'system'`) */
  readonly actor?: string | undefined;
  /** Ties the call to an outside request (an HTTP request id, a job id). @defaultValue a new id per call */
  readonly correlationId?: string | undefined;
}

/** Validates a {@link UseCaseContext}. */
export const UseCaseContextSchema = z
  .strictObject({
    actor: StorableName.optional(),
    correlationId: StorableName.optional(),
  })
  .optional();

/** @internal Everything a use case needs. */
export interface ErpRuntime {
  readonly store: EventStore;
  readonly registry: EventRegistry;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly settings: ResolvedErpSettings;
  readonly notifications: NotificationPort | undefined;
  readonly audit: AuditLogPort | undefined;
  readonly onNotificationError: ((error: unknown, notification: Notification) => void) | undefined;
  readonly onAuditError: ((error: unknown, entry: AuditEntry) => void) | undefined;
  readonly random: () => number;
  /** Folded master-data states shared by the calls of this ERP instance. */
  readonly stateCache: StreamStateCache;
}

/** @internal One use-case call: who, when, under which ids. The same for every retry of the call. */
export interface UseCaseCall {
  readonly useCase: string;
  readonly commandId: string;
  readonly correlationId: string;
  readonly actor: string;
  readonly now: Date;
  /** `now` as a `YYYY-MM-DD` business date (UTC). */
  readonly today: string;
  /** A new document id `<prefix>-<id>`, the same on every retry of this call for the same prefix. */
  documentId(prefix: string): string;
}

/** @internal What a use case's body decided: a payload and what to tell whom once it has committed. */
export interface Accepted<Payload> {
  readonly ok: true;
  readonly payload: Payload;
  readonly notifications?: readonly Notification[];
  readonly details?: { readonly [key: string]: JsonValue };
}

/** @internal A use case's body's outcome. */
export type Outcome<Payload> = Accepted<Payload> | ErpFailure;

/** @internal Builds an accepted outcome. */
export function accept<Payload>(
  payload: Payload,
  extra: { notifications?: readonly Notification[]; details?: { readonly [key: string]: JsonValue } } = {},
): Accepted<Payload> {
  return { ok: true, payload, ...extra };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @internal Runs a use case: validates the input and the context, then, up to `retry.maxAttempts` times, runs the
 * body on a fresh unit of work and commits what it decided with one `appendMany`. A refusal (a failure outcome, a
 * rule error thrown by the body, or a `VALIDATION_FAILED` the store raises at commit, paths as the store gives them)
 * writes nothing. A `ConcurrencyError` reruns the body on fresh state; after the last attempt it is reported as
 * `CONCURRENCY_CONFLICT`. Other errors (the store is down) propagate. After a
 * commit, the audit entry is recorded and the notifications are sent; their failures are caught and reported.
 */
export async function runUseCase<Schema extends z.ZodType, Payload>(
  runtime: ErpRuntime,
  useCase: string,
  schema: Schema,
  rawInput: unknown,
  rawContext: unknown,
  body: (uow: UnitOfWork, call: UseCaseCall, input: z.output<Schema>) => Promise<Outcome<Payload>>,
): Promise<ErpResult<Payload>> {
  const contextResult = UseCaseContextSchema.safeParse(rawContext);
  const context = contextResult.success ? contextResult.data : undefined;
  const call = newCall(runtime, useCase, context);
  const problems: ErpError[] = [];
  if (!contextResult.success) problems.push(...zodErrors(contextResult.error, ['context']));
  const inputResult = schema.safeParse(rawInput);
  if (!inputResult.success) problems.push(...zodErrors(inputResult.error, []));
  if (problems.length > 0 || !inputResult.success) return reject(runtime, call, problems);
  const input = inputResult.data as z.output<Schema>;

  const { maxAttempts, baseDelayMs, maxDelayMs } = runtime.settings.retry;
  for (let attempt = 1; ; attempt++) {
    const uow = new UnitOfWork(runtime.store, runtime.registry, runtime.stateCache);
    let outcome: Outcome<Payload>;
    try {
      outcome = await body(uow, call, input);
    } catch (error) {
      const errors = toErpErrors(error);
      if (!errors) throw error;
      outcome = erpFailure(errors);
    }
    if (!outcome.ok) return reject(runtime, call, outcome.errors, { attempts: attempt });
    let committed: CommittedEvent[] = [];
    if (uow.hasChanges) {
      try {
        committed = (await uow.commit(metadataOf(call))).events;
      } catch (error) {
        // The store refused the events (a string it cannot keep, data its registry refuses): nothing was written,
        // so this is a refusal like any other, not a failure of the store.
        if (isOrdoError(error, 'VALIDATION_FAILED')) {
          const { issues } = error as unknown as Pick<ValidationError, 'issues'>;
          return reject(runtime, call, validationErrors(Array.isArray(issues) ? issues : []), { attempts: attempt });
        }
        if (!(error instanceof ConcurrencyError)) throw error;
        if (attempt >= maxAttempts) {
          return reject(
            runtime,
            call,
            [
              erpError(
                'CONCURRENCY_CONFLICT',
                `Still conflicting with concurrent changes after ${attempt} attempts: ${error.message}`,
                undefined,
                { streamId: error.streamId, expected: error.expected, actual: error.actual, attempts: attempt },
              ),
            ],
            { attempts: attempt },
          );
        }
        await sleep(Math.floor(runtime.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))));
        continue;
      }
    }
    await audit(runtime, call, {
      outcome: 'succeeded',
      events: committed,
      errors: [],
      details: { ...outcome.details, attempts: attempt },
    });
    for (const notification of outcome.notifications ?? []) await notify(runtime, call, notification);
    return { ok: true, ...outcome.payload };
  }
}

function newCall(runtime: ErpRuntime, useCase: string, context: UseCaseContext | undefined): UseCaseCall {
  const commandId = runtime.ids.next();
  const now = runtime.clock.now();
  const documents = new Map<string, string>();
  return {
    useCase,
    commandId,
    correlationId: context?.correlationId ?? commandId,
    actor: context?.actor ?? runtime.settings.defaultActor,
    now,
    today: now.toISOString().slice(0, 10),
    documentId(prefix) {
      let id = documents.get(prefix);
      if (id === undefined) {
        id = `${prefix}-${runtime.ids.next()}`;
        documents.set(prefix, id);
      }
      return id;
    },
  };
}

function metadataOf(call: UseCaseCall) {
  return {
    actor: call.actor,
    correlationId: call.correlationId,
    causationId: call.commandId,
    commandId: call.commandId,
    useCase: call.useCase,
    occurredAt: call.now.toISOString(),
  };
}

function zodErrors(error: z.ZodError, prefix: readonly (string | number)[]): ErpError[] {
  // One error per unknown key, with the key at the end of its path (see toValidationIssues).
  return validationErrors(toValidationIssues(error.issues), prefix);
}

async function reject(
  runtime: ErpRuntime,
  call: UseCaseCall,
  errors: readonly ErpError[],
  details: { readonly [key: string]: JsonValue } = {},
): Promise<ErpFailure> {
  await audit(runtime, call, { outcome: 'rejected', events: [], errors: errors.map((error) => error.code), details });
  return erpFailure(errors);
}

async function audit(
  runtime: ErpRuntime,
  call: UseCaseCall,
  entry: Pick<AuditEntry, 'outcome' | 'events' | 'errors' | 'details'>,
): Promise<void> {
  if (!runtime.audit) return;
  const full: AuditEntry = {
    at: call.now.toISOString(),
    actor: call.actor,
    action: call.useCase,
    correlationId: call.correlationId,
    commandId: call.commandId,
    ...entry,
  };
  try {
    await runtime.audit.record(full);
  } catch (error) {
    // The change (or the refusal) stands whatever the audit sink does; the host hears of it through the hook.
    runtime.onAuditError?.(error, full);
  }
}

async function notify(runtime: ErpRuntime, call: UseCaseCall, notification: Notification): Promise<void> {
  if (!runtime.notifications) return;
  try {
    await runtime.notifications.send(notification);
  } catch (error) {
    // The order is committed: a failed message must neither undo it nor turn the result into a failure.
    await audit(runtime, call, {
      outcome: 'notification_failed',
      events: [],
      errors: [error instanceof Error ? error.message : String(error)],
      details: { kind: notification.kind, channel: notification.channel, recipient: notification.recipient },
    });
    try {
      runtime.onNotificationError?.(error, notification);
    } catch {
      // A throwing hook must not undo a committed use case either.
    }
  }
}
