/**
 * `ordo dead-letters list | replay | discard`: the event bus's dead letters, which are events in the streams
 * `$dead-letters-<bus>`. Listing and discarding need only the store; replaying runs the application's handler
 * again, so it loads the application's handlers from a module (`--handlers`).
 */
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEventBus, type DeadLetterReplay, type EventBus } from '../../kernel/event-bus.js';
import { type DeadLetter, DeadLetterRecorded, deadLetterStreamId } from '../../kernel/event-bus-dead-letters.js';
import type { EventStore } from '../../kernel/event-store.js';
import { expectPositionals, GLOBAL_OPTIONS_HELP, parseCommandArgs } from '../cli-args.js';
import { type CliCommand, outputSettings, withStore } from '../cli-command.js';
import { CliError, EXIT_CODES, messageOf, usageError } from '../cli-errors.js';
import type { CliIo } from '../cli-io.js';
import { formatTable, truncate, writeJsonLine } from '../cli-output.js';

const LIST_USAGE = 'ordo dead-letters list --store <path | url> [--bus name] [--handler name] [--json]';
const REPLAY_USAGE =
  'ordo dead-letters replay <id> | --all --handlers <module> --store <path | url> [--bus name] [--handler name] [--json]';
const DISCARD_USAGE = 'ordo dead-letters discard <id> --store <path | url> [--bus name] [--reason text] [--json]';

/**
 * What a `--handlers` module exports (as `registerHandlers` or as its default export): a function that registers
 * the application's handlers on a bus, exactly as the application does (same handler names), so that a replay
 * runs the handler that failed.
 */
export type RegisterDeadLetterHandlers = (
  bus: EventBus,
  context: { readonly store: EventStore; readonly busName: string },
) => void | Promise<void>;

/** What `ordo dead-letters replay --json` prints, one line per dead letter. */
export interface DeadLetterReplayOutput extends DeadLetterReplay {
  readonly bus: string;
}

const BUS_OPTIONS = { bus: { type: 'string' }, handler: { type: 'string' } } as const;

/** The buses that ever dead-lettered an event: a scan of the log for `$DeadLetterRecorded` events. */
async function busNames(store: EventStore): Promise<string[]> {
  const prefix = deadLetterStreamId('');
  const names = new Set<string>();
  for await (const event of store.readAll({ types: [DeadLetterRecorded.type] })) {
    if (event.streamId.startsWith(prefix)) names.add(event.streamId.slice(prefix.length));
  }
  return [...names].sort();
}

interface BusLetters {
  readonly bus: string;
  readonly letters: readonly DeadLetter[];
}

/** The open dead letters of one bus (a single stream read), or of every bus (a scan of the log). */
async function openLetters(
  store: EventStore,
  bus: string | undefined,
  handler: string | undefined,
): Promise<BusLetters[]> {
  const names = bus === undefined ? await busNames(store) : [bus];
  const result: BusLetters[] = [];
  for (const name of names) {
    const letters = await createEventBus({ store, name }).deadLetters(handler === undefined ? {} : { handler });
    result.push({ bus: name, letters });
  }
  return result;
}

/** The bus holding the open dead letter `id`. */
async function busOf(store: EventStore, id: string, bus: string | undefined): Promise<string> {
  for (const entry of await openLetters(store, bus, undefined)) {
    if (entry.letters.some((letter) => letter.id === id)) return entry.bus;
  }
  throw new CliError(
    'NOT_FOUND',
    `No open dead letter ${id}${bus === undefined ? '' : ` on bus "${bus}"`} (see \`ordo dead-letters list\`)`,
    EXIT_CODES.failed,
  );
}

