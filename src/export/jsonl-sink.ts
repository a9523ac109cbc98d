import { createFileSink, type FileExportSink, type FileSinkConfig, type RowEncoder } from './file-sink.js';
import type { WarehouseCell } from './star-schema/star-schema-table.js';

const jsonlEncoder: RowEncoder = {
  format: 'jsonl',
  extension: 'jsonl',
  encode(table, rows) {
    let text = '';
    for (const row of rows) {
      const values = row.values as Readonly<Record<string, WarehouseCell>>;
      // Keys in column order, so that equal rows are equal bytes whatever order a transform built them in.
      const ordered: Record<string, WarehouseCell> = {};
      for (const column of table.columns) ordered[column.name] = values[column.name] ?? null;
      text += `${JSON.stringify(ordered)}\n`;
    }
    return text;
  },
};

/**
 * A sink writing JSON Lines: `<directory>/<table>.jsonl`, one JSON object per row with its columns in table
 * order, plus the commit manifest (see {@link createFileSink} for the protocol). `null` stays `null`; money
 * and quantities are strings.
 *
 * @example
 * ```ts
 * const exporter = createWarehouseExport({ store, sink: createJsonlSink({ directory: 'out/warehouse' }) });
 * await exporter.run();
 * ```
 */
export function createJsonlSink(config: FileSinkConfig): FileExportSink {
  return createFileSink(config, jsonlEncoder);
}
