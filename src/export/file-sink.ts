import { randomUUID } from 'node:crypto';
import { type FileHandle, mkdir, open, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ValidationError } from '../kernel/errors.js';
import { toValidationIssues } from '../kernel/validation.js';
import type { ExportBatch, ExportSink, ExportSinkContext, ExportSinkState } from './export-sink.js';
import type { WarehouseTable } from './star-schema/star-schema-table.js';
import type { WarehouseRow } from './warehouse-schema.js';

/** The file formats of the built-in file sinks. */
export type ExportFileFormat = 'jsonl' | 'csv';

/** The name of the manifest file in an export directory. */
export const EXPORT_MANIFEST_FILE = 'manifest.json';
/** The name of the lock file an open file sink holds in its directory. */
export const EXPORT_LOCK_FILE = 'export.lock';

const MANIFEST_TEMP_FILE = `${EXPORT_MANIFEST_FILE}.tmp`;

const ManifestSchema = z.object({
  format: z.literal('ordo-warehouse-export'),
  manifestVersion: z.literal(1),
  fileFormat: z.enum(['jsonl', 'csv']),
  schemaVersion: z.number().int().positive(),
  position: z.number().int().nonnegative(),
  batches: z.number().int().nonnegative(),
  tables: z.record(
    z.string(),
    z.object({
      // A bare file name: a manifest must not point the sink at files outside its directory.
      file: z
        .string()
        .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/)
        .refine((name) => !name.includes('..')),
      bytes: z.number().int().nonnegative(),
      rows: z.number().int().nonnegative(),
    }),
  ),
});

/**
 * The manifest of an export directory (`manifest.json`): what the file sink has committed. Bytes past
 * `bytes` in a table's file belong to a batch that never committed; the sink cuts them off when it opens.
 */
export interface ExportManifest {
  readonly format: 'ordo-warehouse-export';
  readonly manifestVersion: 1;
  readonly fileFormat: ExportFileFormat;
  /** The row format version (`WAREHOUSE_SCHEMA_VERSION` when written). */
  readonly schemaVersion: number;
  /** The global position of the last committed batch; `0` before the first. */
  readonly position: number;
  /** Number of batches committed so far. */
  readonly batches: number;
  /** Per table: its file (relative to the directory), committed byte length and row count. */
  readonly tables: Readonly<Record<string, { readonly file: string; readonly bytes: number; readonly rows: number }>>;
}

/** Wiring and behaviour of the file sinks. */
export interface FileSinkConfig {
  /**
   * The directory the sink writes to, created when missing. The sink owns it: one export per directory,
   * files cut back to the manifest when it opens.
   */
  readonly directory: string;
  /**
   * fsync data files, the manifest and the directory at each commit, so that a committed batch survives a power
   * loss. With `false` a commit still survives a crash of the process (the data is in the OS cache), not of
   * the machine.
   * @defaultValue `true`
   */
  readonly durable?: boolean;
}

/** A sink writing one file per table plus a manifest into a directory; see {@link FileSinkConfig}. */
export interface FileExportSink extends ExportSink {
  readonly format: ExportFileFormat;
  readonly directory: string;
  /** The path of a table's file (it exists once the table has a row). */
  fileOf(table: string): string;
}

/** Turns rows of one table into the bytes appended to its file. */
export interface RowEncoder {
  readonly format: ExportFileFormat;
  /** The file name extension, without the dot. */
  readonly extension: string;
  /** Encodes rows of `table`; `first` is true when the file is still empty (a header goes first). */
  encode(table: WarehouseTable, rows: readonly WarehouseRow[], first: boolean): string;
}

function sinkError(code: string, message: string, path: readonly (string | number)[] = ['directory']): ValidationError {
  return new ValidationError([{ path, message, code }]);
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as { code?: string }).code : undefined;
}

/**
 * Reads and validates the manifest of an export directory; `undefined` when the directory has none (nothing
 * committed yet).
 *
 * @throws ValidationError (`manifest_invalid`) when the file is not a valid manifest.
 */
export async function readExportManifest(directory: string): Promise<ExportManifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(directory, EXPORT_MANIFEST_FILE), 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw sinkError('manifest_invalid', `${EXPORT_MANIFEST_FILE} in "${directory}" is not JSON`);
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new ValidationError(
      toValidationIssues(parsed.error.issues, [EXPORT_MANIFEST_FILE]),
      `${EXPORT_MANIFEST_FILE} in "${directory}" is not a valid export manifest`,
    );
  }
  return parsed.data;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return errorCode(error) === 'EPERM';
  }
}

