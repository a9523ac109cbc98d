/**
 * What a command is, and the plumbing every command shares: opening and always closing the store, and the
 * output settings.
 */
import type { CliIo } from './cli-io.js';
import {
  type OpenedStore,
  type OpenStoreMode,
  openStore,
  type StoreOptionValues,
  storeOptionsFrom,
} from './open-store.js';
import type { ProgressOptions } from './progress.js';

/** One top-level command (`migrate`, `export`, `projections`, `stream`, `dead-letters`). */
export interface CliCommand {
  /** The word that selects it. */
  readonly name: string;
  /** One line for the global help. */
  readonly summary: string;
  /** The full help (`ordo <command> --help`). */
  help(args: readonly string[]): string;
  /** Runs it on the arguments after its name; resolves to the exit code. Throws what the CLI classifies. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Output settings from the global options. */
export interface OutputSettings {
  /** `--json`: JSON Lines on stdout. */
  readonly json: boolean;
  /** Progress bars (off with `--json` or `--no-progress`). */
  readonly progress: ProgressOptions;
}

/** Reads `--json` and `--no-progress`. */
export function outputSettings(values: { readonly json?: boolean; readonly 'no-progress'?: boolean }): OutputSettings {
  const json = values.json === true;
  return { json, progress: { enabled: !json && values['no-progress'] !== true } };
}

/** Opens the store the options name, runs `work` on it, and closes it whatever happens. */
export async function withStore<T>(
  values: StoreOptionValues,
  io: CliIo,
  mode: OpenStoreMode,
  work: (opened: OpenedStore) => Promise<T>,
): Promise<T> {
  const opened = await openStore(storeOptionsFrom(values, io), mode);
  try {
    return await work(opened);
  } finally {
    await opened.close().catch(() => undefined);
  }
}
