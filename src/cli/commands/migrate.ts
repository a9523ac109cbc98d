/**
 * `ordo migrate`: creates or upgrades the store's schema. Idempotent, and safe to run from several deploy
 * jobs at once (each store serialises its migrations under a lock).
 */
import { expectPositionals, GLOBAL_OPTIONS_HELP, parseCommandArgs } from '../cli-args.js';
import { type CliCommand, outputSettings, withStore } from '../cli-command.js';
import { CliError, EXIT_CODES } from '../cli-errors.js';
import { writeJsonLine } from '../cli-output.js';
import { readSchemaState } from '../open-store.js';

const USAGE = 'ordo migrate --store <path | url> [--schema name | --prefix prefix] [--json]';

/** What `ordo migrate --json` prints. */
export interface MigrateOutput {
  /** `sqlite` or `postgres`. */
  readonly store: 'sqlite' | 'postgres';
  /** The SQLite file as given, or the URL with its password masked. */
  readonly location: string;
  /** SQLite: the table prefix. */
  readonly tablePrefix?: string;
  /** PostgreSQL: the schema. */
  readonly schema?: string;
  /** Schema versions applied by this run; empty when the schema was current. */
  readonly applied: readonly number[];
  /** The schema version now. */
  readonly version: number;
}

/** The `migrate` command. */
export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'Create or upgrade the store schema (creates the SQLite file when missing)',
  help: () => `Usage: ${USAGE}

Creates the event store's tables, or upgrades them to this version of Ordo. Safe to run again (it does
nothing when the schema is current) and from several processes at once. A missing SQLite file is created;
a missing PostgreSQL schema is created in the database.

Examples:
  ordo migrate --store ./erp.sqlite
  ordo migrate --store postgres://app@db.internal:5432/erp --schema ordo --json

${GLOBAL_OPTIONS_HELP}
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {});
    expectPositionals(positionals, 0, USAGE);
    const output = outputSettings(values);
    return withStore(values, io, { create: true }, async (opened) => {
      // The stores refuse a schema newer than they know; said here with the exit code for "not usable yet".
      const before = await readSchemaState(opened);
      if (before.version !== undefined && before.version > before.expected) {
        throw new CliError(
          'SCHEMA_NEWER',
          `The store at ${opened.display} is at schema version ${before.version}, newer than this Ordo knows (${before.expected}): upgrade Ordo`,
          EXIT_CODES.notReady,
        );
      }
      const result = await opened.store.migrate();
      const summary: MigrateOutput = {
        store: opened.kind,
        location: opened.location,
        ...(opened.kind === 'sqlite' ? { tablePrefix: opened.tablePrefix } : { schema: opened.store.schema }),
        applied: result.applied,
        version: result.version,
      };
      if (output.json) {
        await writeJsonLine(io.stdout, summary);
      } else if (result.applied.length === 0) {
        await io.stdout(`${opened.display}: schema already at version ${result.version}, nothing to do\n`);
      } else {
        await io.stdout(
          `${opened.display}: applied migration${result.applied.length === 1 ? '' : 's'} ${result.applied.join(', ')}; schema at version ${result.version}\n`,
        );
      }
      return EXIT_CODES.ok;
    });
  },
};
