/**
 * Bad input: fast-check throws junk (any JSON, values JSON cannot express, and valid inputs broken at one field)
 * at every aggregate's `decide`, at the command handler, at every ERP use case and at the store's methods, and the
 * test corrupts stored rows in SQLite and PGlite before reading them back. Only typed `OrdoError`s (with codes, and
 * paths for validation issues) or typed refusals may come out; a rejected command writes nothing; no promise
 * rejection goes unhandled.
 */
import { PGlite } from '@electric-sql/pglite';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createJsonlSink, createWarehouseExport, readExportManifest } from '../../src/export/index.js';
import { createFixedClock } from '../../src/kernel/clock.js';
import { createCommandHandler } from '../../src/kernel/command-handler.js';
import type { Decider } from '../../src/kernel/decider.js';
import type { EventLike, NewEvent, StoredEvent } from '../../src/kernel/event.js';
import type { EventStore } from '../../src/kernel/event-store.js';
import { createDeterministicIds } from '../../src/kernel/ids.js';
import { createProjectionRunner } from '../../src/kernel/projection-runner.js';
import { createErpReadModels } from '../../src/read-models/index.js';
import { createErp, type Erp } from '../../src/services/erp.js';
import { createErpEventRegistry } from '../../src/services/erp-registry.js';
import { createMemoryEventStore } from '../../src/stores/memory/index.js';
import { createPostgresEventStore } from '../../src/stores/postgres/index.js';
import { createSqliteEventStore } from '../../src/stores/sqlite/index.js';
import { createErpDriver, FULL_MIX } from './erp-driver.js';
import { ERP_SETTINGS, seedMasterData, stampBatches, type TrackedAppend, withCall } from './erp-fixture.js';
import { expectTypedError, hostileString, inputOf, junk, show } from './hostile-input.js';
import {
  collect,
  describeError,
  RELIABILITY_SEED,
  seededRandom,
  Tally,
  tempDirectory,
  watchProcessFaults,
} from './reliability-support.js';
import { AGGREGATES, useCaseInputs } from './valid-inputs.js';

/** Runs per property; scale with env `ORDO_BAD_INPUT_RUNS`. */
const RUNS = Number(process.env.ORDO_BAD_INPUT_RUNS || 300);

let faults: ReturnType<typeof watchProcessFaults>;
let temp: ReturnType<typeof tempDirectory>;
let pglite: PGlite | undefined;

beforeAll(() => {
  faults = watchProcessFaults();
  temp = tempDirectory('ordo-rel-bad-input-');
});
afterAll(async () => {
  faults.stop();
  temp.dispose();
  await pglite?.close();
});

/** A PGlite instance for this file (starting one takes seconds). */
async function sharedPGlite(): Promise<PGlite> {
  if (!pglite) {
    pglite = new PGlite();
    await pglite.waitReady;
  }
  return pglite;
}

const registry = createErpEventRegistry();

/** Reports the tally with the process faults collected since the last report. */
function report(tally: Tally, test: string): void {
  tally.corrupt.push(...faults.drain());
  tally.report(test);
}

/** Checks what `decide` returned: an array of events, each valid by its own registered schema. */
function checkDecided(tally: Tally, where: string, streamId: string, events: unknown): void {
  if (!Array.isArray(events)) {
    tally.corrupt.push(`${where}: decide returned ${show(events)}, not an array`);
    return;
  }
  for (const event of events as EventLike[]) {
    try {
      registry.encode(streamId, event.type, event.data);
    } catch (error) {
      tally.corrupt.push(`${where}: decided an event its own schema refuses: ${event.type} ${describeError(error)}`);
    }
  }
}

