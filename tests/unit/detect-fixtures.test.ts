import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInSignatures, globalExclusions } from '../../lib/catalogue';
import { compileCatalogue } from '../../lib/content/detect/compile';
import { scan } from '../../lib/content/detect/scan';
import { loadFixture } from '../support/fixtures';

/**
 * Every signature's positive fixtures are flagged by it; its negative fixtures (and the
 * shared negatives) are flagged by nothing. Fixtures: tests/fixtures/signatures/<id>/.
 */

const FIXTURES = join(__dirname, '../fixtures');
const catalogue = compileCatalogue(builtInSignatures, globalExclusions);

const ctx = { pageUrl: 'https://clinical.example.nhs.uk/prescribing', documentTitle: 'Prescribing' };

function fixturesOf(dir: string, kind: 'positive' | 'negative'): string[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith(kind) && f.endsWith('.html'))
    .map((f) => join(dir, f));
}

describe.each(builtInSignatures.map((s) => s.id))('signature %s', (signatureId) => {
  const dir = join(FIXTURES, 'signatures', signatureId);
  const signature = builtInSignatures.find((s) => s.id === signatureId);

  it.each(fixturesOf(dir, 'positive').map((p) => [p.split('/').pop(), p]))('flags %s', (_name, path) => {
    const findings = scan(catalogue, loadFixture(path as string), ctx);
    expect(findings.map((f) => f.signatureId)).toContain(signatureId);
    expect(findings.every((f) => f.toolId === signature?.toolId)).toBe(true);
  });

  it.each(fixturesOf(dir, 'negative').map((p) => [p.split('/').pop(), p]))(
    'does not flag %s',
    (_name, path) => {
      expect(scan(catalogue, loadFixture(path as string), ctx)).toEqual([]);
    },
  );
});

describe('shared negatives', () => {
  const dir = join(FIXTURES, 'negatives');
  it.each(
    fixturesOf(dir, 'negative')
      .concat(readdirSync(dir).map((f) => join(dir, f)))
      .map((p) => [p.split('/').pop(), p]),
  )('flags nothing in %s', (_name, path) => {
    expect(scan(catalogue, loadFixture(path as string), ctx)).toEqual([]);
  });
});
