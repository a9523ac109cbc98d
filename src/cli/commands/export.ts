/**
 * `ordo export`: the warehouse export into a directory of JSONL or CSV files. Incremental and resumable: each
 * run continues from the directory's manifest, so a cron job simply runs it again, and an interrupted run
 * (Ctrl-C, a crash) loses nothing.
 */
import { isAbsolute, resolve } from 'node:path';
import {
  createCsvSink,
  createJsonlSink,
  createWarehouseExport,
  type ExportFileFormat,
  readExportManifest,
  type WarehouseExportSummary,
} from '../../export/index.js';
import { expectPositionals, GLOBAL_OPTIONS_HELP, parseCommandArgs, parseIntegerOption } from '../cli-args.js';
import { type CliCommand, outputSettings, withStore } from '../cli-command.js';
import { EXIT_CODES, usageError } from '../cli-errors.js';
import { formatTable, plural, writeJsonLine } from '../cli-output.js';
import { createProgressBar } from '../progress.js';

const USAGE =
  'ordo export --store <path | url> --out <dir> [--format jsonl|csv] [--to-position p] [--batch-size n] [--checkpoint-id id] [--json]';

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  format: { type: 'string' },
  'to-position': { type: 'string' },
  'batch-size': { type: 'string' },
  'checkpoint-id': { type: 'string' },
} as const;

/** What `ordo export --json` prints: the export's summary, plus where it went. */
export interface ExportOutput extends WarehouseExportSummary {
  /** The directory, as given. */
  readonly out: string;
  readonly format: ExportFileFormat;
}

function parseFormat(value: string | undefined): ExportFileFormat | undefined {
  if (value === undefined) return undefined;
  if (value === 'jsonl' || value === 'csv') return value;
  throw usageError(`--format must be jsonl or csv, not "${value}"`);
}

/** The `export` command. */
export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'Export star-schema rows (sales orders, invoices, customers, items, stock) to JSONL or CSV files',
  help: () => `Usage: ${USAGE}

Runs the warehouse export: turns the events after the directory's last committed position into star-schema
rows (one file per table) and commits them in batches with a manifest. Run it again to export what is new;
an interrupted run resumes where its last batch committed, and every row is written exactly once.

Options:
  -o, --out <dir>           Export directory (created when missing; one export per directory)
  --format jsonl|csv        File format (default: the directory's format, or jsonl for a new directory)
  --to-position <p>         Export as of this global position (default: the store's head)
  --batch-size <n>          Events per committed batch (default: 500)
  --checkpoint-id <id>      Also record the committed position as this store checkpoint (for lag monitoring)

A progress bar is drawn on stderr when it is a terminal. Ctrl-C stops at the next event (exit 130): the
batch in progress is dropped, committed batches stay, and the next run continues from there.

Examples:
  ordo export --store ./erp.sqlite --out ./warehouse --format csv
  ordo export --store "$DATABASE_URL" --out /data/warehouse --to-position 120000 --json

${GLOBAL_OPTIONS_HELP}
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS);
    expectPositionals(positionals, 0, USAGE);
    const output = outputSettings(values);
    const out = values.out;
    if (out === undefined || out.trim() === '') throw usageError(`--out <dir> is required. Usage: ${USAGE}`);
    const directory = isAbsolute(out) ? out : resolve(io.cwd ?? process.cwd(), out);
    const toPosition = parseIntegerOption(values['to-position'], 'to-position', 0);
    const batchSize = parseIntegerOption(values['batch-size'], 'batch-size', 1, 1_000_000);
    // Continuing an export: the directory already says which format it holds.
    const format = parseFormat(values.format) ?? (await readExportManifest(directory))?.fileFormat ?? 'jsonl';

    return withStore(values, io, { create: false }, async (opened) => {
      const sink = format === 'csv' ? createCsvSink({ directory }) : createJsonlSink({ directory });
      const bar = createProgressBar(io, output.progress, 'export');
      const exporter = createWarehouseExport({
        store: opened.store,
        sink,
        ...(toPosition === undefined ? {} : { toPosition }),
        ...(batchSize === undefined ? {} : { batchSize }),
        ...(values['checkpoint-id'] === undefined ? {} : { checkpointId: values['checkpoint-id'] }),
        onProgress: (progress) =>
          bar.update(progress.processed, progress.total, `| ${plural(progress.events, 'event')}`),
      });
      const controller = new AbortController();
      const giveBack = io.trapInterrupt?.(() => {
        controller.abort();
        // With --json, stderr carries only JSON error lines; the summary's status says it stopped.
        if (!output.json)
          void io.stderr(
            'Interrupted: stopping at the next event; committed batches stay (Ctrl-C again to quit now)\n',
          );
      });
      let summary: WarehouseExportSummary;
      try {
        summary = await exporter.run({ signal: controller.signal });
      } finally {
        giveBack?.();
        bar.stop();
      }
      const result: ExportOutput = { ...summary, out, format };
      if (output.json) {
        await writeJsonLine(io.stdout, result);
      } else {
        await io.stdout(describe(result));
      }
      if (summary.status === 'aborted') {
        if (!output.json) {
          await io.stderr(`Export interrupted at position ${summary.toPosition}; run it again to continue\n`);
        }
        return EXIT_CODES.interrupted;
      }
      return EXIT_CODES.ok;
    });
  },
};

function describe(result: ExportOutput): string {
  const head =
    result.fromPosition === result.toPosition && result.status === 'completed'
      ? `${result.out} (${result.format}) is up to date at position ${result.toPosition}\n`
      : `Exported positions ${result.fromPosition + 1}-${result.toPosition} to ${result.out} (${result.format}): ` +
        `${plural(result.eventsRead, 'event')}, ${plural(result.totalRows, 'row')} in ${result.batches} batch${result.batches === 1 ? '' : 'es'}\n`;
  const counts = Object.entries(result.rows).filter(([, rows]) => rows > 0);
  if (counts.length === 0) return head;
  return `${head}${formatTable(
    ['TABLE', 'ROWS'],
    counts.map(([table, rows]) => [table, String(rows)]),
  )}`;
}