/** The states a valid history builds, one per command that succeeded, starting from the initial state. */
function statesOf(aggregate: (typeof AGGREGATES)[number]): unknown[] {
  const ids = createDeterministicIds(5);
  const context = { now: new Date('2026-03-02T10:00:00Z'), newId: () => ids.next() };
  const states: unknown[] = [aggregate.initialState];
  let state = aggregate.initialState;
  for (const command of aggregate.commands) {
    try {
      state = aggregate.decide(command, state, context).reduce(aggregate.evolve, state);
      states.push(state);
    } catch {
      // A seed command that does not apply to this state adds no state; its mutations are still tried.
    }
  }
  return states;
}

describe('bad input', () => {
  it("every aggregate's decide turns junk commands into typed errors with paths, and whatever it accepts decides only valid events", () => {
    const tally = new Tally();
    for (const aggregate of AGGREGATES) {
      const missing = aggregate.commandTypes.filter(
        (type) => !aggregate.commands.some((command) => (command as { type: string }).type === type),
      );
      if (missing.length > 0) tally.corrupt.push(`${aggregate.name}: no valid seed for ${missing.join(', ')}`);
      const states = statesOf(aggregate);
      const ids = createDeterministicIds(9);
      const context = { now: new Date('2026-03-02T10:00:00Z'), newId: () => ids.next() };
      fc.assert(
        fc.property(inputOf(aggregate.commands), fc.nat(states.length - 1), (command, stateIndex) => {
          tally.operations += 1;
          tally.faults += 1;
          const where = `${aggregate.name}.decide(${show(command)})`;
          try {
            checkDecided(tally, where, aggregate.streamId, aggregate.decide(command, states[stateIndex], context));
          } catch (error) {
            expectTypedError(tally, error, where);
          }
        }),
        { numRuns: RUNS, seed: RELIABILITY_SEED },
      );
    }
    report(tally, 'bad-input-deciders');
  });

  it('the command handler refuses junk commands with typed errors and appends nothing, on the memory and SQLite stores', async () => {
    const tally = new Tally();
    for (const kind of ['memory', 'sqlite'] as const) {
      for (const aggregate of AGGREGATES) {
        const database = kind === 'sqlite' ? new Database(':memory:') : undefined;
        const store: EventStore = database
          ? createSqliteEventStore({ database, registry })
          : createMemoryEventStore({ registry });
        const handler = createCommandHandler({
          store,
          decider: aggregate as unknown as Decider<unknown, EventLike, unknown>,
          registry,
          clock: createFixedClock('2026-03-02T10:00:00Z', 1000),
        });
        // Half the runs meet an existing aggregate: the seed history, as far as it applies.
        for (const command of aggregate.commands.slice(0, 3)) {
          await handler.handle(aggregate.streamId, command).catch(() => undefined);
        }
        await fc.assert(
          fc.asyncProperty(inputOf(aggregate.commands), async (command) => {
            tally.operations += 1;
            tally.faults += 1;
            const where = `${kind} ${aggregate.name} handle(${show(command)})`;
            const before = await store.headPosition();
            try {
              const result = await handler.handle(aggregate.streamId, command);
              const after = await store.headPosition();
              if (after - before !== result.events.length && !result.replayed) {
                tally.corrupt.push(`${where}: ${result.events.length} events reported, ${after - before} appended`);
              }
            } catch (error) {
              expectTypedError(tally, error, where);
              const after = await store.headPosition();
              if (after !== before) tally.corrupt.push(`${where}: refused, yet ${after - before} events were appended`);
            }
          }),
          { numRuns: Math.ceil(RUNS / 3), seed: RELIABILITY_SEED },
        );
        await store.close();
        database?.close();
      }
    }
    report(tally, 'bad-input-command-handler');
  });

  it('every ERP use case answers junk input with a typed refusal (codes, paths) and commits nothing, and never throws', async () => {
    const tally = new Tally();
    const store = createMemoryEventStore();
    const erp = createErp({ store: stampBatches(store), settings: ERP_SETTINGS });
    await seedMasterData(erp, '100000');
    const placed = await erp.placeOrder({
      orderId: 'SO-OPEN',
      customerId: 'C-3',
      lines: [{ itemCode: 'WIDGET', qty: '4' }],
    });
    const draft = await erp.placeOrder({
      orderId: 'SO-DRAFT',
      customerId: 'C-3',
      draft: true,
      lines: [{ itemCode: 'BOLT', qty: '1' }],
    });
    if (!placed.ok || !draft.ok) throw new Error('could not place the orders the inputs refer to');
    const inputs = useCaseInputs('SO-OPEN', 'SO-DRAFT');
    const useCases = Object.keys(inputs) as (keyof Erp & keyof typeof inputs)[];
    for (const useCase of useCases) {
      const run = erp[useCase] as (input: unknown, context?: unknown) => Promise<unknown>;
      await fc.assert(
        fc.asyncProperty(
          inputOf(inputs[useCase] ?? []),
          fc.option(fc.oneof(junk(), fc.record({ actor: hostileString(), correlationId: hostileString() })), {
            nil: undefined,
          }),
          async (input, context) => {
            tally.operations += 1;
            tally.faults += 1;
            const where = `${useCase}(${show(input)}, ${show(context)})`;
            const appends: TrackedAppend[] = [];
            let result: unknown;
            try {
              result = (await withCall(() => run.call(erp, input, context), appends)).result;
            } catch (error) {
              tally.corrupt.push(`${where} threw: ${describeError(error)}`);
              return;
            }
            const committed = appends.filter((append) => append.committed).length;
            const shaped = result as { ok?: unknown; errors?: unknown };
            if (typeof shaped !== 'object' || shaped === null || typeof shaped.ok !== 'boolean') {
              tally.corrupt.push(`${where}: returned ${show(result)}`);
              return;
            }
            if (shaped.ok) return;
            if (committed > 0) tally.corrupt.push(`${where}: refused, yet committed ${committed} batch(es)`);
            const errors = shaped.errors as { code?: unknown; message?: unknown; path?: unknown }[] | undefined;
            if (!Array.isArray(errors) || errors.length === 0) {
              tally.corrupt.push(`${where}: refused without errors`);
              return;
            }
            for (const error of errors) {
              const badPath =
                error.path !== undefined &&
                !(Array.isArray(error.path) && error.path.every((s) => typeof s === 'string' || typeof s === 'number'));
              if (typeof error.code !== 'string' || !/^[A-Z][A-Z0-9_]+$/.test(error.code) || badPath) {
                tally.corrupt.push(`${where}: malformed error ${show(error)}`);
              } else if (typeof error.message !== 'string' || error.message.length === 0) {
                tally.corrupt.push(`${where}: error ${error.code} without a message`);
              }
            }
          },
        ),
        { numRuns: Math.ceil(RUNS / 3), seed: RELIABILITY_SEED },
      );
    }
    report(tally, 'bad-input-erp-use-cases');
  });

  it('the stores answer junk arguments with typed errors and write nothing when they refuse, on memory, SQLite and PGlite', async () => {
    const tally = new Tally();
    const db = await sharedPGlite();
    const stores: { name: string; store: EventStore; runs: number }[] = [
      { name: 'memory', store: createMemoryEventStore(), runs: RUNS },
      { name: 'memory+registry', store: createMemoryEventStore({ registry }), runs: RUNS },
      { name: 'sqlite', store: createSqliteEventStore({ database: new Database(':memory:') }), runs: RUNS },
      {
        name: 'sqlite+registry',
        store: createSqliteEventStore({ database: new Database(':memory:'), registry }),
        runs: RUNS,
      },
      {
        name: 'pglite',
        store: createPostgresEventStore({ client: db, schema: 'rel_bad_args' }),
        runs: Math.ceil(RUNS / 2),
      },
    ];
    const streamIdArb = fc.oneof(fc.constantFrom('s-1', 's-2', 'Customer-C-1'), hostileString(), junk());
    const typeArb = fc.oneof(fc.constantFrom('Thing', 'CustomerRegistered', 'StockReceived'), hostileString(), junk());
    const eventArb = fc.oneof(
      { weight: 1, arbitrary: junk() },
      {
        weight: 4,
        arbitrary: fc.record(
          {
            type: typeArb,
            data: junk(),
            metadata: fc.oneof(
              junk(),
              fc.record({ correlationId: junk(), occurredAt: junk(), actor: hostileString() }),
            ),
            eventId: fc.oneof(fc.uuid(), junk()),
          },
          { requiredKeys: ['type', 'data'] },
        ),
      },
    );
    const eventsArb = fc.oneof(
      { weight: 1, arbitrary: junk() },
      { weight: 5, arbitrary: fc.array(eventArb, { maxLength: 4 }) },
    );
    const optionsArb = fc.oneof(
      { weight: 1, arbitrary: junk() },
      {
        weight: 4,
        arbitrary: fc.record(
          {
            expectedVersion: fc.oneof(fc.constantFrom('any', 'no_stream', 'stream_exists', 0, 1, 2), junk()),
            metadata: junk(),
            beforeCommit: junk(),
          },
          { requiredKeys: ['expectedVersion'] },
        ),
      },
    );
    const callArb = fc.oneof(
      fc.tuple(fc.constant('appendToStream'), fc.tuple(streamIdArb, eventsArb, optionsArb)),
      fc.tuple(
        fc.constant('appendMany'),
        fc.tuple(
          fc.oneof(junk(), fc.array(fc.record({ streamId: streamIdArb, events: eventsArb, expectedVersion: junk() }))),
          fc.option(junk(), { nil: undefined }),
        ),
      ),
      fc.tuple(fc.constant('readStream'), fc.tuple(streamIdArb, junk())),
      fc.tuple(fc.constant('readAll'), fc.tuple(junk())),
      fc.tuple(fc.constant('streamVersion'), fc.tuple(streamIdArb)),
      fc.tuple(fc.constant('saveSnapshot'), fc.tuple(streamIdArb, junk())),
      fc.tuple(fc.constant('loadSnapshot'), fc.tuple(streamIdArb, junk())),
      fc.tuple(fc.constant('saveCheckpoint'), fc.tuple(hostileString(), junk())),
      fc.tuple(fc.constant('getCheckpoint'), fc.tuple(junk())),
    );
    for (const { name, store, runs } of stores) {
      await fc.assert(
        fc.asyncProperty(callArb, async ([method, args]) => {
          tally.operations += 1;
          tally.faults += 1;
          const where = `${name}.${method}(${show(args)})`;
          const before = await store.headPosition();
          const call = (store as unknown as Record<string, (...params: unknown[]) => unknown>)[method] as (
            ...params: unknown[]
          ) => unknown;
          try {
            const result = call.apply(store, args as unknown[]);
            if (method === 'readStream' || method === 'readAll') await collect(result as AsyncIterable<StoredEvent>);
            else await result;
          } catch (error) {
            expectTypedError(tally, error, where);
            const after = await store.headPosition();
            if (after !== before) tally.corrupt.push(`${where}: refused, yet ${after - before} events were appended`);
            return;
          }
          if (method !== 'appendToStream' && method !== 'appendMany') return;
          // Accepted: what was appended reads back as it was given.
          const given = (
            method === 'appendToStream'
              ? (args[1] as NewEvent[])
              : (args[0] as { events: NewEvent[] }[]).flatMap((entry) => entry.events)
          ).filter((event) => event !== undefined);
          const stored = await collect(store.readAll({ fromPosition: before + 1 }));
          const replay = stored.length === 0;
          if (!replay && stored.length !== given.length) {
            tally.corrupt.push(`${where}: ${given.length} events accepted, ${stored.length} stored`);
            return;
          }
          stored.forEach((event, index) => {
            const input = given[index] as NewEvent;
            if (event.type !== input.type || JSON.stringify(event.data) !== JSON.stringify(input.data)) {
              tally.corrupt.push(`${where}: event ${index} reads back as ${show([event.type, event.data])}`);
            }
          });
        }),
        { numRuns: runs, seed: RELIABILITY_SEED },
      );
      await store.close();
    }
    await db.query('DROP SCHEMA IF EXISTS rel_bad_args CASCADE');
    report(tally, 'bad-input-store-arguments');
  });

  it('a validation issue leads to the offending value: its path, followed from the input, reaches the bad value in event data or metadata', async () => {
    const tally = new Tally();
    const badLeaf = fc.constantFrom<unknown>(
      'a\u0000b',
      'lone \uD800',
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      10n,
      new Date(0),
      new Map([[1, 2]]),
      Symbol('s'),
    );
    for (const [name, store] of [
      ['memory', createMemoryEventStore()],
      ['sqlite', createSqliteEventStore({ database: new Database(':memory:') })],
    ] as const) {
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(
            fc.string({ maxLength: 6 }).map((key) => `k_${key}`),
            fc.jsonValue({ maxDepth: 2 }),
          ),
          fc.array(
            fc.oneof(
              fc.string({ minLength: 1, maxLength: 4 }).map((key) => `k_${key}`),
              fc.nat(3),
            ),
            {
              minLength: 1,
              maxLength: 4,
            },
          ),
          badLeaf,
          fc.constantFrom('data', 'metadata'),
          async (base, keys, bad, part) => {
            tally.operations += 1;
            tally.faults += 1;
            // Builds base with `bad` at `keys`: numeric keys make arrays, the others objects.
            const root: Record<string, unknown> = structuredClone(base);
            let node: Record<string | number, unknown> = root;
            const path: (string | number)[] = [typeof keys[0] === 'number' ? `k_${keys[0]}` : (keys[0] as string)];
            for (let index = 1; index < keys.length; index++) {
              const key = keys[index] as string | number;
              const container = (typeof key === 'number' ? [] : {}) as Record<string | number, unknown>;
              Object.defineProperty(node, path[path.length - 1] as string | number, {
                value: container,
                enumerable: true,
                writable: true,
                configurable: true,
              });
              // An array index points past fillers, so the bad value is not always first.
              if (typeof key === 'number') for (let filler = 0; filler < key; filler++) container[filler] = filler;
              node = container;
              path.push(key);
            }
            Object.defineProperty(node, path[path.length - 1] as string | number, {
              value: bad,
              enumerable: true,
              writable: true,
              configurable: true,
            });
            const event = part === 'data' ? { type: 'Thing', data: root } : { type: 'Thing', data: {}, metadata: root };
            const where = `${name} ${part} ${show(root)}`;
            try {
              await store.appendToStream('paths', [event as NewEvent], { expectedVersion: 'any' });
              tally.corrupt.push(`${where}: accepted a value JSON cannot hold`);
            } catch (error) {
              const typed = expectTypedError(tally, error, where);
              const issues = (typed?.toJSON().issues ?? []) as { path: (string | number)[] }[];
              const expected = JSON.stringify(['events', 0, part, ...path]);
              if (!issues.some((issue) => JSON.stringify(issue.path) === expected)) {
                tally.corrupt.push(
                  `${where}: issue paths ${show(issues.map((issue) => issue.path))}, the bad value is at ${expected}`,
                );
              }
            }
          },
        ),
        { numRuns: Math.ceil(RUNS / 2), seed: RELIABILITY_SEED },
      );
      await store.close();
    }
    report(tally, 'bad-input-issue-paths');
  });

  it('corrupted rows in SQLite and PGlite (bad JSON, unknown type, wrong schema version, truncated data) are read as typed errors naming stream, version and type, and stop projections, the export and use cases without a write', async () => {
    const tally = new Tally();
    for (const backend of ['sqlite', 'pglite'] as const) await corruptRows(tally, backend);
    report(tally, 'bad-input-corrupted-rows');
  });
});

