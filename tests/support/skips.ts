import { accessSync, appendFileSync, constants, existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Why a suite cannot run on this machine, or undefined when it can. Used with
 * `describe.skipIf(reason)`, after `recordSkip`, so that `npm test`'s summary says what
 * was skipped and why instead of a bare count.
 */
export type SkipReason = string | undefined;

/**
 * Notes a skipped suite and its reason in the run's skip log (scripts/test.mjs sets
 * MO_TEST_SKIP_LOG and prints it in its summary). Returns the reason, for skipIf.
 */
export function recordSkip(suite: string, reason: SkipReason): SkipReason {
  const log = process.env.MO_TEST_SKIP_LOG;
  if (reason && log) appendFileSync(log, `${JSON.stringify({ suite, reason })}\n`);
  return reason;
}

/** The nearest folder of `target` that exists (the one a new file or folder would be made in). */
function nearestExisting(target: string): string {
  let dir = target;
  while (!existsSync(dir)) {
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return dir;
}

/**
 * Why this process cannot write `target` (a browser's system policy folder or file,
 * which only root may write on Debian), or undefined when it can.
 */
export function cannotWrite(target: string): SkipReason {
  const dir = nearestExisting(target);
  try {
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch {
    return `needs write access to ${dir} (root): run as root, or with sudo, to include it`;
  }
}
