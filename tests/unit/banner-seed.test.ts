import { afterEach, describe, expect, it } from 'vitest';
import { SEED_KEY, SEED_MAX_AGE_MS, STARTED_KEY, seedBannerView, takeSeed } from '../../lib/banner-seed';
import type { BannerView } from '../../lib/messages';
import { bannerViewOf, toolView } from '../support/views';

const g = globalThis as unknown as Record<symbol, unknown>;
const SEED = Symbol.for(SEED_KEY);
const STARTED = Symbol.for(STARTED_KEY);

afterEach(() => {
  delete g[SEED];
  delete g[STARTED];
});

const VIEW: BannerView = bannerViewOf([
  toolView('scriptswitch', { vendor: 'Optum Health Solutions (UK)', summary: '' }),
]);

function isView(value: unknown): value is BannerView {
  return typeof value === 'object' && value !== null && Array.isArray((value as BannerView).tools);
}

describe('the first view, injected with the banner', () => {
  it('is injected as a self-contained function (scripting.executeScript serialises it)', () => {
    // Run from its source text, as the browser does: no closure, no import survives.
    const source = seedBannerView.toString();
    expect(source).toContain(SEED_KEY);
    expect(source).toContain(STARTED_KEY);
    const isolated = new Function('view', 'at', `(${source})(view, at);`);
    isolated(VIEW, Date.now());
    expect(takeSeed(isView)).toEqual(VIEW);
  });

  it('is taken once: a second take, or a second banner in the same document, gets nothing', () => {
    seedBannerView(VIEW, Date.now());
    expect(takeSeed(isView)).toEqual(VIEW);
    expect(takeSeed(isView)).toBeUndefined();
    seedBannerView(VIEW, Date.now()); // arrives after a banner started here: ignored
    expect(g[SEED]).toBeUndefined();
    expect(takeSeed(isView)).toBeUndefined();
  });

  it('is not shown when stale, malformed or absent', () => {
    const now = Date.now();
    seedBannerView(VIEW, now - SEED_MAX_AGE_MS - 1);
    expect(takeSeed(isView, now)).toBeUndefined();
    expect(g[SEED]).toBeUndefined(); // taken and dropped, never shown later
    delete g[STARTED];

    g[SEED] = { view: { tools: 'nope' }, at: now };
    expect(takeSeed(isView, now)).toBeUndefined();
    delete g[STARTED];

    g[SEED] = { view: VIEW };
    expect(takeSeed(isView, now)).toBeUndefined();
    delete g[STARTED];

    expect(takeSeed(isView, now)).toBeUndefined();
  });

  it('cannot be faked or hidden by page elements (named access on window)', () => {
    for (const id of [SEED_KEY, STARTED_KEY, '__moAdvisorBannerSeed', '__moAdvisorBannerStarted']) {
      const form = document.createElement('form');
      form.id = id;
      form.innerHTML = '<input name="view"><input name="at"><input name="tools">';
      document.body.append(form);
    }
    try {
      seedBannerView(VIEW, Date.now());
      expect(takeSeed(isView)).toEqual(VIEW);
    } finally {
      document.body.innerHTML = '';
    }
  });
});
