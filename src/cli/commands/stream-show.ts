/**
 * `ordo stream show <id>`: prints a stream's events, as a table for people or as JSON Lines (one stored event per
 * line) for scripts. Events are streamed from the store, so a long stream does not fill memory.
 */
import { StreamNotFoundError } from '../../kernel/errors.js';
import { expectPositionals, GLOBAL_OPTIONS_HELP, parseCommandArgs, parseIntegerOption } from '../cli-args.js';
import { type CliCommand, outputSettings, withStore } from '../cli-command.js';
import { EXIT_CODES, usageError } from '../cli-errors.js';
import { formatTable, writeJsonLine } from '../cli-output.js';

const USAGE = 'ordo stream show <stream-id> --store <path | url> [--from v] [--limit n] [--backwards] [--json]';

const OPTIONS = {
  from: { type: 'string' },
  limit: { type: 'string' },
  backwards: { type: 'boolean' },
} as const;

/** Rows are collected for the table in pages of this many, so that the columns line up within a page. */
const TABLE_PAGE = 500;

/** The `stream` command (one subcommand: `show`). */
export const streamCommand: CliCommand = {
  name: 'stream',
  summary: "Show a stream's events (stream show <id>)",
  help: () => `Usage: ${USAGE}

Prints the events of one stream in version order: version, global position, when it was recorded, type
and data. With --json, one stored event per line as the store returns it (eventId, type, schemaVersion, data,
metadata, streamId, streamVersion, globalPosition, recordedAt). A stream that does not exist is exit 1.

Options:
  --from <v>                First version to show (default: 1, or the last with --backwards)
  --limit <n>               Show at most n events (default: all)
  --backwards               Newest first

Examples:
  ordo stream show SalesOrder-SO-1 --store ./erp.sqlite
  ordo stream show Customer-C-1 --store "$DATABASE_URL" --backwards --limit 5 --json | jq .type

${GLOBAL_OPTIONS_HELP}
`,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub !== 'show') {
      throw usageError(
        sub === undefined
          ? `Missing subcommand. Usage: ${USAGE}`
          : `Unknown subcommand "stream ${sub}". Usage: ${USAGE}`,
      );
    }
    const { values, positionals } = parseCommandArgs(rest, OPTIONS);
    expectPositionals(positionals, 1, USAGE);
    const [streamId] = positionals;
    if (streamId === undefined || streamId === '') throw usageError(`Missing the stream id. Usage: ${USAGE}`);
    const fromVersion = parseIntegerOption(values.from, 'from', 1);
    const maxCount = parseIntegerOption(values.limit, 'limit', 1);
    const output = outputSettings(values);

    return withStore(values, io, { create: false }, async ({ store }) => {
      const version = await store.streamVersion(streamId);
      if (version === 0) throw new StreamNotFoundError(streamId);
      const events = store.readStream(streamId, {
        direction: values.backwards === true ? 'backwards' : 'forwards',
        ...(fromVersion === undefined ? {} : { fromVersion }),
        ...(maxCount === undefined ? {} : { maxCount }),
      });
      if (output.json) {
        for await (const event of events) await writeJsonLine(io.stdout, event);
        return EXIT_CODES.ok;
      }
      await io.stdout(`Stream ${streamId} (version ${version})\n`);
      let page: string[][] = [];
      let shown = 0;
      const flush = async (): Promise<void> => {
        if (page.length > 0) await io.stdout(formatTable(['VERSION', 'POSITION', 'RECORDED AT', 'TYPE', 'DATA'], page));
        page = [];
      };
      for await (const event of events) {
        page.push([
          String(event.streamVersion),
          String(event.globalPosition),
          event.recordedAt,
          event.type,
          JSON.stringify(event.data),
        ]);
        shown += 1;
        if (page.length >= TABLE_PAGE) await flush();
      }
      await flush();
      if (shown === 0) await io.stdout('(no events in that range)\n');
      return EXIT_CODES.ok;
    });
  },
};
