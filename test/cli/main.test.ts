import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the entry point as the `ordo` binary would run, without a build. */
async function ordo(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'src/cli/main.ts', ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

// A child process through npx and tsx: slow on a busy machine, so each test gets more time than the default.
describe('the ordo executable (src/cli/main.ts)', { timeout: 180_000 }, () => {
  it('prints the help and exits 0 on --help', async () => {
    const result = await ordo(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: ordo <command> [options]');
    expect(result.stderr).toBe('');
  });

  it('exits with the code the command returned (2 for an unknown command)', async () => {
    const result = await ordo(['nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown command "nope"');
  });
});
