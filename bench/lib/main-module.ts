import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** True when the module at `moduleUrl` is the script node was started with (not an import of it). */
export function isMainModule(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === moduleUrl;
  } catch {
    return false;
  }
}

/**
 * Lets a workload script run on its own (`npx tsx bench/workloads/w1-append-single.ts --stores sqlite`): it
 * hands over to the runner with `--only <id>` plus the command line's own flags.
 *
 * Call it without `await` (`void runWorkloadScript(...)`): the runner imports the registry, which imports this
 * very script, and that import can only finish once the script's top level has.
 */
export async function runWorkloadScript(moduleUrl: string, workloadId: string): Promise<void> {
  if (!isMainModule(moduleUrl)) return;
  try {
    const { main } = await import('../run.js');
    process.exitCode = await main(['--only', workloadId, ...process.argv.slice(2)]);
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  }
}
