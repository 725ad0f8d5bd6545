// Fails when a production manifest carries loopback hosts or blanket host access.
import { readFileSync } from 'node:fs';

const problems = [];
for (const dir of ['.output/chrome-mv3', '.output/firefox-mv2']) {
  const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8'));
  const granted = [
    ...(manifest.host_permissions ?? []),
    ...(manifest.permissions ?? []).filter((p) => p.includes('://') || p === '<all_urls>'),
    ...(manifest.content_scripts ?? []).flatMap((c) => c.matches ?? []),
  ];
  for (const host of granted) problems.push(`${dir}: grants ${host}`);
  if (JSON.stringify(manifest).match(/127\.0\.0\.1|localhost|\.test\//))
    problems.push(`${dir}: mentions a loopback/test host`);
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('production manifests: no granted hosts, no loopback hosts');
