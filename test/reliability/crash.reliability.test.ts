/**
 * Crash safety on SQLite: a child process drives the ERP's use cases, appends raw batches, runs the async
 * projections and runs the warehouse export, all at once on one file, and is SIGKILLed at a random moment, round
 * after round. After every kill the file is checked as a restarted host would find it; at the end everything is
 * caught up and compared with a rebuild from position 0.
 */
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { createJsonlSink, createWarehouseExport, readExportManifest } from '../../src/export/index.js';
import { createProjectionRunner } from '../../src/kernel/projection-runner.js';
import { createErpReadModels } from '../../src/read-models/index.js';
import { createErp } from '../../src/services/erp.js';
import { createSqliteEventStore, openSqliteEventStore } from '../../src/stores/sqlite/index.js';
import { checkErpInvariants, checkLog, ERP_SETTINGS, rebuildErp, seedMasterData, stampBatches } from './erp-fixture.js';
import { checkExportAgainstReference, checkReadModelsAgainstRebuild, checkStreamCounts } from './rebuild-checks.js';
import {
  type Child,
  collect,
  RELIABILITY_SEED,
  seededRandom,
  startChild,
  Tally,
  tempDirectory,
  watchProcessFaults,
} from './reliability-support.js';
import { STREAM_COUNTS, streamCountsProjection } from './stream-counts.js';

/** Kill rounds (env `ORDO_CRASH_ROUNDS`). */
const ROUNDS = Number(process.env.ORDO_CRASH_ROUNDS || 10);
/** Children loading ahead of the running one: tsx takes a second or two to start on a busy machine. */
const PRELOADED = 2;

let temp: ReturnType<typeof tempDirectory>;
let faults: ReturnType<typeof watchProcessFaults>;
const children: Child[] = [];

beforeAll(() => {
  faults = watchProcessFaults();
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});
afterAll(() => {
  faults.stop();
  temp?.dispose();
});

describe('SQLite: SIGKILL during appends, projections and the export', () => {
  it(`keeps the file intact, every batch whole, every acknowledged batch stored, the projections exact at their checkpoints and the export rows exactly once across ${ROUNDS} kills`, async () => {
    const tally = new Tally();
    temp = tempDirectory('ordo-rel-crash-');
    const file = temp.file('erp.db');
    const exportDirectory = temp.file('export');
    const ackFile = temp.file('acks.log');
    const random = seededRandom(RELIABILITY_SEED);

    const seedStore = await openSqliteEventStore({ path: file });
    await seedMasterData(createErp({ store: stampBatches(seedStore), settings: ERP_SETTINGS }), '100000');
    await seedStore.close();

    const start = (round: number): Child => {
      const child = startChild('crash-child.ts', [
        file,
        exportDirectory,
        ackFile,
        String((RELIABILITY_SEED + round * 7919) >>> 0),
        String(round),
      ]);
      children.push(child);
      return child;
    };
    const waiting = Array.from({ length: Math.min(PRELOADED, ROUNDS) }, (_, round) => start(round));
    let exportedBefore = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const child = waiting.shift() as Child;
      if (round + waiting.length + 1 < ROUNDS) waiting.push(start(round + waiting.length + 1));
      await child.loaded;
      let timer: NodeJS.Timeout | undefined;
      child.onLine((line) => {
        if (line === 'ready') timer ??= setTimeout(() => child.kill(), 150 + Math.floor(random() * 1500));
      });
      // A child that never commits is killed anyway, and reported: the round injected nothing useful.
      let committed = false;
      child.onLine((line) => {
        committed ||= line === 'ready';
      });
      const deadline = setTimeout(() => child.kill(), 30_000);
      child.go();
      const { code, signal, stderr } = await child.exited;
      clearTimeout(timer);
      clearTimeout(deadline);
      if (!committed)
        tally.corrupt.push(`round ${round}: the child committed nothing in 30 s: ${stderr.slice(0, 500)}`);
      if (signal !== 'SIGKILL') tally.corrupt.push(`round ${round}: the child exited on its own (${code}): ${stderr}`);
      else tally.faults += 1;
      for (const line of child.lines) if (line.startsWith('problem ')) tally.corrupt.push(`round ${round}: ${line}`);

      // What a restarted host finds.
      const database = new Database(file);
      const integrity = database.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') tally.corrupt.push(`round ${round}: integrity_check says ${String(integrity)}`);
      const store = createSqliteEventStore({ database });
      const events = await collect(store.readAll());
      const batches = checkLog(tally, events, `round ${round}`);
      const acked = readFileSync(ackFile, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('ack '))
        .map((line) => line.slice(4));
      for (const batch of acked)
        if (!batches.has(batch)) tally.lost.push(`round ${round}: acknowledged batch ${batch}`);
      tally.operations = acked.length;
      const checkpoint = (await store.getCheckpoint(`projection:${STREAM_COUNTS}`)) ?? 0;
      checkStreamCounts(tally, database, events, checkpoint, `round ${round}`);
      const manifest = await readExportManifest(exportDirectory);
      const exported = manifest?.position ?? 0;
      if (exported < exportedBefore)
        tally.lost.push(`round ${round}: export went back from ${exportedBefore} to ${exported}`);
      exportedBefore = exported;
      await store.close();
      database.close();
    }
    for (const child of waiting) child.kill();

    // Restart once more, catch everything up, and compare with rebuilds.
    const store = await openSqliteEventStore({ path: file });
    const readModels = createErpReadModels({ mode: 'sqlite', store });
    await createProjectionRunner({
      store,
      projections: [...readModels.projections, streamCountsProjection()],
    }).catchUp();
    await createWarehouseExport({ store, sink: createJsonlSink({ directory: exportDirectory }) }).run();
    const events = await collect(store.readAll());
    checkLog(tally, events, 'final');
    checkStreamCounts(tally, store.database, events, Number.MAX_SAFE_INTEGER, 'final');
    checkErpInvariants(tally, rebuildErp(events), 'final');

    await checkReadModelsAgainstRebuild(tally, store, 'final');
    await checkExportAgainstReference(tally, store, exportDirectory, temp.file('reference'), 'final');
    await store.close();

    tally.corrupt.push(...faults.drain());
    tally.report('sqlite-crash-appends-projections-export');
  });
});
