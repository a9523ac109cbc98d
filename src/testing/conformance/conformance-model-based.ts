/**
 * The model-based conformance test: random sequences of appends and reads run against the store and against
 * {@link ReferenceEventLog}; after every command they must agree.
 */
import fc from 'fast-check';
import { isOrdoError } from '../../kernel/errors.js';
import type { JsonValue, NewEvent, StoredEvent } from '../../kernel/event.js';
import type { AppendResult, EventStore, ReadAllOptions, ReadStreamOptions } from '../../kernel/event-store.js';
import { type ConformanceHarness, type StorageSession, withSession } from './conformance-harness.js';
import { collect, essentials, fail, jsonRoundTrip } from './conformance-helpers.js';
import {
  type ModelAppend,
  type ModelConflict,
  type ModelEvent,
  type ModelExpectedVersion,
  ReferenceEventLog,
} from './conformance-reference-model.js';
import { vitestApi } from './vitest-api.js';

/** The streams commands pick from; the last is never written, so reads of a missing stream come up too. */
const STREAMS = ['order-1', "customer-O'Brien", 'stock/ü-€', 'never-written'] as const;
const WRITABLE = STREAMS.length - 1;
const TYPES = ['Placed', 'Shipped', 'Cancelled'] as const;

/** The model side of a run. */
class ModelState {
  readonly log = new ReferenceEventLog();
  /** The last successful appendToStream, replayed by {@link ReplayCommand}. */
  lastAppend:
    | {
        readonly streamId: string;
        readonly expectedVersion: ModelExpectedVersion;
        readonly events: readonly NewEvent[];
        readonly result: AppendResult;
      }
    | undefined;
}

/** The real side of a run: the store under test, which {@link ReopenCommand} may swap for a fresh one. */
interface RealState {
  store: EventStore;
  readonly session: StorageSession;
}

type Command = fc.AsyncCommand<ModelState, RealState, false>;

/** How a command picks its expected version, resolved against the model's current version at run time. */
type ExpectedChoice =
  | { readonly kind: 'current' }
  | { readonly kind: 'wrong'; readonly delta: number }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'any' };

function resolveExpected(choice: ExpectedChoice, current: number): ModelExpectedVersion {
  switch (choice.kind) {
    case 'current':
      return current;
    case 'wrong':
      // Never the current version: above it, or below it when that is still a valid number.
      return current + choice.delta >= 0 ? current + choice.delta : current - choice.delta;
    default:
      return choice.kind;
  }
}

function showChoice(choice: ExpectedChoice): string {
  return choice.kind === 'wrong' ? `wrong(${choice.delta > 0 ? '+' : ''}${choice.delta})` : choice.kind;
}

/** Where a readAll bound points, resolved against the model's log at run time. */
type PositionChoice =
  | { readonly kind: 'start' }
  | { readonly kind: 'at'; readonly index: number }
  | { readonly kind: 'after'; readonly index: number }
  | { readonly kind: 'beyond' };

function resolvePosition(choice: PositionChoice, log: ReferenceEventLog): number {
  const events = log.events;
  const pick = (index: number): number => events[index % Math.max(events.length, 1)]?.globalPosition ?? 0;
  switch (choice.kind) {
    case 'start':
      return 0;
    case 'at':
      return pick(choice.index);
    case 'after':
      return pick(choice.index) + 1;
    case 'beyond':
      return log.head() + 1;
  }
}

/** The events of the store committed since the model's head: exactly what the last append wrote. */
async function readNewEvents(model: ModelState, real: RealState): Promise<StoredEvent[]> {
  return collect(real.store.readAll({ fromPosition: model.log.head() + 1 }));
}

/**
 * Checks that the store committed exactly `appends` (in order, with the model's versions and the given
 * payloads) since the model's head, and records them. Returns each entry's stored events.
 */
