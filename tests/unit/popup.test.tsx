import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createBrowserPopupApi, type PopupApi, tabIdOverride } from '../../components/popup/api';
import { PopupApp } from '../../components/popup/PopupApp';
import type { PopupToBackground, PopupView, ToolView } from '../../lib/messages';
import { toolView } from '../support/views';
import { expectVisible } from './visible';

const CLINICAL_URL = 'https://clinical.example.nhs.uk/patient/123/prescribe';

function tool(overrides: Partial<ToolView> & Pick<ToolView, 'toolId' | 'name'>): ToolView {
  return toolView(overrides.toolId, { vendor: 'A vendor', summary: 'A summary of the tool.', ...overrides });
}

const scriptswitch = tool({
  toolId: 'scriptswitch',
  name: 'ScriptSwitch',
  vendor: 'Optum Health Solutions (UK)',
});
const optimiserx = tool({ toolId: 'optimiserx', name: 'OptimiseRx', vendor: 'FDB (First Databank Europe)' });

function view(overrides: Partial<PopupView> = {}): PopupView {
  return {
    tools: [],
    showMandatedNote: false,
    corner: 'bottom-right',
    watched: true,
    // An unwatched site is, unless a test says otherwise, one that is not listed either.
    listed: overrides.watched ?? true,
    host: 'clinical.example.nhs.uk',
    hasPermission: true,
    lockedFields: [],
    ...overrides,
  };
}

/** The background, as the popup sees it: answers get-state with `views` in turn, records every message. */
function fakeBackground(...views: (PopupView | Error | 'never')[]) {
  const sent: PopupToBackground[] = [];
  let calls = 0;
  const spy = vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockImplementation((async (
    message: PopupToBackground,
  ) => {
    sent.push(message);
    if (message.type !== 'popup/get-state') return undefined;
    const next = views[Math.min(calls++, views.length - 1)];
    if (next === 'never') return new Promise(() => {});
    if (next instanceof Error) throw next;
    return next;
  }) as never);
  return { sent, spy };
}

let windowId: number;

async function openTab(url: string | undefined) {
  const tab = await fakeBrowser.tabs.create({ url, active: true, windowId });
  return tab.id as number;
}

function renderPopup(options: { search?: string; hash?: string; api?: PopupApi } = {}) {
  const api = options.api ?? createBrowserPopupApi(options.search ?? '');
  return render(<PopupApp api={api} initialHash={options.hash} />);
}

async function settled(state: string) {
  await waitFor(() =>
    expect(document.querySelector('[data-page-state]')?.getAttribute('data-page-state')).toBe(state),
  );
}

beforeEach(async () => {
  vi.restoreAllMocks();
  // The fake browser has no focused window until one is created focused.
  windowId = (await fakeBrowser.windows.create({ focused: true }))?.id as number;
});

