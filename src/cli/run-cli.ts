/**
 * The `ordo` CLI as a function: arguments and an IO object in, exit code out. It never touches `process`
 * (main.ts does), so tests run every command in process and read what it printed.
 */
import { GLOBAL_OPTIONS_HELP, wantsHelp } from './cli-args.js';
import type { CliCommand } from './cli-command.js';
import { classifyError, EXIT_CODES, usageError } from './cli-errors.js';
import type { CliIo } from './cli-io.js';
import { writeJsonLine } from './cli-output.js';
import { deadLettersCommand } from './commands/dead-letters.js';
import { exportCommand } from './commands/export.js';
import { migrateCommand } from './commands/migrate.js';
import { projectionsCommand } from './commands/projections.js';
import { streamCommand } from './commands/stream-show.js';

export type { CliIo, CliWriter } from './cli-io.js';

/** Every command, in the order the help lists them. */
export const CLI_COMMANDS: readonly CliCommand[] = [
  migrateCommand,
  exportCommand,
  projectionsCommand,
  streamCommand,
  deadLettersCommand,
];

function globalHelp(): string {
  const width = Math.max(...CLI_COMMANDS.map((command) => command.name.length));
  const commands = CLI_COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n');
  return `Usage: ordo <command> [options]

Operate an Ordo event store: a SQLite file or a PostgreSQL database.

Commands:
${commands}

Run \`ordo <command> --help\` for a command's options and examples.

${GLOBAL_OPTIONS_HELP}

Exit codes:
  0    ok
  1    the operation failed (see the message)
  2    usage error: unknown command or option, bad value
  3    the store cannot be reached: bad or unsupported URL, server down, no SQLite file at the path
  4    the store is not ready: schema missing or outdated (run \`ordo migrate\`), or the file is locked
  130  interrupted (Ctrl-C); committed work stays, run again to resume
`;
}

function findCommand(name: string): CliCommand | undefined {
  return CLI_COMMANDS.find((command) => command.name === name);
}

function jsonRequested(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/**
 * Runs the `ordo` CLI on `argv` (the arguments after the program name) and resolves to the exit code; see
 * docs/cli.md for the commands and the exit codes. Errors are printed on `io.stderr` (as one JSON line with
 * `--json`), never thrown.
 *
 * @example
 * ```ts
 * const code = await runCli(['stream', 'show', 'Customer-C-1', '--store', 'erp.sqlite', '--json'], {
 *   stdout: (text) => void process.stdout.write(text),
 *   stderr: (text) => void process.stderr.write(text),
 *   isTTY: false,
 * });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const json = jsonRequested(argv);
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      await io.stderr(globalHelp());
      return EXIT_CODES.usage;
    }
    if (name === '--help' || name === '-h' || name === 'help') {
      const [topic, ...more] = rest;
      if (topic === undefined) {
        await io.stdout(globalHelp());
        return EXIT_CODES.ok;
      }
      const command = findCommand(topic);
      if (!command) throw usageError(`Unknown command "${topic}". Run \`ordo --help\` for the commands`);
      await io.stdout(command.help(more));
      return EXIT_CODES.ok;
    }
    const command = findCommand(name);
    if (!command) {
      throw usageError(
        name.startsWith('-')
          ? `The command comes first: ordo <command> [options]. Run \`ordo --help\` for the commands`
          : `Unknown command "${name}". Run \`ordo --help\` for the commands`,
      );
    }
    if (wantsHelp(rest)) {
      await io.stdout(command.help(rest));
      return EXIT_CODES.ok;
    }
    return await command.run(rest, io);
  } catch (error) {
    const classified = classifyError(error);
    if (json) {
      await writeJsonLine(io.stderr, { error: { ...classified } });
    } else {
      const hint =
        classified.exitCode === EXIT_CODES.usage && name !== undefined && findCommand(name)
          ? ` (see \`ordo ${name} --help\`)`
          : '';
      await io.stderr(`ordo: ${classified.message}${hint}\n`);
    }
    return classified.exitCode;
  }
}
