import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, type Mock, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browserOptionsApi, type OptionsApi } from '../../components/options/api';
import { SIGNATURE_TEMPLATE } from '../../components/options/CustomSignaturesSection';
import { EXPORT_FILENAME, OptionsApp } from '../../components/options/OptionsApp';
import { type Settings, settingsSchema } from '../../lib/settings/schema';
import { parseSettingsImport } from '../../lib/settings/validate';
import { pausedSignaturesItem } from '../../platform/paused-signatures';
import {
  readEffectiveSettings,
  readLocalSettings,
  repairLogItem,
  writeLocalSettings,
} from '../../platform/settings-store';
import { expectVisible } from './visible';

/**
 * The options page against the real settings store on fakeBrowser storage; only the
 * browser's permission prompt and the file download are test doubles.
 */

const TODAY = '2026-06-15';
const SAVED: Settings = {
  ...settingsSchema.parse({}),
  allowList: [{ toolId: 'optimiserx', reason: 'Local choice' }],
  clinicalHosts: ['https://gp.example.nhs.uk/*'],
};

let granted: Set<string>;
let request: Mock<(details: { origins: string[] }) => Promise<boolean>>;
let download: Mock<(filename: string, text: string) => void>;
let api: OptionsApi;

beforeEach(async () => {
  granted = new Set();
  request = vi.fn(async ({ origins }: { origins: string[] }) => {
    for (const o of origins) granted.add(o);
    return true;
  });
  fakeBrowser.permissions.request = request as never;
  fakeBrowser.permissions.contains = vi.fn(async ({ origins }: { origins: string[] }) =>
    origins.every((o) => granted.has(o)),
  ) as never;
  download = vi.fn();
  api = { ...browserOptionsApi, download };
  await writeLocalSettings(SAVED);
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function renderPage() {
  render(<OptionsApp api={api} today={TODAY} />);
  await screen.findByRole('heading', { level: 1, name: 'MO Prompt Advisor settings' });
  await screen.findByRole('button', { name: 'Save settings' });
}

function section(name: RegExp | string): HTMLElement {
  return screen.getByRole('region', { name });
}

async function save() {
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
  });
}

function hostItem(host: string): HTMLElement | null {
  return document.querySelector(`[data-testid="host-list"] [data-host="${host}"]`);
}

function chooseFile(input: HTMLElement, name: string, text: string) {
  const file = new File([text], name, { type: 'application/json' });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  fireEvent.change(input);
}

describe('loading', () => {
  it('shows the saved settings and moves no focus', async () => {
    await renderPage();
    const allow = section(/Allow-list/);
    expectVisible(within(allow).getByRole('cell', { name: 'OptimiseRx' }));
    expectVisible(within(allow).getByRole('cell', { name: 'Local choice' }));
    expect(hostItem('https://gp.example.nhs.uk/*')).not.toBeNull();
    expect(document.activeElement).toBe(document.body);
    expect(screen.queryByTestId('locked-note')).toBeNull();
  });

  it('lists repairs recorded when stored settings were read', async () => {
    await repairLogItem.setValue([{ field: 'banner.corner', reason: 'Invalid option (default used)' }]);
    await renderPage();
    const notice = screen.getByTestId('repairs-notice');
    expect(notice.textContent).toContain('banner.corner');
    expect(notice.textContent).toContain('default used');
    await act(async () => {
      fireEvent.click(within(notice).getByRole('button', { name: 'Dismiss this notice' }));
    });
    await waitFor(() => expect(screen.queryByTestId('repairs-notice')).toBeNull());
    expect(await repairLogItem.getValue()).toEqual([]);
  });
});