async function learnAppended(
  model: ModelState,
  real: RealState,
  appends: readonly { readonly streamId: string; readonly events: readonly NewEvent[] }[],
  previousVersions: readonly number[],
): Promise<ModelEvent[][]> {
  const { expect } = vitestApi();
  const fresh = await readNewEvents(model, real);
  const expected = appends.flatMap(({ streamId, events }, entry) =>
    events.map((event, index) => ({
      streamId,
      streamVersion: (previousVersions[entry] ?? 0) + index + 1,
      type: event.type,
      data: jsonRoundTrip(event.data as JsonValue),
    })),
  );
  expect(
    fresh.map((event) => ({
      streamId: event.streamId,
      streamVersion: event.streamVersion,
      type: event.type,
      data: event.data,
    })),
    'the events an append wrote, as readAll shows them after the previous head',
  ).toEqual(expected);
  const learned = fresh.map(essentials);
  model.log.record(learned);
  const perEntry: ModelEvent[][] = [];
  let offset = 0;
  for (const { events } of appends) {
    perEntry.push(learned.slice(offset, offset + events.length));
    offset += events.length;
  }
  return perEntry;
}

/** Asserts `error` is the conflict the model predicted (one of them, when several streams mismatch). */
function expectConflict(error: unknown, conflicts: readonly ModelConflict[]): void {
  const { expect } = vitestApi();
  if (!isOrdoError(error, 'CONCURRENCY_CONFLICT')) {
    fail(`expected CONCURRENCY_CONFLICT for ${JSON.stringify(conflicts)}, got ${String(error)}`);
  }
  const reported = error as unknown as ModelConflict;
  expect(conflicts).toContainEqual({
    streamId: reported.streamId,
    expected: reported.expected,
    actual: reported.actual,
  });
}

async function expectNothingNew(model: ModelState, real: RealState): Promise<void> {
  const { expect } = vitestApi();
  expect(await readNewEvents(model, real), 'a refused append must write nothing').toEqual([]);
  expect(await real.store.headPosition()).toBe(model.log.head());
}

async function attempt<T>(action: () => Promise<T>): Promise<{ value: T } | { error: unknown }> {
  try {
    return { value: await action() };
  } catch (error) {
    return { error };
  }
}

class AppendCommand implements Command {
  constructor(
    readonly stream: number,
    readonly events: readonly NewEvent[],
    readonly choice: ExpectedChoice,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: ModelState, real: RealState): Promise<void> {
    const { expect } = vitestApi();
    const streamId = STREAMS[this.stream] as string;
    const expectedVersion = resolveExpected(this.choice, model.log.version(streamId));
    const plan = model.log.plan([{ streamId, expectedVersion, count: this.events.length }]);
    const outcome = await attempt(() => real.store.appendToStream(streamId, this.events, { expectedVersion }));
    if (plan.conflicts.length > 0) {
      expectConflict('error' in outcome ? outcome.error : undefined, plan.conflicts);
      await expectNothingNew(model, real);
      return;
    }
    if ('error' in outcome) throw outcome.error;
    const [written = []] = await learnAppended(model, real, [{ streamId, events: this.events }], plan.previousVersions);
    expect(outcome.value).toEqual({
      nextExpectedVersion: plan.nextVersions[0],
      lastPosition: written.at(-1)?.globalPosition,
    });
    model.lastAppend = {
      streamId,
      expectedVersion,
      events: this.events.map((event, index) => ({ ...event, eventId: written[index]?.eventId as string })),
      result: outcome.value,
    };
  }
  toString(): string {
    return `append(${JSON.stringify(STREAMS[this.stream])}, ${this.events.length} events, ${showChoice(this.choice)})`;
  }
}

