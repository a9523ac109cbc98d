/**
 * `ordo projections status` and `ordo projections rebuild`: the built-in ERP read models' projections (customer
 * order summary, daily sales dashboard, orders, stock levels, credit balances) as a host runs them on its
 * store, seen and rebuilt from the command line.
 */
import { ValidationError } from '../../kernel/errors.js';
import type { Projection } from '../../kernel/projection.js';
import {
  createProjectionRunner,
  type ProjectionRunner,
  type ProjectionStatus,
} from '../../kernel/projection-runner.js';
import { createErpReadModels, type SqlTransactionLike } from '../../read-models/index.js';
import { expectPositionals, GLOBAL_OPTIONS_HELP, parseCommandArgs, parseIntegerOption } from '../cli-args.js';
import { type CliCommand, outputSettings, withStore } from '../cli-command.js';
import { EXIT_CODES, usageError } from '../cli-errors.js';
import type { CliIo } from '../cli-io.js';
import { formatTable, plural, summarizeUnknownError, writeJsonLine } from '../cli-output.js';
import type { OpenedStore } from '../open-store.js';
import { createProgressBar, type ProgressOptions } from '../progress.js';

const STATUS_USAGE = 'ordo projections status --store <path | url> [read model options] [--json]';
const REBUILD_USAGE =
  'ordo projections rebuild <name> | --all --store <path | url> [--batch-size n] [read model options] [--json]';

/** The default name prefix of the built-in projections (`createErpReadModels`'s `namePrefix`). */
const DEFAULT_NAME_PREFIX = 'ordo-';

const READ_MODEL_OPTIONS = {
  'projection-prefix': { type: 'string' },
  'read-model-prefix': { type: 'string' },
  'read-model-schema': { type: 'string' },
} as const;

const READ_MODEL_HELP = `Read model options (must match how the application creates its read models):
  --projection-prefix <p>   Prefix of the projection names (default: ordo-)
  --read-model-prefix <p>   Prefix of the read model tables (default: ordo_rm_)
  --read-model-schema <s>   PostgreSQL: schema of the read model tables (default: the store's schema)`;

/** What `ordo projections status --json` prints, one line per projection. */
export interface ProjectionStatusOutput extends Omit<ProjectionStatus, 'error'> {
  /** The last failure of this run, when `state` is `failed`. */
  readonly error?: { readonly name: string; readonly message: string; readonly code?: string };
}

/** What `ordo projections rebuild --json` prints, one line per rebuilt projection. */
export interface ProjectionRebuildOutput {
  readonly name: string;
  readonly version: number;
  /** Events applied by the rebuild. */
  readonly applied: number;
  /** The position the projection is live at afterwards. */
  readonly position: number;
  /** True when another runner holds the projection's lease, so this one could not rebuild it. */
  readonly standby: boolean;
}

interface ReadModelValues {
  readonly 'projection-prefix'?: string | undefined;
  readonly 'read-model-prefix'?: string | undefined;
  readonly 'read-model-schema'?: string | undefined;
}

/** The built-in projections for the opened store, named and stored as the options say. */
function erpProjections(opened: OpenedStore, values: ReadModelValues): readonly Projection<SqlTransactionLike>[] {
  const namePrefix = values['projection-prefix'];
  const tablePrefix = values['read-model-prefix'];
  const schema = values['read-model-schema'];
  const common = {
    ...(namePrefix === undefined ? {} : { namePrefix }),
    ...(tablePrefix === undefined ? {} : { tablePrefix }),
  };
  if (opened.kind === 'sqlite' && schema !== undefined) {
    throw usageError('--read-model-schema applies to PostgreSQL stores');
  }
  try {
    return opened.kind === 'sqlite'
      ? createErpReadModels({ mode: 'sqlite', store: opened.store, ...common }).projections
      : createErpReadModels({
          mode: 'postgres',
          store: opened.store,
          ...common,
          ...(schema === undefined ? {} : { schema }),
        }).projections;
  } catch (error) {
    // The read models check their names and prefixes: a bad one came from the command line.
    if (error instanceof ValidationError) {
      throw usageError(`Read model options: ${error.issues.map((issue) => issue.message).join('; ')}`);
    }
    throw error;
  }
}

