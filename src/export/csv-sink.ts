import { stringify } from 'csv-stringify/sync';
import { createFileSink, type FileExportSink, type FileSinkConfig, type RowEncoder } from './file-sink.js';

/** Wiring and behaviour of {@link createCsvSink}. */
export interface CsvSinkConfig extends FileSinkConfig {
  /** The field delimiter. @defaultValue `','` */
  readonly delimiter?: string;
  /**
   * Prefix fields starting with `=`, `+`, `-`, `@`, tab or carriage return with `'`, so a spreadsheet does
   * not run them as formulas (OWASP's CSV injection advice). It changes the data, so a warehouse loader
   * should leave it off.
   * @defaultValue `false`
   */
  readonly escapeFormulas?: boolean;
}

/** An empty string, matched so it is written `""` and stays distinct from `null` (an empty field). */
const EMPTY_STRING = /^$/;

/**
 * A sink writing CSV (RFC 4180 quoting, by csv-stringify): `<directory>/<table>.csv` with a header line
 * written once, when the file gets its first row, plus the commit manifest (see {@link createFileSink} for
 * the protocol).
 *
 * @remarks
 * Fields holding the delimiter, a quote, a line break are quoted, quotes doubled; text is UTF-8 without a
 * byte order mark. `null` is an empty field and an empty string is `""`; booleans are `true` / `false`;
 * money and quantities are decimal strings, never floats.
 */
export function createCsvSink(config: CsvSinkConfig): FileExportSink {
  const delimiter = config.delimiter ?? ',';
  const escapeFormulas = config.escapeFormulas ?? false;
  const encoder: RowEncoder = {
    format: 'csv',
    extension: 'csv',
    encode(table, rows, first) {
      return stringify(
        rows.map((row) => row.values),
        {
          header: first,
          columns: table.columns.map((column) => column.name),
          delimiter,
          escape_formulas: escapeFormulas,
          quoted_match: EMPTY_STRING,
          cast: { boolean: (value) => (value ? 'true' : 'false') },
        },
      );
    },
  };
  return createFileSink(config, encoder);
}
