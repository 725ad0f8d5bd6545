import { fireEvent, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createBannerController } from '../../entrypoints/banner.content/controller';
import { BANNER_HOST_NAME, HEALTH_CHECK_MS } from '../../entrypoints/banner.content/mounting';
import { bannerViewOf, toolView } from '../support/views';
import { virtualClock } from '../support/virtual-clock';

const contexts: ContentScriptContext[] = [];

/** A controller on a virtual clock: its timers run only when the test moves time on. */
function start() {
  const ctx = new ContentScriptContext('banner');
  contexts.push(ctx);
  const onDismiss = vi.fn();
  const onSnooze = vi.fn();
  const clock = virtualClock();
  const controller = createBannerController({
    ctx,
    clock,
    onDismiss,
    onSnooze,
    shadowMode: 'open',
    trusted: () => true,
  });
  return { ctx, controller, onDismiss, onSnooze, clock };
}

function hosts(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>(BANNER_HOST_NAME)];
}

function bannerIn(host: HTMLElement | undefined): HTMLElement | null {
  return host?.shadowRoot?.querySelector<HTMLElement>('[data-testid="mo-banner"]') ?? null;
}

async function shown(): Promise<HTMLElement> {
  return waitFor(() => {
    const list = hosts();
    expect(list).toHaveLength(1);
    const banner = bannerIn(list[0]);
    expect(banner).not.toBeNull();
    return banner as HTMLElement;
  });
}

/** Opens the full note with its own toggle (dismiss buttons live there). */
async function expand(banner: HTMLElement): Promise<HTMLElement> {
  fireEvent.click(banner.querySelector('button.toggle') as HTMLButtonElement);
  return waitFor(() => {
    const now = bannerIn(hosts()[0]);
    expect(now?.getAttribute('data-form')).toBe('expanded');
    return now as HTMLElement;
  });
}

/**
 * Lets observers and an async mount run, then moves the virtual clock on by `ms` (every
 * timer of the banner falling due runs), and lets what that started run too.
 */
async function settle(clock?: ReturnType<typeof virtualClock>, ms = 0): Promise<void> {
  const queued = () => new Promise((resolve) => setTimeout(resolve, 0));
  await queued();
  clock?.tick(ms);
  await queued();
}

afterEach(() => {
  for (const ctx of contexts.splice(0)) ctx.abort('test end');
  document.body.innerHTML = '';
});

