/**
 * `npm run bench`: runs every workload (or `--only w1,w2`) against every store (or `--stores memory,sqlite`),
 * each (workload, store) in its own child process on fresh storage, and prints one JSON line per pair on
 * stdout, then a human-readable summary with each target met or missed on stderr.
 *
 * Options:
 * - `--quick`: every workload at 1% of its size, no assertions on the targets (CI).
 * - `--only w1,w5`: these workloads (ids or names).
 * - `--stores memory,sqlite,postgres`: these stores. `postgres` is the server at `ORDO_PG_URL`, or PGlite
 *   (in memory, labelled `"driver":"pglite"`) when the variable is unset.
 * - `--no-assert`: exit 0 even when a target is missed (a full run exits 1 then, a quick run never does).
 *
 * A failed or timed-out run prints `{"workload","store","error"}` and makes the exit code 1.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainModule } from './lib/main-module.js';
import { checkTargets, errorLine, type ResultLine } from './lib/result.js';
import { STORE_NAMES, type StoreName, type Workload } from './lib/types.js';
import { postgresUrl } from './targets/index.js';
import { findWorkload, WORKLOADS } from './workloads/index.js';

/** The parsed command line. */
interface Options {
  readonly quick: boolean;
  readonly assert: boolean;
  readonly workloads: readonly Workload[];
  readonly stores: readonly StoreName[];
}

const USAGE = `Usage: npm run bench -- [--quick] [--only w1,w2] [--stores memory,sqlite,postgres] [--no-assert]
Workloads: ${WORKLOADS.map((workload) => `${workload.id} (${workload.name})`).join(', ')}
PostgreSQL: set ORDO_PG_URL=postgres://user@host:port/db to use a server; PGlite otherwise.`;

/** Reads `--name value` or `--name=value`. */
function flagValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === `--${name}`) return argv[i + 1];
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

function parseOptions(argv: readonly string[]): Options {
  const known = new Set(['--quick', '--no-assert', '--only', '--stores', '--help', '-h']);
  argv.forEach((arg, index) => {
    const previous = argv[index - 1];
    const isValue = previous === '--only' || previous === '--stores';
    if (!isValue && !known.has(arg.split('=')[0] as string)) throw new Error(`unknown option "${arg}"\n${USAGE}`);
  });
  const list = (name: string): string[] | undefined =>
    flagValue(argv, name)
      ?.split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  const workloads = (list('only') ?? WORKLOADS.map((workload) => workload.id)).map((id) => {
    const workload = findWorkload(id);
    if (!workload) throw new Error(`unknown workload "${id}"\n${USAGE}`);
    return workload;
  });
  const stores = (list('stores') ?? [...STORE_NAMES]).map((store) => {
    if (!STORE_NAMES.includes(store as StoreName)) throw new Error(`unknown store "${store}"\n${USAGE}`);
    return store as StoreName;
  });
  const quick = argv.includes('--quick');
  return { quick, assert: !quick && !argv.includes('--no-assert'), workloads, stores };
}

const CHILD_SCRIPT = fileURLToPath(new URL('./lib/child.ts', import.meta.url));

/**
 * Runs `workloads` against `store` in one child process with this process's loader flags (tsx) and
 * `--expose-gc`, and returns one line per workload. The child's stderr (progress) passes through; its stdout
 * is JSON lines. A workload whose line never came (crash, timeout) gets an error line.
 */
