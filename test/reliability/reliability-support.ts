/**
 * Plumbing shared by the reliability suite: the environment knobs, the one JSON result line every test prints,
 * child processes started ahead of time and released on cue, temp directories, the PostgreSQL server, and a guard
 * that fails a test on any unhandled promise rejection.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import { isOrdoError, type OrdoError } from '../../src/kernel/errors.js';

/** Seconds each concurrency run lasts (env `ORDO_RELIABILITY_SECONDS`). */
export const RELIABILITY_SECONDS = positiveNumber('ORDO_RELIABILITY_SECONDS', 30);

/** Seconds the mixed soak lasts (env `ORDO_SOAK_SECONDS`). */
export const SOAK_SECONDS = positiveNumber('ORDO_SOAK_SECONDS', 60);

/** The PostgreSQL server the connection-loss, concurrency and injection tests use (env `ORDO_PG_URL`). */
export const PG_URL = process.env.ORDO_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** A seed for the randomised parts (env `ORDO_RELIABILITY_SEED`), printed so that a failing run can be replayed. */
export const RELIABILITY_SEED = positiveNumber('ORDO_RELIABILITY_SEED', Date.now() % 0x7fff_ffff);

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

/** What every reliability test reports: one JSON line, and it fails on any non-zero of the last three. */
export interface ReliabilityResult {
  /** The test's short name. */
  readonly test: string;
  /** Operations attempted (appends, use-case calls, batches, reads): the denominator of the other figures. */
  readonly operations: number;
  /** Faults injected (kills, terminated backends, corrupted rows, hostile inputs). */
  readonly faults: number;
  /** Acknowledged writes that are gone. */
  readonly lost: number;
  /** Writes (events, batches, rows) stored or applied more than once. */
  readonly duplicated: number;
  /**
   * Every other broken guarantee: a partial batch, a damaged file, a read model that differs from its rebuild, an
   * error that is not a typed `OrdoError`, a write made by a rejected command, an unhandled rejection.
   */
  readonly corrupt: number;
}

/**
 * Prints the result as one JSON line (also appended to the file named by env `ORDO_RELIABILITY_RESULTS`, which
 * docs/reliability.md's table is made from), then fails the test when anything was lost, duplicated or corrupt,
 * listing the first problems found.
 */
export function reportResult(result: ReliabilityResult, problems: readonly string[]): void {
  const line = JSON.stringify({
    test: result.test,
    operations: result.operations,
    faults: result.faults,
    lost: result.lost,
    duplicated: result.duplicated,
    corrupt: result.corrupt,
  });
  process.stdout.write(`${line}\n`);
  const file = process.env.ORDO_RELIABILITY_RESULTS;
  if (file) appendFileSync(file, `${line}\n`);
  const shown = problems.slice(0, 40).join('\n');
  expect(
    { lost: result.lost, duplicated: result.duplicated, corrupt: result.corrupt },
    `${result.test}: ${problems.length} problem(s) (replay with ORDO_RELIABILITY_SEED=${RELIABILITY_SEED})\n${shown}`,
  ).toEqual({ lost: 0, duplicated: 0, corrupt: 0 });
}

/** Problems found by a check, sorted into the three buckets of a {@link ReliabilityResult}. */
export class Tally {
  readonly lost: string[] = [];
  readonly duplicated: string[] = [];
  readonly corrupt: string[] = [];
  operations = 0;
  faults = 0;

  /** Every problem, bucket first, for the failure message. */
  get problems(): string[] {
    return [
      ...this.lost.map((problem) => `lost: ${problem}`),
      ...this.duplicated.map((problem) => `duplicated: ${problem}`),
      ...this.corrupt.map((problem) => `corrupt: ${problem}`),
    ];
  }

  /** Prints and checks the result line of this tally. */
  report(test: string): void {
    reportResult(
      {
        test,
        operations: this.operations,
        faults: this.faults,
        lost: this.lost.length,
        duplicated: this.duplicated.length,
        corrupt: this.corrupt.length,
      },
      this.problems,
    );
  }

  /**
   * Records `error` as a broken guarantee unless it is an `OrdoError` whose code is one of `codes` (any code when
   * none are given). Returns the error when it was acceptable.
   */
  expectOrdoError(error: unknown, where: string, codes?: readonly string[]): OrdoError | undefined {
    if (isOrdoError(error) && (codes === undefined || codes.includes(error.code))) return error;
    this.corrupt.push(`${where}: unexpected ${describeError(error)}`);
    return undefined;
  }
}

