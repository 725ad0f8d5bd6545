import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { launchWithExtension, setUpExtensionBrowser } from './harness';

/** The options page in real Chromium (no policy): import, export, accessibility. */

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface Chrome {
  storage: {
    local: {
      get(key: string): Promise<Record<string, unknown>>;
      set(items: Record<string, unknown>): Promise<void>;
    };
  };
}
declare const chrome: Chrome;

const SAVED = {
  allowList: [{ toolId: 'scriptswitch', reason: 'BSol ESO 2026/27' }],
  clinicalHosts: ['http://clinical.test/*'],
  customSignatures: [],
  customTools: [],
  banner: { showMandatedNote: false, snoozeMinutes: 60, corner: 'bottom-right' },
  tally: { enabled: true, retentionDays: 90 },
};

const suite = setUpExtensionBrowser({ serveSim: false, profilePrefix: 'mo-options-e2e-profile-' });
let page: Page;

beforeEach(async () => {
  await suite.browser.serviceWorker.evaluate(
    (s) => chrome.storage.local.set({ settings: s, settings$: { v: 2 } }),
    SAVED,
  );
  await page?.close();
  page = await suite.browser.context.newPage();
  await page.goto(`chrome-extension://${suite.browser.extensionId}/options.html`);
  await page.getByRole('button', { name: 'Save settings' }).waitFor();
});

function storedSettings(): Promise<unknown> {
  return suite.browser.serviceWorker.evaluate(
    async () => (await chrome.storage.local.get('settings')).settings,
  );
}

function importFile(name: string, contents: string): Promise<void> {
  return page
    .getByLabel('Import settings from a file')
    .setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(contents) });
}

