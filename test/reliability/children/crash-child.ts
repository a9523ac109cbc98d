/**
 * Child of crash.reliability.test.ts: on one SQLite file, at the same time, drives the ERP's use cases and appends
 * raw batches (some through a `beforeCommit` hook that yields, so a kill can land inside an open transaction),
 * runs the async projections (the built-in ERP read models and the suite's stream counts) and runs the warehouse
 * export in a loop, until the parent SIGKILLs it.
 *
 * Usage: node --import tsx crash-child.ts <database> <exportDirectory> <ackFile> <seed> <round>
 * Prints `loaded`, waits for `go`, prints `ready` after its first commit. Appends `ack <batch>` to the ack file
 * after each committed batch, and prints `problem <text>` for any broken guarantee it sees itself.
 */
import { v7 as uuidV7 } from 'uuid';
import { createJsonlSink, createWarehouseExport } from '../../../src/export/index.js';
import { isOrdoError } from '../../../src/kernel/errors.js';
import type { StreamAppend } from '../../../src/kernel/event-store.js';
import { createProjectionRunner } from '../../../src/kernel/projection-runner.js';
import { createErpReadModels } from '../../../src/read-models/index.js';
import { createErp } from '../../../src/services/erp.js';
import { openSqliteEventStore } from '../../../src/stores/sqlite/index.js';
import { createErpDriver, FULL_MIX } from '../erp-driver.js';
import { committedBatches, ERP_SETTINGS, stampBatches, type TrackedAppend, withCall } from '../erp-fixture.js';
import { RAW_EVENT_TYPE, streamCountsProjection } from '../stream-counts.js';
import { ack, argv, seededRandom, sleep, waitForGo } from './child-support.js';

const [database, directory, ackFile, seedText, round] = argv(
  5,
  'crash-child <database> <exportDirectory> <ackFile> <seed> <round>',
) as [string, string, string, string, string];
const random = seededRandom(Number(seedText));

await waitForGo();
const store = await openSqliteEventStore({ path: database });
const stamped = stampBatches(store);
const erp = createErp({ store: stamped, settings: ERP_SETTINGS, random });

const problem = (text: string): void => {
  process.stdout.write(`problem ${text.replaceAll('\n', ' ')}\n`);
};
const typedOnly = (where: string) => (error: unknown) => {
  if (!isOrdoError(error)) problem(`${where}: untyped ${String(error)}`);
};

// Recovery first happens inside these: the runner resumes from its checkpoints, the sink cuts its files back to
// the manifest. Small batches and short polls put kills in every part of their commit protocols.
const readModels = createErpReadModels({ mode: 'sqlite', store });
const runner = createProjectionRunner({
  store,
  projections: [...readModels.projections, streamCountsProjection()],
  batchSize: 1 + Math.floor(random() * 40),
  pollIntervalMs: 10,
  onError: (error, name) => typedOnly(`projection ${name}`)(error),
});
runner.start();

const exporter = createWarehouseExport({
  store,
  sink: createJsonlSink({ directory, durable: random() < 0.5 }),
  batchSize: 1 + Math.floor(random() * 30),
});
void (async () => {
  for (;;) {
    await exporter.run().catch(typedOnly('export'));
    await sleep(Math.floor(random() * 20));
  }
})();

let announced = false;
const acknowledge = (batches: readonly string[]): void => {
  for (const batch of batches) ack(ackFile, `ack ${batch}`);
  if (!announced && batches.length > 0) {
    announced = true;
    process.stdout.write('ready\n');
  }
};

const driver = createErpDriver(erp, random, `k${round}`, FULL_MIX);
const erpLoop = (async () => {
  for (;;) {
    const step = await driver.step();
    if (step.problem) problem(step.problem);
    acknowledge(step.committed);
  }
})();

const rawLoop = (async () => {
  for (let sequence = 0; ; sequence++) {
    const size = 1 + Math.floor(random() * 20);
    const events = Array.from({ length: size }, (_, index) => ({
      type: RAW_EVENT_TYPE,
      data: { round, sequence, index, note: uuidV7() },
    }));
    const streamId = `raw-${Math.floor(random() * 5)}`;
    const hooked = random() < 0.4;
    const appends: TrackedAppend[] = [];
    try {
      await withCall(async () => {
        if (random() < 0.3) {
          const half = Math.ceil(size / 2);
          const entries: StreamAppend[] = [
            { streamId, events: events.slice(0, half), expectedVersion: 'any' },
            { streamId: `raw-pair-${Math.floor(random() * 3)}`, events: events.slice(half), expectedVersion: 'any' },
          ];
          await stamped.appendMany(entries.filter((entry) => entry.events.length > 0));
        } else {
          await stamped.appendToStream(streamId, events, {
            expectedVersion: 'any',
            ...(hooked ? { beforeCommit: () => new Promise<void>((resolve) => setImmediate(resolve)) } : {}),
          });
        }
      }, appends);
    } catch (error) {
      typedOnly('raw append')(error);
    }
    acknowledge(committedBatches(appends));
    await sleep(0);
  }
})();

await Promise.all([erpLoop, rawLoop]);
