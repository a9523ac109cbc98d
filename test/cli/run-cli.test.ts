import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, createTempDir } from './cli-test-support.js';

const temp = createTempDir();
afterAll(() => temp.remove());

let files = 0;
const newPath = (name = 'store') => join(temp.path, `${name}-${++files}.sqlite`);

async function migratedStore(): Promise<string> {
  const path = newPath();
  expect((await cli(['migrate', '--store', path])).code).toBe(0);
  return path;
}

describe('ordo help', () => {
  it('prints the commands, the store options and the exit codes on --help, and exits 0', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: ordo <command> [options]');
    for (const command of ['migrate', 'export', 'projections', 'stream', 'dead-letters']) {
      expect(run.stdout).toContain(`  ${command}`);
    }
    expect(run.stdout).toContain('--store <path | url>');
    expect(run.stdout).toMatch(/Exit codes:[\s\S]*4 {4}the store is not ready/);
    expect(run.stderr).toBe('');
  });

  it('prints the help on stderr and exits 2 when no command is given', async () => {
    const run = await cli([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: ordo <command> [options]');
  });

  it("prints a command's own help with --help, `help <command>` and per subcommand", async () => {
    const exportHelp = await cli(['export', '--help']);
    expect(exportHelp.code).toBe(0);
    expect(exportHelp.stdout).toContain('Usage: ordo export');
    expect(exportHelp.stdout).toContain('--to-position');
    expect((await cli(['help', 'export'])).stdout).toBe(exportHelp.stdout);

    const rebuildHelp = await cli(['projections', 'rebuild', '--help']);
    expect(rebuildHelp.code).toBe(0);
    expect(rebuildHelp.stdout).toContain('Usage: ordo projections rebuild');
    const replayHelp = await cli(['dead-letters', 'replay', '-h']);
    expect(replayHelp.stdout).toContain('registerHandlers(bus');
    expect((await cli(['stream', 'show', '--help'])).stdout).toContain('Usage: ordo stream show <stream-id>');
  });

  it('answers --help without needing a store, even next to invalid options', async () => {
    const run = await cli(['stream', 'show', '--limit', 'lots', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: ordo stream show');
  });
});

describe('usage errors exit 2', () => {
  it('rejects an unknown command, naming it', async () => {
    const run = await cli(['mirgate', '--store', 'x.sqlite']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown command "mirgate"');
  });

  it('reports a usage error as one JSON line on stderr with --json', async () => {
    const run = await cli(['frobnicate', '--json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.errorLines).toEqual([
      { error: { exitCode: 2, code: 'USAGE', message: expect.stringContaining('frobnicate') } },
    ]);
  });

  it('asks for the command first when an option comes before it', async () => {
    const run = await cli(['--store', 'x.sqlite', 'migrate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('The command comes first');
  });

  it('rejects an unknown option and an unknown subcommand', async () => {
    const path = await migratedStore();
    const option = await cli(['migrate', '--store', path, '--force']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("'--force'");
    const sub = await cli(['projections', 'reset', '--store', path]);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain('projections reset');
  });

  it('requires a store from --store or ORDO_STORE, and takes ORDO_STORE when --store is absent', async () => {
    const missing = await cli(['migrate']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('ORDO_STORE');

    const path = newPath();
    const fromEnv = await cli(['migrate', '--json'], { env: { ORDO_STORE: path } });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.lines[0]).toMatchObject({ store: 'sqlite', location: path, applied: [1] });
  });

  it('rejects options that belong to the other kind of store, and malformed names', async () => {
    const path = await migratedStore();
    expect((await cli(['migrate', '--store', path, '--schema', 'erp'])).code).toBe(2);
    expect((await cli(['migrate', '--store', 'postgres://localhost/db', '--prefix', 'erp_'])).code).toBe(2);
    const prefix = await cli(['migrate', '--store', path, '--prefix', 'bad-prefix']);
    expect(prefix.code).toBe(2);
    expect(prefix.stderr).toContain('--prefix "bad-prefix"');
    expect((await cli(['migrate', '--store', path, '--busy-timeout', 'soon'])).code).toBe(2);
    const schema = await cli(['migrate', '--store', 'postgres://localhost/db', '--schema', 'Bad-Name']);
    expect(schema.code).toBe(2);
    expect(schema.stderr).toContain('--schema "Bad-Name"');
  });
});

describe('an unreachable store exits 3', () => {
  it('rejects a malformed postgres URL without echoing its password', async () => {
    const run = await cli(['migrate', '--store', 'postgres://app:s3cret@db.example:99999/erp', '--json']);
    expect(run.code).toBe(3);
    expect(run.errorLines[0]).toMatchObject({ error: { code: 'BAD_STORE_URL', exitCode: 3 } });
    expect(run.stderr).not.toContain('s3cret');
  });

  it('rejects a URL of another scheme', async () => {
    const run = await cli(['migrate', '--store', 'mysql://localhost/erp']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('Unsupported store URL scheme "mysql://"');
  });

  it('reports a PostgreSQL server that refuses the connection, with the password masked', async () => {
    const run = await cli(['projections', 'status', '--store', 'postgres://app:s3cret@127.0.0.1:1/erp', '--json']);
    expect(run.code).toBe(3);
    expect(run.errorLines[0]).toMatchObject({ error: { code: 'STORE_UNREACHABLE' } });
    expect(run.stderr).toContain('postgres://app:***@127.0.0.1:1/erp');
    expect(run.stderr).not.toContain('s3cret');
  });

  it('reports a missing SQLite file and does not create it', async () => {
    const path = newPath('missing');
    const run = await cli(['stream', 'show', 'customer-C-1', '--store', path]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`No SQLite file at ${path}`);
    expect(existsSync(path)).toBe(false);
  });

  it('reports a file that is not a SQLite database', async () => {
    const path = newPath('text');
    writeFileSync(path, 'this is not a database, just some text that is long enough to have a header '.repeat(20));
    const run = await cli(['stream', 'show', 'customer-C-1', '--store', path]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('is not a SQLite database');
  });
});

describe('a store that is not ready exits 4', () => {
  it('reports a SQLite file without the Ordo schema and says to run ordo migrate', async () => {
    const path = newPath('empty');
    const database = new Database(path);
    database.exec('CREATE TABLE unrelated (id INTEGER)');
    database.close();
    const run = await cli(['projections', 'status', '--store', path, '--json']);
    expect(run.code).toBe(4);
    expect(run.errorLines[0]).toMatchObject({
      error: { code: 'SCHEMA_MISSING', message: expect.stringContaining('run `ordo migrate`') },
    });
  });

  it('reports a locked SQLite file, for a migration and for a read', async () => {
    const path = await migratedStore();
    const holder = new Database(path);
    try {
      // The file is in rollback-journal mode (the CLI leaves the journal mode alone): an exclusive lock stops
      // readers as well as writers.
      holder.exec('BEGIN EXCLUSIVE');
      const migrate = await cli(['migrate', '--store', path, '--busy-timeout', '20', '--json']);
      expect(migrate.code).toBe(4);
      expect(migrate.errorLines[0]).toMatchObject({ error: { code: 'STORE_LOCKED', exitCode: 4 } });
      const read = await cli(['stream', 'show', 'customer-C-1', '--store', path, '--busy-timeout', '20']);
      expect(read.code).toBe(4);
      expect(read.stderr).toContain('--busy-timeout');
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect((await cli(['migrate', '--store', path])).code).toBe(0);
  });
});