interface Row {
  readonly position: number;
  readonly streamId: string;
  readonly version: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: string;
  readonly metadata: string;
}

/** How a corruption changes a row; `undefined` for a backend that cannot hold it (PostgreSQL's json type checks syntax). */
interface Corruption {
  readonly name: string;
  apply(row: Row, backend: 'sqlite' | 'pglite'): Partial<Omit<Row, 'position' | 'streamId' | 'version'>> | undefined;
}

/** Drops every key after the first: JSON that is well-formed but cut short. */
function cutObject(data: string): string {
  const parsed = JSON.parse(data) as Record<string, unknown>;
  const [first] = Object.entries(parsed);
  return JSON.stringify(first ? { [first[0]]: first[1] } : {});
}

const CORRUPTIONS: readonly Corruption[] = [
  {
    name: 'bad JSON',
    apply: (row, backend) => (backend === 'sqlite' ? { data: `{"orderId": "${row.streamId}` } : undefined),
  },
  {
    name: 'truncated bytes',
    apply: (row, backend) =>
      backend === 'sqlite' ? { data: row.data.slice(0, Math.floor(row.data.length / 2)) } : undefined,
  },
  { name: 'empty data', apply: (_row, backend) => (backend === 'sqlite' ? { data: '' } : undefined) },
  { name: 'truncated object', apply: (row) => ({ data: cutObject(row.data) }) },
  { name: 'unknown type', apply: () => ({ type: 'SalesOrderTeleported' }) },
  { name: 'type carrying SQL', apply: () => ({ type: "x'); DROP TABLE ordo_events; --" }) },
  { name: 'schema version from the future', apply: () => ({ schemaVersion: 99 }) },
  { name: 'schema version 0', apply: () => ({ schemaVersion: 0 }) },
  { name: 'negative schema version', apply: () => ({ schemaVersion: -3 }) },
  { name: 'data of the wrong shape', apply: () => ({ data: '{"orderId": 42, "lines": "none"}' }) },
  { name: 'data not an object', apply: () => ({ data: '"just a string"' }) },
  { name: 'data null', apply: () => ({ data: 'null' }) },
  { name: 'data an array', apply: () => ({ data: '[1, 2, 3]' }) },
  {
    name: 'metadata bad JSON',
    apply: (_row, backend) => (backend === 'sqlite' ? { metadata: '{"actor": ' } : undefined),
  },
  { name: 'metadata not an object', apply: () => ({ metadata: '[1, 2]' }) },
];

