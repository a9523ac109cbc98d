/**
 * The CLI's window on the outside world, passed in rather than taken from `process`, so that tests run the
 * whole CLI in process and read what it printed.
 */

/** Writes text. May return a promise that settles once the text has been taken (back-pressure on a pipe). */
export type CliWriter = (text: string) => void | Promise<void>;

/** What {@link runCli} reads from and writes to. */
export interface CliIo {
  /** Results: tables, summaries, JSON lines. */
  readonly stdout: CliWriter;
  /** Errors, warnings and progress bars, so that stdout stays clean for pipes. */
  readonly stderr: CliWriter;
  /** True when stderr is a terminal: progress bars are drawn only then (and never with `--json`). */
  readonly isTTY: boolean;
  /** Width of the terminal, for progress bars. @defaultValue `80` */
  readonly columns?: number;
  /** Environment variables (`ORDO_STORE`). @defaultValue none */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths (`--store`, `--out`, `--handlers`) are resolved against. @defaultValue `process.cwd()` */
  readonly cwd?: string;
  /**
   * Lets a long command that can stop cleanly take over Ctrl-C while it runs: `onInterrupt` is called on
   * the first interrupt; the returned function gives Ctrl-C back. Without it Ctrl-C does what it always does.
   * @defaultValue none
   */
  readonly trapInterrupt?: (onInterrupt: () => void) => () => void;
}
