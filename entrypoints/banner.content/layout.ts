import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import {
  type BannerForm,
  type Candidate,
  type Corner,
  firstFree,
  type Placement,
  panelCandidates,
  type Rect,
  type Size,
  tabCandidates,
} from '../../lib/content/placement';
import { type Clock, every } from './clock';
import type { BannerMount } from './mounting';
import { newProbeCache, type Probe, probeRect, stillFree, viewportOf } from './obstacles';

/** Until the position has held, a change under the banner is re-checked at most this often. */
export const LAYOUT_THROTTLE_MS = 250;
/** Once the position has held, at most this often. */
export const HELD_THROTTLE_MS = 1000;
/** The banner's checks take at most this share of the main thread (a slow check waits longer). */
export const MAX_SHARE = 0.005;
/** Once the position has held, at most this share: a busy page under it is hit-tested less often. */
export const HELD_SHARE = 0.001;
/**
 * Changes near the banner between two checks from which the page counts as busy there:
 * the banner stops listening until its next check, which hit-tests its place (what
 * changed meanwhile is not known). Each notice costs a call into the extension's world;
 * a live table next to the banner would otherwise send dozens a second.
 */
export const BUSY_NOTICES = 8;
/** Not at its best (a smaller form than asked for, or no free place): look again this often. */
const RETRY_MS = 5000;
/** After a resize, the layout waits this long (a window being dragged sends many). */
const RESIZE_SETTLE_MS = 100;
/** Checks in a row that found the banner's place still free: the position has held. */
const HOLD_AFTER = 3;

export interface BannerLayoutOptions {
  ctx: ContentScriptContext;
  clock: Clock;
  mount: BannerMount;
  /** The corner the practice chose (the first place tried). */
  corner(): Corner;
  /**
   * Draws the banner in `form` at `where` (undefined: hidden at 0,0, to be measured);
   * `roomless`: the clinician asked for the full note and it does not fit.
   */
  draw(form: BannerForm, where: Placement | undefined, viewport: Size, roomless: boolean): void;
}

/**
 * The compact panel also keeps clear of the prompt's text (a small dialog or panel), so
 * the clinician reads both. The full note, asked for, and the tab, a last resort, only
 * keep clear of controls: the guarantee.
 */
function avoidsPrompts(form: BannerForm): boolean {
  return form === 'compact';
}

/**
 * Where the banner goes and when to look again: chooses the form and the place (a few
 * candidate places, each hit-tested on a small grid), then watches only what can change
 * what lies under it, and re-checks that place right after the page's next layout, throttled
 * and within a share of the main thread.
 */
