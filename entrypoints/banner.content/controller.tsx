import type { CSSProperties } from 'react';
import { flushSync } from 'react-dom';
import ReactDOM from 'react-dom/client';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi, type ShadowRootContentScriptUi } from 'wxt/utils/content-script-ui/shadow-root';
import { Banner, bannerHasContent, isSnoozed } from '../../components/Banner';
import { BANNER_CSS } from '../../components/banner-styles';
import { BANNER_HOST_NAME } from '../../lib/dom-vocabulary';
import type { BannerView } from '../../lib/messages';
import {
  type BannerForm,
  bannerWidth,
  type Candidate,
  type Corner,
  firstFree,
  type Placement,
  panelCandidates,
  placementStyle,
  type Size,
  tabCandidates,
} from '../../lib/placement';
import { newProbeCache, probeRect, viewportOf } from './obstacles';

/** The banner's host element name (test hook and the double-injection guard). */
export { BANNER_HOST_NAME };

/** Attribute that marks a host as this extension's (a page may define the same tag). */
const HOST_MARK = 'data-mo-advisor-host';
/** Until the position has held, a change under the banner is re-checked at most this often. */
export const LAYOUT_THROTTLE_MS = 250;
/** Once the position has held, at most this often. */
export const HELD_THROTTLE_MS = 1000;
/** The banner's checks take at most this share of the main thread (a slow check waits longer). */
export const MAX_SHARE = 0.005;
/** Not at its best (a smaller form than asked for, or no free place): look again this often. */
export const RETRY_MS = 5000;
/** Checks in a row that found the banner's place still free: the position has held. */
const HOLD_AFTER = 3;
/** How often the banner checks that the page has not hidden, restyled or moved it. */
export const HEALTH_CHECK_MS = 500;
/** Re-mounts after the page removed or changed the banner: at most this many per window. */
const REMOUNT_LIMIT = 10;
const REMOUNT_WINDOW_MS = 10_000;

export interface BannerControllerOptions {
  ctx: ContentScriptContext;
  onDismiss(toolId: string): void;
  onSnooze(): void;
  /**
   * The shadow root's mode. Closed in the production build, so page script cannot read,
   * click or rewrite the banner; the e2e build (WXT_E2E=1) keeps it open for the tests.
   */
  shadowMode?: ShadowRootMode;
  /** Whether an event came from the user (default `event.isTrusted`; unit tests can only dispatch). */
  trusted?(event: Event): boolean;
}

interface Mounted {
  ui: ShadowRootContentScriptUi<ReactDOM.Root>;
  root: ReactDOM.Root;
  host: HTMLElement;
  shadow: ShadowRoot;
  style: HTMLStyleElement | null;
  styleText: string;
  hostAttributes: string;
  /** Sees any change to the host's attributes or inside its shadow root not made by us. */
  guards: MutationObserver[];
  /** It is in the top layer (a browser with popovers): leaving it means the page hid it. */
  raised: boolean;
}

const defaultShadowMode = (): ShadowRootMode => (import.meta.env.WXT_E2E === '1' ? 'open' : 'closed');

/** Dialogs and popovers the page has shown in the top layer (ours excluded). */
function isTopLayerOpen(element: Element): boolean {
  try {
    return element.matches(':modal') || element.matches(':popover-open');
  } catch {
    return false; // a browser without these pseudo-classes has no top layer to share
  }
}

/**
 * The compact panel also keeps clear of the prompt's text (a small dialog or panel), so
 * the clinician reads both. The full note, asked for, and the tab, a last resort, only
 * keep clear of controls: the guarantee.
 */
function avoidsPrompts(form: BannerForm): boolean {
  return form === 'compact';
}

function attributesOf(element: Element): string {
  return [...element.attributes].map((a) => `${a.name}=${a.value}`).join('\u0000');
}

/**
 * Owns the banner's host element in the top frame: mounts it when there is something
 * to show, removes it when there is not, restores it when the page removes, hides or
 * restyles it, keeps it in the top layer above the page's modal dialogs, and keeps it
 * where it covers none of the page's controls. Every timer, listener and observer is
 * tied to `ctx`, so an extension reload or update leaves nothing behind.
 */