describe('allow-list', () => {
  it('adds a tool with its basis and saves it', async () => {
    await renderPage();
    const allow = section(/Allow-list/);
    fireEvent.change(within(allow).getByLabelText('Tool'), { target: { value: 'scriptswitch' } });
    fireEvent.change(within(allow).getByLabelText('Reason (optional)'), {
      target: { value: 'BSol ESO 2026/27' },
    });
    fireEvent.change(within(allow).getByLabelText('Review by (optional)'), {
      target: { value: '2027-03-31' },
    });
    fireEvent.click(within(allow).getByRole('button', { name: 'Add to allow-list' }));
    expect(screen.getByTestId('save-status').textContent).toBe(
      'You have unsaved changes (Allow-list). They apply once you save.',
    );
    expect(within(allow).getByTestId('unsaved-note').textContent).toContain('Unsaved changes');
    expect((await readLocalSettings()).allowList).toEqual(SAVED.allowList);
    await save();
    expect(screen.queryByTestId('unsaved-note')).toBeNull();
    expect((await readLocalSettings()).allowList).toEqual([
      ...SAVED.allowList,
      { toolId: 'scriptswitch', reason: 'BSol ESO 2026/27', reviewBy: '2027-03-31' },
    ]);
    expect(screen.getByTestId('save-status').textContent).toBe('Settings saved.');
  });

  it('offers custom tools, refuses an add without a tool, and removes entries', async () => {
    await writeLocalSettings({ ...SAVED, customTools: [{ id: 'icb-prompt', name: 'ICB prompt' }] });
    await renderPage();
    const allow = section(/Allow-list/);
    const options = within(within(allow).getByLabelText('Tool'))
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(options).toEqual(['Choose a tool', 'ScriptSwitch (catalogue)', 'ICB prompt (custom)']);
    fireEvent.click(within(allow).getByRole('button', { name: 'Add to allow-list' }));
    expectVisible(within(allow).getByText(/choose the tool your local service requires/));
    fireEvent.click(within(allow).getByRole('button', { name: 'Remove OptimiseRx' }));
    await save();
    expect((await readLocalSettings()).allowList).toEqual([]);
  });

  it('marks a passed review date', async () => {
    await writeLocalSettings({ ...SAVED, allowList: [{ toolId: 'scriptswitch', reviewBy: '2026-03-31' }] });
    await renderPage();
    expectVisible(within(section(/Allow-list/)).getByText('Review date passed'));
  });
});

