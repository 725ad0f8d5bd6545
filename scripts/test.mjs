#!/usr/bin/env node
// @ts-check
/**
 * `npm test`: every check the project has, in order, with one summary at the end.
 * Run through scripts/bootstrap.mjs, which has already made sure of Node 22, node_modules
 * and the browsers.
 *
 *   typecheck → lint → unit/component tests → detection evaluation → e2e and managed
 *   builds → Chromium e2e → Firefox ESR e2e
 *
 * Steps whose output only matters when they fail (typecheck, lint, build) are captured and
 * printed only then. Each vitest run prints its own short report (dots, then any failure in
 * full); a test that cannot run here (e.g. one that must write the browsers' system policy
 * folders, which needs root) is skipped and names its reason in the skip log, which the
 * summary prints. The last line is `total: N passed, N failed, N skipped`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from './lib/run.mjs';

/**
 * @typedef {{ name: string, kind: 'quiet', command: string[], env?: Record<string, string> }} QuietStep
 * @typedef {{ name: string, kind: 'vitest', args: string[], needs?: string[], logs?: boolean }} VitestStep
 * @typedef {QuietStep | VitestStep} Step
 * @typedef {{ name: string, ok: boolean, seconds: number, passed?: number, failed?: number, skipped?: number, note?: string }} Outcome
 */

/** @type {Step[]} */
const STEPS = [
  { name: 'typecheck', kind: 'quiet', command: ['npx', 'tsc', '--noEmit'] },
  { name: 'lint', kind: 'quiet', command: ['npx', 'biome', 'lint', '--error-on-warnings', '.'] },
  { name: 'unit', kind: 'vitest', args: [] },
  // Prints recall and precision per tool and shape, and every miss, so its log is kept.
  {
    name: 'eval detection',
    kind: 'vitest',
    args: ['--config', 'scripts/eval-detection.config.ts'],
    logs: true,
  },
  { name: 'e2e build', kind: 'quiet', command: ['npx', 'wxt', 'build'], env: { WXT_E2E: '1' } },
  // The enterprise package, which the policy suite installs by ExtensionSettings.
  { name: 'managed build', kind: 'quiet', command: ['npx', 'wxt', 'build'], env: { WXT_MANAGED: '1' } },
  {
    name: 'e2e chromium',
    kind: 'vitest',
    args: ['--config', 'vitest.e2e.config.ts'],
    needs: ['e2e build', 'managed build'],
  },
  { name: 'e2e firefox', kind: 'vitest', args: ['--config', 'tests/e2e-firefox/vitest.config.ts'] },
];

/** @param {number} startedAt */
const secondsSince = (startedAt) => (performance.now() - startedAt) / 1000;

/**
 * The counts from vitest's JSON report (jest-compatible: skipped and todo are "pending").
 * @param {string} file
 */
function vitestCounts(file) {
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return {
    passed: Number(report.numPassedTests ?? 0),
    failed: Number(report.numFailedTests ?? 0),
    skipped: Number(report.numPendingTests ?? 0) + Number(report.numTodoTests ?? 0),
  };
}

/** @param {string} file @returns {{ step?: string, suite: string, reason: string, tests?: number }[]} */
function readSkips(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

async function main() {
  const runDir = await mkdtemp(path.join(tmpdir(), 'mo-test-run-'));
  const skipLog = path.join(runDir, 'skips.jsonl');
  /** @type {Outcome[]} */
  const outcomes = [];
  /** @type {{ step: string, suite: string, reason: string }[]} */
  const skips = [];
  try {
    for (const step of STEPS) {
      const startedAt = performance.now();
      const unmet =
        step.kind === 'vitest'
          ? (step.needs ?? []).filter((n) => !outcomes.find((o) => o.name === n)?.ok)
          : [];
      if (unmet.length > 0) {
        outcomes.push({
          name: step.name,
          ok: false,
          seconds: 0,
          note: `not run: ${unmet.join(', ')} failed`,
        });
        continue;
      }
      console.log(`\n› ${step.name}`);
      if (step.kind === 'quiet') {
        const [command, ...args] = step.command;
        const { status, output } = run(/** @type {string} */ (command), args, {
          env: step.env,
          capture: true,
        });
        if (status !== 0) process.stdout.write(output);
        outcomes.push({ name: step.name, ok: status === 0, seconds: secondsSince(startedAt) });
        continue;
      }
      const report = path.join(runDir, `${step.name.replace(/\W+/g, '-')}.json`);
      const stepSkipLog = `${skipLog}.${step.name.replace(/\W+/g, '-')}`;
      const { status } = run(
        'npx',
        [
          'vitest',
          'run',
          ...step.args,
          '--reporter=dot',
          '--reporter=json',
          `--outputFile.json=${report}`,
          ...(step.logs ? [] : ['--silent=passed-only']),
        ],
        {
          env: {
            MO_TEST_SKIP_LOG: stepSkipLog,
            // Colour codes only for a terminal, not for a CI log.
            ...(process.stdout.isTTY ? {} : { NO_COLOR: '1' }),
          },
          capture: false,
        },
      );
      const counts = vitestCounts(report);
      for (const skip of readSkips(stepSkipLog)) skips.push({ step: step.name, ...skip });
      outcomes.push({
        name: step.name,
        ok: status === 0 && (counts?.failed ?? 1) === 0,
        seconds: secondsSince(startedAt),
        ...(counts ?? { note: 'no report (the runner crashed)' }),
      });
    }
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
  printSummary(outcomes, skips);
  process.exit(outcomes.every((o) => o.ok) ? 0 : 1);
}

/**
 * @param {Outcome[]} outcomes
 * @param {{ step: string, suite: string, reason: string }[]} skips
 */
function printSummary(outcomes, skips) {
  console.log('\nSummary');
  for (const o of outcomes) {
    const result =
      o.note ??
      (o.passed === undefined
        ? o.ok
          ? 'ok'
          : 'FAILED'
        : `${o.passed} passed, ${o.failed} failed${o.skipped ? `, ${o.skipped} skipped` : ''}`);
    console.log(`  ${o.ok ? '✔' : '✘'} ${o.name.padEnd(13)} ${result.padEnd(36)} ${o.seconds.toFixed(1)} s`);
  }
  if (skips.length > 0) {
    console.log('Skipped, and why:');
    for (const s of skips) console.log(`  ${s.step}: ${s.suite}: ${s.reason}`);
  }
  const sum = (/** @type {'passed'|'failed'|'skipped'} */ key) =>
    outcomes.reduce((n, o) => n + (o[key] ?? 0), 0);
  // A step that failed without a failing test (typecheck, lint, build, a suite that would
  // not load) counts as one failure, so the total never reads "0 failed" on a red run.
  const stepFailures = outcomes.filter((o) => !o.ok && !o.failed).length;
  console.log(
    `total: ${sum('passed')} passed, ${sum('failed') + stepFailures} failed, ${sum('skipped')} skipped`,
  );
}

await main();
