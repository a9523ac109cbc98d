import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type InvoiceFactRow,
  LINEAGE_COLUMNS,
  WAREHOUSE_SCHEMA,
  WAREHOUSE_SCHEMA_VERSION,
  WAREHOUSE_TABLE_NAMES,
  WAREHOUSE_TABLES,
  type WarehouseColumn,
  type WarehouseRow,
} from '../../src/export/index.js';

describe('warehouse schema', () => {
  it('starts every table with the lineage columns, then distinct snake_case columns', () => {
    for (const table of WAREHOUSE_TABLES) {
      const columns = table.columns as readonly WarehouseColumn[];
      expect(columns.slice(0, LINEAGE_COLUMNS.length), table.name).toEqual(LINEAGE_COLUMNS);
      const names = columns.map((column) => column.name);
      expect(new Set(names).size, table.name).toBe(names.length);
      for (const name of names) expect(name, table.name).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });

  it('gives every money and quantity column the decimal type, and every table with money a currency', () => {
    for (const table of WAREHOUSE_TABLES) {
      const columns = table.columns as readonly WarehouseColumn[];
      const decimals = columns.filter((column) => column.type === 'decimal').map((column) => column.name);
      for (const name of ['total', 'grand_total', 'outstanding', 'amount', 'rate', 'qty', 'standard_rate']) {
        const column = columns.find((candidate) => candidate.name === name);
        if (column) expect(column.type, `${table.name}.${name}`).toBe('decimal');
      }
      const money = decimals.some((name) => /total|amount|outstanding|rate/.test(name));
      if (money)
        expect(
          columns.some((column) => column.name.endsWith('currency')),
          table.name,
        ).toBe(true);
    }
  });

  it('names the tables in WAREHOUSE_TABLE_NAMES and the schema a sink receives', () => {
    expect(WAREHOUSE_TABLE_NAMES).toEqual(WAREHOUSE_TABLES.map((table) => table.name));
    expect(WAREHOUSE_SCHEMA).toEqual({ version: WAREHOUSE_SCHEMA_VERSION, tables: WAREHOUSE_TABLES });
  });

  it('types row values from the column definitions, narrowed by the table name', () => {
    expectTypeOf<InvoiceFactRow['values']['outstanding']>().toEqualTypeOf<string>();
    expectTypeOf<InvoiceFactRow['values']['payment_id']>().toEqualTypeOf<string | null>();
    expectTypeOf<InvoiceFactRow['values']['is_paid']>().toEqualTypeOf<boolean>();
    expectTypeOf<InvoiceFactRow['values']['version']>().toEqualTypeOf<number>();
    const describe = (row: WarehouseRow) => (row.table === 'item_dim' ? row.values.standard_rate : row.key);
    expectTypeOf(describe).returns.toEqualTypeOf<string | null>();
  });
});