function createRunner(
  opened: OpenedStore,
  projections: readonly Projection<SqlTransactionLike>[],
  batchSize: number | undefined,
): ProjectionRunner {
  const options = batchSize === undefined ? {} : { batchSize };
  // Each store's transaction handle is one of SqlTransactionLike's members, so the SQL read models run on both.
  return opened.kind === 'sqlite'
    ? createProjectionRunner({ store: opened.store, projections, ...options })
    : createProjectionRunner({ store: opened.store, projections, ...options });
}

function toStatusOutput(status: ProjectionStatus): ProjectionStatusOutput {
  const { error, ...rest } = status;
  return status.state === 'failed' ? { ...rest, error: summarizeUnknownError(error) } : rest;
}

/** The state for people: a projection that was never built is not "building" until something builds it. */
function stateLabel(status: ProjectionStatus): string {
  if (status.state === 'failed') return `failed: ${summarizeUnknownError(status.error).message}`;
  if (status.state === 'building' && status.liveVersion === undefined) return 'not built';
  return status.state;
}

async function printStatus(io: CliIo, json: boolean, statuses: readonly ProjectionStatus[]): Promise<void> {
  if (json) {
    for (const status of statuses) await writeJsonLine(io.stdout, toStatusOutput(status));
    return;
  }
  await io.stdout(
    formatTable(
      ['NAME', 'VERSION', 'LIVE', 'POSITION', 'HEAD', 'LAG', 'STATE'],
      statuses.map((status) => [
        status.name,
        String(status.version),
        status.liveVersion === undefined ? '-' : String(status.liveVersion),
        String(status.position),
        String(status.head),
        String(status.lag),
        stateLabel(status),
      ]),
    ),
  );
}

/** Finds projections by full name (`ordo-orders`) or by name without the prefix (`orders`). */
function resolveNames(
  requested: string | undefined,
  all: boolean,
  projections: readonly Projection<SqlTransactionLike>[],
  prefix: string,
): string[] {
  const names = projections.map((projection) => projection.name);
  if (all) return names;
  const name = requested ?? '';
  const found = names.find((candidate) => candidate === name) ?? names.find((candidate) => candidate === prefix + name);
  if (!found) throw usageError(`No projection named "${name}". The projections are: ${names.join(', ')}`);
  return [found];
}

async function status(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, READ_MODEL_OPTIONS);
  expectPositionals(positionals, 0, STATUS_USAGE);
  const output = outputSettings(values);
  return withStore(values, io, { create: false }, async (opened) => {
    const runner = createRunner(opened, erpProjections(opened, values), undefined);
    await printStatus(io, output.json, await runner.status());
    return EXIT_CODES.ok;
  });
}

async function rebuild(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    ...READ_MODEL_OPTIONS,
    all: { type: 'boolean' },
    'batch-size': { type: 'string' },
  });
  expectPositionals(positionals, 1, REBUILD_USAGE);
  const all = values.all === true;
  const [requested] = positionals;
  if (all === (requested !== undefined)) {
    throw usageError(`Name one projection or pass --all. Usage: ${REBUILD_USAGE}`);
  }
  const batchSize = parseIntegerOption(values['batch-size'], 'batch-size', 1, 100_000);
  const output = outputSettings(values);
  return withStore(values, io, { create: false }, async (opened) => {
    const projections = erpProjections(opened, values);
    const names = resolveNames(requested, all, projections, values['projection-prefix'] ?? DEFAULT_NAME_PREFIX);
    const runner = createRunner(opened, projections, batchSize);
    let exitCode: number = EXIT_CODES.ok;
    for (const name of names) {
      const result = await rebuildOne(runner, name, io, output.progress);
      const after = (await runner.status()).find((candidate) => candidate.name === name);
      const report: ProjectionRebuildOutput = {
        name,
        version: after?.version ?? 0,
        applied: result.applied,
        position: after?.position ?? 0,
        standby: result.standby,
      };
      if (report.standby) exitCode = EXIT_CODES.failed;
      if (output.json) {
        await writeJsonLine(io.stdout, report);
      } else if (report.standby) {
        await io.stdout(`${name}: not rebuilt, another runner holds its lease\n`);
      } else {
        await io.stdout(
          `Rebuilt ${name} (version ${report.version}): ${plural(report.applied, 'event')} applied, live at position ${report.position}\n`,
        );
      }
    }
    return exitCode;
  });
}