describe('clinical hosts', () => {
  it('validates a pattern as it is typed', async () => {
    await renderPage();
    const hosts = section('Clinical system hosts');
    const input = within(hosts).getByLabelText('Add a host');
    fireEvent.change(input, { target: { value: '<all_urls>' } });
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expectVisible(within(hosts).getByText(/a match pattern such as/));
    fireEvent.change(input, { target: { value: 'https://gp.example.nhs.uk/*' } });
    expectVisible(within(hosts).getByText('this host is already listed'));
    fireEvent.change(input, { target: { value: 'https://vision.example.nhs.uk:8443/*' } });
    expect(input.getAttribute('aria-invalid')).toBeNull();
  });

  it('an added host waits for Save, which asks the browser for it inside the click, without the port', async () => {
    await renderPage();
    const hosts = section('Clinical system hosts');
    fireEvent.change(within(hosts).getByLabelText('Add a host'), {
      target: { value: 'https://vision.example.nhs.uk:8443/*' },
    });
    fireEvent.click(within(hosts).getByRole('button', { name: 'Add host' }));
    // Listed as unsaved, with no grant asked and nothing written.
    expect(
      hostItem('https://vision.example.nhs.uk:8443/*')?.querySelector('[data-grant="unsaved"]'),
    ).not.toBeNull();
    expect(within(hosts).getByTestId('unsaved-note').textContent).toContain('Unsaved changes');
    expect(request).not.toHaveBeenCalled();
    expect((await readLocalSettings()).clinicalHosts).toEqual(SAVED.clinicalHosts);

    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    // Synchronously, before any await: otherwise the browser refuses to show its prompt.
    expect(request).toHaveBeenCalledWith({ origins: ['https://vision.example.nhs.uk/*'] });
    await waitFor(() =>
      expect(
        hostItem('https://vision.example.nhs.uk:8443/*')?.querySelector('[data-grant="granted"]'),
      ).not.toBeNull(),
    );
    // Saved exactly as typed, and nothing else changes.
    expect((await readLocalSettings()).clinicalHosts).toEqual([
      'https://gp.example.nhs.uk/*',
      'https://vision.example.nhs.uk:8443/*',
    ]);
    expect((await readLocalSettings()).allowList).toEqual(SAVED.allowList);
    await waitFor(() =>
      expect(screen.getByTestId('save-status').textContent).toBe(
        'Settings saved. Access granted for https://vision.example.nhs.uk/*.',
      ),
    );
  });

  it('Save asks for no host it already saved, and for none when the settings are refused', async () => {
    await renderPage();
    fireEvent.change(within(section('Banner preferences')).getByLabelText(/Snooze length/), {
      target: { value: '45' },
    });
    await save();
    expect(request).not.toHaveBeenCalled();
    expect((await readLocalSettings()).banner.snoozeMinutes).toBe(45);

    const hosts = section('Clinical system hosts');
    fireEvent.change(within(hosts).getByLabelText('Add a host'), {
      target: { value: 'https://new.example/*' },
    });
    fireEvent.click(within(hosts).getByRole('button', { name: 'Add host' }));
    fireEvent.change(within(section(/LMC/)).getByLabelText(/Link to your LMC/), {
      target: { value: 'http://lmc.example/' },
    });
    await save();
    expect(screen.getByTestId('error-summary').textContent).toContain('lmcGuidanceUrl');
    expect(request).not.toHaveBeenCalled();
    expect((await readLocalSettings()).clinicalHosts).toEqual(SAVED.clinicalHosts);
  });

  it('shows a host without access as not granted, with a grant button that asks', async () => {
    await renderPage();
    const hosts = section('Clinical system hosts');
    const grant = await within(hosts).findByRole('button', {
      name: 'Grant access to https://gp.example.nhs.uk/*',
    });
    expectVisible(within(hosts).getByText('Access not granted'));
    fireEvent.click(grant);
    expect(request).toHaveBeenCalledWith({ origins: ['https://gp.example.nhs.uk/*'] });
    await within(hosts).findByText('Access granted');
  });

  it('a refused grant leaves the host listed as not granted', async () => {
    request.mockResolvedValue(false);
    await renderPage();
    const hosts = section('Clinical system hosts');
    fireEvent.change(within(hosts).getByLabelText('Add a host'), {
      target: { value: 'https://new.example/*' },
    });
    fireEvent.click(within(hosts).getByRole('button', { name: 'Add host' }));
    await save();
    await waitFor(() =>
      expect(hostItem('https://new.example/*')?.querySelector('[data-grant="not-granted"]')).not.toBeNull(),
    );
    // Saved all the same, like a policy host: listed, with the button to grant it later.
    expect((await readLocalSettings()).clinicalHosts).toContain('https://new.example/*');
    expect(screen.getByTestId('save-status').textContent).toMatch(
      /^Settings saved\. Access not granted for https:\/\/new\.example\/\*/,
    );
  });
});

