import type { BannerView, ToolView } from './messages';

/**
 * What a banner view means, for every context that shows one: the background (badge,
 * whether to inject the banner), the banner itself and the popup. Pure and zod-free, so
 * the banner's bundle stays small.
 */

/** Whether a snooze that lasts until `until` (epoch ms, if any) still holds at `now`. */
export function isSnoozedAt(until: unknown, now: number): until is number {
  return typeof until === 'number' && until > now;
}

/**
 * Tools the banner would list right now (before snooze is applied). An unconfirmed
 * mandate is not among them: the popup says "mandate not confirmed", the banner does
 * not suggest switching it off.
 */
export function visibleTools(view: BannerView): ToolView[] {
  return view.tools.filter(
    (t) => !t.dismissed && (t.verdict === 'flagged' || (t.verdict === 'mandated' && view.showMandatedNote)),
  );
}
/** The action badge: flagged tools on the tab (dismissed ones still count: they are there). */
export function badgeText(view: BannerView): string {
  const flagged = view.tools.filter((t) => t.verdict === 'flagged').length;
  return flagged > 0 ? String(flagged) : '';
}
