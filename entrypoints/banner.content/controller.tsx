import type { CSSProperties } from 'react';
import { flushSync } from 'react-dom';
import ReactDOM from 'react-dom/client';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi, type ShadowRootContentScriptUi } from 'wxt/utils/content-script-ui/shadow-root';
import { Banner, bannerHasContent, isSnoozed } from '../../components/Banner';
import { BANNER_CSS } from '../../components/banner-styles';
import type { BannerView } from '../../lib/messages';
import {
  bannerMaxHeight,
  bannerWidth,
  type Corner,
  choosePlacement,
  DEFAULT_MARGIN,
  type Placement,
  placementStyle,
  type Size,
  type SizeMode,
} from '../../lib/placement';
import { collectObstacles, viewportOf } from './obstacles';

/** The banner's host element name (test hook and the double-injection guard). */
export const BANNER_HOST_NAME = 'mo-advisor-banner';
/** Attribute that marks a host as this extension's (a page may define the same tag). */
const HOST_MARK = 'data-mo-advisor-host';
/** Page DOM changes, resizes and scrolls re-place the banner at most this often. */
export const LAYOUT_THROTTLE_MS = 250;
/** Re-mounts after the page removed the banner: at most this many per window. */
const REMOUNT_LIMIT = 10;
const REMOUNT_WINDOW_MS = 10_000;

export interface BannerControllerOptions {
  ctx: ContentScriptContext;
  onDismiss(toolId: string): void;
  onSnooze(): void;
}

interface Mounted {
  ui: ShadowRootContentScriptUi<ReactDOM.Root>;
  root: ReactDOM.Root;
  host: HTMLElement;
  shadow: ShadowRoot;
  style: HTMLStyleElement | null;
  shadowObserver: MutationObserver;
}

/**
 * Owns the banner's host element in the top frame: mounts it when there is something
 * to show, removes it when there is not, re-mounts it when the page wipes it, and
 * keeps it placed clear of the page's controls. Every timer, listener and observer is
 * tied to `ctx`, so an extension reload or update leaves nothing behind.
 */
