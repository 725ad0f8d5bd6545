#!/usr/bin/env node
// @ts-check
/**
 * Gets a fresh clone ready, then runs one of the project's scripts:
 *
 *   node scripts/bootstrap.mjs [--needs chromium,firefox] SCRIPT [ARGS...]
 *   node scripts/bootstrap.mjs --print-node-bin     (prints the folder holding Node 22's `node`)
 *
 * 1. Node: the toolchain (wxt, vitest) needs Node 22+. On an older Node it installs Node
 *    from the npm registry into .tools/ (the platform's `node-<os>-<arch>` package, which
 *    ships the binary itself, so no install script runs) and runs itself again on it, with
 *    that Node first on PATH for every child (npm included).
 * 2. node_modules: `npm ci` when they are missing or older than package-lock.json.
 * 3. Browsers: Debian's Chromium and Firefox ESR, as `--needs` says. When one is missing it
 *    installs it with apt-get (as root, or with passwordless sudo, as Playwright's
 *    --with-deps does); otherwise it stops and prints the one command to run.
 *
 * Plain ESM with no dependencies, so that any Node from 18 up can run it before anything
 * is installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './lib/run.mjs';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
/** The Node the toolchain is tested on; pinned so every machine runs the same one. */
const NODE_VERSION = '22.23.3';
const MIN_NODE_MAJOR = 22;
const NODE_DIR = path.join(REPO_ROOT, '.tools', `node-${NODE_VERSION}`);
/** The registry package holding this platform's Node binary (what the `node` package's install script fetches). */
const NODE_PACKAGE = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
const NODE_BIN_DIR = path.join(NODE_DIR, 'node_modules', NODE_PACKAGE, 'bin');

/** What each browser is called by Debian's apt, and where Debian puts it. */
const BROWSERS = {
  chromium: {
    label: 'Chromium',
    apt: 'chromium',
    env: 'CHROMIUM_PATH',
    paths: ['/usr/lib/chromium/chromium', '/usr/bin/chromium'],
  },
  firefox: {
    label: 'Firefox ESR',
    apt: 'firefox-esr',
    env: 'FIREFOX_PATH',
    // The same places the Firefox suite looks (tests/e2e-firefox/harness.ts).
    paths: [
      '/usr/lib/firefox-esr/firefox-esr',
      '/usr/bin/firefox-esr',
      '/usr/lib/firefox/firefox',
      '/usr/bin/firefox',
    ],
  },
};

/** @param {string} message */
function fail(message) {
  console.error(`\n✘ ${message}`);
  process.exit(1);
}

function nodeMajor() {
  return Number(process.versions.node.split('.')[0]);
}

/** Installs the pinned Node into .tools/ once; returns the folder holding its `node`. */
function installedNodeBinDir() {
  const node = path.join(NODE_BIN_DIR, 'node');
  if (!existsSync(node)) {
    console.log(`› Node ${process.versions.node} is older than the toolchain needs (${MIN_NODE_MAJOR}+).`);
    console.log(`› Installing Node ${NODE_VERSION} from the npm registry into .tools/ (once).`);
    const { status } = run(
      'npm',
      [
        'install',
        '--prefix',
        NODE_DIR,
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--loglevel=error',
        `${NODE_PACKAGE}@${NODE_VERSION}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (status !== 0 || !existsSync(node)) {
      fail(`Could not install Node ${NODE_VERSION}. Install Node ${MIN_NODE_MAJOR}+ yourself and run again.`);
    }
  }
  return NODE_BIN_DIR;
}

/** Runs this script again on Node 22 when the current Node is older, and exits with its status. */
function ensureNode() {
  if (nodeMajor() >= MIN_NODE_MAJOR) return;
  const binDir = installedNodeBinDir();
  const env = { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}` };
  const { status } = run(
    path.join(binDir, 'node'),
    [fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    {
      env,
    },
  );
  process.exit(status);
}

function ensureModules() {
  const marker = path.join(REPO_ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(REPO_ROOT, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('› Installing dependencies: npm ci');
  if (run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']).status !== 0) {
    fail('npm ci failed (see above). Fix that, then run the command again.');
  }
}

/** @param {keyof typeof BROWSERS} name */
function browserPresent(name) {
  const browser = BROWSERS[name];
  const fromEnv = process.env[browser.env];
  return [fromEnv, ...browser.paths].some((p) => typeof p === 'string' && p !== '' && existsSync(p));
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function hasPasswordlessSudo() {
  const result = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
  return !result.error && result.status === 0;
}

/** @param {(keyof typeof BROWSERS)[]} needed */
function ensureBrowsers(needed) {
  const missing = needed.filter((name) => !browserPresent(name));
  if (missing.length === 0) return;
  const labels = missing.map((name) => BROWSERS[name].label).join(' and ');
  const packages = missing.map((name) => BROWSERS[name].apt);
  const command = `sudo apt-get install -y ${packages.join(' ')}`;
  const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!hasApt) {
    const vars = missing.map((name) => BROWSERS[name].env).join(' / ');
    fail(`${labels} not found. Install it with your package manager and set ${vars} to its path.`);
  }
  const canInstall = isRoot() || hasPasswordlessSudo();
  if (!canInstall)
    fail(`${labels} not found. Install with:\n\n    ${command}\n\nthen run the command again.`);
  console.log(`› Installing ${labels}: apt-get install -y ${packages.join(' ')}`);
  /** Runs apt-get as root: directly when we are root, else through passwordless sudo. */
  const apt = (/** @type {string[]} */ aptArgs) => {
    const withEnv = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...aptArgs];
    return (isRoot() ? run(withEnv[0], withEnv.slice(1)) : run('sudo', ['-n', ...withEnv])).status;
  };
  const ok = apt(['update', '-qq']) === 0 && apt(['install', '-y', '-qq', ...packages]) === 0;
  if (!ok || missing.some((name) => !browserPresent(name))) {
    fail(`Installing ${labels} failed. Install with:\n\n    ${command}\n\nthen run the command again.`);
  }
}

function main() {
  const args = process.argv.slice(2);
  ensureNode();
  if (args[0] === '--print-node-bin') {
    console.log(path.dirname(process.execPath));
    return;
  }
  /** @type {(keyof typeof BROWSERS)[]} */
  let needs = [];
  if (args[0] === '--needs') {
    needs = /** @type {(keyof typeof BROWSERS)[]} */ ((args[1] ?? '').split(',').filter(Boolean));
    const unknown = needs.filter((n) => !(n in BROWSERS));
    if (unknown.length > 0) fail(`bootstrap: unknown browser ${unknown.join(', ')}`);
    args.splice(0, 2);
  }
  const [script, ...scriptArgs] = args;
  if (!script) fail('usage: node scripts/bootstrap.mjs [--needs chromium,firefox] SCRIPT [ARGS...]');
  ensureModules();
  ensureBrowsers(needs);
  // Children (npm, npx, vitest, wxt) find this Node first.
  const env = {
    ...process.env,
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
  };
  process.exit(run(process.execPath, [path.resolve(REPO_ROOT, script), ...scriptArgs], { env }).status);
}

main();
