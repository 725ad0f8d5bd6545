import type { CSSProperties } from 'react';
import { flushSync } from 'react-dom';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { Banner, bannerHasContent, isSnoozed } from '../../components/Banner';
import {
  type BannerForm,
  bannerWidth,
  type Placement,
  placementStyle,
  type Size,
} from '../../lib/content/placement';
import type { BannerView } from '../../lib/messages';
import { type Clock, contextClock } from './clock';
import { createBannerLayout } from './layout';
import { createBannerMount } from './mounting';

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
  /** Timers and frames (default: the page's, tied to `ctx`; tests pass a virtual clock). */
  clock?: Clock;
}

const defaultShadowMode = (): ShadowRootMode => (import.meta.env.WXT_E2E === '1' ? 'open' : 'closed');

/**
 * The banner in the top frame: shows the background's view when there is something to
 * show and nothing when there is not. Its host (mounting.ts) and its place (layout.ts)
 * are looked after apart; this decides what is drawn and draws it. Every timer,
 * listener and observer is tied to `ctx`, so an extension reload or update leaves
 * nothing behind.
 */
export function createBannerController({
  ctx,
  onDismiss,
  onSnooze,
  shadowMode = defaultShadowMode(),
  trusted,
  clock = contextClock(ctx),
}: BannerControllerOptions) {
  let view: BannerView | undefined;
  let snoozePending = false;
  const pendingDismiss = new Set<string>();
  let cancelSnoozeEnd: (() => void) | undefined;

  const mount = createBannerMount({
    ctx,
    clock,
    shadowMode,
    onAttach: () => layout.attach(),
    onDetach: () => layout.detach(),
    onRedraw: () => update(),
    onTopLayerChange: () => layout.relayoutNow(),
  });
  const layout = createBannerLayout({
    ctx,
    clock,
    mount,
    corner: () => (view?.corner === 'bottom-left' ? 'bottom-left' : 'bottom-right'),
    draw: drawBanner,
  });

  /** The view as shown: pending local dismissals applied. */
  function shownView(): BannerView | undefined {
    if (!view) return undefined;
    if (pendingDismiss.size === 0) return view;
    return {
      ...view,
      tools: view.tools.map((t) => (pendingDismiss.has(t.toolId) ? { ...t, dismissed: true } : t)),
    };
  }

  function shouldShow(now: number): boolean {
    const v = shownView();
    return Boolean(v && !snoozePending && bannerHasContent(v, now));
  }

  /** A snoozed view shows again when its snooze ends (wall-clock time). */
  function scheduleSnoozeEnd(now: number): void {
    cancelSnoozeEnd?.();
    cancelSnoozeEnd = undefined;
    const until = view?.snoozedUntil;
    if (view && isSnoozed(view, now) && typeof until === 'number') {
      cancelSnoozeEnd = clock.later(() => update(), until - now + 50);
    }
  }

  /** Renders the banner's React tree into the host, synchronously (it is measured next). */
  function drawBanner(
    form: BannerForm,
    where: Placement | undefined,
    viewport: Size,
    roomless: boolean,
  ): void {
    const m = mount.current();
    const v = shownView();
    if (!m || !v) return;
    const width = form === 'tab' ? undefined : `${bannerWidth(viewport)}px`;
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
          form={form}
          blocked={mount.pageModalOpen()}
          roomless={roomless}
          onToggle={layout.toggle}
          onDismiss={dismiss}
          onSnooze={snooze}
          trusted={trusted}
          style={style}
        />,
      );
    });
    mount.ownChanges();
  }

  /** Brings the page in line with the view: the banner mounted and laid out, or removed. */
  function update(): void {
    if (ctx.isInvalid) return;
    const now = Date.now();
    scheduleSnoozeEnd(now);
    if (!shouldShow(now)) {
      mount.remove();
      return;
    }
    // Not mounted yet: the mount calls back here when it is.
    if (mount.ensure()) layout.place();
  }

  function dismiss(toolId: string): void {
    pendingDismiss.add(toolId);
    update();
    onDismiss(toolId);
  }

  function snooze(): void {
    snoozePending = true;
    update();
    onSnooze();
  }

  ctx.onInvalidated(() => cancelSnoozeEnd?.());

  return {
    /** A new view from the background (the only source of verdicts). */
    setView(next: BannerView): void {
      view = next;
      snoozePending = false;
      for (const toolId of [...pendingDismiss]) {
        const tool = next.tools.find((t) => t.toolId === toolId);
        if (!tool || tool.dismissed) pendingDismiss.delete(toolId);
      }
      update();
    },
  };
}
