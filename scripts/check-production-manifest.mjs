// Two checks on built manifests (run by tests/unit/manifest-parity.test.ts and by hand):
//  1. a production manifest carries no loopback hosts and no blanket host access;
//  2. the e2e manifest differs from production ONLY by the loopback host grants: the
//     same content scripts (none: the detector is registered at run time in every
//     build), the same permissions, CSP and everything else.
// CLI: node scripts/check-production-manifest.mjs [productionDir ...] [--e2e e2eDir --against productionDir]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const LOOPBACK = /127\.0\.0\.1|localhost|\.test\//;

/** Problems with a production manifest (empty when it is fine). */
export function productionProblems(manifest, label = 'production') {
  const problems = [];
  const granted = [
    ...(manifest.host_permissions ?? []),
    ...(manifest.permissions ?? []).filter((p) => p.includes('://') || p === '<all_urls>'),
    ...(manifest.content_scripts ?? []).flatMap((c) => c.matches ?? []),
  ];
  for (const host of granted) problems.push(`${label}: grants ${host}`);
  if ((manifest.content_scripts ?? []).length > 0) problems.push(`${label}: declares content scripts`);
  if (JSON.stringify(manifest).match(LOOPBACK)) problems.push(`${label}: mentions a loopback/test host`);
  return problems;
}

/** Problems with an e2e manifest compared with the production one of the same browser. */
export function parityProblems(e2e, production, label = 'e2e') {
  const problems = [];
  const isLoopbackGrant = (p) => typeof p === 'string' && LOOPBACK.test(p);
  const strip = (manifest) => {
    const copy = structuredClone(manifest);
    if (copy.host_permissions)
      copy.host_permissions = copy.host_permissions.filter((p) => !isLoopbackGrant(p));
    if (copy.permissions) copy.permissions = copy.permissions.filter((p) => !isLoopbackGrant(p));
    if (copy.host_permissions?.length === 0) delete copy.host_permissions;
    return copy;
  };
  const scripts = (m) => JSON.stringify(m.content_scripts ?? []);
  if (scripts(e2e) !== scripts(production))
    problems.push(`${label}: declares content scripts production does not: ${scripts(e2e)}`);
  const a = strip(e2e);
  const b = strip(production);
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (key === 'content_scripts') continue;
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key]))
      problems.push(
        `${label}: "${key}" differs from production: ${JSON.stringify(a[key])} vs ${JSON.stringify(b[key])}`,
      );
  }
  for (const grant of [...(e2e.host_permissions ?? []), ...(e2e.permissions ?? [])].filter(isLoopbackGrant)) {
    if (!/^http:\/\/(127\.0\.0\.1|localhost|\*\.test)\/\*$/.test(grant))
      problems.push(`${label}: unexpected host grant ${grant}`);
  }
  return problems;
}

function read(dir) {
  return JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const problems = [];
  const e2eAt = args.indexOf('--e2e');
  if (e2eAt >= 0) {
    const e2eDir = args[e2eAt + 1];
    const productionDir = args[args.indexOf('--against') + 1];
    problems.push(...parityProblems(read(e2eDir), read(productionDir), e2eDir));
    problems.push(...productionProblems(read(productionDir), productionDir));
  } else {
    const dirs = args.length > 0 ? args : ['.output/chrome-mv3', '.output/firefox-mv2'];
    for (const dir of dirs) problems.push(...productionProblems(read(dir), dir));
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  console.log(
    e2eAt >= 0
      ? 'e2e manifest = production + loopback host grants'
      : 'production manifests: no granted hosts, no loopback hosts, no content scripts',
  );
}