function runChild(
  workloads: readonly Workload[],
  store: StoreName,
  quick: boolean,
  env: NodeJS.ProcessEnv,
): Promise<ResultLine[]> {
  const budget = workloads.reduce((sum, workload) => sum + workload.timeoutMs, 0);
  const timeoutMs = quick ? Math.max(90_000, budget / 10) : budget;
  const ids = workloads.map((workload) => workload.id).join(',');
  const args = [...process.execArgv, '--expose-gc', CHILD_SCRIPT, '--workloads', ids, '--store', store];
  if (quick) args.push('--quick');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
    let stdout = '';
    let failure: string | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
    });
    const timer = setTimeout(() => {
      failure = `timed out after ${timeoutMs / 1000} s`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      failure = `could not start: ${error.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const lines = stdout
        .split('\n')
        .filter((text) => text.startsWith('{'))
        .map((text) => JSON.parse(text) as ResultLine);
      const reason = failure ?? `the run ended (${signal ?? `exit code ${code}`}) before reporting`;
      const missing = workloads.some((workload) => !lines.some((line) => line.workload === workload.name));
      const answer = workloads.map(
        (workload) => lines.find((line) => line.workload === workload.name) ?? errorLine(workload.name, store, reason),
      );
      if (missing && store === 'postgres' && child.pid !== undefined) {
        dropLeftoverSchemas(child.pid).finally(() => resolve(answer));
      } else {
        resolve(answer);
      }
    });
  });
}

/**
 * Drops the schemas a killed or crashed child left on the PostgreSQL server (their names carry its pid), so
 * a failed run does not leave tables behind.
 */
async function dropLeftoverSchemas(pid: number): Promise<void> {
  const url = postgresUrl();
  if (url === undefined) return;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ name: string }>(
      `SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE $1`,
      [`ordo_bench_${pid}_%`],
    );
    for (const { name } of rows) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  } catch (error) {
    process.stderr.write(`could not drop the schemas of run ${pid}: ${String(error)}\n`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Pads a table cell. */
const cell = (value: unknown, width: number): string => String(value ?? '').padEnd(width);

/** Prints the summary table to stderr and returns how many targets were missed. */
function summarise(results: readonly { workload: Workload; line: ResultLine }[], options: Options): number {
  const write = (text: string): void => void process.stderr.write(`${text}\n`);
  write('');
  write(`Ordo bench summary (${options.quick ? 'quick: 1% sizes, targets not asserted' : 'full run'})`);
  write(`node ${process.version}, ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}`);
  write(
    [
      cell('workload', 18),
      cell('store', 9),
      cell('per_sec', 10),
      cell('baseline/s', 11),
      cell('ratio', 6),
      cell('p50_ms', 8),
      cell('p99_ms', 8),
      cell('rss_mb', 7),
      'targets',
    ].join(' '),
  );
  let missed = 0;
  for (const { workload, line } of results) {
    const store = line.driver === 'pglite' ? 'pglite' : line.store;
    if (typeof line.error === 'string') {
      write(`${cell(line.workload, 18)} ${cell(store, 9)} FAILED: ${line.error}`);
      continue;
    }
    const verdicts = checkTargets(workload, line).map((check) => {
      if (!check.met) missed += 1;
      const verdict = options.quick ? 'not asserted' : check.met ? 'MET' : 'MISSED';
      return `${check.description}: ${check.actual ?? '?'} ${verdict}`;
    });
    write(
      [
        cell(line.workload, 18),
        cell(store, 9),
        cell(line.per_sec, 10),
        cell(line.baseline_per_sec, 11),
        cell(line.ratio, 6),
        cell(line.p50_ms, 8),
        cell(line.p99_ms, 8),
        cell(line.peak_rss_mb, 7),
        verdicts.join('; ') || '-',
      ].join(' '),
    );
  }
  return missed;
}

/**
 * Runs the benchmark for a command line and returns the process exit code: 1 when a run failed, or (in a
 * full run without `--no-assert`) a target was missed.
 */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  const options = parseOptions(argv);
  if (options.stores.includes('postgres')) {
    const url = postgresUrl();
    process.stderr.write(
      url === undefined
        ? 'postgres: ORDO_PG_URL is not set, using PGlite (in-process, in memory)\n'
        : `postgres: server at ${url.replace(/\/\/[^@/]*@/, '//***@')}\n`,
    );
  }
  // A full run isolates every (workload, store) in its own process: fresh heap, its own peak RSS. A quick
  // run starts one process per store, since there start-up time would dominate.
  const batches: { store: StoreName; workloads: readonly Workload[] }[] = options.quick
    ? options.stores.map((store) => ({ store, workloads: options.workloads }))
    : options.workloads.flatMap((workload) => options.stores.map((store) => ({ store, workloads: [workload] })));
  const results: { workload: Workload; line: ResultLine }[] = [];
  let failed = 0;
  // Children put their SQLite files under one directory of this run, removed at the end even if a child was
  // killed before it could clean up.
  const scratch = await mkdtemp(join(tmpdir(), 'ordo-bench-'));
  const env = { ...process.env, ORDO_BENCH_TMPDIR: scratch };
  try {
    for (const batch of batches) {
      const names = batch.workloads.map((workload) => workload.name).join(', ');
      process.stderr.write(`${names} on ${batch.store}${options.quick ? ' (quick)' : ''}\n`);
      const lines = await runChild(batch.workloads, batch.store, options.quick, env);
      batch.workloads.forEach((workload, index) => {
        const line = lines[index] as ResultLine;
        if (typeof line.error === 'string') failed += 1;
        process.stdout.write(`${JSON.stringify(line)}\n`);
        results.push({ workload, line });
      });
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  // Workload-major order in the summary, whatever order the processes ran in.
  results.sort(
    (a, b) =>
      options.workloads.indexOf(a.workload) - options.workloads.indexOf(b.workload) ||
      options.stores.indexOf(a.line.store as StoreName) - options.stores.indexOf(b.line.store as StoreName),
  );
  const missed = summarise(results, options);
  if (failed > 0) process.stderr.write(`${failed} run(s) failed\n`);
  if (missed > 0 && !options.quick) {
    process.stderr.write(`${missed} target(s) missed${options.assert ? '' : ' (not asserted: --no-assert)'}\n`);
  }
  return failed > 0 || (options.assert && missed > 0) ? 1 : 0;
}

if (isMainModule(import.meta.url)) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
