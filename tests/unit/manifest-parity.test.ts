// @vitest-environment node
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildVariant } from '../../scripts/build-firefox-e2e.mjs';
import { parityProblems, productionProblems } from '../../scripts/check-production-manifest.mjs';

/**
 * The e2e build is the production build plus loopback host grants, nothing
 * else. The detector reaches pages only through run-time registration in both, so
 * neither manifest declares a content script. (Firefox: tests/e2e-firefox.)
 */

const production = {
  manifest_version: 3,
  name: 'MO Prompt Advisor',
  permissions: ['storage', 'scripting', 'activeTab'],
  optional_host_permissions: ['https://*/*', 'http://*/*'],
  content_security_policy: { extension_pages: "default-src 'none'; script-src 'self'" },
};
const e2e = {
  ...production,
  host_permissions: ['http://127.0.0.1/*', 'http://localhost/*', 'http://*.test/*'],
};

describe('check-production-manifest: parity of the e2e manifest with production', () => {
  it('accepts an e2e manifest that only adds the loopback host grants', () => {
    expect(parityProblems(e2e, production)).toEqual([]);
    expect(productionProblems(production)).toEqual([]);
  });

  it('fails an e2e manifest that declares a content script production does not', () => {
    const withScript = {
      ...e2e,
      content_scripts: [
        { matches: ['http://127.0.0.1/*'], js: ['content-scripts/detector.js'], match_about_blank: true },
      ],
    };
    expect(parityProblems(withScript, production).join('\n')).toMatch(/declares content scripts/);
  });

  it('fails an e2e manifest that differs in anything else (a permission, the CSP, a non-loopback host)', () => {
    expect(
      parityProblems({ ...e2e, permissions: [...production.permissions, 'tabs'] }, production),
    ).not.toEqual([]);
    expect(
      parityProblems(
        { ...e2e, content_security_policy: { extension_pages: "script-src 'self'" } },
        production,
      ),
    ).not.toEqual([]);
    expect(
      parityProblems({ ...e2e, host_permissions: [...e2e.host_permissions, 'https://*/*'] }, production),
    ).not.toEqual([]);
  });

  it('fails a production manifest with a content script, a granted host or a loopback host', () => {
    expect(
      productionProblems({ ...production, content_scripts: [{ matches: ['https://a.example/*'] }] }),
    ).not.toEqual([]);
    expect(productionProblems({ ...production, host_permissions: ['https://*/*'] })).not.toEqual([]);
    expect(productionProblems(e2e)).not.toEqual([]);
  });
});

describe('the real Chrome builds (production and e2e, built into a temporary folder)', () => {
  let tmp: string;
  let prod: Record<string, unknown>;
  let test: Record<string, unknown>;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'mo-parity-'));
    const read = async (dir: string) => JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    prod = await read(await buildVariant({ browser: 'chrome', e2e: false, outDir: path.join(tmp, 'prod') }));
    test = await read(await buildVariant({ browser: 'chrome', e2e: true, outDir: path.join(tmp, 'e2e') }));
  }, 240_000);

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('differ only by the loopback host grants; neither declares a content script', () => {
    expect(parityProblems(test, prod)).toEqual([]);
    expect(productionProblems(prod)).toEqual([]);
    expect(test.host_permissions).toEqual(['http://127.0.0.1/*', 'http://localhost/*', 'http://*.test/*']);
  });
});
