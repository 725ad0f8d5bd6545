import { fireEvent, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { BANNER_HOST_NAME, createBannerController } from '../../entrypoints/banner.content/controller';
import { bannerViewOf, toolView } from '../support/views';

const contexts: ContentScriptContext[] = [];

function start() {
  const ctx = new ContentScriptContext('banner');
  contexts.push(ctx);
  const onDismiss = vi.fn();
  const onSnooze = vi.fn();
  const controller = createBannerController({
    ctx,
    onDismiss,
    onSnooze,
    shadowMode: 'open',
    trusted: () => true,
  });
  return { ctx, controller, onDismiss, onSnooze };
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

/** Lets observers, timers and the async mount run. */
const settle = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
  for (const ctx of contexts.splice(0)) ctx.abort('test end');
  document.body.innerHTML = '';
});

describe('banner controller', () => {
  it('shows nothing until the background sends a view, then mounts one host with an open shadow root', async () => {
    const { controller } = start();
    await settle();
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
    const { controller } = start();
    controller.setView(bannerViewOf([toolView('scriptswitch', { verdict: 'mandated' })]));
    await settle();
    expect(hosts()).toHaveLength(0);
  });

  it('comes back when the page removes its host, and stays exactly one', async () => {
    const { controller } = start();
    controller.setView(bannerViewOf([toolView('scriptswitch')]));
    await shown();
    const first = hosts()[0];
    first?.remove();
    await waitFor(() => expect(hosts()).toHaveLength(1));
    expect(hosts()[0]).not.toBe(first);
    await shown();
    // A re-rendering page that replaces body's content.
    document.body.innerHTML = '<main><p>re-rendered</p></main>';
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
    const { controller, onDismiss } = start();
    controller.setView(bannerViewOf([toolView('scriptswitch')]));
    const banner = await expand(await shown());
    fireEvent.click(banner.querySelector('button.dismiss') as HTMLButtonElement);
    expect(onDismiss).toHaveBeenCalledExactlyOnceWith('scriptswitch');
    await waitFor(() => expect(hosts()).toHaveLength(0));
    // The background confirms; then the page re-renders: still nothing.
    controller.setView(bannerViewOf([toolView('scriptswitch', { dismissed: true })]));
    document.body.append(document.createElement('div'));
    await settle(100);
    expect(hosts()).toHaveLength(0);
  });

  it('a dismissed tool returns when the background says so (next route), not before', async () => {
    const { controller } = start();
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
    await settle();
    expect(bannerIn(hosts()[0])?.querySelector('[data-tool-id="scriptswitch"]')).toBeNull();
    // Confirmed, then reset by a route change: it is back.
    controller.setView(bannerViewOf([toolView('scriptswitch', { dismissed: true }), toolView('optimiserx')]));
    controller.setView(bannerViewOf([toolView('scriptswitch'), toolView('optimiserx')]));
    await waitFor(() =>
      expect(bannerIn(hosts()[0])?.querySelector('[data-tool-id="scriptswitch"]')).not.toBeNull(),
    );
  });

  it('snooze hides it at once; a snoozed view shows nothing until the snooze ends', async () => {
    const { controller, onSnooze } = start();
    controller.setView(bannerViewOf([toolView('scriptswitch')]));
    const banner = await shown();
    fireEvent.click(banner.querySelector('button.snooze') as HTMLButtonElement);
    expect(onSnooze).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(hosts()).toHaveLength(0));
    controller.setView(bannerViewOf([toolView('scriptswitch')], { snoozedUntil: Date.now() + 300 }));
    await settle(100);
    expect(hosts()).toHaveLength(0);
    await shown(); // re-rendered by its own timer when the snooze ends
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
    await settle(100);
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
    const { controller } = start();
    controller.setView(bannerViewOf([toolView('scriptswitch')]));
    let banner = await shown();
    const first = hosts()[0] as HTMLElement;
    first.setAttribute('style', 'display: none !important');
    await waitFor(() => expect(hosts()[0]).not.toBe(first));
    banner = await shown();
    expect(hosts()[0]?.hasAttribute('style')).toBe(false);
    const second = hosts()[0] as HTMLElement;
    second.hidden = true;
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
    await settle(100);
    expect(hosts()).toHaveLength(1);
  });

  it('leaves nothing behind when its context is invalidated (extension reload)', async () => {
    const { ctx, controller } = start();
    controller.setView(bannerViewOf([toolView('scriptswitch')]));
    await shown();
    ctx.abort('reload');
    expect(hosts()).toHaveLength(0);
    controller.setView(bannerViewOf([toolView('optimiserx')]));
    document.body.append(document.createElement('div'));
    await settle(100);
    expect(hosts()).toHaveLength(0);
  });
});
