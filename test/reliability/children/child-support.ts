/**
 * What every child script of the reliability suite shares: the start protocol (print `loaded`, wait for `go`), a
 * seeded random source, and an acknowledgement log written synchronously, so that a line in it always means the
 * write it names had committed before the line was written.
 */
import { appendFileSync } from 'node:fs';

/** Prints `loaded` and resolves when the parent writes `go` on stdin. */
export function waitForGo(): Promise<void> {
  process.stdout.write('loaded\n');
  return new Promise((resolve) => {
    let buffered = '';
    process.stdin.setEncoding('utf8');
    const onData = (chunk: string): void => {
      buffered += chunk;
      if (buffered.split('\n').includes('go')) {
        process.stdin.off('data', onData);
        // An open stdin pipe would keep the event loop alive after the work is done.
        process.stdin.destroy();
        resolve();
      }
    };
    process.stdin.on('data', onData);
  });
}

/** xorshift32, so a run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

/** Appends one line to an acknowledgement file, synchronously: once this returns, the line is in the file. */
export function ack(file: string, line: string): void {
  appendFileSync(file, `${line}\n`);
}

/** The command-line arguments after the script, or a usage error. */
export function argv(count: number, usage: string): string[] {
  const args = process.argv.slice(2);
  if (args.length < count || args.slice(0, count).some((arg) => arg === undefined || arg === '')) {
    throw new Error(`usage: ${usage}`);
  }
  return args;
}

/** Sleeps `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