describe('popup states', () => {
  it('shows a loading state until the background answers', async () => {
    await openTab(CLINICAL_URL);
    fakeBackground('never');
    renderPopup();
    expectVisible(screen.getByText('Checking this page…'));
    await settled('loading');
  });

  it('says the extension cannot run on browser pages, and offers no watch button', async () => {
    await openTab('chrome://settings/');
    fakeBackground(view({ watched: false, hasPermission: false, host: undefined }));
    renderPopup();
    await settled('cannot-run');
    expectVisible(screen.getByRole('heading', { name: 'The extension cannot run on this page' }));
    expect(screen.queryByRole('button', { name: 'Watch this site' })).toBeNull();
    expect(screen.queryByText(/Not watching this site/)).toBeNull();
  });

  it('treats a tab whose address the browser hides as one it cannot run on', async () => {
    await openTab(undefined);
    fakeBackground(view({ watched: false, hasPermission: false, host: undefined }));
    renderPopup();
    await settled('cannot-run');
  });

  it('recognises its own page opened in a tab (e.g. from a guidance link)', async () => {
    await openTab(fakeBrowser.runtime.getURL('/popup.html'));
    fakeBackground(view({ watched: false, host: undefined }));
    renderPopup();
    await settled('extension-page');
    expectVisible(screen.getByRole('heading', { name: 'This is the extension’s own page' }));
  });

  it('says when the background does not answer, so "not working" is not mistaken for "no prompts"', async () => {
    await openTab(CLINICAL_URL);
    fakeBackground(new Error('Could not establish connection'));
    renderPopup();
    await settled('error');
    expectVisible(screen.getByRole('heading', { name: 'The extension is not responding' }));
    expect(screen.queryByText(/No medicines optimisation prompts found/)).toBeNull();
  });

  it('shows "Not watching this site" with a watch button and what it means', async () => {
    await openTab(CLINICAL_URL);
    fakeBackground(view({ watched: false, hasPermission: false }));
    renderPopup();
    await settled('not-watched');
    expectVisible(screen.getByRole('heading', { name: 'Not watching this site' }));
    const button = screen.getByRole('button', { name: 'Watch this site' });
    expect(button.getAttribute('aria-describedby')).toBe('watch-explainer');
    expect(document.getElementById('watch-explainer')?.textContent).toMatch(
      /read pages on clinical\.example\.nhs\.uk.*stores no page text and sends nothing/,
    );
    expect(screen.queryByText(/No medicines optimisation prompts found/)).toBeNull();
  });

  it('says the organisation manages the list when policy locks clinicalHosts, and offers no button', async () => {
    await openTab(CLINICAL_URL);
    fakeBackground(
      view({ watched: false, hasPermission: false, lockedFields: ['clinicalHosts', 'allowList'] }),
    );
    renderPopup();
    await settled('not-watched');
    expectVisible(screen.getByText(/Your organisation manages the list of watched sites/));
    expect(screen.queryByRole('button', { name: 'Watch this site' })).toBeNull();
  });

  it('shows an explicit "nothing found" state on a watched site', async () => {
    await openTab(CLINICAL_URL);
    fakeBackground(view({ watched: true, tools: [] }));
    renderPopup();
    await settled('watched-nothing-found');
    expectVisible(screen.getByRole('heading', { name: 'Watching this site' }));
    expectVisible(screen.getByText('No medicines optimisation prompts found on this page.'));
    expect(screen.queryByRole('list', { name: /found/i })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Show the banner again' })).toBeNull();
  });

  it('lists flagged tools with their frame, and no reshow button when nothing is dismissed', async () => {
    await openTab(CLINICAL_URL);
    fakeBackground(
      view({
        tools: [optimiserx, { ...scriptswitch, inSubFrame: true, confidence: 'moderate' }],
      }),
    );
    renderPopup();
    await settled('watched-found');
    expectVisible(screen.getByRole('heading', { name: 'Found on this page: 2 tools' }));
    const items = document.querySelectorAll('[data-tool-id]');
    expect(
      [...items].map((el) => `${el.getAttribute('data-tool-id')}:${el.getAttribute('data-verdict')}`),
    ).toEqual(['optimiserx:flagged', 'scriptswitch:flagged']);
    const ss = within(document.querySelector('[data-tool-id="scriptswitch"]') as HTMLElement);
    expectVisible(ss.getByText('In an embedded frame'));
    expectVisible(ss.getByText(/weaker clues/));
    expectVisible(ss.getByText('Non-contractual medicines optimisation software'));
    expectVisible(ss.getByText(/your practice may switch this off or ignore it for new prescriptions/));
    const orx = within(document.querySelector('[data-tool-id="optimiserx"]') as HTMLElement);
    expectVisible(orx.getByText('In the page itself'));
    expect(orx.queryByText(/weaker clues/)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Show the banner again' })).toBeNull();
  });

  it('shows a mandated tool as mandated by the local service, with the recorded reason', async () => {
    await openTab(CLINICAL_URL);
    fakeBackground(
      view({
        tools: [
          {
            ...optimiserx,
            verdict: 'mandated',
            mandate: {
              reason: 'Required by the BSol ESO 2026/27',
              reference: 'PCN schedule 3',
              reviewBy: '2027-03-31',
            },
          },
        ],
      }),
    );
    renderPopup();
    await settled('watched-found');
    const card = within(document.querySelector('[data-tool-id="optimiserx"]') as HTMLElement);
    expect(document.querySelector('[data-tool-id="optimiserx"]')?.getAttribute('data-verdict')).toBe(
      'mandated',
    );
    expectVisible(card.getByText('Mandated by your local service'));
    expectVisible(card.getByText('Required by the BSol ESO 2026/27'));
    expectVisible(card.getByText('PCN schedule 3'));
    expectVisible(card.getByText('31 March 2027'));
    expect(card.queryByText(/switch this off/)).toBeNull();
    expectVisible(card.getByRole('link', { name: 'About OptimiseRx' }));
  });

  it('shows dismissed tools and re-shows the banner on request', async () => {
    const tabId = await openTab(CLINICAL_URL);
    const { sent } = fakeBackground(
      view({ tools: [{ ...scriptswitch, dismissed: true }] }),
      view({ tools: [scriptswitch] }),
    );
    renderPopup();
    await settled('watched-found');
    expectVisible(screen.getByText('Banner dismissed on this tab'));
    fireEvent.click(screen.getByRole('button', { name: 'Show the banner again' }));
    await waitFor(() =>
      expect(screen.getByTestId('popup-notice').textContent).toBe('The banner will show again.'),
    );
    expect(sent).toContainEqual({ type: 'popup/reshow-banner', tabId });
    expect(screen.queryByText('Banner dismissed on this tab')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Show the banner again' })).toBeNull();
  });

  it('offers to re-show a snoozed banner and says until when', async () => {
    await openTab(CLINICAL_URL);
    const until = new Date(2026, 10, 24, 14, 5).getTime();
    fakeBackground(view({ tools: [scriptswitch], snoozedUntil: until }));
    renderPopup();
    await settled('watched-found');
    expectVisible(screen.getByText('The banner is snoozed on all tabs until 14:05.'));
    expectVisible(screen.getByRole('button', { name: 'Show the banner again' }));
  });
});

describe('watching a site', () => {
  it('requests host permission inside the click, then tells the background, then shows the new state', async () => {
    const tabId = await openTab(CLINICAL_URL);
    const { sent } = fakeBackground(view({ watched: false, hasPermission: false }), view({ watched: true }));
    const order: string[] = [];
    const request = vi.spyOn(fakeBrowser.permissions, 'request').mockImplementation((async () => {
      order.push('request');
      return true;
    }) as never);
    renderPopup();
    await settled('not-watched');
    fireEvent.click(screen.getByRole('button', { name: 'Watch this site' }));
    // Synchronously, during the click: user activation does not survive an await.
    expect(request).toHaveBeenCalledWith({ origins: ['https://clinical.example.nhs.uk/*'] });
    await settled('watched-nothing-found');
    expect(sent).toContainEqual({
      type: 'popup/watch-site',
      tabId,
      pattern: 'https://clinical.example.nhs.uk/*',
    });
    expect(order).toEqual(['request']);
    expect(screen.getByTestId('popup-notice').textContent).toBe('The extension is now watching this site.');
  });

  it('does not tell the background when the user refuses', async () => {
    await openTab(CLINICAL_URL);
    const { sent } = fakeBackground(view({ watched: false, hasPermission: false }));
    vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValue(false as never);
    renderPopup();
    await settled('not-watched');
    fireEvent.click(screen.getByRole('button', { name: 'Watch this site' }));
    await waitFor(() => expect(screen.getByTestId('popup-notice').textContent).toMatch(/did not allow it/));
    expect(sent.some((m) => m.type === 'popup/watch-site')).toBe(false);
  });

  it('says so when access was granted but the site is still not watched', async () => {
    await openTab(CLINICAL_URL);
    fakeBackground(
      view({ watched: false, hasPermission: false }),
      view({ watched: false, hasPermission: true }),
    );
    vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValue(true as never);
    renderPopup();
    await settled('not-watched');
    fireEvent.click(screen.getByRole('button', { name: 'Watch this site' }));
    await waitFor(() =>
      expect(screen.getByTestId('popup-notice').textContent).toMatch(/not on the watched list yet/),
    );
  });
});

describe('which tab', () => {
  it('reads ?tabId=N, so a test can open popup.html?tabId=N in a normal tab', async () => {
    const other = await openTab('https://other.example.nhs.uk/');
    await openTab(CLINICAL_URL); // the active tab
    const { sent } = fakeBackground(view());
    renderPopup({ search: `?tabId=${other}` });
    await settled('watched-nothing-found');
    expect(sent).toContainEqual({ type: 'popup/get-state', tabId: other });
  });

  it('otherwise reports on the active tab of the current window', async () => {
    await openTab('https://other.example.nhs.uk/');
    const active = await openTab(CLINICAL_URL);
    const { sent } = fakeBackground(view());
    renderPopup();
    await settled('watched-nothing-found');
    expect(sent).toContainEqual({ type: 'popup/get-state', tabId: active });
  });

  it('accepts only a plain non-negative integer as the override', () => {
    expect(tabIdOverride('?tabId=42')).toBe(42);
    expect(tabIdOverride('?tabId=0')).toBe(0);
    expect(tabIdOverride('?tabId=-1')).toBeUndefined();
    expect(tabIdOverride('?tabId=4x')).toBeUndefined();
    expect(tabIdOverride('')).toBeUndefined();
  });
});

describe('guidance and navigation', () => {
  it('opens the guidance for a tool from its card and shows that section', async () => {
    await openTab(CLINICAL_URL);
    fakeBackground(view({ tools: [scriptswitch] }));
    renderPopup();
    await settled('watched-found');
    expect(document.getElementById('panel-guidance')?.hidden).toBe(true);
    fireEvent.click(screen.getByRole('link', { name: 'About ScriptSwitch and switching it off' }));
    expect(screen.getByRole('tab', { name: 'Guidance' }).getAttribute('aria-selected')).toBe('true');
    expect(document.getElementById('panel-guidance')?.hidden).toBe(false);
    expect(document.getElementById('panel-page')?.hidden).toBe(true);
    const section = document.getElementById('guidance-scriptswitch') as HTMLElement;
    expect(section).not.toBeNull();
    expect(document.activeElement).toBe(section);
  });

  it('opens on the guidance when the URL hash names a tool, without moving focus', async () => {
    await openTab(CLINICAL_URL);
    fakeBackground(view());
    renderPopup({ hash: '#guidance-optimiserx' });
    await settled('watched-nothing-found');
    expect(screen.getByRole('tab', { name: 'Guidance' }).getAttribute('aria-selected')).toBe('true');
    expect(document.getElementById('guidance-optimiserx')).not.toBeNull();
    expect(document.activeElement).toBe(document.body);
  });

  it('shows the three campaign steps, the LMC position, per-tool guidance and "not documented" notes', async () => {
    await openTab(CLINICAL_URL);
    fakeBackground(view());
    renderPopup({ hash: '#guidance' });
    await settled('watched-nothing-found');
    const panel = within(document.getElementById('panel-guidance') as HTMLElement);
    expect(
      [...document.querySelectorAll('[data-step-id]')].map((el) => el.getAttribute('data-step-id')),
    ).toEqual(['mo-software', 'data-sharing', 'icb-letter']);
    expectVisible(panel.getByText(/do not call for action beyond the BMA’s/));
    expect(
      panel.getAllByText(
        /Steps not publicly documented: ask your ICB medicines optimisation team or the supplier/,
      ).length,
    ).toBeGreaterThan(0);
    expectVisible(panel.getByText(/Prescribe Original saves the prescription as you entered it/));
    expect(panel.getAllByText(/Last reviewed 24 November 2026/).length).toBeGreaterThan(3);
  });

  it('links every external page in a new tab without an opener', async () => {
    await openTab(CLINICAL_URL);
    fakeBackground(view({ lmcGuidanceUrl: 'https://www.example-lmc.org.uk/collective-action' }));
    renderPopup({ hash: '#guidance' });
    await settled('watched-nothing-found');
    const external = [...document.querySelectorAll<HTMLAnchorElement>('a[href^="http"]')];
    expect(external.length).toBeGreaterThan(10);
    for (const a of external) {
      expect(a.getAttribute('href')).toMatch(/^https:\/\//);
      expect(a.target).toBe('_blank');
      expect(a.rel).toContain('noopener');
    }
  });

  it("links the practice's own LMC guidance only when it is set", async () => {
    await openTab(CLINICAL_URL);
    fakeBackground(view({ lmcGuidanceUrl: 'https://www.example-lmc.org.uk/collective-action' }));
    const first = renderPopup({ hash: '#guidance' });
    await settled('watched-nothing-found');
    const link = screen.getByRole('link', { name: /Your LMC’s guidance/ });
    expect(link.getAttribute('href')).toBe('https://www.example-lmc.org.uk/collective-action');
    first.unmount();

    fakeBackground(view());
    renderPopup({ hash: '#guidance' });
    await settled('watched-nothing-found');
    expect(screen.queryByRole('link', { name: /Your LMC’s guidance/ })).toBeNull();
    expectVisible(screen.getByText(/can add its LMC’s guidance page in Settings/));
  });

  it('moves between the two tabs with the arrow keys', async () => {
    await openTab(CLINICAL_URL);
    fakeBackground(view());
    renderPopup();
    await settled('watched-nothing-found');
    const pageTab = screen.getByRole('tab', { name: 'This page' });
    act(() => pageTab.focus());
    fireEvent.keyDown(pageTab, { key: 'ArrowRight' });
    const guidanceTab = screen.getByRole('tab', { name: 'Guidance' });
    expect(guidanceTab.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(guidanceTab);
    expect(guidanceTab.tabIndex).toBe(0);
    expect(pageTab.tabIndex).toBe(-1);
  });

  it('opens the options page from Settings', async () => {
    await openTab(CLINICAL_URL);
    fakeBackground(view());
    const open = vi.spyOn(fakeBrowser.runtime, 'openOptionsPage').mockResolvedValue(undefined as never);
    renderPopup();
    await settled('watched-nothing-found');
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    expect(open).toHaveBeenCalledTimes(1);
  });
});

describe('wording', () => {
  const cases: [string, string | undefined, (PopupView | Error)[], string][] = [
    ['cannot run', 'chrome://settings/', [view({ watched: false })], 'cannot-run'],
    ['not watched', CLINICAL_URL, [view({ watched: false })], 'not-watched'],
    ['locked', CLINICAL_URL, [view({ watched: false, lockedFields: ['clinicalHosts'] })], 'not-watched'],
    ['nothing found', CLINICAL_URL, [view()], 'watched-nothing-found'],
    [
      'flagged and mandated',
      CLINICAL_URL,
      [view({ tools: [scriptswitch, { ...optimiserx, verdict: 'mandated', dismissed: true }] })],
      'watched-found',
    ],
    ['error', CLINICAL_URL, [new Error('x')], 'error'],
  ];
  for (const [name, url, views, state] of cases) {
    it(`is advisory in the "${name}" state: no "must" anywhere the user reads`, async () => {
      await openTab(url);
      fakeBackground(...views);
      renderPopup();
      await settled(state);
      expect(document.body.textContent).not.toMatch(/\bmust\b/i);
    });
  }
});

describe('identify a prompt', () => {
  it('starts the picker in the reported tab from a web page', async () => {
    const tabId = await openTab(CLINICAL_URL);
    fakeBackground(view());
    const api = createBrowserPopupApi('');
    const identify = vi.fn().mockResolvedValue(undefined);
    renderPopup({ api: { ...api, identifyPrompt: identify } });
    await settled('watched-nothing-found');
    fireEvent.click(screen.getByRole('button', { name: 'Identify a prompt on this page' }));
    expect(identify).toHaveBeenCalledWith(tabId);
  });

  it('is not offered where the extension cannot run', async () => {
    await openTab('chrome://settings/');
    fakeBackground(view({ watched: false, hasPermission: false, host: undefined }));
    renderPopup();
    await settled('cannot-run');
    expect(screen.queryByRole('button', { name: 'Identify a prompt on this page' })).toBeNull();
  });
});

describe('a site listed by policy but not yet allowed', () => {
  it('offers the one-time grant instead of "ask your IT lead"', async () => {
    await openTab(CLINICAL_URL);
    fakeBackground(
      view({ watched: false, listed: true, hasPermission: false, lockedFields: ['clinicalHosts'] }),
    );
    renderPopup();
    await settled('not-watched');
    expectVisible(screen.getByRole('button', { name: 'Allow on this site' }));
    expect(screen.queryByText(/ask your IT lead/)).toBeNull();
  });

  it('still says the organisation manages the list for a site it does not list', async () => {
    await openTab(CLINICAL_URL);
    fakeBackground(
      view({ watched: false, listed: false, hasPermission: false, lockedFields: ['clinicalHosts'] }),
    );
    renderPopup();
    await settled('not-watched');
    expect(screen.queryByRole('button', { name: /Allow on this site|Watch this site/ })).toBeNull();
    expectVisible(screen.getByText(/ask your IT lead/));
  });
});

describe('policy line for admins', () => {
  it('says how many policy values were refused or repaired, and opens Settings', async () => {
    await fakeBrowser.storage.managed.set({
      allowList: [{ toolId: 'scriptswtich' }],
      banner: { snoozeMinutes: 1 },
    });
    const api = createBrowserPopupApi('');
    const openOptions = vi.fn(async () => undefined);
    renderPopup({ api: { ...api, openOptions } });
    const line = await screen.findByTestId('popup-policy-line');
    expect(line.textContent).toContain('has 2 values refused or repaired');
    fireEvent.click(line);
    expect(openOptions).toHaveBeenCalledTimes(1);
  });

  it('is absent without policy problems', async () => {
    const api = createBrowserPopupApi('');
    const policyStatus = vi.fn(async () => (await api.policyStatus?.()) ?? { problems: 0, unconfirmed: 0 });
    renderPopup({ api: { ...api, policyStatus } });
    // The status was read and rendered: no line to show for it.
    await waitFor(() => expect(policyStatus).toHaveBeenCalled());
    await act(async () => {
      await policyStatus.mock.results[0]?.value;
    });
    expect(screen.queryByTestId('popup-policy-line')).toBeNull();
  });
});