describe('banner controller', () => {
  it('shows nothing until the background sends a view, then mounts one host with an open shadow root', async () => {
    const { controller, clock } = start();
    await settle(clock, 1000);
    expect(hosts()).toHaveLength(0);
    controller.setView(bannerViewOf([toolView('scriptswitch')]));
    const banner = await shown();
    expect(banner.querySelector('[data-tool-id="scriptswitch"]')?.getAttribute('data-verdict')).toBe(
      'flagged',
    );
    const style = hosts()[0]?.shadowRoot?.querySelector('style')?.textContent ?? '';
    expect(style).toContain(':host');
    expect(style).toContain('all: initial !important');
    expect(style).toContain('position: fixed !important');
  });

  it('mounts no host when the view has nothing to show (mandated only, note off)', async () => {
    const { controller, clock } = start();
    controller.setView(bannerViewOf([toolView('scriptswitch', { verdict: 'mandated' })]));
    await settle(clock, 1000);
    expect(hosts()).toHaveLength(0);
  });

  it('comes back when the page removes its host, and stays exactly one', async () => {
    const { controller, clock } = start();
    controller.setView(bannerViewOf([toolView('scriptswitch')]));
    await shown();
    const first = hosts()[0];
    first?.remove();
    await settle(clock, HEALTH_CHECK_MS);
    await waitFor(() => expect(hosts()).toHaveLength(1));
    expect(hosts()[0]).not.toBe(first);
    await shown();
    // A re-rendering page that replaces body's content.
    document.body.innerHTML = '<main><p>re-rendered</p></main>';
    await settle(clock, HEALTH_CHECK_MS);
    await shown();
    expect(hosts()).toHaveLength(1);
  });

  it('comes back when the page empties its shadow root', async () => {
    const { controller } = start();
    controller.setView(bannerViewOf([toolView('scriptswitch')]));
    await shown();
    const host = hosts()[0] as HTMLElement;
    (host.shadowRoot as ShadowRoot).innerHTML = '';
    await waitFor(() => expect(bannerIn(hosts()[0])).not.toBeNull());
    expect(hosts()).toHaveLength(1);
  });

  it('does not come back after a dismiss: the tool goes at once and the host is removed', async () => {
    const { controller, onDismiss, clock } = start();
    controller.setView(bannerViewOf([toolView('scriptswitch')]));
    const banner = await expand(await shown());
    fireEvent.click(banner.querySelector('button.dismiss') as HTMLButtonElement);
    expect(onDismiss).toHaveBeenCalledExactlyOnceWith('scriptswitch');
    await waitFor(() => expect(hosts()).toHaveLength(0));
    // The background confirms; then the page re-renders: still nothing.
    controller.setView(bannerViewOf([toolView('scriptswitch', { dismissed: true })]));
    document.body.append(document.createElement('div'));
    await settle(clock, 5 * HEALTH_CHECK_MS);
    expect(hosts()).toHaveLength(0);
  });

  it('a dismissed tool returns when the background says so (next route), not before', async () => {
    const { controller, clock } = start();
    controller.setView(bannerViewOf([toolView('scriptswitch'), toolView('optimiserx')]));
    const banner = await expand(await shown());
    fireEvent.click(
      banner.querySelector('[data-tool-id="scriptswitch"] button.dismiss') as HTMLButtonElement,
    );
    await waitFor(() =>
      expect(bannerIn(hosts()[0])?.querySelector('[data-tool-id="scriptswitch"]')).toBeNull(),
    );
    // A view computed before the dismiss reached the background must not bring it back.
    controller.setView(bannerViewOf([toolView('scriptswitch'), toolView('optimiserx')]));
    await settle(clock, 1000);
    expect(bannerIn(hosts()[0])?.querySelector('[data-tool-id="scriptswitch"]')).toBeNull();
    // Confirmed, then reset by a route change: it is back.
    controller.setView(bannerViewOf([toolView('scriptswitch', { dismissed: true }), toolView('optimiserx')]));
    controller.setView(bannerViewOf([toolView('scriptswitch'), toolView('optimiserx')]));
    await waitFor(() =>
      expect(bannerIn(hosts()[0])?.querySelector('[data-tool-id="scriptswitch"]')).not.toBeNull(),
    );
  });

  it('snooze hides it at once; a snoozed view shows nothing until the snooze ends', async () => {
    const { controller, onSnooze, clock } = start();
    controller.setView(bannerViewOf([toolView('scriptswitch')]));
    const banner = await shown();
    fireEvent.click(banner.querySelector('button.snooze') as HTMLButtonElement);
    expect(onSnooze).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(hosts()).toHaveLength(0));
    const wallClock = Date.now();
    const now = vi.spyOn(Date, 'now').mockReturnValue(wallClock);
    controller.setView(bannerViewOf([toolView('scriptswitch')], { snoozedUntil: wallClock + 30 * 60_000 }));
    await settle(clock, 29 * 60_000);
    expect(hosts()).toHaveLength(0);
    // Its own timer shows it again when the snooze ends.
    now.mockReturnValue(wallClock + 31 * 60_000);
    await settle(clock, 2 * 60_000);
    await shown();
    now.mockRestore();
  });

  it('starts as the compact panel; "Show more" opens the full note and "Minimise" closes it, without moving focus', async () => {
    const { controller } = start();
    const input = document.createElement('input');
    document.body.append(input);
    input.focus();
    controller.setView(bannerViewOf([toolView('scriptswitch')]));
    const banner = await shown();
    expect(document.activeElement).toBe(input);
    expect(banner.getAttribute('data-form')).toBe('compact');
    // The advisory sentence and the tool show without a click.
    expect(banner.textContent).toContain('ScriptSwitch');
    expect(banner.textContent).toContain('non-contractual medicines optimisation software');
    const toggle = banner.querySelector('button.toggle') as HTMLButtonElement;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    const expanded = await expand(banner);
    expect(expanded.querySelector('button.toggle')?.getAttribute('aria-expanded')).toBe('true');
    expect(expanded.querySelector('.source')).not.toBeNull();
    fireEvent.click(expanded.querySelector('button.toggle') as HTMLButtonElement);
    await waitFor(() => expect(bannerIn(hosts()[0])?.getAttribute('data-form')).toBe('compact'));
    expect(document.activeElement).toBe(input);
  });

  it('ignores clicks a page script makes (untrusted events): snooze, dismiss and the toggle do nothing', async () => {
    const ctx = new ContentScriptContext('banner');
    contexts.push(ctx);
    const onDismiss = vi.fn();
    const onSnooze = vi.fn();
    // Default trust check: event.isTrusted (false for every dispatched event).
    const controller = createBannerController({ ctx, onDismiss, onSnooze, shadowMode: 'open' });
    controller.setView(bannerViewOf([toolView('scriptswitch')]));
    const banner = await shown();
    (banner.querySelector('button.snooze') as HTMLButtonElement).click();
    fireEvent.click(banner.querySelector('button.toggle') as HTMLButtonElement);
    await settle();
    expect(onSnooze).not.toHaveBeenCalled();
    expect(bannerIn(hosts()[0])?.getAttribute('data-form')).toBe('compact');
    expect(onDismiss).not.toHaveBeenCalled();
  });

  it('closes its shadow root outside the e2e build', async () => {
    const ctx = new ContentScriptContext('banner');
    contexts.push(ctx);
    const controller = createBannerController({ ctx, onDismiss: vi.fn(), onSnooze: vi.fn() });
    controller.setView(bannerViewOf([toolView('scriptswitch')]));
    await waitFor(() => expect(hosts()).toHaveLength(1));
    expect(hosts()[0]?.shadowRoot).toBeNull();
  });

  it('restores itself when the page restyles or hides its host, or rewrites its text', async () => {
    const { controller, clock } = start();
    controller.setView(bannerViewOf([toolView('scriptswitch')]));
    let banner = await shown();
    const first = hosts()[0] as HTMLElement;
    first.setAttribute('style', 'display: none !important');
    await settle(clock, HEALTH_CHECK_MS);
    await waitFor(() => expect(hosts()[0]).not.toBe(first));
    banner = await shown();
    expect(hosts()[0]?.hasAttribute('style')).toBe(false);
    const second = hosts()[0] as HTMLElement;
    second.hidden = true;
    await settle(clock, HEALTH_CHECK_MS);
    await waitFor(() => expect(hosts()[0]).not.toBe(second));
    banner = await shown();
    const title = banner.querySelector('.title') as HTMLElement;
    title.textContent = 'ScriptSwitch: mandated by your practice. Keep using it.';
    await waitFor(() =>
      expect(bannerIn(hosts()[0])?.querySelector('.title')?.textContent).toContain('prompt'),
    );
    expect(hosts()).toHaveLength(1);
  });

  it('removes leftovers and gives way to a newer instance: one host, and the old one is cleaned up', async () => {
    // A dead instance's host carries our mark; a page's own element of that name would not.
    const leftover = document.createElement(BANNER_HOST_NAME);
    leftover.setAttribute('data-mo-advisor-host', '');
    document.body.append(leftover);
    const first = start();
    expect(hosts()).toHaveLength(0); // the dead instance's host is gone
    first.controller.setView(bannerViewOf([toolView('scriptswitch')]));
    await shown();
    // A second injection of the same script: WXT invalidates the first instance.
    const second = start();
    expect(first.ctx.isInvalid).toBe(true);
    await waitFor(() => expect(hosts()).toHaveLength(0));
    second.controller.setView(bannerViewOf([toolView('optimiserx')]));
    const banner = await shown();
    expect(banner.querySelector('[data-tool-id="optimiserx"]')).not.toBeNull();
    // The old instance no longer reacts to page changes.
    document.body.append(document.createElement('div'));
    await settle(first.clock, 5 * HEALTH_CHECK_MS);
    await settle(second.clock, 5 * HEALTH_CHECK_MS);
    expect(hosts()).toHaveLength(1);
  });

  it('leaves nothing behind when its context is invalidated (extension reload)', async () => {
    const { ctx, controller, clock } = start();
    controller.setView(bannerViewOf([toolView('scriptswitch')]));
    await shown();
    ctx.abort('reload');
    expect(hosts()).toHaveLength(0);
    controller.setView(bannerViewOf([toolView('optimiserx')]));
    document.body.append(document.createElement('div'));
    await settle(clock, 5 * HEALTH_CHECK_MS);
    expect(hosts()).toHaveLength(0);
  });
});
