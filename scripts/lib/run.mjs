// @ts-check
/**
 * Runs a command from the repository root and returns its exit status: a signal or a
 * failure to start is a failure, never an exception. With `capture` the output (stdout
 * and stderr together) is returned instead of shown. Plain Node built-ins only:
 * scripts/bootstrap.mjs loads it on whatever Node the machine has.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, capture?: boolean, stdio?: import('node:child_process').StdioOptions }} [options]
 *   env is added to this process's environment.
 * @returns {{ status: number, output: string }}
 */
export function run(command, args, { env, capture = false, stdio } = {}) {
  const result = spawnSync(command, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : (stdio ?? 'inherit'),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  let output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error) {
    output += `\n${result.error.message}`;
    if (!capture) console.error(`${command}: ${result.error.message}`);
  }
  return { status: result.error ? 1 : (result.status ?? (result.signal ? 128 : 1)), output };
}
