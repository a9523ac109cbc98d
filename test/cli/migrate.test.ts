import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, createTempDir } from './cli-test-support.js';

const temp = createTempDir();
afterAll(() => temp.remove());

let files = 0;
const newPath = () => join(temp.path, `migrate-${++files}.sqlite`);

function tableNames(path: string): string[] {
  const database = new Database(path, { readonly: true });
  try {
    return (
      database.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]
    )
      .map((row) => row.name)
      .filter((name) => !name.startsWith('sqlite_'));
  } finally {
    database.close();
  }
}

describe('ordo migrate', () => {
  it('creates the SQLite file and its schema, and reports the versions applied', async () => {
    const path = newPath();
    const run = await cli(['migrate', '--store', path]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${path} (tables ordo_*): applied migration 1; schema at version 1\n`);
    expect(existsSync(path)).toBe(true);
    expect(tableNames(path)).toEqual(['ordo_checkpoints', 'ordo_events', 'ordo_migrations', 'ordo_snapshots']);
  });

  it('is idempotent: a second run applies nothing and exits 0', async () => {
    const path = newPath();
    await cli(['migrate', '--store', path]);
    const again = await cli(['migrate', '--store', path, '--json']);
    expect(again.code).toBe(0);
    expect(again.lines).toEqual([{ store: 'sqlite', location: path, tablePrefix: 'ordo_', applied: [], version: 1 }]);
    const human = await cli(['migrate', '--store', path]);
    expect(human.stdout).toContain('schema already at version 1, nothing to do');
  });

  it('accepts sqlite: and file: prefixed paths, relative to the working directory', async () => {
    const sqlite = await cli(['migrate', '--store', 'sqlite:prefixed.sqlite', '--json'], { cwd: temp.path });
    expect(sqlite.code).toBe(0);
    expect(existsSync(join(temp.path, 'prefixed.sqlite'))).toBe(true);
    const file = await cli(['migrate', '--store', 'file:prefixed.sqlite', '--json'], { cwd: temp.path });
    expect(file.lines[0]).toMatchObject({ applied: [], version: 1 });
  });

  it('creates the tables under --prefix, and other commands only find them with the same prefix', async () => {
    const path = newPath();
    expect((await cli(['migrate', '--store', path, '--prefix', 'erp_'])).code).toBe(0);
    expect(tableNames(path)).toEqual(['erp_checkpoints', 'erp_events', 'erp_migrations', 'erp_snapshots']);
    expect((await cli(['projections', 'status', '--store', path, '--prefix', 'erp_'])).code).toBe(0);
    const withoutPrefix = await cli(['projections', 'status', '--store', path]);
    expect(withoutPrefix.code).toBe(4);
    expect(withoutPrefix.stderr).toContain('(tables ordo_*) has no Ordo schema');
  });

  it('refuses a schema newer than this Ordo knows with exit 4, changing nothing', async () => {
    const path = newPath();
    await cli(['migrate', '--store', path]);
    const database = new Database(path);
    database
      .prepare('INSERT INTO ordo_migrations (version, name, applied_at) VALUES (99, ?, ?)')
      .run('future', '2030-01-01');
    database.close();
    const run = await cli(['migrate', '--store', path, '--json']);
    expect(run.code).toBe(4);
    expect(run.errorLines[0]).toMatchObject({
      error: { code: 'SCHEMA_NEWER', message: expect.stringContaining('upgrade Ordo') },
    });
    expect((await cli(['stream', 'show', 'x', '--store', path])).code).toBe(4);
  });

  it('reports a directory that does not exist as an unreachable store', async () => {
    const run = await cli(['migrate', '--store', join(temp.path, 'no-such-dir', 'erp.sqlite')]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('Could not open the SQLite database');
  });
});
