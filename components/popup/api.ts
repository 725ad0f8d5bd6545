import { browser } from 'wxt/browser';
import { requestBackground } from '../../lib/message-client';
import type { PopupToBackground, PopupView } from '../../lib/messages';
import { readEffectiveSettings } from '../../platform/settings-store';

/** For admins: how the organisation's policy was read (counts only; details on the options page). */
export interface PolicyStatus {
  /** Values of the policy refused or repaired. */
  problems: number;
  /** Tools a vanished policy mandated, awaiting a decision. */
  unconfirmed: number;
}

/** The tab the popup reports on. */
export interface PopupTab {
  id: number;
  /** Undefined when the browser does not let the extension see the tab's address. */
  url?: string;
}

/** Everything the popup asks of the browser, so components can be tested with fakes. */
export interface PopupApi {
  /** The tab to report on: `?tabId=N` in the popup's URL, else the active tab of the current window. */
  currentTab(): Promise<PopupTab | undefined>;
  getState(tabId: number): Promise<PopupView>;
  reshowBanner(tabId: number): Promise<void>;
  /** Must be the first call in a click handler: browsers grant host access only during a user gesture. */
  requestHostPermission(pattern: string): Promise<boolean>;
  watchSite(tabId: number, pattern: string): Promise<void>;
  openOptions(): Promise<void>;
  /** Starts the overlay picker in the tab ("identify a prompt on this page"), then closes the popup. */
  identifyPrompt(tabId: number): Promise<void>;
  /** Policy diagnostics for the admin line; optional so a fake can leave it out. */
  policyStatus?(): Promise<PolicyStatus>;
  /** The extension's own base URL, e.g. chrome-extension://<id>/ */
  extensionBaseUrl: string;
}

/** `?tabId=N` (a non-negative integer) from the popup's query string, else undefined. */
export function tabIdOverride(search: string): number | undefined {
  const raw = new URLSearchParams(search).get('tabId');
  if (raw === null || !/^\d{1,10}$/.test(raw)) return undefined;
  return Number(raw);
}

function send<M extends PopupToBackground>(message: M) {
  return requestBackground((m: M) => browser.runtime.sendMessage(m), message);
}

export function createBrowserPopupApi(search: string): PopupApi {
  return {
    async currentTab() {
      const override = tabIdOverride(search);
      if (override !== undefined) {
        const tab = await browser.tabs.get(override).catch(() => undefined);
        return tab ? { id: override, url: tab.url ?? tab.pendingUrl } : undefined;
      }
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      return tab?.id === undefined ? undefined : { id: tab.id, url: tab.url ?? tab.pendingUrl };
    },
    async getState(tabId) {
      const view = await send({ type: 'popup/get-state', tabId });
      if (!view) throw new Error('The background did not answer.');
      return view;
    },
    async reshowBanner(tabId) {
      await send({ type: 'popup/reshow-banner', tabId });
    },
    requestHostPermission(pattern) {
      return browser.permissions.request({ origins: [pattern] });
    },
    async watchSite(tabId, pattern) {
      await send({ type: 'popup/watch-site', tabId, pattern });
    },
    openOptions() {
      return browser.runtime.openOptionsPage();
    },
    async identifyPrompt(tabId) {
      // Opening the popup granted activeTab for this tab: no host permission needed.
      await browser.scripting.executeScript({ target: { tabId }, files: ['/content-scripts/picker.js'] });
      window.close();
    },
    async policyStatus() {
      const { policyProblems, unconfirmedMandates } = await readEffectiveSettings();
      return { problems: policyProblems.length, unconfirmed: unconfirmedMandates.length };
    },
    extensionBaseUrl: browser.runtime.getURL('/'),
  };
}