class AppendManyCommand implements Command {
  constructor(readonly entries: readonly { stream: number; events: readonly NewEvent[]; choice: ExpectedChoice }[]) {}
  check(): boolean {
    return true;
  }
  async run(model: ModelState, real: RealState): Promise<void> {
    const { expect } = vitestApi();
    const appends = this.entries.map((entry) => {
      const streamId = STREAMS[entry.stream] as string;
      return {
        streamId,
        events: entry.events,
        expectedVersion: resolveExpected(entry.choice, model.log.version(streamId)),
      };
    });
    const plan = model.log.plan(
      appends.map(
        ({ streamId, expectedVersion, events }): ModelAppend => ({ streamId, expectedVersion, count: events.length }),
      ),
    );
    const outcome = await attempt(() => real.store.appendMany(appends));
    if (plan.conflicts.length > 0) {
      expectConflict('error' in outcome ? outcome.error : undefined, plan.conflicts);
      await expectNothingNew(model, real);
      return;
    }
    if ('error' in outcome) throw outcome.error;
    const written = await learnAppended(model, real, appends, plan.previousVersions);
    const results = written.map((events, index) => ({
      nextExpectedVersion: plan.nextVersions[index],
      lastPosition: events.at(-1)?.globalPosition,
    }));
    expect(outcome.value).toEqual({ results, lastPosition: model.log.head() });
  }
  toString(): string {
    const parts = this.entries.map(
      (entry) => `${JSON.stringify(STREAMS[entry.stream])}: ${entry.events.length} events, ${showChoice(entry.choice)}`,
    );
    return `appendMany([${parts.join('; ')}])`;
  }
}

class ReplayCommand implements Command {
  check(model: Readonly<ModelState>): boolean {
    return model.lastAppend !== undefined;
  }
  async run(model: ModelState, real: RealState): Promise<void> {
    const { expect } = vitestApi();
    const last = model.lastAppend;
    if (!last) return;
    const result = await real.store.appendToStream(last.streamId, last.events, {
      expectedVersion: last.expectedVersion,
    });
    expect(result, 'a replayed append returns the original result').toEqual(last.result);
    await expectNothingNew(model, real);
  }
  toString(): string {
    return 'replayLastAppend()';
  }
}

class ReadStreamCommand implements Command {
  constructor(
    readonly stream: number,
    readonly options: ReadStreamOptions,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: ModelState, real: RealState): Promise<void> {
    const { expect } = vitestApi();
    const streamId = STREAMS[this.stream] as string;
    const actual = (await collect(real.store.readStream(streamId, this.options))).map(essentials);
    expect(actual).toEqual(model.log.readStream(streamId, this.options));
  }
  toString(): string {
    return `readStream(${JSON.stringify(STREAMS[this.stream])}, ${JSON.stringify(this.options)})`;
  }
}

class ReadAllCommand implements Command {
  constructor(
    readonly from: PositionChoice | undefined,
    readonly to: PositionChoice | undefined,
    readonly types: readonly string[] | undefined,
    readonly batchSize: number | undefined,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: ModelState, real: RealState): Promise<void> {
    const { expect } = vitestApi();
    const options: ReadAllOptions = {
      ...(this.from ? { fromPosition: resolvePosition(this.from, model.log) } : {}),
      ...(this.to ? { toPosition: resolvePosition(this.to, model.log) } : {}),
      ...(this.types ? { types: this.types } : {}),
      ...(this.batchSize ? { batchSize: this.batchSize } : {}),
    };
    const actual = (await collect(real.store.readAll(options))).map(essentials);
    expect(actual, JSON.stringify(options)).toEqual(model.log.readAll(options));
  }
  toString(): string {
    return `readAll(${JSON.stringify({ from: this.from, to: this.to, types: this.types, batchSize: this.batchSize })})`;
  }
}

class StreamVersionCommand implements Command {
  constructor(readonly stream: number) {}
  check(): boolean {
    return true;
  }
  async run(model: ModelState, real: RealState): Promise<void> {
    const { expect } = vitestApi();
    const streamId = STREAMS[this.stream] as string;
    expect(await real.store.streamVersion(streamId)).toBe(model.log.version(streamId));
  }
  toString(): string {
    return `streamVersion(${JSON.stringify(STREAMS[this.stream])})`;
  }
}

class HeadPositionCommand implements Command {
  check(): boolean {
    return true;
  }
  async run(model: ModelState, real: RealState): Promise<void> {
    const { expect } = vitestApi();
    expect(await real.store.headPosition()).toBe(model.log.head());
  }
  toString(): string {
    return 'headPosition()';
  }
}

/** Switches to a new store over the same storage, as another process would see it. */
class ReopenCommand implements Command {
  check(): boolean {
    return true;
  }
  async run(_model: ModelState, real: RealState): Promise<void> {
    real.store = await real.session.open();
  }
  toString(): string {
    return 'reopen()';
  }
}

