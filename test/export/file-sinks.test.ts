import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type CustomerDimRow,
  createCsvSink,
  createJsonlSink,
  createWarehouseExport,
  EXPORT_LOCK_FILE,
  EXPORT_MANIFEST_FILE,
  type FileExportSink,
  readExportManifest,
  WAREHOUSE_SCHEMA,
  WAREHOUSE_TABLES,
  type WarehouseRow,
} from '../../src/export/index.js';
import { isOrdoError, type MemoryEventStore } from '../../src/index.js';
import {
  createErpWriter,
  createMemorySink,
  createValidatingStore,
  parseCsv,
  seedErp,
  tempDirectory,
} from './export-test-support.js';

let temp: ReturnType<typeof tempDirectory>;
let store: MemoryEventStore;
let reference: readonly WarehouseRow[];

beforeAll(async () => {
  store = createValidatingStore();
  await seedErp(createErpWriter(store), { orders: 12, seed: 11 });
  const sink = createMemorySink();
  await createWarehouseExport({ store, sink }).run();
  reference = sink.rows;
});

beforeEach(() => {
  temp = tempDirectory();
});
afterEach(() => temp.dispose());

const context = { schema: WAREHOUSE_SCHEMA };

function customerRow(index: number, name: string, overrides: Partial<CustomerDimRow['values']> = {}): CustomerDimRow {
  const key = `customer_dim:00000000-0000-7000-8000-00000000000${index}:0`;
  return {
    table: 'customer_dim',
    key,
    values: {
      row_key: key,
      event_id: `00000000-0000-7000-8000-00000000000${index}`,
      event_type: 'CustomerRegistered',
      global_position: index,
      occurred_at: '2026-03-02T08:00:00.000Z',
      customer_id: `C-${index}`,
      version: 1,
      name,
      customer_group: 'Retail',
      default_price_list: null,
      is_disabled: false,
      billing_city: null,
      billing_state: null,
      billing_postal_code: null,
      billing_country: null,
      shipping_city: null,
      shipping_state: null,
      shipping_postal_code: null,
      shipping_country: null,
      ...overrides,
    },
  };
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

async function exportTo(sink: FileExportSink, batchSize = 50) {
  return createWarehouseExport({ store, sink, batchSize }).run();
}

describe('JSONL sink', () => {
  it('writes one JSON object per row, columns in table order, nulls kept, money as strings', async () => {
    const sink = createJsonlSink({ directory: temp.path });
    await exportTo(sink);
    for (const table of WAREHOUSE_TABLES) {
      const expected = reference.filter((row) => row.table === table.name);
      const written = lines(readFileSync(sink.fileOf(table.name), 'utf8')).map(
        (line) => JSON.parse(line) as Record<string, unknown>,
      );
      expect(written).toEqual(expected.map((row) => row.values));
      expect(Object.keys(written[0] ?? {})).toEqual(table.columns.map((column) => column.name));
    }
    const firstInvoice = JSON.parse(lines(readFileSync(sink.fileOf('invoice_fact'), 'utf8'))[0] ?? '{}');
    expect(firstInvoice).toMatchObject({ total: expect.stringMatching(/^\d+\.\d{2}$/), payment_id: null });
  });

  it('records the committed position, batches and each file’s byte length and rows in the manifest', async () => {
    const sink = createJsonlSink({ directory: temp.path });
    const summary = await exportTo(sink, 40);
    const manifest = await readExportManifest(temp.path);
    expect(manifest).toMatchObject({
      format: 'ordo-warehouse-export',
      fileFormat: 'jsonl',
      schemaVersion: WAREHOUSE_SCHEMA.version,
      position: summary.toPosition,
      batches: summary.batches,
    });
    for (const table of WAREHOUSE_TABLES) {
      expect(manifest?.tables[table.name]).toEqual({
        file: `${table.name}.jsonl`,
        bytes: statSync(sink.fileOf(table.name)).size,
        rows: summary.rows[table.name],
      });
    }
    expect(existsSync(join(temp.path, EXPORT_LOCK_FILE))).toBe(false);
    expect(existsSync(join(temp.path, `${EXPORT_MANIFEST_FILE}.tmp`))).toBe(false);
  });
});

describe('CSV sink', () => {
  it('quotes commas, quotes and line breaks, keeps unicode, and tells null from an empty string', async () => {
    const sink = createCsvSink({ directory: temp.path });
    await sink.open(context);
    await sink.write({
      fromPosition: 0,
      toPosition: 2,
      rows: [
        customerRow(1, 'Müller, "Acme" & Söhne\nGmbH 😀', { billing_city: '' }),
        customerRow(2, 'plain', { is_disabled: true, billing_city: 'Zürich' }),
      ],
    });
    await sink.close();
    const text = readFileSync(sink.fileOf('customer_dim'), 'utf8');
    expect(text.split('\n')[0]).toBe(
      'row_key,event_id,event_type,global_position,occurred_at,customer_id,version,name,customer_group,' +
        'default_price_list,is_disabled,billing_city,billing_state,billing_postal_code,billing_country,' +
        'shipping_city,shipping_state,shipping_postal_code,shipping_country',
    );
    expect(text).toContain(',"Müller, ""Acme"" & Söhne\nGmbH 😀",Retail,,false,"",,,,,,,\n');
    expect(text).toContain(',plain,Retail,,true,Zürich,,,,,,,\n');
    const [, first, second] = parseCsv(text);
    expect(first?.[7]).toBe('Müller, "Acme" & Söhne\nGmbH 😀');
    expect([first?.[9], first?.[11]]).toEqual([null, '']);
    expect(second?.[10]).toBe('true');
  });

  it('writes the header once per file, across batches and runs', async () => {
    const sink = createCsvSink({ directory: temp.path });
    await sink.open(context);
    await sink.write({ fromPosition: 0, toPosition: 1, rows: [customerRow(1, 'a')] });
    await sink.write({ fromPosition: 1, toPosition: 2, rows: [customerRow(2, 'b')] });
    await sink.close();
    expect(await sink.open(context)).toEqual({ position: 2 });
    await sink.write({ fromPosition: 2, toPosition: 3, rows: [customerRow(3, 'c')] });
    await sink.close();
    const records = parseCsv(readFileSync(sink.fileOf('customer_dim'), 'utf8'));
    expect(records.map((record) => record[0])).toEqual([
      'row_key',
      customerRow(1, 'a').key,
      customerRow(2, 'b').key,
      customerRow(3, 'c').key,
    ]);
  });

  it('reads back, field for field, every row the export wrote', async () => {
    const sink = createCsvSink({ directory: temp.path });
    await exportTo(sink, 17);
    for (const table of WAREHOUSE_TABLES) {
      const [header, ...records] = parseCsv(readFileSync(sink.fileOf(table.name), 'utf8'));
      expect(header).toEqual(table.columns.map((column) => column.name));
      const expected = reference
        .filter((row) => row.table === table.name)
        .map((row) =>
          table.columns.map((column) => {
            const value = (row.values as Readonly<Record<string, unknown>>)[column.name];
            return value === null ? null : String(value);
          }),
        );
      expect(records).toEqual(expected);
    }
  });

  it('uses the configured delimiter', async () => {
    const sink = createCsvSink({ directory: temp.path, delimiter: ';' });
    await sink.open(context);
    await sink.write({ fromPosition: 0, toPosition: 1, rows: [customerRow(1, 'a;b')] });
    await sink.close();
    expect(readFileSync(sink.fileOf('customer_dim'), 'utf8')).toContain(';"a;b";Retail;');
  });
});

describe('file sink commit protocol', () => {
  it('opening cuts off the bytes of a batch that never committed, and the next batch follows the last commit', async () => {
    const sink = createJsonlSink({ directory: temp.path });
    await sink.open(context);
    await sink.write({ fromPosition: 0, toPosition: 1, rows: [customerRow(1, 'a')] });
    await sink.close();
    const file = sink.fileOf('customer_dim');
    const committed = readFileSync(file, 'utf8');
    // What a run killed between writing data and renaming the manifest leaves behind.
    appendFileSync(file, '{"row_key":"half a row');
    writeFileSync(join(temp.path, `${EXPORT_MANIFEST_FILE}.tmp`), '{"position": 99');

    expect(await sink.open(context)).toEqual({ position: 1 });
    expect(readFileSync(file, 'utf8')).toBe(committed);
    expect(existsSync(join(temp.path, `${EXPORT_MANIFEST_FILE}.tmp`))).toBe(false);
    await sink.write({ fromPosition: 1, toPosition: 2, rows: [customerRow(2, 'b')] });
    await sink.close();
    expect(lines(readFileSync(file, 'utf8')).map((line) => JSON.parse(line).row_key)).toEqual([
      customerRow(1, 'a').key,
      customerRow(2, 'b').key,
    ]);
  });

  it('empties files written before the first commit', async () => {
    writeFileSync(join(temp.path, 'customer_dim.csv'), 'row_key\nleftover\n');
    const sink = createCsvSink({ directory: temp.path });
    expect(await sink.open(context)).toEqual({ position: 0 });
    await sink.close();
    expect(readFileSync(join(temp.path, 'customer_dim.csv'), 'utf8')).toBe('');
  });

  it('commits an empty batch: the position moves, the files do not', async () => {
    const sink = createCsvSink({ directory: temp.path });
    await sink.open(context);
    await sink.write({ fromPosition: 0, toPosition: 5, rows: [] });
    await sink.close();
    expect(await readExportManifest(temp.path)).toMatchObject({ position: 5, batches: 1 });
  });

  it('refuses a batch that does not follow the committed position', async () => {
    const sink = createJsonlSink({ directory: temp.path });
    await sink.open(context);
    await sink.write({ fromPosition: 0, toPosition: 3, rows: [] });
    for (const batch of [
      { fromPosition: 0, toPosition: 4, rows: [] },
      { fromPosition: 3, toPosition: 3, rows: [] },
    ]) {
      const error = await sink.write(batch).catch((caught: unknown) => caught);
      expect(isOrdoError(error, 'VALIDATION_FAILED')).toBe(true);
      expect(error).toMatchObject({ issues: [expect.objectContaining({ code: 'position_mismatch' })] });
    }
    await sink.close();
  });

  it('refuses a second open sink on the same directory', async () => {
    const first = createJsonlSink({ directory: temp.path });
    await first.open(context);
    const error = await createJsonlSink({ directory: temp.path })
      .open(context)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [expect.objectContaining({ code: 'sink_locked' })],
    });
    await first.close();
    const second = createJsonlSink({ directory: temp.path });
    await expect(second.open(context)).resolves.toEqual({ position: 0 });
    await second.close();
  });

  it('takes over a lock left by a process that died', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']);
    writeFileSync(join(temp.path, EXPORT_LOCK_FILE), `${dead.pid}:left-by-a-killed-export`);
    const sink = createJsonlSink({ directory: temp.path });
    await expect(sink.open(context)).resolves.toEqual({ position: 0 });
    expect(readFileSync(join(temp.path, EXPORT_LOCK_FILE), 'utf8')).toMatch(new RegExp(`^${process.pid}:`));
    await sink.close();
  });

  it('refuses a directory whose file is shorter than its manifest says', async () => {
    const sink = createJsonlSink({ directory: temp.path });
    await sink.open(context);
    await sink.write({ fromPosition: 0, toPosition: 1, rows: [customerRow(1, 'a')] });
    await sink.close();
    truncateSync(sink.fileOf('customer_dim'), 3);
    const error = await sink.open(context).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ issues: [expect.objectContaining({ code: 'file_truncated' })] });
    expect(existsSync(join(temp.path, EXPORT_LOCK_FILE))).toBe(false);
  });

  it('refuses a directory that holds the other format or a damaged manifest', async () => {
    const jsonl = createJsonlSink({ directory: temp.path });
    await jsonl.open(context);
    await jsonl.close();
    const wrongFormat = await createCsvSink({ directory: temp.path })
      .open(context)
      .catch((caught: unknown) => caught);
    expect(wrongFormat).toMatchObject({ issues: [expect.objectContaining({ code: 'format_mismatch' })] });

    await jsonl.open(context);
    await jsonl.write({ fromPosition: 0, toPosition: 1, rows: [] });
    await jsonl.close();
    writeFileSync(join(temp.path, EXPORT_MANIFEST_FILE), '{"format":"something else"}');
    const damaged = await jsonl.open(context).catch((caught: unknown) => caught);
    expect(isOrdoError(damaged, 'VALIDATION_FAILED')).toBe(true);
  });

  it('refuses a manifest that points at a file outside its directory, and truncates nothing', async () => {
    const sink = createJsonlSink({ directory: temp.path });
    await sink.open(context);
    await sink.close();
    const outside = join(temp.path, '..', `${temp.path.split('/').at(-1)}-outside.txt`);
    writeFileSync(outside, 'keep me');
    try {
      const manifest = JSON.parse(readFileSync(join(temp.path, EXPORT_MANIFEST_FILE), 'utf8'));
      manifest.tables.customer_dim.file = `../${outside.split('/').at(-1)}`;
      writeFileSync(join(temp.path, EXPORT_MANIFEST_FILE), JSON.stringify(manifest));
      const error = await sink.open(context).catch((caught: unknown) => caught);
      expect(isOrdoError(error, 'VALIDATION_FAILED')).toBe(true);
      expect(readFileSync(outside, 'utf8')).toBe('keep me');
    } finally {
      rmSync(outside, { force: true });
    }
  });

  it('refuses rows of another schema version', async () => {
    const sink = createJsonlSink({ directory: temp.path });
    await sink.open(context);
    await sink.write({ fromPosition: 0, toPosition: 1, rows: [] });
    await sink.close();
    const error = await sink
      .open({ schema: { ...WAREHOUSE_SCHEMA, version: WAREHOUSE_SCHEMA.version + 1 } })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ issues: [expect.objectContaining({ code: 'schema_version_mismatch' })] });
  });
});
