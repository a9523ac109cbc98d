/**
 * Command-line parsing shared by every command: the global options, `node:util` `parseArgs` in strict mode,
 * and checked conversions of option values.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { usageError } from './cli-errors.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Options every command takes: where the store is, how to talk to it, how to print. */
export const GLOBAL_OPTIONS = {
  store: { type: 'string' },
  schema: { type: 'string' },
  prefix: { type: 'string' },
  'busy-timeout': { type: 'string' },
  'connect-timeout': { type: 'string' },
  json: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionsConfig;

/** Help text of {@link GLOBAL_OPTIONS}, appended to every command's help. */
export const GLOBAL_OPTIONS_HELP = `Store options (every command):
  --store <path | url>      SQLite file path, or postgres://user:pass@host:port/db (env ORDO_STORE)
  --schema <name>           PostgreSQL schema holding the store's tables (default: ordo)
  --prefix <prefix>         SQLite table prefix (default: ordo_)
  --busy-timeout <ms>       SQLite: how long to wait for a locked file (default: 5000)
  --connect-timeout <ms>    PostgreSQL: how long to wait for a connection (default: 10000)

Output options:
  --json                    JSON Lines on stdout (one object per line); errors as JSON on stderr
  --no-progress             No progress bar (there is none anyway when stderr is not a terminal)
  -h, --help                This help`;

/** True when the arguments ask for help, wherever `--help` stands (checked before strict parsing). */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/**
 * Parses a command's arguments with the global options plus its own. Strict: an unknown option or a missing
 * value is a usage error (exit 2).
 */
export function parseCommandArgs<const O extends OptionsConfig>(args: readonly string[], options: O) {
  return parseArgs({
    args: [...args],
    options: { ...GLOBAL_OPTIONS, ...options },
    allowPositionals: true,
    strict: true,
  });
}

/**
 * Parses a whole-number option value. `undefined` stays `undefined`.
 *
 * @throws a usage error when the value is not an integer in `[min, max]`.
 */
export function parseIntegerOption(
  value: string | undefined,
  name: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  const number = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
    throw usageError(`--${name} must be ${range}, not "${value}"`);
  }
  return number;
}

/** Throws a usage error when there are more positional arguments than the command takes. */
export function expectPositionals(positionals: readonly string[], max: number, usage: string): void {
  if (positionals.length > max) {
    throw usageError(`Unexpected argument "${positionals[max]}". Usage: ${usage}`);
  }
}