const streamArb = fc.nat({ max: WRITABLE - 1 });
const anyStreamArb = fc.nat({ max: STREAMS.length - 1 });

const eventArb: fc.Arbitrary<NewEvent> = fc.record({
  type: fc.constantFrom(...TYPES),
  data: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>,
});
const eventsArb = fc.array(eventArb, { minLength: 1, maxLength: 3 });

const choiceArb: fc.Arbitrary<ExpectedChoice> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'current' as const }), weight: 4 },
  {
    arbitrary: fc
      .integer({ min: -3, max: 3 })
      .filter((delta) => delta !== 0)
      .map((delta) => ({ kind: 'wrong' as const, delta })),
    weight: 2,
  },
  { arbitrary: fc.constant({ kind: 'no_stream' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'stream_exists' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'any' as const }), weight: 2 },
);

const positionArb: fc.Arbitrary<PositionChoice> = fc.oneof(
  fc.constant({ kind: 'start' as const }),
  fc.nat({ max: 50 }).map((index) => ({ kind: 'at' as const, index })),
  fc.nat({ max: 50 }).map((index) => ({ kind: 'after' as const, index })),
  fc.constant({ kind: 'beyond' as const }),
);

const readStreamOptionsArb: fc.Arbitrary<ReadStreamOptions> = fc
  .record(
    {
      fromVersion: fc.integer({ min: 0, max: 8 }),
      direction: fc.constantFrom('forwards' as const, 'backwards' as const),
      maxCount: fc.integer({ min: 0, max: 4 }),
    },
    { requiredKeys: [] },
  )
  .map((options) => options as ReadStreamOptions);

const appendArb = fc
  .tuple(streamArb, eventsArb, choiceArb)
  .map(([stream, events, choice]) => new AppendCommand(stream, events, choice));

const commandArbs: fc.Arbitrary<Command>[] = [
  // Listed twice: fc.commands picks uniformly, and streams need appends to be worth reading.
  appendArb,
  appendArb,
  fc
    .uniqueArray(streamArb, { minLength: 1, maxLength: WRITABLE })
    .chain((streams) =>
      fc.tuple(
        ...streams.map((stream) => fc.record({ stream: fc.constant(stream), events: eventsArb, choice: choiceArb })),
      ),
    )
    .map((entries) => new AppendManyCommand(entries)),
  fc.constant(new ReplayCommand()),
  fc.tuple(anyStreamArb, readStreamOptionsArb).map(([stream, options]) => new ReadStreamCommand(stream, options)),
  fc
    .tuple(
      fc.option(positionArb, { nil: undefined }),
      fc.option(positionArb, { nil: undefined }),
      fc.option(fc.subarray([...TYPES, 'NeverWritten']), { nil: undefined }),
      fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    )
    .map(([from, to, types, batchSize]) => new ReadAllCommand(from, to, types, batchSize)),
  anyStreamArb.map((stream) => new StreamVersionCommand(stream)),
  fc.constant(new HeadPositionCommand()),
  fc.constant(new ReopenCommand()),
];

/** After a run, the whole store must still equal the model, stream by stream. */
async function expectSameAsModel(model: ModelState, real: RealState): Promise<void> {
  const { expect } = vitestApi();
  expect((await collect(real.store.readAll())).map(essentials)).toEqual(model.log.readAll());
  for (const streamId of STREAMS) {
    expect((await collect(real.store.readStream(streamId))).map(essentials)).toEqual(model.log.readStream(streamId));
  }
}

/** Registers the model-based test. */
export function modelBasedTests(h: ConformanceHarness): void {
  const { describe, it } = vitestApi();
  describe('model-based', () => {
    it(`agrees with a reference model over random sequences of appends, replays and reads (${h.capabilities.modelRuns} runs)`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.commands(commandArbs, { maxCommands: 40, size: 'medium' }), async (commands) => {
          await withSession(h.factory, async (session) => {
            const real: RealState = { store: await session.open(), session };
            const model = new ModelState();
            await fc.asyncModelRun(() => ({ model, real }), commands);
            await expectSameAsModel(model, real);
          });
        }),
        { numRuns: h.capabilities.modelRuns },
      );
    });
  });
}
