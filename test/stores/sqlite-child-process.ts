/**
 * Runs the TypeScript fixtures of the SQLite integration tests as child processes. A child loads its modules
 * (slow under tsx), prints `loaded`, and waits for `go` on stdin before it touches the database, so that a
 * test can start children ahead of time and release them exactly when it wants.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The path of a fixture script in test/fixtures. */
export function fixturePath(name: string): string {
  return join(import.meta.dirname, '..', 'fixtures', name);
}

/** A fixture child: its lines of output as they come, and how it ended. */
export interface FixtureChild {
  readonly process: ChildProcess;
  /** Resolves once the child has loaded its modules. */
  readonly loaded: Promise<void>;
  /** Resolves with how the child exited; also carries everything it wrote to stderr. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  /** Tells the child to start. */
  go(): void;
  /** Calls `listener` with each line the child prints on stdout (after `loaded`). */
  onLine(listener: (line: string) => void): void;
}

/** Spawns `node --import tsx <fixture> ...args`. */
export function startFixture(name: string, args: readonly string[]): FixtureChild {
  const child = spawn(process.execPath, ['--import', 'tsx', fixturePath(name), ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const listeners: ((line: string) => void)[] = [];
  let stderr = '';
  let buffered = '';
  let markLoaded!: () => void;
  const loaded = new Promise<void>((resolve) => {
    markLoaded = resolve;
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line === 'loaded') markLoaded();
      else for (const listener of listeners) listener(line);
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  // A child killed before it reads stdin makes writes to it fail; that is expected, not an error.
  child.stdin.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
    },
  );
  return {
    process: child,
    loaded: Promise.race([
      loaded,
      exited.then(({ code, stderr: output }) => {
        throw new Error(`fixture ${name} exited (code ${code}) before loading: ${output}`);
      }),
    ]),
    exited,
    go: () => child.stdin.write('go\n'),
    onLine: (listener) => listeners.push(listener),
  };
}
