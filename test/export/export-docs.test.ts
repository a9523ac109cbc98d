import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINEAGE_COLUMNS, WAREHOUSE_TABLES, type WarehouseColumn } from '../../src/export/index.js';

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'export.md'), 'utf8');

/** The markdown between a table's heading and the next heading. */
function sectionOf(table: string): string {
  const start = doc.indexOf(`### \`${table}\``);
  if (start === -1) return '';
  const next = doc.indexOf('\n#', start + 1);
  return doc.slice(start, next === -1 ? undefined : next);
}

/** A markdown table row starting with the column's name and type, whatever the padding. */
function cellPattern(column: WarehouseColumn): RegExp {
  return new RegExp(`\\|\\s*\`${column.name}\`\\s*\\|\\s*${column.type}\\s*\\|`);
}

describe('docs/export.md', () => {
  it.each(WAREHOUSE_TABLES.map((table) => [table.name, table] as const))(
    'documents every column of %s with its type',
    (name, table) => {
      const section = sectionOf(name);
      expect(section, `a section for ${name}`).not.toBe('');
      const lineage = new Set<string>(LINEAGE_COLUMNS.map((column) => column.name));
      for (const column of table.columns as readonly WarehouseColumn[]) {
        if (lineage.has(column.name)) continue;
        expect(section, `${name}.${column.name}`).toMatch(cellPattern(column));
      }
    },
  );

  it('documents the lineage columns every table starts with', () => {
    for (const column of LINEAGE_COLUMNS) expect(doc).toMatch(cellPattern(column));
  });
});
