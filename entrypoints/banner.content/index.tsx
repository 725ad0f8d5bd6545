import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { takeSeed } from '../../lib/banner-seed';
import { pushOf, requestBackground } from '../../lib/message-client';
import type { BannerView, ContentToBackground } from '../../lib/messages';
import { createBannerController } from './controller';

/**
 * The advisory banner, injected into a tab's top frame by the background only when
 * there is something to say, so its UI code costs nothing on pages without prompts.
 * Verdicts come only from the background (which knows the allow-list): this script
 * shows nothing until it has a view from the background, either injected with it
 * (seed.ts) or sent by it.
 */
export default defineContentScript({
  matches: ['http://127.0.0.1/*'],
  registration: 'runtime',
  cssInjectionMode: 'manual',
  main(ctx) {
    if (window.top !== window) return; // top frame only
    // Return at once: scripting.executeScript waits for a returned promise, and the
    // background must not sit on that while the banner asks it for state.
    void start(ctx);
  },
});

async function start(ctx: ContentScriptContext): Promise<void> {
  const send = <M extends ContentToBackground>(message: M) =>
    requestBackground(
      (m: M): Promise<unknown> =>
        ctx.isValid ? browser.runtime.sendMessage(m).catch(() => undefined) : Promise.resolve(undefined),
      message,
    );

  const controller = createBannerController({
    ctx,
    onDismiss: (toolId) => void send({ type: 'banner/dismiss', toolId }),
    onSnooze: () => void send({ type: 'banner/snooze' }),
  });

  let pushed = false;
  const listener = (message: unknown) => {
    const push = pushOf(message, 'tab/state');
    if (push && isBannerView(push.view)) {
      pushed = true;
      controller.setView(push.view);
    }
    return undefined;
  };
  browser.runtime.onMessage.addListener(listener);
  ctx.onInvalidated(() => browser.runtime?.onMessage.removeListener(listener));

  // The view the background injected with this script (see seed.ts): shown at once.
  const seeded = takeSeed(isBannerView);
  if (seeded) controller.setView(seeded);

  const initial = await send({ type: 'banner/get-state' });
  // A push that arrived while we waited is at least as new as this answer; an answer
  // equal to the seed already shown changes nothing.
  if (pushed || !isBannerView(initial)) return;
  if (seeded && sameView(initial, seeded)) return;
  controller.setView(initial);
}

/**
 * Views compared by content, not key order: the seed crosses scripting.executeScript,
 * which hands it over with its keys sorted, so a plain JSON comparison never matched
 * and every banner was laid out twice as it started (a second full placement, 7-12 ms
 * of CPU on a busy page).
 */
function sameView(a: BannerView, b: BannerView): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}

/** Shape check for what the background sends (it is the only sender we listen to). */
function isBannerView(value: unknown): value is BannerView {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<BannerView>;
  return Array.isArray(v.tools) && typeof v.showMandatedNote === 'boolean';
}