async function rebuildOne(
  runner: ProjectionRunner,
  name: string,
  io: CliIo,
  progress: ProgressOptions,
): Promise<{ applied: number; standby: boolean }> {
  const bar = createProgressBar(io, progress, name);
  try {
    const result = await runner.rebuild(name, {
      onProgress: (report) => bar.update(report.processed, report.total, `| ${plural(report.events, 'event')}`),
    });
    return { applied: result.applied, standby: result.standby.includes(name) };
  } finally {
    bar.stop();
  }
}

const SUBCOMMANDS = new Map<string, (args: readonly string[], io: CliIo) => Promise<number>>([
  ['status', status],
  ['rebuild', rebuild],
]);

/** The `projections` command: `status` and `rebuild`. */
export const projectionsCommand: CliCommand = {
  name: 'projections',
  summary: "Show the built-in read models' projections (status) or rebuild them from position 0 (rebuild)",
  help(args) {
    const [sub] = args;
    if (sub === 'status') {
      return `Usage: ${STATUS_USAGE}

Shows each built-in projection's version, the version that is live, its position, the store's head, its lag,
and its state: idle (live; LAG events are waiting for the application's runner), building (a rebuild is under
way or was interrupted), not built (never run on this store), failed. With --json, a projection never built
has state "building" and no liveVersion.

Example:
  ordo projections status --store ./erp.sqlite

${READ_MODEL_HELP}

${GLOBAL_OPTIONS_HELP}
`;
    }
    if (sub === 'rebuild') {
      return `Usage: ${REBUILD_USAGE}

Throws a projection's read model away and rebuilds it from position 0, in batches, each committed with the
projection's checkpoint. The application may keep running: its inline projections stand aside while the
rebuild runs and the read model goes live again once it has caught up. A rebuild stopped half-way (Ctrl-C)
is resumed by the application's projection runner, or started over by running this again.

Options:
  <name>                    The projection, with or without its prefix (orders, ordo-orders)
  --all                     Every built-in projection, one after the other
  --batch-size <n>          Events per transaction (default: 100)

Examples:
  ordo projections rebuild orders --store ./erp.sqlite
  ordo projections rebuild --all --store "$DATABASE_URL" --schema erp --json

${READ_MODEL_HELP}

${GLOBAL_OPTIONS_HELP}
`;
    }
    return `Usage:
  ${STATUS_USAGE}
  ${REBUILD_USAGE}

The built-in projections: customer-order-summary, sales-dashboard-daily, orders, stock-levels, credit-balances
(named with the prefix ordo- unless --projection-prefix says otherwise).
Run \`ordo projections status --help\` or \`ordo projections rebuild --help\` for details.
`;
  },
  async run(args, io) {
    const [sub, ...rest] = args;
    const handler = sub === undefined ? undefined : SUBCOMMANDS.get(sub);
    if (!handler) {
      throw usageError(
        sub === undefined
          ? 'Missing subcommand: ordo projections status | rebuild'
          : `Unknown subcommand "projections ${sub}": use status or rebuild`,
      );
    }
    return handler(rest, io);
  },
};