async function loadHandlers(path: string | undefined, io: CliIo): Promise<RegisterDeadLetterHandlers> {
  if (path === undefined) {
    throw usageError(
      `Replaying runs the application's handler again: pass --handlers <module> exporting registerHandlers(bus). Usage: ${REPLAY_USAGE}`,
    );
  }
  const file = isAbsolute(path) ? path : resolve(io.cwd ?? process.cwd(), path);
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
  } catch {
    throw usageError(`--handlers: no module at ${path}`);
  }
  let loaded: unknown;
  try {
    loaded = await import(pathToFileURL(file).href);
  } catch (error) {
    throw new CliError('FAILED', `Could not load the handlers module ${path}: ${messageOf(error)}`, EXIT_CODES.failed, {
      cause: error,
    });
  }
  const module = loaded as { registerHandlers?: unknown; default?: unknown };
  // A CommonJS module arrives as the default export, its own exports inside it.
  const fromDefault = module.default as { registerHandlers?: unknown } | undefined;
  const register = module.registerHandlers ?? fromDefault?.registerHandlers ?? module.default;
  if (typeof register !== 'function') {
    throw usageError(`--handlers: ${path} must export a function registerHandlers(bus) (or export it as default)`);
  }
  return register as RegisterDeadLetterHandlers;
}

async function list(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, BUS_OPTIONS);
  expectPositionals(positionals, 0, LIST_USAGE);
  const output = outputSettings(values);
  return withStore(values, io, { create: false }, async ({ store }) => {
    const entries = await openLetters(store, values.bus, values.handler);
    const letters = entries.flatMap((entry) => entry.letters);
    if (output.json) {
      for (const letter of letters) await writeJsonLine(io.stdout, letter);
      return EXIT_CODES.ok;
    }
    if (letters.length === 0) {
      await io.stdout('No open dead letters\n');
      return EXIT_CODES.ok;
    }
    await io.stdout(
      formatTable(
        ['ID', 'BUS', 'HANDLER', 'EVENT', 'ATTEMPTS', 'FAILED AT', 'ERROR'],
        letters.map((letter) => [
          letter.id,
          letter.bus,
          letter.handler,
          `${letter.event.type} ${letter.event.streamId}@${letter.event.streamVersion} (#${letter.event.globalPosition})`,
          String(letter.attempts),
          letter.failedAt,
          truncate(`${letter.error.code ? `${letter.error.code}: ` : ''}${letter.error.message}`, 100),
        ]),
      ),
    );
    return EXIT_CODES.ok;
  });
}

async function replay(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    ...BUS_OPTIONS,
    all: { type: 'boolean' },
    handlers: { type: 'string' },
  });
  expectPositionals(positionals, 1, REPLAY_USAGE);
  const [id] = positionals;
  const all = values.all === true;
  if (all === (id !== undefined)) throw usageError(`Name one dead letter or pass --all. Usage: ${REPLAY_USAGE}`);
  if (id !== undefined && values.handler !== undefined) {
    throw usageError('--handler filters --all; a dead letter named by id already has its handler');
  }
  const output = outputSettings(values);
  const register = await loadHandlers(values.handlers, io);

  return withStore(values, io, { create: false }, async ({ store }) => {
    const busFor = async (name: string): Promise<EventBus> => {
      const bus = createEventBus({ store, name });
      await register(bus, { store, busName: name });
      return bus;
    };
    const results: DeadLetterReplayOutput[] = [];
    if (id !== undefined) {
      const name = await busOf(store, id, values.bus);
      results.push({ bus: name, ...(await (await busFor(name)).replayDeadLetter(id)) });
    } else {
      for (const entry of await openLetters(store, values.bus, values.handler)) {
        if (entry.letters.length === 0) continue;
        const bus = await busFor(entry.bus);
        const replays = await bus.replayDeadLetters(values.handler === undefined ? {} : { handler: values.handler });
        for (const result of replays) results.push({ bus: entry.bus, ...result });
      }
    }
    for (const result of results) {
      if (output.json) await writeJsonLine(io.stdout, result);
      else if (result.outcome === 'resolved')
        await io.stdout(`${result.id} (${result.bus}/${result.handler}): resolved\n`);
      else
        await io.stdout(
          `${result.id} (${result.bus}/${result.handler}): failed again: ${result.error?.message ?? ''}\n`,
        );
    }
    if (results.length === 0 && !output.json) await io.stdout('No open dead letters to replay\n');
    return results.some((result) => result.outcome === 'failed') ? EXIT_CODES.failed : EXIT_CODES.ok;
  });
}