/** A store over the SQLite file or the PGlite schema, and raw access to its rows. */
interface Backend {
  open(withRegistry: boolean): EventStore & { withTransaction?: unknown };
  read(position: number): Promise<Row>;
  write(row: Row): Promise<void>;
  dispose(): Promise<void>;
}

async function openBackend(kind: 'sqlite' | 'pglite'): Promise<Backend> {
  if (kind === 'sqlite') {
    const database = new Database(temp.file('corrupt.db'));
    return {
      open: (withRegistry) => createSqliteEventStore({ database, ...(withRegistry ? { registry } : {}) }),
      async read(position) {
        const row = database
          .prepare(
            'SELECT global_position AS position, stream_id AS streamId, stream_version AS version, type, schema_version AS schemaVersion, data, metadata FROM ordo_events WHERE global_position = ?',
          )
          .get(position) as Row;
        return row;
      },
      async write(row) {
        database
          .prepare(
            'UPDATE ordo_events SET type = ?, schema_version = ?, data = ?, metadata = ? WHERE global_position = ?',
          )
          .run(row.type, row.schemaVersion, row.data, row.metadata, row.position);
      },
      async dispose() {
        database.close();
      },
    };
  }
  const db = await sharedPGlite();
  const schema = 'rel_corrupt';
  await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  return {
    open: (withRegistry) => createPostgresEventStore({ client: db, schema, ...(withRegistry ? { registry } : {}) }),
    async read(position) {
      const result = await db.query<Row>(
        `SELECT global_position::int AS position, stream_id AS "streamId", stream_version::int AS version, type,
           schema_version AS "schemaVersion", data::text AS data, metadata::text AS metadata
         FROM ${schema}.events WHERE global_position = $1`,
        [position],
      );
      return result.rows[0] as Row;
    },
    async write(row) {
      await db.query(
        `UPDATE ${schema}.events SET type = $1, schema_version = $2, data = $3::json, metadata = $4::json WHERE global_position = $5`,
        [row.type, row.schemaVersion, row.data, row.metadata, row.position],
      );
    },
    async dispose() {
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}

/** Names the corrupted row? A typed read error must say which stream, version and type it is about. */
function checkNamesRow(tally: Tally, error: unknown, row: Row, corrupted: Row, where: string): void {
  const typed = expectTypedError(tally, error, where);
  if (!typed) return;
  if (typed.code !== 'CORRUPT_EVENT' && typed.code !== 'UNKNOWN_EVENT_TYPE') {
    tally.corrupt.push(`${where}: ${typed.code} where CORRUPT_EVENT or UNKNOWN_EVENT_TYPE was due`);
    return;
  }
  const details = typed.toJSON();
  if (details.streamId !== row.streamId || details.streamVersion !== row.version || details.type !== corrupted.type) {
    tally.corrupt.push(
      `${where}: the error names ${show([details.streamId, details.streamVersion, details.type])}, the row is ${show([row.streamId, row.version, corrupted.type])}`,
    );
  }
}

async function corruptRows(tally: Tally, kind: 'sqlite' | 'pglite'): Promise<void> {
  const backend = await openBackend(kind);
  // A real history: master data and a few hundred use cases.
  const writer = backend.open(false);
  const erp = createErp({ store: stampBatches(writer), settings: ERP_SETTINGS });
  await seedMasterData(erp, '100000');
  const driver = createErpDriver(erp, seededRandom(RELIABILITY_SEED), 'bad', FULL_MIX);
  for (let step = 0; step < 120; step++) await driver.step();
  const all = await collect(writer.readAll());
  const orderEvent = all.find((event) => event.streamId.startsWith('SalesOrder-') && event.streamVersion === 2);
  const stockEvent = all.find((event) => event.streamId.startsWith('Stock-') && event.type === 'StockReserved');
  const targets = [orderEvent, stockEvent].filter((event): event is StoredEvent => event !== undefined);
  if (targets.length !== 2) tally.corrupt.push(`${kind}: the history lacks an order or a reservation to corrupt`);

  for (const target of targets) {
    const original = await backend.read(target.globalPosition);
    for (const corruption of CORRUPTIONS) {
      const change = corruption.apply(original, kind);
      if (!change) continue;
      const corrupted: Row = { ...original, ...change };
      await backend.write(corrupted);
      tally.faults += 1;
      const where = `${kind} ${corruption.name} at ${original.streamId}@${original.version}`;

      // 1. Reads through a store with the registry fail, naming the row.
      const strict = backend.open(true);
      for (const [name, read] of [
        ['readStream', () => collect(strict.readStream(original.streamId))],
        ['readAll', () => collect(strict.readAll())],
      ] as const) {
        tally.operations += 1;
        try {
          await read();
          tally.corrupt.push(`${where}: ${name} with the registry returned the corrupted row without an error`);
        } catch (error) {
          checkNamesRow(tally, error, original, corrupted, `${where} ${name}`);
        }
      }
      await strict.close();

      // 2. Without a registry, only what the store itself cannot parse fails, and typed.
      const lax = backend.open(false);
      tally.operations += 1;
      try {
        await collect(lax.readStream(original.streamId));
      } catch (error) {
        expectTypedError(tally, error, `${where} readStream without a registry`);
      }

      // 3. A use case touching the stream: a typed error or refusal, and nothing committed.
      const touching = createErp({ store: stampBatches(lax), settings: ERP_SETTINGS });
      const appends: TrackedAppend[] = [];
      tally.operations += 1;
      const before = await lax.headPosition();
      try {
        const outcome = await withCall(
          (): Promise<{ ok: boolean }> =>
            original.streamId.startsWith('SalesOrder-')
              ? touching.cancelOrder({ orderId: original.streamId.slice('SalesOrder-'.length) })
              : touching.placeOrder({
                  customerId: 'C-3',
                  lines: [{ itemCode: original.streamId.slice('Stock-'.length).split('@')[0] ?? 'WIDGET', qty: '1' }],
                }),
          appends,
        );
        // A use case that never read the corrupted event may go through; one that did must not.
        if (outcome.result.ok && corruption.name !== 'metadata not an object') {
          const reread = await collect(lax.readStream(original.streamId)).catch(() => undefined);
          if (reread === undefined) tally.corrupt.push(`${where}: a use case succeeded over an unreadable stream`);
        }
      } catch (error) {
        expectTypedError(tally, error, `${where} use case`);
        if ((await lax.headPosition()) !== before)
          tally.corrupt.push(`${where}: a use case that threw appended events`);
      }

      // 4. The projections and the export stop on it with a typed error, their positions before the row.
      if (kind === 'sqlite') {
        const names = { namePrefix: `c${tally.faults}-`, tablePrefix: `rel_c${tally.faults}_` };
        const models = createErpReadModels({
          mode: 'sqlite',
          store: lax as ReturnType<typeof createSqliteEventStore>,
          ...names,
        });
        const runner = createProjectionRunner({
          store: lax as ReturnType<typeof createSqliteEventStore>,
          projections: models.projections,
        });
        tally.operations += 1;
        try {
          await runner.catchUp();
        } catch (error) {
          expectTypedError(tally, error, `${where} projection catchUp`);
        }
        for (const status of await runner.status()) {
          if (status.state === 'failed' && status.position >= original.position) {
            tally.corrupt.push(`${where}: projection ${status.name} failed but its checkpoint passed the row`);
          }
        }
      }
      const directory = temp.file(`export-${kind}-${tally.faults}`);
      tally.operations += 1;
      try {
        await createWarehouseExport({ store: lax, sink: createJsonlSink({ directory }) }).run();
      } catch (error) {
        if (expectTypedError(tally, error, `${where} export`)) {
          const position = (await readExportManifest(directory))?.position ?? 0;
          if (position >= original.position) tally.corrupt.push(`${where}: the export failed past the row`);
        }
      }
      await lax.close();

      await backend.write(original);
    }
  }

  // Random damage: one character of a row's data replaced; reads either succeed or fail typed, naming the row.
  if (kind === 'sqlite') {
    const positions = all.map((event) => event.globalPosition);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...positions),
        fc.nat(),
        fc.constantFrom('"', '{', '}', '\\', ',', ':', 'x', '0', ' ', '\u0000', '\uD800', '😀'),
        async (position, at, replacement) => {
          const original = await backend.read(position);
          const index = at % Math.max(1, original.data.length);
          const corrupted = {
            ...original,
            data: original.data.slice(0, index) + replacement + original.data.slice(index + 1),
          };
          await backend.write(corrupted);
          tally.faults += 1;
          tally.operations += 1;
          const strict = backend.open(true);
          try {
            await collect(strict.readStream(original.streamId));
          } catch (error) {
            checkNamesRow(
              tally,
              error,
              original,
              corrupted,
              `sqlite byte flip at ${original.streamId}@${original.version}`,
            );
          } finally {
            await strict.close();
            await backend.write(original);
          }
        },
      ),
      { numRuns: Math.ceil(RUNS / 3), seed: RELIABILITY_SEED },
    );
  }

  // Restored: everything reads again.
  const check = backend.open(true);
  try {
    await collect(check.readAll());
  } catch (error) {
    tally.corrupt.push(`${kind}: the restored log no longer reads: ${describeError(error)}`);
  }
  await check.close();
  await writer.close();
  await backend.dispose();
}