export function createBannerLayout({ ctx, clock, mount, corner, draw }: BannerLayoutOptions) {
  /** The form the clinician asked for: the compact panel unless they pressed "Show more". */
  let wanted: 'compact' | 'expanded' = 'compact';
  let form: BannerForm = 'compact';
  /** Where the banner is; undefined: not placed yet, or no free place on this screen. */
  let placement: Placement | undefined;
  let roomless = false;
  // Measured at the first layout, not here: reading it now would force a layout of the
  // whole page while the script starts, only for the first layout to force another.
  let viewport: Size = { width: 0, height: 0 };
  /** Page elements under the banner at the last check (a change to them may matter). */
  let under = new Set<Node>();
  /** What the hit tests met under the banner at the last check, and where (see `stillFree`). */
  let hits: ReadonlyMap<Element, Rect> | undefined;
  /** Elements added or restyled near the banner since the last check. */
  const changed = new Set<Node>();
  /** Change notices since the last check; at BUSY_NOTICES the banner stopped listening. */
  let notices = 0;
  const unheard = () => notices >= BUSY_NOTICES;
  let held = 0;
  let disposed = false;

  // ---- Watching the page: only what can change what lies under the banner. ----

  /**
   * Changes to the elements that lay under the banner at the last check (their children,
   * classes, styles) and to the body's children (a toast, a toolbar): only these can
   * put a control under it. Each is observed by itself, not its subtree, so a change
   * elsewhere on the page never calls us.
   */
  const nearObserver = new MutationObserver((records) => {
    const host = mount.current()?.host;
    if (ctx.isInvalid || disposed || !host) return;
    let relevant = false;
    for (const r of records) {
      if (r.target === host) continue;
      relevant = true;
      if (r.type === 'attributes') changed.add(r.target);
      else for (const n of r.addedNodes) if (n !== host) changed.add(n);
    }
    if (!relevant) return;
    if (++notices >= BUSY_NOTICES) nearObserver.disconnect();
    scheduleCheck(held >= HOLD_AFTER ? HELD_THROTTLE_MS : LAYOUT_THROTTLE_MS);
  });
  let observing = false;

  function observeNear(): void {
    nearObserver.disconnect();
    notices = 0;
    if (!observing) return;
    const watch = (target: Node) =>
      nearObserver.observe(target, {
        childList: true,
        attributes: true,
        attributeFilter: ['class', 'style', 'hidden'],
      });
    if (document.body) watch(document.body);
    watch(document.documentElement);
    for (const node of under) if (node !== document.body && node !== document.documentElement) watch(node);
  }

  /** Until the banner is at its best (the form asked for, placed), look again now and then. */
  const stopRetry = every(clock, RETRY_MS, () => {
    if (mount.current() && (!placement || form !== wanted)) scheduleCheck(0);
  });

  /** Runs `fn` with the banner transparent to hit tests (it measures what is under it). */
  function measuring<T>(fn: () => T): T {
    const el = mount.bannerElement();
    el?.classList.add('measuring');
    try {
      return fn();
    } finally {
      el?.classList.remove('measuring');
      mount.ownChanges();
    }
  }

  function paint(drawForm: BannerForm, where: Placement | undefined): void {
    draw(drawForm, where, viewport, roomless && drawForm !== 'expanded');
  }

  /** The size of `drawForm` as drawn now (drawn hidden first when it is not the current one). */
  function sizeOf(drawForm: BannerForm): Size | undefined {
    paint(drawForm, undefined);
    const el = mount.bannerElement();
    if (!el) return undefined;
    return { width: el.offsetWidth, height: el.offsetHeight };
  }

  /** When the last measure ended: the next one waits from there, not from its start. */
  let lastMeasureEnd = Number.NEGATIVE_INFINITY;
  /** How long the last check or layout took, ms. */
  let lastMeasureCost = 0;

  /**
   * Chooses the form and the place: the wanted form at the first free named spot, else
   * the compact panel, else the tab along an edge; nowhere free: not shown (the toolbar
   * badge and popup still say it). While the clinician's focus is inside the banner it
   * keeps its form wherever that still fits.
   */
  function layout(again = false): void {
    const m = mount.current();
    if (!m || ctx.isInvalid) return;
    viewport = viewportOf(document);
    const where: Corner = corner();
    const focusInside = m.shadow.activeElement !== null;
    const order: BannerForm[] = wanted === 'expanded' ? ['expanded', 'compact', 'tab'] : ['compact', 'tab'];
    // Focus inside: keep the form if it still fits anywhere; covering the page is worse.
    const forms = focusInside ? [...new Set<BannerForm>([form, ...order])] : order;
    // One cache for every candidate: a control found under one is not hit-tested again.
    const cache = newProbeCache();
    let chosen: Placement | undefined;
    // The probe of the last candidate tried: the chosen one's, once one is free.
    let last: Probe | undefined;
    for (const f of forms) {
      // Drawn as it will be shown: a form other than the one asked for says so.
      roomless = wanted === 'expanded' && f !== 'expanded';
      const size = sizeOf(f);
      if (!size) return;
      const list: Candidate[] =
        f === 'tab' ? tabCandidates(size, viewport, where) : panelCandidates(f, size, viewport, where);
      chosen = measuring(() =>
        firstFree([list], (c) => {
          last = probeRect(document, c.rect, m.host, viewport, cache, true, avoidsPrompts(f));
          return last.free;
        }),
      );
      if (chosen) break;
    }
    roomless = wanted === 'expanded' && chosen?.form !== 'expanded';
    placement = chosen;
    form = chosen?.form ?? forms[0] ?? 'compact';
    paint(form, placement);
    const drawn = mount.bannerElement();
    if (chosen && drawn && !again && Math.abs(drawn.offsetHeight - chosen.rect.height) > 1) {
      // Drawn taller or shorter than measured (its text changed meanwhile): place it again.
      layout(true);
      return;
    }
    remember(chosen ? last : undefined);
  }

  /** Notes what lay under the banner's place when it was found free (for the change filter), and when. */
  function remember(probe: Probe | undefined): void {
    under = probe?.under ?? new Set();
    hits = probe?.hits;
    changed.clear();
    observeNear();
    lastMeasureEnd = clock.now();
  }

  /**
   * A page change or scroll: is the banner's place still free? Told from the few
   * elements under it where that is certain; otherwise its own rectangle is hit-tested.
   * A full layout runs only when it is not free (or the banner is not at its best).
   */
  function check(): void {
    const m = mount.current();
    if (!m || ctx.isInvalid) return;
    const now = viewportOf(document);
    if (now.width !== viewport.width || now.height !== viewport.height || !placement || form !== wanted) {
      held = 0;
      layout();
      return;
    }
    const where = placement;
    // Not listening since the page got busy near it: what changed is unknown, hit-test.
    const quick = unheard() ? undefined : stillFree(where.rect, hits, changed);
    changed.clear();
    if (quick) {
      held++;
      notices = 0;
      lastMeasureEnd = clock.now();
      return;
    }
    const probe = measuring(() =>
      probeRect(document, where.rect, m.host, viewport, newProbeCache(), true, avoidsPrompts(form)),
    );
    lastMeasureEnd = clock.now();
    if (probe.free) {
      under = probe.under;
      hits = probe.hits;
      observeNear();
      held++;
    } else {
      held = 0;
      layout();
    }
  }

  let cancelCheck: (() => void) | undefined;
  let checkDue = Number.POSITIVE_INFINITY;
  let fullLayoutDue = false;

  /** A check `spacing` ms after the last measure ended at the earliest (sooner wins). */
  function scheduleCheck(spacing: number, urgent = false): void {
    if (!mount.current()) return;
    // A measure that took c ms is followed by at least c / MAX_SHARE ms of quiet (c /
    // HELD_SHARE once its place has held): on a page where hit tests are slow (a huge
    // live table) the banner checks less often rather than take more than its share of
    // the main thread. Not for the page's
    // dialogs opening or closing (rare, and the banner must follow at once).
    const share = held >= HOLD_AFTER ? HELD_SHARE : MAX_SHARE;
    const gap = urgent ? spacing : Math.max(spacing, lastMeasureCost / share);
    const due = Math.max(clock.now(), lastMeasureEnd + gap);
    if (cancelCheck && checkDue <= due) return;
    cancelCheck?.();
    checkDue = due;
    cancelCheck = clock.later(() => {
      // Hit tests and box reads need the page laid out: run right after the browser's
      // own layout for the next frame, they never force one out of turn.
      cancelCheck = clock.afterLayout(() => {
        cancelCheck = undefined;
        checkDue = Number.POSITIVE_INFINITY;
        const full = fullLayoutDue;
        fullLayoutDue = false;
        const started = clock.now();
        if (full) layout();
        else check();
        lastMeasureCost = clock.now() - started;
      });
    }, due - clock.now());
  }

  /** A full layout, `spacing` ms after the last measure at the earliest. */
  function scheduleLayout(spacing: number, urgent = false): void {
    fullLayoutDue = true;
    held = 0;
    scheduleCheck(spacing, urgent);
  }

  ctx.addEventListener(window, 'resize', () => scheduleLayout(RESIZE_SETTLE_MS), { passive: true });
  // Content scrolled under the fixed banner: check its place (any scroller, hence capture).
  ctx.addEventListener(
    window,
    'scroll',
    () => {
      held = 0;
      scheduleCheck(LAYOUT_THROTTLE_MS);
    },
    { passive: true, capture: true },
  );
  ctx.onInvalidated(() => {
    disposed = true;
    stopRetry();
    cancelCheck?.();
    nearObserver.disconnect();
  });

  return {
    /** A fresh host: not placed yet; start watching the page near it. */
    attach(): void {
      placement = undefined;
      held = 0;
      observing = true;
      observeNear();
    },
    /** The host is gone: stop watching the page. */
    detach(): void {
      observing = false;
      nearObserver.disconnect();
      placement = undefined;
    },
    /** Lays the banner out now (its content changed). */
    place(): void {
      held = 0;
      layout();
    },
    /** The clinician's "Show more" / "Minimise": the form changes now. */
    toggle(): void {
      // Even with focus on the toggle (React keeps the button element, so focus stays on it).
      wanted = form === 'expanded' ? 'compact' : 'expanded';
      form = wanted;
      held = 0;
      layout();
    },
    /** The page's top layer changed (a dialog opened or closed): lay out at once. */
    relayoutNow(): void {
      held = 0;
      scheduleLayout(0, true);
    },
    /** The form drawn now. */
    form(): BannerForm {
      return form;
    },
  };
}
