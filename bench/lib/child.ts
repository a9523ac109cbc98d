/**
 * Runs workloads against one store in this process, each on a fresh target, and prints one JSON line per
 * workload on stdout (an `error` line when a workload fails). The runner starts one such process per
 * (workload, store) in a full run, so that each has fresh storage, a fresh heap and its own peak RSS, and one
 * per store in a quick run, where start-up time matters more than isolation.
 *
 * Usage: `node --import tsx --expose-gc bench/lib/child.ts --workloads w1,w2 --store sqlite [--quick]`
 */
import { createTarget, disposeTargets } from '../targets/index.js';
import { findWorkload } from '../workloads/index.js';
import { now } from './measure.js';
import { errorLine, toResultLine } from './result.js';
import { type RunContext, STORE_NAMES, type StoreName, type Workload } from './types.js';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

const storeName = argument('store') ?? '';
const quick = process.argv.includes('--quick');
if (!STORE_NAMES.includes(storeName as StoreName)) throw new Error(`unknown store "${storeName}"`);
const workloads = (argument('workloads') ?? '').split(',').map((id) => {
  const workload = findWorkload(id);
  if (!workload) throw new Error(`unknown workload "${id}"`);
  return workload;
});

function contextFor(workload: Workload): RunContext {
  return {
    quick,
    scale: (size, min = 1) => (quick ? Math.max(min, Math.round(size / 100)) : size),
    log: (message) => process.stderr.write(`  [${workload.id} ${storeName}] ${message}\n`),
  };
}

let failed = false;
for (const workload of workloads) {
  let line: ReturnType<typeof toResultLine>;
  const started = now();
  try {
    const target = await createTarget(storeName as StoreName);
    try {
      line = toResultLine(workload, target, await workload.run(target, contextFor(workload)), quick);
    } finally {
      await target.close();
    }
  } catch (error) {
    failed = true;
    process.stderr.write(`  [${workload.id} ${storeName}] FAILED: ${error instanceof Error ? error.stack : error}\n`);
    line = errorLine(workload.name, storeName, error instanceof Error ? error.message : String(error));
  }
  process.stdout.write(`${JSON.stringify(line)}\n`);
  process.stderr.write(`  [${workload.id} ${storeName}] done in ${((now() - started) / 1000).toFixed(1)} s\n`);
}
if (storeName === 'postgres') await disposeTargets();
process.exitCode = failed ? 1 : 0;
