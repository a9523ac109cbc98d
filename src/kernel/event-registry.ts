import type { z } from 'zod';
import { CorruptEventError, UnknownEventTypeError, ValidationError } from './errors.js';
import { toValidationIssues } from './validation.js';

/** Turns the data of one schema version into the next one's. Pure. */
export type Upcaster = (data: unknown) => unknown;

/**
 * The definition of one event type: its current schema and version, and the upcasters that bring older
 * stored versions up to date.
 */
export interface EventDefinition<Type extends string = string, Schema extends z.ZodType = z.ZodType> {
  readonly type: Type;
  /** The current schema version; new events are written with it. */
  readonly schemaVersion: number;
  /** Validates the data of the current version. Must accept and produce JSON only. */
  readonly schema: Schema;
  /** `upcasters[n]` turns version `n` data into version `n + 1` data. */
  readonly upcasters: Readonly<Record<number, Upcaster>>;
}

/** The input of {@link defineEvent}. */
export interface EventDefinitionInput<Type extends string, Schema extends z.ZodType> {
  readonly type: Type;
  readonly schema: Schema;
  /** @defaultValue `1` */
  readonly schemaVersion?: number;
  /** `upcasters[n]` turns version `n` data into version `n + 1`. Every version below the current needs one. */
  readonly upcasters?: Readonly<Record<number, Upcaster>>;
}

/**
 * Defines an event type with a zod schema, a schema version and upcasters for older versions.
 *
 * @example
 * ```ts
 * const OrderPlaced = defineEvent({
 *   type: 'OrderPlaced',
 *   schemaVersion: 2,
 *   schema: z.object({ orderId: z.string(), total: z.string() }),
 *   upcasters: { 1: (v1) => ({ ...(v1 as object), total: '0' }) },
 * });
 * ```
 */
export function defineEvent<const Type extends string, Schema extends z.ZodType>(
  input: EventDefinitionInput<Type, Schema>,
): EventDefinition<Type, Schema> {
  const schemaVersion = input.schemaVersion ?? 1;
  if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 1) {
    throw new ValidationError([
      { path: ['schemaVersion'], message: 'must be a positive integer', code: 'invalid_value' },
    ]);
  }
  const upcasters = input.upcasters ?? {};
  for (let version = 1; version < schemaVersion; version++) {
    if (typeof upcasters[version] !== 'function') {
      throw new ValidationError([
        {
          path: ['upcasters', version],
          message: `event "${input.type}" is at version ${schemaVersion} but has no upcaster from version ${version}`,
          code: 'missing_upcaster',
        },
      ]);
    }
  }
  return { type: input.type, schemaVersion, schema: input.schema, upcasters };
}

/** The data type of an event definition. */
export type EventDataOf<D> = D extends EventDefinition<string, infer S> ? z.output<S> : never;

/** The `{ type, data }` union of a list of event definitions. */
export type EventOf<Defs extends readonly EventDefinition[]> = {
  [K in keyof Defs]: Defs[K] extends EventDefinition<infer T, infer S>
    ? { readonly type: T; readonly data: z.output<S> }
    : never;
}[number];

/** A stored event's raw parts, before decoding. */
export interface RawEventParts {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
}

/** Options of {@link createEventRegistry}. */
export interface EventRegistryOptions {
  /**
   * Let types the registry does not define pass through unvalidated, on write and on read.
   * @defaultValue `false`: an unknown type is an `UNKNOWN_EVENT_TYPE` error
   */
  readonly allowUnknownTypes?: boolean;
}

/**
 * The optional set of event definitions a store or command handler validates and upcasts with.
 */
export interface EventRegistry {
  /** True when the type is defined. */
  has(type: string): boolean;
  /** The definition of a type, if any. */
  get(type: string): EventDefinition | undefined;
  /**
   * Validates data for writing and returns it with the schema version to store: always the definition's
   * current version for a defined type.
   * @param path - where the event is in the caller's input, for error paths.
   * @param schemaVersion - the version `data` claims to be in. @defaultValue the current version. An older
   * version is upcast to the current one before validation; a version the definition does not have (above
   * the current one, or not a positive integer) is refused at `[...path, 'schemaVersion']`. For a type let
   * through by `allowUnknownTypes`, it is returned as given (default `1`).
   * @throws {@link UnknownEventTypeError} or {@link ValidationError} (issues carry `path`).
   */
  encode(
    streamId: string,
    type: string,
    data: unknown,
    path?: readonly (string | number)[],
    schemaVersion?: number,
  ): { readonly schemaVersion: number; readonly data: unknown };
  /**
   * Upcasts and validates a stored event's data.
   * @throws {@link UnknownEventTypeError} or {@link CorruptEventError}, naming stream, version and type.
   */
  decode(raw: RawEventParts): { readonly schemaVersion: number; readonly data: unknown };
}