/**
 * Takes the directory's lock file, or throws when a live process holds it. A lock left by a dead process (a
 * killed export) is taken over. A guard against a second export on the same directory by mistake, not a
 * distributed lock: it trusts process ids, so it is for one machine.
 */
async function acquireLock(directory: string): Promise<string> {
  const path = join(directory, EXPORT_LOCK_FILE);
  const token = `${process.pid}:${randomUUID()}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, token, { flag: 'wx' });
      return token;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const holder = await readFile(path, 'utf8').catch(() => '');
    const pid = Number(holder.split(':')[0]);
    if (Number.isSafeInteger(pid) && pid > 0 && isAlive(pid)) break;
    await rm(path, { force: true });
  }
  throw sinkError('sink_locked', `another export is writing to "${directory}" (see ${EXPORT_LOCK_FILE})`);
}

async function releaseLock(directory: string, token: string): Promise<void> {
  const path = join(directory, EXPORT_LOCK_FILE);
  const holder = await readFile(path, 'utf8').catch(() => '');
  if (holder === token) await rm(path, { force: true });
}

/** fsyncs a directory so that a rename or a new file in it survives a power loss. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    // Some platforms (Windows) cannot open or fsync a directory; there the rename is as durable as it gets.
    if (!['EISDIR', 'EPERM', 'EINVAL', 'EBADF', 'EACCES'].includes(errorCode(error) ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}

async function appendAll(handle: FileHandle, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
    offset += bytesWritten;
  }
}

/**
 * The file sink protocol shared by the JSONL and CSV sinks; `encoder` decides the bytes.
 *
 * @remarks
 * A commit: append each table's rows to its file, fsync the files, write the new manifest (byte lengths and
 * position) to a temporary file, fsync it, rename it over `manifest.json`, fsync the directory. The rename is
 * the commit point. Opening cuts every file back to the manifest's length, which drops a batch whose rename
 * never happened.
 */
export function createFileSink(config: FileSinkConfig, encoder: RowEncoder): FileExportSink {
  const { directory } = config;
  if (typeof directory !== 'string' || directory.length === 0) {
    throw sinkError('invalid_type', 'must be a non-empty directory path');
  }
  const durable = config.durable ?? true;
  const fileName = (table: string) => `${table}.${encoder.extension}`;

  let manifest: ExportManifest | undefined;
  let tables = new Map<string, WarehouseTable>();
  let lockToken: string | undefined;
  const handles = new Map<string, FileHandle>();
  /** Set when a write failed half-way: the files may hold uncommitted bytes until the next open cuts them. */
  let broken = false;

  /** Cuts the files back to the last commit; returns the manifest to continue from, and whether it was stored. */
  async function recover(context: ExportSinkContext): Promise<{ manifest: ExportManifest; stored: boolean }> {
    await rm(join(directory, MANIFEST_TEMP_FILE), { force: true });
    const stored = await readExportManifest(directory);
    if (stored && stored.fileFormat !== encoder.format) {
      throw sinkError('format_mismatch', `"${directory}" holds a ${stored.fileFormat} export, not ${encoder.format}`);
    }
    if (stored && stored.schemaVersion !== context.schema.version) {
      throw sinkError(
        'schema_version_mismatch',
        `"${directory}" holds rows of schema version ${stored.schemaVersion}, not ${context.schema.version}: export into a new directory`,
      );
    }
    const entries: Record<string, { file: string; bytes: number; rows: number }> = { ...stored?.tables };
    for (const table of context.schema.tables)
      entries[table.name] ??= { file: fileName(table.name), bytes: 0, rows: 0 };
    for (const [table, entry] of Object.entries(entries)) {
      const path = join(directory, entry.file);
      let size: number;
      try {
        size = (await stat(path)).size;
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') throw error;
        if (entry.bytes > 0) {
          throw sinkError('file_missing', `${entry.file} is missing but the manifest has ${entry.bytes} bytes of it`);
        }
        continue;
      }
      if (size < entry.bytes) {
        throw sinkError(
          'file_truncated',
          `${entry.file} has ${size} bytes but the manifest committed ${entry.bytes}: the directory was changed or lost data (table ${table})`,
        );
      }
      // Bytes past the committed length are a batch that never committed: they are written again.
      if (size > entry.bytes) await truncate(path, entry.bytes);
    }
    const recovered: ExportManifest = {
      format: 'ordo-warehouse-export',
      manifestVersion: 1,
      fileFormat: encoder.format,
      schemaVersion: context.schema.version,
      position: stored?.position ?? 0,
      batches: stored?.batches ?? 0,
      tables: entries,
    };
    return { manifest: recovered, stored: stored !== undefined };
  }

  async function handleOf(table: string, file: string): Promise<FileHandle> {
    let handle = handles.get(table);
    if (!handle) {
      handle = await open(join(directory, file), 'a');
      handles.set(table, handle);
    }
    return handle;
  }

  async function writeManifest(next: ExportManifest): Promise<void> {
    const temp = join(directory, MANIFEST_TEMP_FILE);
    const handle = await open(temp, 'w');
    try {
      await appendAll(handle, Buffer.from(`${JSON.stringify(next, null, 2)}\n`, 'utf8'));
      if (durable) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, join(directory, EXPORT_MANIFEST_FILE));
    if (durable) await syncDirectory(directory);
  }

  async function closeHandles(): Promise<void> {
    const open = [...handles.values()];
    handles.clear();
    await Promise.allSettled(open.map((handle) => handle.close()));
  }

  return {
    format: encoder.format,
    directory,
    fileOf: (table) => join(directory, manifest?.tables[table]?.file ?? fileName(table)),

    async open(context) {
      if (lockToken !== undefined) throw sinkError('sink_open', 'the sink is already open');
      await mkdir(directory, { recursive: true });
      const token = await acquireLock(directory);
      try {
        const recovered = await recover(context);
        // A new directory gets its manifest at once, so it is claimed for this format and schema version.
        if (!recovered.stored) await writeManifest(recovered.manifest);
        manifest = recovered.manifest;
      } catch (error) {
        await releaseLock(directory, token);
        throw error;
      }
      lockToken = token;
      tables = new Map(context.schema.tables.map((table) => [table.name, table]));
      broken = false;
      const state: ExportSinkState = { position: manifest.position };
      return state;
    },

    async write(batch: ExportBatch) {
      const current = manifest;
      if (lockToken === undefined || current === undefined) throw sinkError('sink_closed', 'open the sink first');
      if (broken) throw sinkError('sink_broken', 'an earlier write failed: reopen the sink to recover');
      if (batch.fromPosition !== current.position || !(batch.toPosition > batch.fromPosition)) {
        throw sinkError(
          'position_mismatch',
          `batch (${batch.fromPosition}, ${batch.toPosition}] does not follow the committed position ${current.position}`,
          ['batch'],
        );
      }
      const byTable = new Map<string, WarehouseRow[]>();
      for (const row of batch.rows) {
        const list = byTable.get(row.table);
        if (list) list.push(row);
        else byTable.set(row.table, [row]);
      }
      const nextTables = { ...current.tables };
      try {
        const written: FileHandle[] = [];
        for (const [name, rows] of byTable) {
          const table = tables.get(name);
          const entry = nextTables[name];
          if (!table || !entry) throw sinkError('unknown_table', `no table "${name}" in the schema`, ['batch', 'rows']);
          const buffer = Buffer.from(encoder.encode(table, rows, entry.bytes === 0), 'utf8');
          const handle = await handleOf(name, entry.file);
          await appendAll(handle, buffer);
          written.push(handle);
          nextTables[name] = { file: entry.file, bytes: entry.bytes + buffer.length, rows: entry.rows + rows.length };
        }
        // The data must be on disk before the manifest that commits it.
        if (durable) await Promise.all(written.map((handle) => handle.datasync()));
        const next: ExportManifest = {
          ...current,
          position: batch.toPosition,
          batches: current.batches + 1,
          tables: nextTables,
        };
        await writeManifest(next);
        manifest = next;
      } catch (error) {
        broken = true;
        throw error;
      }
    },

    async close() {
      await closeHandles();
      const token = lockToken;
      lockToken = undefined;
      manifest = undefined;
      if (token !== undefined) await releaseLock(directory, token);
    },
  };
}
