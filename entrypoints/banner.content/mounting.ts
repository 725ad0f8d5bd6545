import ReactDOM from 'react-dom/client';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi, type ShadowRootContentScriptUi } from 'wxt/utils/content-script-ui/shadow-root';
import { BANNER_CSS } from '../../components/banner-styles';
import { BANNER_HOST_NAME } from '../../lib/dom-vocabulary';
import { type Clock, every } from './clock';

/** The banner's host element name (test hook and the double-injection guard). */
export { BANNER_HOST_NAME };

/** Attribute that marks a host as this extension's (a page may define the same tag). */
const HOST_MARK = 'data-mo-advisor-host';
/** How often the banner checks that the page has not hidden, restyled or moved it. */
export const HEALTH_CHECK_MS = 500;
/** Re-mounts after the page removed or changed the banner: at most this many per window. */
const REMOUNT_LIMIT = 10;
const REMOUNT_WINDOW_MS = 10_000;

/** The banner's host as mounted: what the page must leave as it is. */
export interface Mounted {
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

export interface BannerMountOptions {
  ctx: ContentScriptContext;
  clock: Clock;
  shadowMode: ShadowRootMode;
  /** A host was mounted (nothing drawn in it yet). */
  onAttach(): void;
  /** The host was removed (by us, or restored after the page removed it). */
  onDetach(): void;
  /** Draw the banner again: a mount finished, or the page damaged it and it was restored. */
  onRedraw(): void;
  /** The page opened or closed a dialog or popover; the banner is already raised above it. */
  onTopLayerChange(): void;
}

export type BannerMount = ReturnType<typeof createBannerMount>;

/** Dialogs and popovers shown in the top layer. */
function isTopLayerOpen(element: Element): boolean {
  try {
    return element.matches(':modal') || element.matches(':popover-open');
  } catch {
    return false; // a browser without these pseudo-classes has no top layer to share
  }
}

function attributesOf(element: Element): string {
  return [...element.attributes].map((a) => `${a.name}=${a.value}`).join('\u0000');
}

/**
 * The banner's host element in the top frame: a shadow root the page cannot style,
 * mounted on demand, restored when the page removes, hides or restyles it, and kept in
 * the top layer above the page's modal dialogs and popovers. Knows nothing of what the
 * banner says or where it goes.
 */
export function createBannerMount({
  ctx,
  clock,
  shadowMode,
  onAttach,
  onDetach,
  onRedraw,
  onTopLayerChange,
}: BannerMountOptions) {
  let mounted: Mounted | undefined;
  let mounting: Promise<void> | undefined;
  let redrawAfterMount = false;
  const pageModals = new Set<Element>();
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

  // ---- The top layer: above the page's modal dialogs and popovers. ----

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
    if (changed) topLayerChanged();
  });

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

  function topLayerChanged(): void {
    for (const el of [...pageModals]) if (!el.isConnected || !isTopLayerOpen(el)) pageModals.delete(el);
    raise();
    onTopLayerChange();
  }

  ctx.addEventListener(
    document,
    'toggle',
    (event) => {
      const target = event.target as Element | null;
      if (!target || !mounted || target === mounted.host) return;
      if (isTopLayerOpen(target)) pageModals.add(target);
      else pageModals.delete(target);
      topLayerChanged();
    },
    { capture: true },
  );

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
      if (mounted && !ctx.isInvalid && !disposed) restore();
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
    raise();
    topLayerObserver.observe(document, {
      subtree: true,
      attributes: true,
      attributeFilter: ['open', 'popover'],
    });
    onAttach();
  }

  function remove(): void {
    topLayerObserver.disconnect();
    const m = mounted;
    mounted = undefined;
    if (!m) return;
    onDetach();
    for (const g of m.guards) g.disconnect();
    m.ui.remove();
    m.host.remove(); // also a host the page moved elsewhere
  }

  /** The page removed, emptied, hid or restyled the banner: put a fresh one back (rate-limited). */
  function restore(): void {
    const now = clock.now();
    while (remounts.length > 0 && (remounts[0] ?? 0) < now - REMOUNT_WINDOW_MS) remounts.shift();
    remove();
    if (remounts.length >= REMOUNT_LIMIT) {
      // A page that keeps wiping the banner: try again later rather than fight it.
      clock.later(() => onRedraw(), REMOUNT_WINDOW_MS);
      return;
    }
    remounts.push(now);
    onRedraw();
  }

  const stopHealthCheck = every(clock, HEALTH_CHECK_MS, () => {
    if (mounted && damaged(mounted)) restore();
  });

  ctx.onInvalidated(() => {
    disposed = true;
    stopHealthCheck();
    topLayerObserver.disconnect();
    for (const g of mounted?.guards ?? []) g.disconnect();
    mounted = undefined; // WXT's own invalidation handler removes the host.
  });

  return {
    /**
     * The intact host, or undefined while one is being mounted (a damaged one is removed
     * first); `onRedraw` follows when the mount is done.
     */
    ensure(): Mounted | undefined {
      if (mounted && damaged(mounted)) remove();
      if (mounted) return mounted;
      if (mounting) {
        redrawAfterMount = true; // the page changed things while we mounted: look again
        return undefined;
      }
      mounting = mount()
        .catch(() => undefined)
        .finally(() => {
          mounting = undefined;
          const again = redrawAfterMount || mounted !== undefined;
          redrawAfterMount = false;
          if (again && !disposed && !ctx.isInvalid) onRedraw();
        });
      return undefined;
    },
    current(): Mounted | undefined {
      return mounted;
    },
    remove,
    /** The banner's `<section>` element, as drawn now. */
    bannerElement(): HTMLElement | null {
      return mounted?.shadow.querySelector<HTMLElement>('[data-testid="mo-banner"]') ?? null;
    },
    /** Drops the records of our own changes, so the guards see only the page's. */
    ownChanges(): void {
      for (const g of mounted?.guards ?? []) g.takeRecords();
    },
    /** Whether a page dialog shown modal is open (the banner's buttons may be inert meanwhile). */
    pageModalOpen(): boolean {
      for (const el of pageModals) if (el.isConnected && el.matches(':modal')) return true;
      return false;
    },
  };
}
