#!/usr/bin/env node
/**
 * The `ordo` executable: wires {@link runCli} to the process (arguments, stdout/stderr, Ctrl-C, exit code).
 * No top-level await, so that the same file builds as CommonJS too.
 */
import { once } from 'node:events';
import type { CliIo, CliWriter } from './cli-io.js';
import { runCli } from './run-cli.js';

/** Writes to a stream, waiting for 'drain' when the pipe is full, so that a long listing never piles up in memory. */
function writerFor(stream: NodeJS.WriteStream): CliWriter {
  return (text) => {
    if (stream.write(text)) return undefined;
    return once(stream, 'drain').then(() => undefined);
  };
}

// A reader that stops early (`ordo stream show ... | head`) closes the pipe: that is the end, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const io: CliIo = {
  stdout: writerFor(process.stdout),
  stderr: writerFor(process.stderr),
  isTTY: process.stderr.isTTY === true,
  ...(process.stderr.isTTY ? { columns: process.stderr.columns } : {}),
  env: process.env,
  cwd: process.cwd(),
  trapInterrupt(onInterrupt) {
    const handler = (): void => {
      // The first Ctrl-C asks the command to stop cleanly; with the listener gone, a second one ends the process.
      process.off('SIGINT', handler);
      onInterrupt();
    };
    process.on('SIGINT', handler);
    return () => {
      process.off('SIGINT', handler);
    };
  },
};

runCli(process.argv.slice(2), io).then(
  (code) => {
    // exitCode rather than exit(): pending output is flushed before the process ends.
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `ordo: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