export function createBannerController({
  ctx,
  onDismiss,
  onSnooze,
  shadowMode = defaultShadowMode(),
  trusted,
}: BannerControllerOptions) {
  let view: BannerView | undefined;
  let mounted: Mounted | undefined;
  let mounting: Promise<void> | undefined;
  let renderAfterMount = false;
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
  let held = 0;
  const pageModals = new Set<Element>();
  let snoozePending = false;
  const pendingDismiss = new Set<string>();
  let snoozeTimer: number | undefined;
  const remounts: number[] = [];
  let disposed = false;

  /**
   * Exactly one host: WXT invalidates a live older instance (which removes its own host)
   * as soon as this one's ctx exists, so any other host is dead: left by an instance
   * that could not clean up, or a copy a page made by re-serialising its body.
   */
  function removeOtherHosts(own?: Element): void {
    // Only hosts this extension made (marked), never a page element that shares the name.
    for (const other of document.querySelectorAll(`[${HOST_MARK}]`)) if (other !== own) other.remove();
  }
  removeOtherHosts();

  /** The view as shown: pending local dismissals applied. */
  function shownView(): BannerView | undefined {
    if (!view) return undefined;
    if (pendingDismiss.size === 0) return view;
    return {
      ...view,
      tools: view.tools.map((t) => (pendingDismiss.has(t.toolId) ? { ...t, dismissed: true } : t)),
    };
  }

  function shouldShow(now = Date.now()): boolean {
    const v = shownView();
    return Boolean(v && !snoozePending && bannerHasContent(v, now));
  }

  /** Whether the page has removed, emptied, hidden or restyled the banner. */
  function damaged(m: Mounted): boolean {
    if (!m.host.isConnected || !m.ui.uiContainer.isConnected) return true;
    if (m.style !== null && (!m.style.isConnected || m.style.textContent !== m.styleText)) return true;
    if (m.shadow.adoptedStyleSheets.length > 0) return true;
    if (attributesOf(m.host) !== m.hostAttributes) return true;
    const parent = m.host.parentNode;
    if (parent !== document.body && parent !== document.documentElement) return true;
    return m.raised && !isTopLayerOpen(m.host);
  }

  // ---- Watching the page: only what can change what lies under the banner. ----

  /**
   * Dialogs and popovers opening or closing anywhere (only these attributes: the
   * browser filters, so the page's other changes never call us).
   */
  const topLayerObserver = new MutationObserver((records) => {
    if (ctx.isInvalid || disposed || !mounted) return;
    let changed = false;
    for (const r of records) {
      const el = r.target as Element;
      if (el === mounted.host) continue;
      const open = isTopLayerOpen(el);
      if (open !== pageModals.has(el)) {
        changed = true;
        if (open) pageModals.add(el);
        else pageModals.delete(el);
      }
    }
    if (changed) onTopLayerChange();
  });

  /**
   * Changes to the elements that lay under the banner at the last check (their children,
   * classes, styles) and to the body's children (a toast, a toolbar): only these can
   * put a control under it. Each is observed by itself, not its subtree, so a change
   * elsewhere on the page never calls us.
   */
  const nearObserver = new MutationObserver((records) => {
    if (ctx.isInvalid || disposed || !mounted) return;
    if (records.every((r) => r.target === mounted?.host)) return;
    scheduleCheck(held >= HOLD_AFTER ? HELD_THROTTLE_MS : LAYOUT_THROTTLE_MS);
  });
  let observingPage = false;

  function observeNear(): void {
    nearObserver.disconnect();
    if (!observingPage) return;
    const watch = (target: Node, childList: boolean) =>
      nearObserver.observe(target, {
        childList,
        attributes: true,
        attributeFilter: ['class', 'style', 'hidden'],
      });
    if (document.body) watch(document.body, true);
    watch(document.documentElement, true);
    for (const node of under)
      if (node !== document.body && node !== document.documentElement) watch(node, true);
  }

  function observePage(on: boolean): void {
    if (on === observingPage) return;
    observingPage = on;
    if (on) {
      topLayerObserver.observe(document, {
        subtree: true,
        attributes: true,
        attributeFilter: ['open', 'popover'],
      });
      observeNear();
    } else {
      topLayerObserver.disconnect();
      nearObserver.disconnect();
    }
  }

  /** Until the banner is at its best (the form asked for, placed), look again now and then. */
  ctx.setInterval(() => {
    if (mounted && (!placement || form !== wanted)) scheduleCheck(0);
  }, RETRY_MS);

  // ---- The top layer: above the page's modal dialogs and popovers. ----

  /**
   * A popover shown after the page's modal is painted above it (the top layer stacks in
   * the order things were shown). `manual`: it never closes the page's popovers or
   * dialogs, and showing it moves no focus.
   */
  function raise(): void {
    const host = mounted?.host;
    if (!host || typeof host.showPopover !== 'function') return;
    try {
      if (isTopLayerOpen(host)) host.hidePopover();
      host.showPopover();
      if (mounted) mounted.raised = isTopLayerOpen(host);
    } catch {
      // Not connected (being restored): the next mount raises it.
    }
  }

  function onTopLayerChange(): void {
    for (const el of [...pageModals]) if (!el.isConnected || !isTopLayerOpen(el)) pageModals.delete(el);
    raise();
    held = 0;
    scheduleLayout(0, true);
  }

  ctx.addEventListener(
    document,
    'toggle',
    (event) => {
      const target = event.target as Element | null;
      if (!target || !mounted || target === mounted.host) return;
      if (isTopLayerOpen(target)) pageModals.add(target);
      else pageModals.delete(target);
      onTopLayerChange();
    },
    { capture: true },
  );

  /** Whether a page dialog shown modal is open (the banner's buttons may be inert meanwhile). */
  function blocked(): boolean {
    for (const el of pageModals) if (el.isConnected && el.matches(':modal')) return true;
    return false;
  }

  // ---- Mounting, guarding and restoring. ----

  async function mount(): Promise<void> {
    // A page that defined a custom element with our tag name (its constructor may attach
    // its own shadow root) would make mounting throw: fall back to a name it cannot know.
    try {
      await mountAs(BANNER_HOST_NAME);
    } catch {
      await mountAs(`${BANNER_HOST_NAME}-${Math.random().toString(36).slice(2, 10)}`);
    }
  }

  async function mountAs(name: string): Promise<void> {
    let root: ReactDOM.Root | undefined;
    const ui = await createShadowRootUi<ReactDOM.Root>(ctx, {
      name,
      position: 'inline',
      anchor: () => document.body ?? document.documentElement,
      append: 'last',
      mode: shadowMode,
      css: BANNER_CSS,
      onMount(container) {
        root = ReactDOM.createRoot(container);
        return root;
      },
      onRemove(r) {
        r?.unmount();
      },
    });
    if (ctx.isInvalid || disposed) return;
    const host = ui.shadowHost;
    host.setAttribute(HOST_MARK, '');
    if (typeof host.showPopover === 'function') host.setAttribute('popover', 'manual');
    ui.mount();
    if (!root) return;
    const shadow = ui.shadow;
    const style = shadow.querySelector('style');
    const tampered = () => {
      if (mounted && !ctx.isInvalid && !disposed) recover();
    };
    const hostGuard = new MutationObserver(tampered);
    const shadowGuard = new MutationObserver(tampered);
    mounted = {
      ui,
      root,
      host,
      shadow,
      style,
      styleText: style?.textContent ?? '',
      hostAttributes: attributesOf(host),
      guards: [hostGuard, shadowGuard],
      raised: false,
    };
    hostGuard.observe(host, { attributes: true });
    shadowGuard.observe(shadow, { childList: true, subtree: true, attributes: true, characterData: true });
    removeOtherHosts(host);
    placement = undefined;
    held = 0;
    raise();
    observePage(true);
  }

  /** Drops the records of our own changes, so the guards see only the page's. */
  function ownChanges(): void {
    for (const g of mounted?.guards ?? []) g.takeRecords();
  }

  function unmount(): void {
    observePage(false);
    const m = mounted;
    mounted = undefined;
    placement = undefined;
    if (!m) return;
    for (const g of m.guards) g.disconnect();
    m.ui.remove();
    m.host.remove(); // also a host the page moved elsewhere
  }

  /** The page removed, emptied, hid or restyled the banner: put a fresh one back (rate-limited). */
  function recover(): void {
    const now = Date.now();
    while (remounts.length > 0 && (remounts[0] ?? 0) < now - REMOUNT_WINDOW_MS) remounts.shift();
    unmount();
    if (remounts.length >= REMOUNT_LIMIT) {
      // A page that keeps wiping the banner: try again later rather than fight it.
      ctx.setTimeout(() => render(), REMOUNT_WINDOW_MS);
      return;
    }
    remounts.push(now);
    render();
  }

  ctx.setInterval(() => {
    if (mounted && damaged(mounted)) recover();
  }, HEALTH_CHECK_MS);

  function scheduleSnoozeEnd(now: number): void {
    if (snoozeTimer !== undefined) clearTimeout(snoozeTimer);
    snoozeTimer = undefined;
    const until = view?.snoozedUntil;
    if (view && isSnoozed(view, now) && typeof until === 'number') {
      snoozeTimer = ctx.setTimeout(() => render(), until - now + 50);
    }
  }

  // ---- Drawing. ----

  function paint(drawForm: BannerForm, where: Placement | undefined): void {
    const m = mounted;
    const v = shownView();
    if (!m || !v) return;
    const width = drawForm === 'tab' ? undefined : `${bannerWidth(viewport)}px`;
    const style: CSSProperties & Record<'left' | 'right' | 'top' | 'bottom', string> = {
      width,
      left: 'auto',
      right: 'auto',
      top: 'auto',
      bottom: 'auto',
    };
    if (where) {
      const offsets = placementStyle(where, viewport);
      for (const side of ['left', 'right', 'top', 'bottom'] as const) {
        const value = offsets[side];
        if (value !== undefined) style[side] = `${value}px`;
      }
    } else {
      // Measured at 0,0 and not seen: not placed yet, or nowhere free on this screen.
      style.left = '0px';
      style.top = '0px';
      style.visibility = 'hidden';
    }
    flushSync(() => {
      m.root.render(
        <Banner
          view={v}
          now={Date.now()}
          form={drawForm}
          blocked={blocked()}
          roomless={roomless && drawForm !== 'expanded'}
          onToggle={toggle}
          onDismiss={dismiss}
          onSnooze={snooze}
          trusted={trusted}
          style={style}
        />,
      );
    });
    ownChanges();
  }

  function section(): HTMLElement | null {
    return mounted?.shadow.querySelector<HTMLElement>('[data-testid="mo-banner"]') ?? null;
  }

  /** Runs `fn` with the banner transparent to hit tests (it measures what is under it). */
  function measuring<T>(fn: () => T): T {
    const el = section();
    el?.classList.add('measuring');
    try {
      return fn();
    } finally {
      el?.classList.remove('measuring');
      ownChanges();
    }
  }

  /** The size of `drawForm` as drawn now (drawn hidden first when it is not the current one). */
  function sizeOf(drawForm: BannerForm): Size | undefined {
    paint(drawForm, undefined);
    const el = section();
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
    if (!mounted || ctx.isInvalid) return;
    viewport = viewportOf(document);
    const corner: Corner = view?.corner === 'bottom-left' ? 'bottom-left' : 'bottom-right';
    const focusInside = mounted.shadow.activeElement !== null;
    const order: BannerForm[] = wanted === 'expanded' ? ['expanded', 'compact', 'tab'] : ['compact', 'tab'];
    // Focus inside: keep the form if it still fits anywhere; covering the page is worse.
    const forms = focusInside ? [...new Set<BannerForm>([form, ...order])] : order;
    const cache = newProbeCache();
    const host = mounted.host;
    let chosen: Placement | undefined;
    for (const f of forms) {
      // Drawn as it will be shown: a form other than the one asked for says so.
      roomless = wanted === 'expanded' && f !== 'expanded';
      const size = sizeOf(f);
      if (!size) return;
      const list: Candidate[] =
        f === 'tab' ? tabCandidates(size, viewport, corner) : panelCandidates(f, size, viewport, corner);
      chosen = measuring(() =>
        firstFree(
          [list],
          (c) => probeRect(document, c.rect, host, viewport, cache, false, avoidsPrompts(f)).free,
        ),
      );
      if (chosen) break;
    }
    roomless = wanted === 'expanded' && chosen?.form !== 'expanded';
    placement = chosen;
    form = chosen?.form ?? forms[0] ?? 'compact';
    paint(form, placement);
    const drawn = section();
    if (chosen && drawn && !again && Math.abs(drawn.offsetHeight - chosen.rect.height) > 1) {
      // Drawn taller or shorter than measured (its text changed meanwhile): place it again.
      layout(true);
      return;
    }
    remember();
  }

  /** Notes what lies under the banner now (for the change filter), and when we measured. */
  function remember(): void {
    const where = placement;
    const host = mounted?.host;
    under = where
      ? measuring(
          () =>
            probeRect(document, where.rect, host, viewport, newProbeCache(), true, avoidsPrompts(form)).under,
        )
      : new Set();
    observeNear();
    lastMeasureEnd = performance.now();
  }

  /**
   * A page change or scroll: is the banner's place still free? Only its own rectangle
   * is tested; a full layout runs only when it is not (or the banner is not at its best).
   */
  function check(): void {
    if (!mounted || ctx.isInvalid) return;
    const now = viewportOf(document);
    if (now.width !== viewport.width || now.height !== viewport.height || !placement || form !== wanted) {
      held = 0;
      layout();
      return;
    }
    const where = placement;
    const host = mounted.host;
    const probe = measuring(() =>
      probeRect(document, where.rect, host, viewport, newProbeCache(), true, avoidsPrompts(form)),
    );
    lastMeasureEnd = performance.now();
    if (probe.free) {
      under = probe.under;
      observeNear();
      held++;
    } else {
      held = 0;
      layout();
    }
  }

  let checkTimer: number | undefined;
  let checkDue = Number.POSITIVE_INFINITY;
  let fullLayoutDue = false;

  /** A check `spacing` ms after the last measure ended at the earliest (sooner wins). */
  function scheduleCheck(spacing: number, urgent = false): void {
    if (!mounted) return;
    // A measure that took c ms is followed by at least c / MAX_SHARE ms of quiet: on a
    // page where hit tests are slow (a huge live table) the banner checks less often
    // rather than take more than its share of the main thread. Not for the page's
    // dialogs opening or closing (rare, and the banner must follow at once).
    const gap = urgent ? spacing : Math.max(spacing, lastMeasureCost / MAX_SHARE);
    const due = Math.max(performance.now(), lastMeasureEnd + gap);
    if (checkTimer !== undefined && checkDue <= due) return;
    if (checkTimer !== undefined) clearTimeout(checkTimer);
    checkDue = due;
    checkTimer = ctx.setTimeout(() => {
      // Hit tests need the page laid out: measured just after the next frame, when the
      // browser has done that work for its own paint, they do not force it out of turn.
      afterNextPaint(() => {
        checkTimer = undefined;
        checkDue = Number.POSITIVE_INFINITY;
        const full = fullLayoutDue;
        fullLayoutDue = false;
        const started = performance.now();
        if (full) layout();
        else check();
        lastMeasureCost = performance.now() - started;
      });
    }, due - performance.now());
  }

  function afterNextPaint(fn: () => void): void {
    ctx.requestAnimationFrame(() => {
      ctx.setTimeout(fn, 0);
    });
  }

  /** A full layout (viewport change, the page's top layer changed). */
  function scheduleLayout(spacing = LAYOUT_THROTTLE_MS, urgent = false): void {
    fullLayoutDue = true;
    held = 0;
    scheduleCheck(spacing, urgent);
  }

  function render(): void {
    if (ctx.isInvalid || disposed) return;
    const now = Date.now();
    scheduleSnoozeEnd(now);
    if (!shouldShow(now)) {
      unmount();
      return;
    }
    if (mounted && damaged(mounted)) unmount();
    if (!mounted) {
      if (mounting) {
        renderAfterMount = true; // the page changed things while we mounted: look again
        return;
      }
      mounting = mount()
        .catch(() => undefined)
        .finally(() => {
          mounting = undefined;
          const again = renderAfterMount || mounted !== undefined;
          renderAfterMount = false;
          if (again) render();
        });
      return;
    }
    held = 0;
    layout();
  }

  function toggle(): void {
    // The clinician's choice: the form changes now, even with focus on the toggle
    // (React keeps the button element, so focus stays on it).
    wanted = form === 'expanded' ? 'compact' : 'expanded';
    form = wanted;
    held = 0;
    layout();
  }

  function dismiss(toolId: string): void {
    pendingDismiss.add(toolId);
    render();
    onDismiss(toolId);
  }

  function snooze(): void {
    snoozePending = true;
    render();
    onSnooze();
  }

  ctx.addEventListener(window, 'resize', () => scheduleLayout(100), { passive: true });
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
    observePage(false);
    for (const g of mounted?.guards ?? []) g.disconnect();
    mounted = undefined; // WXT's own invalidation handler removes the host.
  });

  return {
    /** A new view from the background (the only source of verdicts). */
    setView(next: BannerView): void {
      view = next;
      snoozePending = false;
      for (const toolId of [...pendingDismiss]) {
        const tool = next.tools.find((t) => t.toolId === toolId);
        if (!tool || tool.dismissed) pendingDismiss.delete(toolId);
      }
      render();
    },
  };
}
