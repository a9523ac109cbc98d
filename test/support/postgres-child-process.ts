/**
 * Starts the PostgreSQL fixtures (test/fixtures/postgres-*.ts) as Node child processes running TypeScript through
 * tsx. A fixture prints `ready` once its modules are loaded and waits for `go` on stdin, so a test can release
 * several children at the same moment however long each took to load.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';

/** A running fixture: its stdout lines, a way to start it, and how it ended. */
export interface PostgresFixture {
  readonly child: ChildProcessWithoutNullStreams;
  /** Every line printed on stdout after `ready`, in order. */
  readonly lines: string[];
  /** Resolves when the fixture printed `ready`; rejects if it exited first. */
  readonly ready: Promise<void>;
  /** Resolves when the process exits, with its exit code and whatever it wrote on stderr. */
  readonly exit: Promise<{ readonly code: number | null; readonly stderr: string }>;
  /** Lets the fixture start its work. */
  go(): void;
}

/** Spawns `node --import tsx test/fixtures/<name> ...args` with the given extra environment. */
export function startPostgresFixture(
  name: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): PostgresFixture {
  const script = join(import.meta.dirname, '..', 'fixtures', name);
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  let partial = '';
  let markReady!: () => void;
  const readySignal = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      if (line === 'ready') markReady();
      else lines.push(line);
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  // Writing `go` to a child that already died fails; its exit code tells the story instead.
  child.stdin.on('error', () => undefined);
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
  const ready = Promise.race([
    readySignal,
    exit.then(({ code, stderr: output }) => {
      throw new Error(`fixture ${name} exited with code ${code} before it was ready:\n${output}`);
    }),
  ]);
  return { child, lines, ready, exit, go: () => child.stdin.write('go\n') };
}

/** For fixtures: resolves when the parent writes `go` on stdin. */
export function waitForGo(): Promise<void> {
  return new Promise((resolve) => {
    let buffered = '';
    process.stdin.setEncoding('utf8');
    const onData = (chunk: string): void => {
      buffered += chunk;
      if (buffered.split('\n').includes('go')) {
        process.stdin.off('data', onData);
        // An open stdin pipe keeps the event loop alive; the fixture must exit on its own once done.
        process.stdin.destroy();
        resolve();
      }
    };
    process.stdin.on('data', onData);
  });
}