describe('options page import and export', () => {
  it('a bad file changes nothing and the error summary names each field with its reason', async () => {
    await importFile(
      'bad-settings.json',
      JSON.stringify({ allowList: [{ toolId: 'ScriptSwitch!' }], clinicalHosts: ['<all_urls>'] }),
    );
    const summary = page.getByRole('alert');
    await summary.waitFor();
    const text = await summary.textContent();
    expect(text).toContain('bad-settings.json was not imported: nothing was changed');
    expect(text).toContain('allowList.0.toolId');
    expect(text).toContain('clinicalHosts.0');
    expect(await storedSettings()).toEqual(SAVED);
    // The page still shows what is saved.
    const allow = page.getByRole('region', { name: /Allow-list/ });
    expect(await allow.getByRole('cell', { name: 'BSol ESO 2026/27' }).count()).toBe(1);
    // The user is at the import control, far below; focus moves to the summary.
    expect(await page.evaluate(() => document.activeElement?.closest('[role="alert"]') !== null)).toBe(true);
    // Plain words with a suggested fix, no raw validator text, no doubled labels.
    expect(text).not.toMatch(/Invalid input|expected \w+, received|\(file\) \(\(file\)\)/);
  });

  it('a partial file keeps every other setting: preview, confirm, undo', async () => {
    await importFile(
      'partial.json',
      JSON.stringify({ allowList: [{ toolId: 'optimiserx', reason: 'test' }] }),
    );
    const preview = page.getByTestId('import-preview');
    await preview.waitFor();
    const text = await preview.textContent();
    expect(text).toContain('optimiserx');
    expect(text).toContain('scriptswitch');
    expect(await storedSettings()).toEqual(SAVED);
    await preview.getByRole('button', { name: 'Import and save these changes' }).click();
    await page.getByText(/Imported 2 changes from partial.json and saved\./).waitFor();
    expect(await storedSettings()).toEqual({
      ...SAVED,
      allowList: [{ toolId: 'optimiserx', reason: 'test' }],
    });
    await page.getByTestId('undo-import').click();
    await page.getByText(/Undone/).waitFor();
    expect(await storedSettings()).toEqual(SAVED);
  });

  it('a good file is saved after confirming; the export downloads the saved settings, which import back unchanged', async () => {
    const incoming = { ...SAVED, banner: { ...SAVED.banner, snoozeMinutes: 30 } };
    await importFile('practice.json', JSON.stringify(incoming));
    await page.getByRole('button', { name: 'Import and save these changes' }).click();
    await page.getByText('Imported 1 change from practice.json and saved.').waitFor();
    expect(await storedSettings()).toEqual(incoming);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export saved settings' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('mo-prompt-advisor-settings.json');
    const file = await download.path();
    const exported = JSON.parse(await readFile(file, 'utf8'));
    expect(exported).toEqual(incoming);

    await importFile('round-trip.json', JSON.stringify(exported));
    await page.getByText('round-trip.json holds the settings already saved: nothing to change.').waitFor();
    expect(await storedSettings()).toEqual(incoming);
  });

  it('a signature set exported from one profile imports into another: preview, then merged by id and saved', async () => {
    const example = JSON.parse(
      await readFile(new URL('../../docs/examples/settings-export.json', import.meta.url), 'utf8'),
    );
    const taught = { ...SAVED, customSignatures: example.customSignatures, customTools: example.customTools };
    await suite.browser.serviceWorker.evaluate((s) => chrome.storage.local.set({ settings: s }), taught);
    await page.reload();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export signature set' }).click(),
    ]);
    const setText = await readFile(await download.path(), 'utf8');
    expect(download.suggestedFilename()).toMatch(/^mo-prompt-signatures-\d{4}-\d{2}-\d{2}\.json$/);

    // Another practice: a second profile with its own settings.
    const other = await launchWithExtension();
    try {
      const options = await other.context.newPage();
      await options.goto(`chrome-extension://${other.extensionId}/options.html`);
      await options.getByRole('button', { name: 'Save settings' }).waitFor();
      await options
        .getByLabel('Import a signature set')
        .setInputFiles({ name: 'shared.json', mimeType: 'application/json', buffer: Buffer.from(setText) });
      const preview = options.getByTestId('signature-set-preview');
      await preview.waitFor();
      const ids = example.customSignatures.map((sig: { id: string }) => sig.id);
      for (const id of ids) {
        expect(await preview.locator(`[data-signature="${id}"]`).getAttribute('data-status')).toBe('new');
      }
      // Nothing is saved before the user confirms.
      const before = await other.serviceWorker.evaluate(
        async () => (await chrome.storage.local.get('settings')).settings,
      );
      expect((before as { customSignatures?: unknown[] } | undefined)?.customSignatures ?? []).toEqual([]);
      await preview.getByRole('button', { name: /^Add \d+ items? and save$/ }).click();
      await options.getByText(/Imported the signature set shared.json: \d+ added, saved\./).waitFor();
      const after = (await other.serviceWorker.evaluate(
        async () => (await chrome.storage.local.get('settings')).settings,
      )) as { customSignatures: { id: string }[]; customTools: unknown[] };
      expect(after.customSignatures.map((sig) => sig.id)).toEqual(ids);
      expect(after.customTools).toEqual(example.customTools);
    } finally {
      await other.close();
    }
  }, 60_000);

  it('every section saves with Save settings: unsaved edits are marked, export writes what is saved, Save asks for the new host', async () => {
    await page
      .getByRole('region', { name: /Allow-list/ })
      .getByRole('button', { name: 'Remove ScriptSwitch' })
      .click();
    const hosts = page.getByRole('region', { name: 'Clinical system hosts' });
    await hosts.getByLabel('Add a host').fill('http://emis.test/*');
    await hosts.getByRole('button', { name: 'Add host' }).click();
    await page
      .getByTestId('save-status')
      .getByText(/You have unsaved changes \(Allow-list, Clinical system hosts\)/)
      .waitFor();
    expect(await page.getByTestId('unsaved-note').count()).toBe(2);
    expect(await storedSettings()).toEqual(SAVED);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export saved settings' }).click(),
    ]);
    expect(JSON.parse(await readFile(await download.path(), 'utf8'))).toEqual(SAVED);
    await page
      .getByText(/Exported the saved settings as .*; you have unsaved changes, which are not in the file/)
      .waitFor();

    const save = page.getByRole('button', { name: 'Save settings' });
    await save.click();
    // The e2e build holds http://*.test/* already, so the browser grants it without a prompt.
    await page.getByText('Settings saved. Access granted for http://emis.test/*.').waitFor();
    expect(await storedSettings()).toEqual({
      ...SAVED,
      allowList: [],
      clinicalHosts: ['http://clinical.test/*', 'http://emis.test/*'],
    });
    expect(await page.getByTestId('unsaved-note').count()).toBe(0);
    expect(await save.evaluate((button) => document.activeElement === button)).toBe(true);
  });

  it('has no serious accessibility violations (axe-core)', async () => {
    // Evaluated, not injected as a <script>: the extension page's CSP refuses inline scripts.
    await page.evaluate(await readFile(AXE_PATH, 'utf8'));
    const violations = await page.evaluate(async () => {
      type Violation = { id: string; impact: string; nodes: { target: string[] }[] };
      const axe = (window as unknown as { axe: { run(): Promise<{ violations: Violation[] }> } }).axe;
      const result = await axe.run();
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    expect(violations).toEqual([]);
  });
});