/** Builds a registry from event definitions. Each type may be defined once. */
export function createEventRegistry(
  definitions: readonly EventDefinition[],
  options: EventRegistryOptions = {},
): EventRegistry {
  const byType = new Map<string, EventDefinition>();
  for (const definition of definitions) {
    if (byType.has(definition.type)) {
      throw new ValidationError([
        { path: [definition.type], message: 'event type defined twice', code: 'duplicate_definition' },
      ]);
    }
    byType.set(definition.type, definition);
  }
  const allowUnknown = options.allowUnknownTypes ?? false;

  return {
    has: (type) => byType.has(type),
    get: (type) => byType.get(type),
    encode(streamId, type, data, path = [], schemaVersion) {
      const definition = byType.get(type);
      if (!definition) {
        if (allowUnknown) return { schemaVersion: schemaVersion ?? 1, data };
        throw new UnknownEventTypeError(type, streamId);
      }
      const from = schemaVersion ?? definition.schemaVersion;
      if (!Number.isSafeInteger(from) || from < 1 || from > definition.schemaVersion) {
        throw new ValidationError([
          {
            path: [...path, 'schemaVersion'],
            message: `event "${type}" has schema versions 1 to ${definition.schemaVersion}; ${String(from)} is not one of them`,
            code: 'invalid_value',
          },
        ]);
      }
      const upcast = upcastFrom(definition, from, data);
      if (!upcast.ok) {
        throw new ValidationError([
          {
            path: [...path, 'data'],
            message: `cannot bring version ${from} data to version ${definition.schemaVersion}: ${upcast.reason}`,
            code: 'upcast_failed',
          },
        ]);
      }
      const parsed = definition.schema.safeParse(upcast.data);
      if (!parsed.success) throw new ValidationError(toValidationIssues(parsed.error.issues, [...path, 'data']));
      return { schemaVersion: definition.schemaVersion, data: parsed.data };
    },
    decode(raw) {
      const definition = byType.get(raw.type);
      if (!definition) {
        if (allowUnknown) return { schemaVersion: raw.schemaVersion, data: raw.data };
        throw new UnknownEventTypeError(raw.type, raw.streamId, raw.streamVersion);
      }
      if (raw.schemaVersion > definition.schemaVersion || raw.schemaVersion < 1) {
        throw new CorruptEventError(
          raw.streamId,
          raw.streamVersion,
          raw.type,
          `stored schema version ${raw.schemaVersion} is not between 1 and the registry's ${definition.schemaVersion}`,
        );
      }
      const upcast = upcastFrom(definition, raw.schemaVersion, raw.data);
      if (!upcast.ok) {
        throw new CorruptEventError(
          raw.streamId,
          raw.streamVersion,
          raw.type,
          upcast.reason,
          [],
          upcast.cause === undefined ? undefined : { cause: upcast.cause },
        );
      }
      const parsed = definition.schema.safeParse(upcast.data);
      if (!parsed.success) {
        throw new CorruptEventError(
          raw.streamId,
          raw.streamVersion,
          raw.type,
          'payload does not match its schema',
          toValidationIssues(parsed.error.issues, ['data']),
        );
      }
      return { schemaVersion: definition.schemaVersion, data: parsed.data };
    },
  };
}

type UpcastOutcome =
  | { readonly ok: true; readonly data: unknown }
  | { readonly ok: false; readonly reason: string; readonly cause?: unknown };

/** Runs a definition's upcasters from `version` up to its current version. */
function upcastFrom(definition: EventDefinition, version: number, data: unknown): UpcastOutcome {
  let current = data;
  for (let at = version; at < definition.schemaVersion; at++) {
    const upcast = definition.upcasters[at];
    if (!upcast) return { ok: false, reason: `no upcaster from version ${at}` };
    try {
      current = upcast(current);
    } catch (error) {
      return {
        ok: false,
        reason: `upcaster from version ${at} failed: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      };
    }
  }
  return { ok: true, data: current };
}
