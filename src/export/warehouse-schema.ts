import { customerDimTable } from './star-schema/customer-dim.js';
import { inventoryMovementFactTable } from './star-schema/inventory-movement-fact.js';
import { invoiceFactTable } from './star-schema/invoice-fact.js';
import { itemDimTable } from './star-schema/item-dim.js';
import { salesOrderFactTable } from './star-schema/sales-order-fact.js';
import { salesOrderLineFactTable } from './star-schema/sales-order-line-fact.js';
import type { WarehouseTable, WarehouseTableRow } from './star-schema/star-schema-table.js';

/**
 * The version of the row format (tables, columns, what a row means). A sink records it with its data and
 * refuses to append rows of another version to it: export a new version into a new destination.
 */
export const WAREHOUSE_SCHEMA_VERSION = 1;

/** Every table of the star schema, dimensions first. */
export const WAREHOUSE_TABLES = [
  customerDimTable,
  itemDimTable,
  salesOrderFactTable,
  salesOrderLineFactTable,
  invoiceFactTable,
  inventoryMovementFactTable,
] as const;

/** The name of a table of the star schema. */
export type WarehouseTableName = (typeof WAREHOUSE_TABLES)[number]['name'];

/** Every table name, in {@link WAREHOUSE_TABLES} order. */
export const WAREHOUSE_TABLE_NAMES: readonly WarehouseTableName[] = WAREHOUSE_TABLES.map((table) => table.name);

/** The table definition of each table, by name. */
export type WarehouseTableOf<Name extends WarehouseTableName> = Extract<
  (typeof WAREHOUSE_TABLES)[number],
  { readonly name: Name }
>;

/** A row of any table: `row.table` tells which, and narrows `row.values`. */
export type WarehouseRow = {
  [Name in WarehouseTableName]: WarehouseTableRow<WarehouseTableOf<Name>>;
}[WarehouseTableName];

/** What a sink is told about the rows it will receive, so it can create tables or files for them. */
export interface WarehouseSchema {
  /** {@link WAREHOUSE_SCHEMA_VERSION}. */
  readonly version: number;
  readonly tables: readonly WarehouseTable<WarehouseTableName>[];
}

/** The star schema the export writes. */
export const WAREHOUSE_SCHEMA: WarehouseSchema = Object.freeze({
  version: WAREHOUSE_SCHEMA_VERSION,
  tables: WAREHOUSE_TABLES,
});

/** A zero count for every table: the shape of per-table row counts. */
export function emptyRowCounts(): Record<WarehouseTableName, number> {
  return Object.fromEntries(WAREHOUSE_TABLE_NAMES.map((name) => [name, 0])) as Record<WarehouseTableName, number>;
}
