/**
 * Progress bars for long work (exports, rebuilds), drawn with `cli-progress` on stderr. Only on a terminal and
 * never with `--json`: in a pipe, a log file or a script the bar's redraws would be noise, so it is a no-op.
 */
import { Writable } from 'node:stream';
import cliProgress from 'cli-progress';
import type { CliIo } from './cli-io.js';

/** One bar. Every method is safe to call on a disabled bar. */
export interface ProgressBar {
  /** Shows `done` of `total`; starts the bar on the first call. `detail` is shown after the counts. */
  update(done: number, total: number, detail?: string): void;
  /** Draws the last state and ends the bar's line. Idempotent. */
  stop(): void;
}

/** Whether to draw bars, and where. */
export interface ProgressOptions {
  /** False with `--json` or `--no-progress`. */
  readonly enabled: boolean;
}

const NO_BAR: ProgressBar = { update() {}, stop() {} };

/** True when bars will actually be drawn: enabled and stderr is a terminal. */
export function progressVisible(io: CliIo, options: ProgressOptions): boolean {
  return options.enabled && io.isTTY;
}

/**
 * Creates a bar labelled `label`, or a no-op when bars are not visible (see {@link progressVisible}).
 *
 * @example
 * ```ts
 * const bar = createProgressBar(io, { enabled: !json }, 'export');
 * try {
 *   await exporter.run(); // onProgress: (p) => bar.update(p.processed, p.total, `${p.events} events`)
 * } finally {
 *   bar.stop();
 * }
 * ```
 */
export function createProgressBar(io: CliIo, options: ProgressOptions, label: string): ProgressBar {
  if (!progressVisible(io, options)) return NO_BAR;
  // cli-progress draws on a stream; this one forwards to the CLI's stderr writer, and says it is a terminal
  // (checked above) so that the bar redraws in place.
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        void io.stderr(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
        callback();
      },
    }),
    { isTTY: true, columns: io.columns ?? 80 },
  );
  const bar = new cliProgress.SingleBar({
    stream,
    format: `${label} [{bar}] {percentage}% | {value}/{total} positions | ETA {eta_formatted} {detail}`,
    barsize: 30,
    hideCursor: false,
    clearOnComplete: false,
    etaBuffer: 20,
  });
  let started = false;
  let stopped = false;
  return {
    update(done, total, detail = '') {
      if (stopped) return;
      // A store can grow while the work runs: the total is the head when last looked, never below what is done.
      const safeTotal = Math.max(total, done);
      // Nothing to cover (an empty store): a bar would only say 0/0.
      if (safeTotal === 0) return;
      if (!started) {
        started = true;
        bar.start(safeTotal, done, { detail });
        return;
      }
      bar.setTotal(safeTotal);
      bar.update(done, { detail });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (started) bar.stop();
    },
  };
}