/** A short description of any thrown value, for problem lists. */
export function describeError(error: unknown): string {
  if (isOrdoError(error)) return `${error.name} ${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `non-error ${typeof error}: ${String(error)}`;
}

/**
 * Collects the unhandled promise rejections and uncaught exceptions of this process from now on (an unhandled
 * `'error'` event of a driver object arrives as an uncaught exception). A test file installs it in `beforeAll` and
 * counts what it collected as corrupt: either is a bug even when every assertion passed.
 */
export function watchProcessFaults(): { drain(): string[]; stop(): void } {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    seen.push(reason);
  };
  const onException = (error: unknown): void => {
    seen.push(error);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    /** What was collected since the last call, described; the list starts over. */
    drain: () => seen.splice(0).map((reason) => `unhandled rejection or uncaught exception: ${describeError(reason)}`),
    stop: () => {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}

/**
 * Runs a read that may meet a connection killed just before (the pool hands out an idle client whose backend is
 * gone before its socket reports it): retries `STORE_UNAVAILABLE` a few times, anything else propagates.
 */
export async function retryUnavailable<T>(read: () => Promise<T>, attempts = 20): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= attempts || !isOrdoError(error, 'STORE_UNAVAILABLE')) throw error;
      await sleep(20 * attempt);
    }
  }
}

/** Reads an async iterable to the end. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** xorshift32: reproducible choices from a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

/** Sleeps `ms` milliseconds (to space out injected faults, never to assert on time). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A temp directory removed by `dispose`. */
export function tempDirectory(prefix: string): { readonly path: string; file(name: string): string; dispose(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file: (name) => join(path, name),
    dispose: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** A child script of this folder, started with tsx: its output lines as they come, and how it ended. */
export interface Child {
  readonly process: ChildProcess;
  /** Every line printed on stdout after `loaded`. */
  readonly lines: string[];
  /** Resolves once the child has loaded its modules (it then waits for {@link Child.go}). */
  readonly loaded: Promise<void>;
  /** How the child ended, with everything it wrote on stderr. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  /** Lets the child start its work. */
  go(): void;
  /** Calls `listener` with each later stdout line. */
  onLine(listener: (line: string) => void): void;
  /** SIGKILLs the child (a no-op once it has exited). */
  kill(): void;
}

/**
 * Spawns `node --import tsx test/reliability/children/<name> ...args`. The child prints `loaded` once its modules
 * are in and waits for `go` on stdin (see `children/child-support.ts`): loading TypeScript through tsx takes a
 * second or more on a busy machine, so a test starts children ahead of time and releases them when it wants.
 */
export function startChild(name: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): Child {
  const script = join(import.meta.dirname, 'children', name);
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const listeners: ((line: string) => void)[] = [];
  let stderr = '';
  let partial = '';
  let markLoaded!: () => void;
  const loadedSignal = new Promise<void>((resolve) => {
    markLoaded = resolve;
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      if (line === 'loaded') {
        markLoaded();
        continue;
      }
      lines.push(line);
      for (const listener of listeners) listener(line);
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  // Writing `go` to a child that already died fails; its exit status tells the story instead.
  child.stdin.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
    },
  );
  const loaded = Promise.race([
    loadedSignal,
    exited.then(({ code, stderr: output }) => {
      throw new Error(`child ${name} exited (code ${code}) before loading:\n${output}`);
    }),
  ]);
  // A child killed before the test awaits `loaded` must not leave a rejection nobody handles.
  loaded.catch(() => undefined);
  return {
    process: child,
    lines,
    loaded,
    exited,
    go: () => child.stdin.write('go\n'),
    onLine: (listener) => listeners.push(listener),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

let schemaCounter = 0;

/** A schema name no other run uses; it matches the store's schema pattern. */
export function uniqueSchema(prefix: string): string {
  schemaCounter += 1;
  const random = Math.random().toString(36).slice(2, 8);
  return `ordo_rel_${prefix}_${process.pid}_${schemaCounter}_${random}`.toLowerCase().slice(0, 63);
}

/**
 * A pool on the real server, with `application_name` set so a test can find (and terminate) exactly its own
 * backends. Idle clients whose connection is killed emit `'error'` on the pool: ignored, the next checkout
 * connects anew.
 */
export function serverPool(applicationName: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: PG_URL, max, application_name: applicationName });
  pool.on('error', () => undefined);
  return pool;
}

/** Fails fast, with the way to start it, when the PostgreSQL server is not reachable. */
export async function assertServerReachable(): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `The reliability suite needs a PostgreSQL server at ${PG_URL} (env ORDO_PG_URL): ${describeError(error)}. ` +
        'Start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Terminates every backend of `applicationName` (except the caller's own); returns how many it terminated. */
export async function terminateBackends(admin: pg.Pool | pg.Client, applicationName: string): Promise<number> {
  const result = await admin.query<{ terminated: boolean }>(
    'SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
    [applicationName],
  );
  return result.rows.filter((row) => row.terminated).length;
}

/** Drops a schema made by {@link uniqueSchema}. */
export async function dropSchema(client: pg.Pool | pg.Client, schema: string): Promise<void> {
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
