/**
 * The warehouse export: star-schema rows from the event log, incremental and resumable, written exactly once
 * to JSONL or CSV files or to a host's own sink.
 *
 * @packageDocumentation
 */
export { type CsvSinkConfig, createCsvSink } from './csv-sink.js';
export type { ExportBatch, ExportSink, ExportSinkContext, ExportSinkState } from './export-sink.js';
export {
  createFileSink,
  EXPORT_LOCK_FILE,
  EXPORT_MANIFEST_FILE,
  type ExportFileFormat,
  type ExportManifest,
  type FileExportSink,
  type FileSinkConfig,
  type RowEncoder,
  readExportManifest,
} from './file-sink.js';
export { createJsonlSink } from './jsonl-sink.js';
export { type CustomerDimRow, customerDimRows, customerDimTable } from './star-schema/customer-dim.js';
export {
  type InventoryMovementFactRow,
  inventoryMovementFactRows,
  inventoryMovementFactTable,
} from './star-schema/inventory-movement-fact.js';
export { type InvoiceFactRow, invoiceFactRows, invoiceFactTable } from './star-schema/invoice-fact.js';
export { type ItemDimRow, itemDimRows, itemDimTable } from './star-schema/item-dim.js';
export { type SalesOrderFactRow, salesOrderFactRows, salesOrderFactTable } from './star-schema/sales-order-fact.js';
export {
  type SalesOrderLineFactRow,
  salesOrderLineFactRows,
  salesOrderLineFactTable,
} from './star-schema/sales-order-line-fact.js';
export {
  LINEAGE_COLUMNS,
  type StoredEventOf,
  type StreamChange,
  type WarehouseCell,
  type WarehouseCellOf,
  type WarehouseColumn,
  type WarehouseColumnType,
  type WarehouseRowValuesOf,
  type WarehouseTable,
  type WarehouseTableRow,
} from './star-schema/star-schema-table.js';
export {
  createWarehouseExport,
  type WarehouseExport,
  type WarehouseExportConfig,
  type WarehouseExportOptions,
  type WarehouseExportProgress,
  type WarehouseExportRunOptions,
  type WarehouseExportSummary,
} from './warehouse-export.js';
export {
  WAREHOUSE_SCHEMA,
  WAREHOUSE_SCHEMA_VERSION,
  WAREHOUSE_TABLE_NAMES,
  WAREHOUSE_TABLES,
  type WarehouseRow,
  type WarehouseSchema,
  type WarehouseTableName,
  type WarehouseTableOf,
} from './warehouse-schema.js';