export function createBannerController({ ctx, onDismiss, onSnooze }: BannerControllerOptions) {
  let view: BannerView | undefined;
  let mounted: Mounted | undefined;
  let mounting: Promise<void> | undefined;
  let renderAfterMount = false;
  let sizeMode: SizeMode = 'auto';
  let collapsed = false;
  let placement: Placement | undefined;
  // Measured at the first layout, not here: reading it now would force a layout of the
  // whole page while the script starts, only for the first layout to force another.
  let viewport: Size = { width: 0, height: 0 };
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

  function damaged(m: Mounted): boolean {
    return !m.host.isConnected || !m.ui.uiContainer.isConnected || (m.style !== null && !m.style.isConnected);
  }

  const pageObserver = new MutationObserver(() => {
    if (ctx.isInvalid || disposed) return;
    if (mounted && damaged(mounted)) {
      recover();
      return;
    }
    scheduleLayout();
  });
  let observingPage = false;

  function observePage(on: boolean): void {
    if (on === observingPage) return;
    observingPage = on;
    if (on) {
      pageObserver.observe(document, {
        childList: true,
        subtree: true,
        attributes: true,
        attributeFilter: ['class', 'style', 'hidden', 'open', 'role', 'aria-modal'],
      });
    } else {
      pageObserver.disconnect();
    }
  }

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
      mode: 'open',
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
    ui.shadowHost.setAttribute(HOST_MARK, '');
    ui.mount();
    if (!root) return;
    const shadow = ui.shadow;
    const shadowObserver = new MutationObserver(() => {
      if (mounted && damaged(mounted)) recover();
    });
    shadowObserver.observe(shadow, { childList: true });
    mounted = { ui, root, host: ui.shadowHost, shadow, style: shadow.querySelector('style'), shadowObserver };
    removeOtherHosts(ui.shadowHost);
    placement = undefined;
    observePage(true);
  }

  function unmount(): void {
    observePage(false);
    const m = mounted;
    mounted = undefined;
    placement = undefined;
    if (!m) return;
    m.shadowObserver.disconnect();
    m.ui.remove();
  }

  /** The page removed or emptied the banner: put a fresh one back (rate-limited). */
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

  function scheduleSnoozeEnd(now: number): void {
    if (snoozeTimer !== undefined) clearTimeout(snoozeTimer);
    snoozeTimer = undefined;
    const until = view?.snoozedUntil;
    if (view && isSnoozed(view, now) && typeof until === 'number') {
      snoozeTimer = ctx.setTimeout(() => render(), until - now + 50);
    }
  }

  function bannerStyle(): CSSProperties {
    const width = bannerWidth(viewport);
    // A shortened banner (expanded by the clinician where the page has little room)
    // scrolls inside itself rather than cover the page.
    const maxHeight = placement?.shortened ? placement.rect.height : bannerMaxHeight(viewport);
    const style: CSSProperties = {
      width: `${width}px`,
      maxHeight: `${maxHeight}px`,
      left: 'auto',
      right: 'auto',
      top: 'auto',
      bottom: 'auto',
    };
    if (!placement)
      return { ...style, right: `${DEFAULT_MARGIN}px`, bottom: `${DEFAULT_MARGIN}px`, visibility: 'hidden' };
    const offsets = placementStyle(placement, viewport);
    for (const side of ['left', 'right', 'top', 'bottom'] as const) {
      const value = offsets[side];
      if (value !== undefined) style[side] = `${value}px`;
    }
    return style;
  }

  function paint(): void {
    const m = mounted;
    const v = shownView();
    if (!m || !v) return;
    flushSync(() => {
      m.root.render(
        <Banner
          view={v}
          now={Date.now()}
          collapsed={collapsed}
          onToggle={toggle}
          onDismiss={dismiss}
          onSnooze={snooze}
          style={bannerStyle()}
        />,
      );
    });
  }

  function section(): HTMLElement | null {
    return mounted?.shadow.querySelector<HTMLElement>('[data-testid="mo-banner"]') ?? null;
  }

  /** When the last layout ran (whatever ran it): page changes re-run it at most this often. */
  let lastLayout = Number.NEGATIVE_INFINITY;

  /** Measures the banner, chooses its spot and size, and repaints if either changed. */
  function layout(): void {
    if (!mounted || ctx.isInvalid) return;
    const nextViewport = viewportOf(document);
    const resized = nextViewport.width !== viewport.width || nextViewport.height !== viewport.height;
    viewport = nextViewport;
    if (resized) paint(); // width and max-height follow the viewport before measuring
    // The throttle spaces the measures of the page that follow, not this repaint.
    lastLayout = performance.now();
    const el = section();
    const bar = el?.querySelector<HTMLElement>('.bar');
    const body = el?.querySelector<HTMLElement>('.body');
    if (!el || !bar || !body) return;
    const chrome = el.offsetHeight - el.clientHeight;
    const width = bannerWidth(viewport);
    const maxHeight = bannerMaxHeight(viewport);
    const sizes = {
      expanded: { width, height: Math.min(chrome + bar.offsetHeight + body.scrollHeight, maxHeight) },
      collapsed: { width, height: Math.min(chrome + bar.offsetHeight, maxHeight) },
    };
    // While the clinician is inside the banner, it may move but never change size
    // under their keyboard focus (a collapse would hide the focused control).
    const focusInside = mounted.shadow.activeElement !== null;
    const mode: SizeMode =
      sizeMode === 'auto' && focusInside ? (collapsed ? 'collapsed' : 'expanded') : sizeMode;
    const corner: Corner = view?.corner === 'bottom-left' ? 'bottom-left' : 'bottom-right';
    const next = choosePlacement({
      viewport,
      sizes,
      obstacles: collectObstacles(document, mounted.host, viewport),
      corner,
      mode,
    });
    const changed =
      !placement ||
      placement.rect.left !== next.rect.left ||
      placement.rect.top !== next.rect.top ||
      placement.anchor.x !== next.anchor.x ||
      placement.anchor.y !== next.anchor.y ||
      placement.rect.height !== next.rect.height ||
      placement.collapsed !== next.collapsed ||
      next.collapsed !== collapsed ||
      resized;
    placement = next;
    collapsed = next.collapsed;
    if (changed) paint();
  }

  let layoutTimer: number | undefined;
  /**
   * A layout for a page change, LAYOUT_THROTTLE_MS after the last one at the earliest:
   * also after the one that showed the banner, so a busy page does not get a second full
   * measure at once (it would only delay the frame that paints the banner).
   */
  function scheduleLayout(): void {
    if (!mounted || layoutTimer !== undefined) return;
    const wait = Math.max(0, lastLayout + LAYOUT_THROTTLE_MS - performance.now());
    layoutTimer = ctx.setTimeout(() => {
      layoutTimer = undefined;
      layout();
    }, wait);
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
    paint();
    layout();
  }

  function toggle(): void {
    sizeMode = collapsed ? 'expanded' : 'collapsed';
    collapsed = !collapsed;
    paint();
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

  ctx.addEventListener(window, 'resize', scheduleLayout, { passive: true });
  ctx.addEventListener(window, 'scroll', scheduleLayout, { passive: true, capture: true });
  ctx.onInvalidated(() => {
    disposed = true;
    observePage(false);
    mounted?.shadowObserver.disconnect();
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