describe('one save for every section', () => {
  it('removing a host is a draft like any other edit, saved with the rest by Save settings', async () => {
    await renderPage();
    fireEvent.change(within(section('Banner preferences')).getByLabelText(/Snooze length/), {
      target: { value: '45' },
    });
    fireEvent.click(
      within(section('Clinical system hosts')).getByRole('button', {
        name: 'Remove https://gp.example.nhs.uk/*',
      }),
    );
    expect(hostItem('https://gp.example.nhs.uk/*')).toBeNull();
    expect(screen.getByTestId('save-status').textContent).toBe(
      'You have unsaved changes (Clinical system hosts, Banner preferences). They apply once you save.',
    );
    expect(await readLocalSettings()).toEqual(SAVED);
    const button = screen.getByRole('button', { name: 'Save settings' });
    button.focus();
    await save();
    expect((await readLocalSettings()).banner.snoozeMinutes).toBe(45);
    expect((await readLocalSettings()).clinicalHosts).toEqual([]);
    expect(screen.getByTestId('save-status').textContent).toBe('Settings saved.');
    expect(document.activeElement).toBe(button);
  });

  it('export with unsaved changes writes the saved settings and says the changes are not in it', async () => {
    await renderPage();
    fireEvent.change(within(section('Banner preferences')).getByLabelText(/Snooze length/), {
      target: { value: '45' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Export saved settings' }));
    expect(JSON.parse(download.mock.calls[0]?.[1] ?? '')).toEqual(SAVED);
    expect(screen.getByTestId('save-status').textContent).toBe(
      `Exported the saved settings as ${EXPORT_FILENAME}; you have unsaved changes, which are not in the file. Save settings, then export again to include them.`,
    );
  });
});

describe('locked by policy', () => {
  beforeEach(async () => {
    await fakeBrowser.storage.managed.set({
      allowList: [{ toolId: 'scriptswitch', reason: 'BSol ESO 2026/27' }],
      clinicalHosts: ['http://clinical.test/*'],
    });
  });

  it('shows the policy values, disabled and labelled, and leaves other fields editable', async () => {
    await renderPage();
    const allow = section(/Allow-list/);
    expectVisible(within(allow).getByText("Set by your organisation's policy"));
    expectVisible(within(allow).getByRole('cell', { name: 'ScriptSwitch' }));
    expect(within(allow).queryByRole('cell', { name: 'OptimiseRx' })).toBeNull();
    expect(within(allow).queryByRole('button', { name: /Remove/ })).toBeNull();
    expect(within(allow).queryByLabelText('Tool')).toBeNull();

    const hosts = section('Clinical system hosts');
    expectVisible(within(hosts).getByText("Set by your organisation's policy"));
    expect(hostItem('http://clinical.test/*')).not.toBeNull();
    expect(hostItem('https://gp.example.nhs.uk/*')).toBeNull();
    expect(within(hosts).queryByLabelText('Add a host')).toBeNull();
    // The grant is the user's to give, policy or not.
    expectVisible(
      await within(hosts).findByRole('button', { name: 'Grant access to http://clinical.test/*' }),
    );

    const banner = section('Banner preferences');
    expect(within(banner).queryByText("Set by your organisation's policy")).toBeNull();
    expect((within(banner).getByLabelText(/Snooze length/) as HTMLInputElement).disabled).toBe(false);
    expect(screen.getByTestId('policy-notice').textContent).toContain('Allow-list, Clinical system hosts');
  });

  it('saving keeps the local values of locked fields (policy is never copied into local settings)', async () => {
    await renderPage();
    fireEvent.change(within(section('Banner preferences')).getByLabelText(/Snooze length/), {
      target: { value: '30' },
    });
    await save();
    const stored = await readLocalSettings();
    expect(stored.banner.snoozeMinutes).toBe(30);
    expect(stored.allowList).toEqual(SAVED.allowList);
    expect(stored.clinicalHosts).toEqual(SAVED.clinicalHosts);
  });

  it('a policy that changes while the page is open is shown without a reload', async () => {
    await renderPage();
    expect(within(section('Banner preferences')).queryByText("Set by your organisation's policy")).toBeNull();
    await act(async () => {
      await fakeBrowser.storage.managed.set({ banner: { corner: 'bottom-left' } });
    });
    expectVisible(
      await within(section('Banner preferences')).findByText("Set by your organisation's policy"),
    );
    expect(
      (within(section('Banner preferences')).getByLabelText('Bottom left') as HTMLInputElement).checked,
    ).toBe(true);
  });

  it('lists policy fields that were refused, with the reason', async () => {
    await fakeBrowser.storage.managed.set({ tally: { retentionDays: 9999 } });
    await renderPage();
    const problems = screen.getByTestId('policy-problems');
    expect(problems.textContent).toContain('tally.retentionDays');
    expect(problems.textContent).toContain('the highest allowed is 366');
    expect(problems.textContent).toContain('9999');
  });
});

describe('saving', () => {
  it('an invalid value is refused: error summary names the field, storage keeps the previous settings', async () => {
    await renderPage();
    fireEvent.change(within(section('Banner preferences')).getByLabelText(/Snooze length/), {
      target: { value: '2' },
    });
    await save();
    const summary = screen.getByRole('alert');
    expect(summary.textContent).toContain('banner.snoozeMinutes');
    expect(
      within(summary)
        .getByRole('link', { name: /Banner preferences, snoozeMinutes/ })
        .getAttribute('href'),
    ).toBe('#section-banner');
    expect((await readLocalSettings()).banner.snoozeMinutes).toBe(60);
    // The user is at the save button; the summary comes to them.
    expect(document.activeElement).toBe(summary);
  });

  it('an LMC link that is not https is flagged live and refused on save', async () => {
    await renderPage();
    const lmc = section(/LMC/);
    fireEvent.change(within(lmc).getByLabelText(/Link to your LMC/), {
      target: { value: 'http://lmc.example/' },
    });
    expectVisible(within(lmc).getByText(/enter a full https:\/\/ address/));
    await save();
    expect(screen.getByRole('alert').textContent).toContain('lmcGuidanceUrl');
    expect((await readLocalSettings()).lmcGuidanceUrl).toBeUndefined();
  });
});

describe('custom signatures', () => {
  it('validates each signature live, field by field, and refuses to save an invalid one', async () => {
    await renderPage();
    const sigs = section('Custom signatures');
    fireEvent.click(within(sigs).getByRole('button', { name: 'Add a signature' }));
    const editor = within(sigs).getByLabelText(/Signature 1/) as HTMLTextAreaElement;
    expect(editor.value).toBe(SIGNATURE_TEMPLATE);
    expectVisible(within(sigs).getByText(/Valid signature/));

    fireEvent.change(editor, { target: { value: '{ "id": ' } });
    expect(within(sigs).getByText(/not valid JSON/).textContent).toContain(
      'customSignatures.0) is not valid JSON',
    );

    const bad = JSON.parse(SIGNATURE_TEMPLATE);
    bad.evidence = [{ kind: 'selector', selector: 'div:nth-child(3)', weight: 0.5, basis: 'inferred' }];
    fireEvent.change(editor, { target: { value: JSON.stringify(bad) } });
    expectVisible(within(sigs).getByText('customSignatures.0.evidence.0.selector'));
    expect(editor.getAttribute('aria-invalid')).toBe('true');

    await save();
    expect(screen.getByRole('alert').textContent).toContain('customSignatures.0.evidence.0.selector');
    expect((await readLocalSettings()).customSignatures).toEqual([]);
  });

  it('saves a valid signature and names its tool once a custom tool is added', async () => {
    await renderPage();
    const sigs = section('Custom signatures');
    fireEvent.click(within(sigs).getByRole('button', { name: 'Add a signature' }));
    expectVisible(within(sigs).getByText(/has no name yet/));
    const tools = screen.getByTestId('custom-tools');
    fireEvent.change(within(tools).getByLabelText('Tool id'), { target: { value: 'practice-tool' } });
    fireEvent.change(within(tools).getByLabelText('Name shown to clinicians'), {
      target: { value: 'Practice tool' },
    });
    fireEvent.click(within(tools).getByRole('button', { name: 'Add custom tool' }));
    expect(within(sigs).queryByText(/has no name yet/)).toBeNull();
    await save();
    const stored = await readLocalSettings();
    expect(stored.customSignatures.map((s) => s.id)).toEqual(['practice-prompt']);
    expect(stored.customTools).toEqual([{ id: 'practice-tool', name: 'Practice tool' }]);
  });

  it('says which saved signature a page paused for taking too long, and where', async () => {
    const signature = JSON.parse(SIGNATURE_TEMPLATE);
    await writeLocalSettings({ ...SAVED, customSignatures: [signature] });
    await pausedSignaturesItem.setValue([{ signatureId: 'practice-prompt', host: 'gp.example.nhs.uk' }]);
    await renderPage();
    const sigs = section('Custom signatures');
    expect(within(sigs).getByTestId('signature-paused').textContent).toMatch(
      /^Paused on gp\.example\.nhs\.uk: took too long\./,
    );
    // A signature no page paused says nothing.
    await act(async () => {
      await pausedSignaturesItem.setValue([{ signatureId: 'another-prompt', host: 'gp.example.nhs.uk' }]);
    });
    await waitFor(() => expect(within(sigs).queryByTestId('signature-paused')).toBeNull());
  });

  it('previews which built-in and custom signatures match a pasted sample', async () => {
    await renderPage();
    const sigs = section('Custom signatures');
    fireEvent.click(within(sigs).getByRole('button', { name: 'Add a signature' }));
    const preview = screen.getByTestId('signature-preview');
    fireEvent.change(within(preview).getByLabelText('Sample HTML'), {
      target: {
        value:
          '<div role="dialog" aria-label="ScriptSwitch"><h2>ScriptSwitch</h2><button>Accept</button><button>Edit Original</button><button>Prescribe Original</button></div>' +
          '<section role="dialog" aria-label="Product name"><h2>Product name</h2><button>Accept</button><button>Reject</button></section>',
      },
    });
    fireEvent.click(within(preview).getByRole('button', { name: 'Preview matches' }));
    const result = screen.getByTestId('preview-result');
    expect(result.querySelector('[data-preview-tool="scriptswitch"]')?.textContent).toContain('(built-in)');
    expect(result.querySelector('[data-preview-tool="practice-tool"]')?.textContent).toContain(
      'practice-prompt (custom)',
    );

    fireEvent.change(within(preview).getByLabelText('Sample HTML'), {
      target: { value: '<p>Consultation note: patient asked about ScriptSwitch.</p>' },
    });
    fireEvent.click(within(preview).getByRole('button', { name: 'Preview matches' }));
    expect(screen.getByTestId('preview-result').textContent).toContain('No tool would be recognised');
  });
});

describe('import and export', () => {
  it('a bad file changes nothing and names each field with its reason', async () => {
    await renderPage();
    // An unsaved edit must survive a refused import too.
    fireEvent.change(within(section('Banner preferences')).getByLabelText(/Snooze length/), {
      target: { value: '45' },
    });
    chooseFile(
      screen.getByTestId('import-file'),
      'bad.json',
      JSON.stringify({
        allowList: [{ toolId: 'Script Switch!' }],
        clinicalHosts: ['*'],
        banner: { snoozeMinuts: 5 },
      }),
    );
    const summary = await screen.findByRole('alert');
    expect(summary.textContent).toContain('bad.json was not imported: nothing was changed');
    expect(summary.textContent).toContain('allowList.0.toolId');
    expect(summary.textContent).toContain('clinicalHosts.0');
    // The file's problems are not the form's: the saved allow-list is not marked wrong.
    expect(within(section(/Allow-list/)).queryByText('allowList.0.toolId')).toBeNull();
    expect(await readLocalSettings()).toEqual(SAVED);
    expect(
      (within(section('Banner preferences')).getByLabelText(/Snooze length/) as HTMLInputElement).value,
    ).toBe('45');
  });

  it('a misspelt nested key is refused, not silently dropped', async () => {
    await renderPage();
    chooseFile(
      screen.getByTestId('import-file'),
      'typo.json',
      JSON.stringify({ banner: { snoozeMinuts: 5 } }),
    );
    const summary = await screen.findByRole('alert');
    expect(summary.textContent).toContain('banner.snoozeMinuts');
    expect(await readLocalSettings()).toEqual(SAVED);
  });

  it('a file that is not JSON changes nothing', async () => {
    await renderPage();
    chooseFile(screen.getByTestId('import-file'), 'notes.json', 'allowList: scriptswitch');
    const summary = await screen.findByRole('alert');
    expect(summary.textContent).toContain('(file)');
    expect(summary.textContent).toContain('not valid JSON');
    expect(await readLocalSettings()).toEqual(SAVED);
  });

  it('a partial file changes only its keys: preview lists every change, confirm saves, undo restores', async () => {
    await renderPage();
    const incoming = { allowList: [{ toolId: 'scriptswitch', reason: 'test' }] };
    chooseFile(screen.getByTestId('import-file'), 'partial.json', JSON.stringify(incoming));
    const preview = await screen.findByTestId('import-preview');
    // Nothing is written before the user confirms.
    expect(await readLocalSettings()).toEqual(SAVED);
    expect([...preview.querySelectorAll('li')].map((li) => li.getAttribute('data-change'))).toEqual(
      expect.arrayContaining(['added']),
    );
    expect(preview.textContent).toContain('scriptswitch');
    expect(document.activeElement?.id).toBe('import-preview-title');
    fireEvent.click(within(preview).getByRole('button', { name: 'Import and save these changes' }));
    await screen.findByText(/Imported \d+ changes? from partial.json and saved\./);
    // Absent keys keep their values (hosts and the LMC link above all).
    expect(await readLocalSettings()).toEqual({ ...SAVED, ...incoming });
    fireEvent.click(screen.getByTestId('undo-import'));
    await screen.findByText(/Undone/);
    expect(await readLocalSettings()).toEqual(SAVED);
  });

  it('"Replace all settings" must be chosen; then absent keys return to defaults, after confirming', async () => {
    await renderPage();
    fireEvent.click(screen.getByLabelText('Replace all settings'));
    const incoming = {
      allowList: [{ toolId: 'scriptswitch', reason: 'BSol ESO 2026/27' }],
      clinicalHosts: [],
    };
    chooseFile(screen.getByTestId('import-file'), 'practice.json', JSON.stringify(incoming));
    const preview = await screen.findByTestId('import-preview');
    expect(preview.textContent).toContain('replacing all settings');
    fireEvent.click(within(preview).getByRole('button', { name: 'Import and save these changes' }));
    await screen.findByText(/from practice.json and saved/);
    expect(await readLocalSettings()).toEqual({ ...settingsSchema.parse({}), ...incoming });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('cancel leaves everything as saved', async () => {
    await renderPage();
    chooseFile(screen.getByTestId('import-file'), 'p.json', JSON.stringify({ clinicalHosts: [] }));
    const preview = await screen.findByTestId('import-preview');
    fireEvent.click(within(preview).getByRole('button', { name: 'Cancel' }));
    await screen.findByText('p.json was not imported: nothing was changed.');
    expect(await readLocalSettings()).toEqual(SAVED);
  });

  it('exports the saved local settings in the policy format, which imports back unchanged', async () => {
    await renderPage();
    fireEvent.click(screen.getByRole('button', { name: 'Export saved settings' }));
    expect(download).toHaveBeenCalledTimes(1);
    const [filename, text] = download.mock.calls[0] as [string, string];
    expect(filename).toBe(EXPORT_FILENAME);
    const exported = JSON.parse(text);
    expect(exported).toEqual(JSON.parse(JSON.stringify(SAVED)));
    expect(parseSettingsImport(exported)).toEqual({ ok: true, settings: SAVED });
  });
});

describe('Policy panel: mandates of a policy that is gone', () => {
  async function policyThenGone() {
    await fakeBrowser.storage.managed.set({
      allowList: [{ toolId: 'scriptswitch', reason: 'BSol ESO 2026/27' }],
    });
    await readEffectiveSettings();
    await fakeBrowser.storage.managed.clear();
    await renderPage();
    return screen.findByTestId('policy-unconfirmed');
  }

  it('"Keep as this practice\'s allow-list" saves the mandate locally and the warning goes', async () => {
    const box = await policyThenGone();
    expect(box.textContent).toContain('Mandate not confirmed');
    expect(box.textContent).toContain('ScriptSwitch');
    fireEvent.click(within(box).getByRole('button', { name: "Keep as this practice's allow-list" }));
    await screen.findByText(/now this practice's allow-list/);
    expect((await readLocalSettings()).allowList.map((e) => e.toolId)).toEqual([
      'optimiserx',
      'scriptswitch',
    ]);
    expect(screen.queryByTestId('policy-unconfirmed')).toBeNull();
  });

  it('"No longer mandated" forgets it: the local allow-list is unchanged and the warning goes', async () => {
    const box = await policyThenGone();
    fireEvent.click(within(box).getByRole('button', { name: 'No longer mandated' }));
    await screen.findByText(/no longer applied/);
    expect((await readLocalSettings()).allowList).toEqual(SAVED.allowList);
    expect(screen.queryByTestId('policy-unconfirmed')).toBeNull();
    expect((await readEffectiveSettings()).unconfirmedMandates).toEqual([]);
  });
});
