import type { BannerView } from './messages';

/**
 * The first view, delivered with the banner's injection so it can show without a
 * round trip to the background (a busy page answers messages slowly).
 *
 * The background injects `seedBannerView` (with the view it just computed, after
 * settings and the allow-list were loaded) into the top frame's isolated world just
 * before banner.js; the banner takes it when it starts. The page cannot read or write
 * the isolated world, so the seed, like a message, can only come from the background.
 * The banner still asks the background for the current view at once: the seed only
 * lets it show the same answer earlier.
 */

/*
 * The isolated world's global object holds the seed under Symbol.for(SEED_KEY) and the
 * started mark under Symbol.for(STARTED_KEY). Symbols, not property names: a page
 * element with a matching id would show up under a name (named access on window works
 * in every world); it could never pass for a view, but it could hide a seed.
 */
/** Holds a seed until the banner takes it. */
export const SEED_KEY = 'mo-advisor.banner-seed';
/** Set by the first banner instance in a document: later seeds are ignored. */
export const STARTED_KEY = 'mo-advisor.banner-started';
/** A seed older than this is not shown (it may be left over from a failed injection). */
export const SEED_MAX_AGE_MS = 2000;

/**
 * Runs in the page's isolated world via scripting.executeScript({ func, args }), so it
 * must be self-contained: no imports, no closures (the keys are repeated as literals; a
 * unit test runs it from its source text and keeps them equal to SEED_KEY and STARTED_KEY).
 */
export function seedBannerView(view: BannerView, at: number): void {
  const g = globalThis as unknown as Record<symbol, unknown>;
  // A banner already running here asks the background itself; a seed now could be stale.
  if (g[Symbol.for('mo-advisor.banner-started')]) return;
  g[Symbol.for('mo-advisor.banner-seed')] = { view, at };
}

/**
 * For the banner, once, as it starts: the seeded view if one is waiting and fresh.
 * Marks the document's banner as started, so no later seed is ever taken.
 */
export function takeSeed(
  isView: (value: unknown) => value is BannerView,
  now = Date.now(),
): BannerView | undefined {
  const g = globalThis as unknown as Record<symbol, unknown>;
  const started = Symbol.for(STARTED_KEY);
  const slot = Symbol.for(SEED_KEY);
  const first = !g[started];
  g[started] = true;
  const seed = g[slot];
  delete g[slot];
  if (!first || typeof seed !== 'object' || seed === null) return undefined;
  const { view, at } = seed as { view?: unknown; at?: unknown };
  if (typeof at !== 'number' || !(Math.abs(now - at) <= SEED_MAX_AGE_MS)) return undefined;
  return isView(view) ? view : undefined;
}
