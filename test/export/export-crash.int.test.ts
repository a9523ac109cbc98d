import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCsvSink, createWarehouseExport, readExportManifest } from '../../src/export/index.js';
import { createMemoryEventStore } from '../../src/index.js';
import { openSqliteEventStore } from '../../src/stores/sqlite/index.js';
import { collect, createErpWriter, parseCsv, seedErp, seededRandom, tempDirectory } from './export-test-support.js';

const KILLS = 6;
/** Children loading ahead of the running one: tsx takes a second or two to start on a busy machine. */
const PRELOADED = 2;
/** Small batches: many commits, so kills land in every step of the commit protocol. */
const BATCH_SIZE = 3;
const RUNNER = join(import.meta.dirname, '..', 'fixtures', 'export-crash-runner.ts');

interface Runner {
  readonly process: ChildProcess;
  readonly loaded: Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  /** Positions the child reported as committed, and whether it reported being done. */
  readonly acknowledged: number[];
  done: boolean;
  /** Calls `listener` with the number of batches reported so far, after each report. */
  onBatch(listener: (count: number) => void): void;
}

let temp: ReturnType<typeof tempDirectory>;
let children: ChildProcess[] = [];
beforeEach(() => {
  temp = tempDirectory('ordo-export-crash-');
});
afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children = [];
  temp.dispose();
});

function startRunner(database: string, directory: string): Runner {
  const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, database, directory, 'csv', String(BATCH_SIZE)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  let buffered = '';
  let markLoaded!: () => void;
  const batchListeners: ((count: number) => void)[] = [];
  const runner: Runner = {
    process: child,
    loaded: new Promise<void>((resolve) => {
      markLoaded = resolve;
    }),
    exited: new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
    }),
    acknowledged: [],
    done: false,
    onBatch: (listener) => batchListeners.push(listener),
  };
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line === 'loaded') markLoaded();
      else if (line.startsWith('batch ')) {
        runner.acknowledged.push(Number(line.slice(6)));
        for (const listener of batchListeners) listener(runner.acknowledged.length);
      } else if (line.startsWith('done ')) runner.done = true;
    }
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });
  // A child killed before it reads stdin makes writes to it fail; that is expected.
  child.stdin?.on('error', () => undefined);
  return runner;
}

/** Every table file of an export directory (the manifest and lock aside), with its bytes. */
function tableFiles(directory: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(directory).sort()) {
    if (name.endsWith('.csv')) files.set(name, readFileSync(join(directory, name), 'utf8'));
  }
  return files;
}

describe('warehouse export: crash safety', () => {
  // The time goes to starting children (tsx compiles the sources in each): seconds apiece on a loaded machine.
  it(`writes every row exactly once across ${KILLS} SIGKILLs at random moments of an export from SQLite`, {
    timeout: 180_000,
  }, async () => {
    // The history is written through the deciders into memory, then copied into the SQLite file in one go.
    const memory = createMemoryEventStore();
    await seedErp(createErpWriter(memory), { orders: 60, seed: 2026 });
    const database = join(temp.path, 'erp.db');
    const store = await openSqliteEventStore({ path: database });
    const events = await collect(memory.readAll());
    const streams = new Map<string, typeof events>();
    for (const event of events) streams.set(event.streamId, [...(streams.get(event.streamId) ?? []), event]);
    await store.appendMany(
      [...streams].map(([streamId, list]) => ({
        streamId,
        expectedVersion: 'no_stream' as const,
        events: list.map(({ type, data, metadata, eventId }) => ({ type, data, metadata, eventId })),
      })),
    );
    const head = await store.headPosition();

    // What one uninterrupted export writes: the files every crashed-and-resumed export must end up equal to.
    const referenceDirectory = join(temp.path, 'reference');
    await createWarehouseExport({
      store,
      sink: createCsvSink({ directory: referenceDirectory }),
      batchSize: 100,
    }).run();
    const reference = tableFiles(referenceDirectory);

    const directory = join(temp.path, 'export');
    const random = seededRandom(0x5eed);
    const waiting = Array.from({ length: PRELOADED }, () => startRunner(database, directory));
    let midExportKills = 0;
    let committed = 0;
    for (let round = 0; round < KILLS; round++) {
      const runner = waiting.shift() as Runner;
      if (round + waiting.length + 1 < KILLS) waiting.push(startRunner(database, directory));
      await runner.loaded;
      // Half the kills come at a random time after the start (so some land while the sink opens and recovers),
      // half right after a random one of the first batches the child reports (so they land mid-export, in some
      // step of the next commit, however fast or slow the machine is).
      let timer: NodeJS.Timeout | undefined;
      if (round % 2 === 0) {
        timer = setTimeout(() => runner.process.kill('SIGKILL'), 20 + Math.floor(random() * 250));
      } else {
        const killAt = 1 + Math.floor(random() * 8);
        runner.onBatch((count) => {
          if (count === killAt) timer = setTimeout(() => runner.process.kill('SIGKILL'), Math.floor(random() * 20));
        });
      }
      runner.process.stdin?.write('go\n');
      const { code, signal, stderr } = await runner.exited;
      clearTimeout(timer);
      if (signal !== 'SIGKILL' && code !== 0) throw new Error(`runner failed (code ${code}): ${stderr}`);

      const manifest = await readExportManifest(directory);
      const position = manifest?.position ?? 0;
      // A batch the child reported committed is never lost.
      expect(position, `round ${round}`).toBeGreaterThanOrEqual(Math.max(committed, ...runner.acknowledged));
      committed = position;
      if (runner.done) break;
      if (signal === 'SIGKILL' && runner.acknowledged.length > 0 && position < head) midExportKills += 1;
    }
    for (const runner of waiting) runner.process.kill('SIGKILL');

    // Run again until done: the export resumes at the last commit.
    const final = await createWarehouseExport({ store, sink: createCsvSink({ directory }), batchSize: 50 }).run();
    await store.close();
    expect(final.toPosition).toBe(head);
    expect(midExportKills, 'kills that landed in the middle of the export').toBeGreaterThanOrEqual(2);

    const written = tableFiles(directory);
    expect([...written.keys()]).toEqual([...reference.keys()]);
    for (const [file, text] of written) {
      const [header, ...records] = parseCsv(text);
      const keys = records.map((record) => record[0]);
      expect(header?.[0], file).toBe('row_key');
      expect(new Set(keys).size, `${file}: every row once`).toBe(keys.length);
      expect(text, file).toBe(reference.get(file));
    }
  });
});