async function discard(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { bus: { type: 'string' }, reason: { type: 'string' } });
  expectPositionals(positionals, 1, DISCARD_USAGE);
  const [id] = positionals;
  if (id === undefined) throw usageError(`Name the dead letter to discard. Usage: ${DISCARD_USAGE}`);
  const output = outputSettings(values);
  return withStore(values, io, { create: false }, async ({ store }) => {
    const name = await busOf(store, id, values.bus);
    await createEventBus({ store, name }).discardDeadLetter(id, values.reason);
    if (output.json) await writeJsonLine(io.stdout, { id, bus: name, resolution: 'discarded' });
    else await io.stdout(`${id} (${name}): discarded\n`);
    return EXIT_CODES.ok;
  });
}

const SUBCOMMANDS = new Map<string, (args: readonly string[], io: CliIo) => Promise<number>>([
  ['list', list],
  ['replay', replay],
  ['discard', discard],
]);

const HANDLERS_HELP = `The handlers module (ESM or CommonJS, resolved from the current directory) exports
registerHandlers(bus, { store, busName }), or that function as its default export. It registers the
application's handlers on the bus exactly as the application does, under the same names:

  // bus-handlers.mjs
  export function registerHandlers(bus, { busName }) {
    if (busName === 'reactions') bus.on('welcome-mail', 'CustomerRegistered', sendWelcomeMail);
  }`;

/** The `dead-letters` command: `list`, `replay` and `discard`. */
export const deadLettersCommand: CliCommand = {
  name: 'dead-letters',
  summary: "List the event bus's dead letters, replay them through their handler, or discard them",
  help(args) {
    const [sub] = args;
    if (sub === 'list') {
      return `Usage: ${LIST_USAGE}

Lists the open dead letters (events a bus handler gave up on), oldest first per bus. Without --bus every bus
is listed, which scans the whole event log; --bus reads one stream.

Options:
  --bus <name>              Only this bus's dead letters (the stream $dead-letters-<name>)
  --handler <name>          Only this handler's

Examples:
  ordo dead-letters list --store ./erp.sqlite
  ordo dead-letters list --store "$DATABASE_URL" --bus reactions --json

${GLOBAL_OPTIONS_HELP}
`;
    }
    if (sub === 'replay') {
      return `Usage: ${REPLAY_USAGE}

Runs the handler once more on each dead letter's event. A dead letter whose handler succeeds is resolved; one
that fails again stays open and the exit code is 1.

Options:
  <id>                      The dead letter to replay (its id from \`ordo dead-letters list\`)
  --all                     Every open dead letter (of --bus, of --handler)
  --handlers <module>       The module that registers the application's handlers (required)
  --bus <name>              The bus (default: found from the id; with --all, every bus)
  --handler <name>          With --all: only this handler's dead letters

${HANDLERS_HELP}

Examples:
  ordo dead-letters replay 0190e4c2-... --store ./erp.sqlite --handlers ./dist/bus-handlers.js
  ordo dead-letters replay --all --bus reactions --store "$DATABASE_URL" --handlers ./bus-handlers.mjs --json

${GLOBAL_OPTIONS_HELP}
`;
    }
    if (sub === 'discard') {
      return `Usage: ${DISCARD_USAGE}

Closes a dead letter without running its handler again (the event is not going to be handled).

Options:
  --bus <name>              The bus (default: found from the id)
  --reason <text>           Why, recorded with the resolution

Example:
  ordo dead-letters discard 0190e4c2-... --store ./erp.sqlite --reason "customer deleted"

${GLOBAL_OPTIONS_HELP}
`;
    }
    return `Usage:
  ${LIST_USAGE}
  ${REPLAY_USAGE}
  ${DISCARD_USAGE}

Run \`ordo dead-letters <list|replay|discard> --help\` for details.
`;
  },
  async run(args, io) {
    const [sub, ...rest] = args;
    const handler = sub === undefined ? undefined : SUBCOMMANDS.get(sub);
    if (!handler) {
      throw usageError(
        sub === undefined
          ? 'Missing subcommand: ordo dead-letters list | replay | discard'
          : `Unknown subcommand "dead-letters ${sub}": use list, replay or discard`,
      );
    }
    return handler(rest, io);
  },
};
