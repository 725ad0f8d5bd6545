import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { type ExtensionBrowser, launchWithExtension } from '../e2e/browser.mjs';
import { cannotWrite, recordSkip, type SkipReason } from './skips';

/**
 * Chromium enterprise policy for one describe block. Debian's Chromium reads
 * /etc/chromium/policies/managed/*.json, and a policy names an extension by id; an
 * unpacked extension's id comes from its absolute path. So each block copies the build to
 * a run-unique folder, computes that copy's id, and writes a run-unique policy file that
 * is removed afterwards, even when the run is killed: other suites and helpers write
 * policy files of their own there (run them under flock /tmp/mo-system-policy.lock).
 */

export const CHROMIUM_POLICY_DIR = '/etc/chromium/policies/managed';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Only root may write the policy folder: as anyone else the suite is skipped, and says why. */
export function systemPolicySkip(suite: string): SkipReason {
  return recordSkip(suite, cannotWrite(CHROMIUM_POLICY_DIR));
}

/** Chromium's id for an unpacked extension: sha256 of its path, first 32 hex digits mapped 0-f → a-p. */
export function unpackedExtensionId(absolutePath: string): string {
  const hex = createHash('sha256').update(absolutePath).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode('a'.charCodeAt(0) + Number.parseInt(c, 16))).join('');
}

/** A policy file that gives the extension `settings` as its own (storage.managed) policy. */
export function extensionPolicy(extensionId: string, settings: object): Record<string, unknown> {
  return { '3rdparty': { extensions: { [extensionId]: settings } } };
}

export interface SystemPolicyOptions {
  /** Names the temporary folder and the policy file, e.g. 'mo-policy-e2e'. */
  name: string;
  /** The build to copy, from the repository root (default .output/chrome-mv3). */
  build?: string;
  /** What the block's policy file holds at first, for the copy's id (see extensionPolicy). */
  policy(extensionId: string): object;
}

/** Read in tests and hooks only, once the block's beforeAll has run. */
export interface SystemPolicy {
  /** Chromium with the copy, in a profile of its own, started once the policy is written. */
  readonly browser: ExtensionBrowser;
  /** The copy of the build the policy names. */
  readonly extensionDir: string;
  readonly extensionId: string;
  /** Replaces the policy file's content (Chromium reloads it once it has settled, ~5 s). */
  write(content: object): Promise<void>;
}

/**
 * Registers the beforeAll that copies the build, writes the policy and starts Chromium
 * with the copy, and the afterAll that closes it and removes them all. Call it inside
 * `describe.skipIf(systemPolicySkip(…))`.
 */
export function withSystemPolicy(options: SystemPolicyOptions): SystemPolicy {
  const file = path.join(CHROMIUM_POLICY_DIR, `${options.name}-${process.pid}-${Date.now()}.json`);
  const removeFile = () => {
    if (existsSync(file)) rmSync(file, { force: true });
  };
  const write = async (content: object) => {
    await mkdir(CHROMIUM_POLICY_DIR, { recursive: true });
    await writeFile(file, JSON.stringify(content, null, 2));
  };
  let ready: { dir: string; extensionDir: string; extensionId: string } | undefined;
  let browser: ExtensionBrowser | undefined;

  beforeAll(async () => {
    process.once('exit', removeFile);
    const built = path.join(REPO_ROOT, options.build ?? '.output/chrome-mv3');
    if (!existsSync(path.join(built, 'manifest.json'))) {
      throw new Error(`No extension build at ${built}: run npm run build:e2e (and build:managed) first`);
    }
    const dir = await mkdtemp(path.join(tmpdir(), `${options.name}-`));
    const extensionDir = path.join(dir, path.basename(built));
    await cp(built, extensionDir, { recursive: true });
    ready = { dir, extensionDir, extensionId: unpackedExtensionId(extensionDir) };
    await write(options.policy(ready.extensionId));
    browser = await launchWithExtension({ extensionDir, userDataDir: path.join(dir, 'profile') });
  }, 90_000);

  afterAll(async () => {
    try {
      await browser?.close();
      if (ready) await rm(ready.dir, { recursive: true, force: true });
    } finally {
      removeFile();
      process.removeListener('exit', removeFile);
    }
  });

  const get = () => {
    if (!ready) throw new Error('withSystemPolicy: read it in tests and hooks, once set up');
    return ready;
  };
  return {
    get browser() {
      get();
      if (!browser) throw new Error('withSystemPolicy: the browser did not start');
      return browser;
    },
    get extensionDir() {
      return get().extensionDir;
    },
    get extensionId() {
      return get().extensionId;
    },
    write,
  };
}
