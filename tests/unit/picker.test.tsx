import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mountPicker, PICKER_HOST_TAG } from '../../components/picker/mount';
import { PickerApp } from '../../components/picker/PickerApp';
import { toolIdFromName } from '../../components/picker/Review';
import type { PickerStore } from '../../components/picker/store';
import { pickerHandlers } from '../../entrypoints/background/handlers/picker';
import { type Settings, settingsSchema } from '../../lib/settings/schema';
import { parseSignatureSet } from '../../lib/signature-set';
import { readSimPage } from '../../sim/layout.mjs';
import { expectVisible } from './visible';

function loadSim(name: string): void {
  // innerHTML: the sim page's inline script does not run; the test adds its own listeners.
  const html = readSimPage(name);
  document.head.innerHTML = /<head>([\s\S]*)<\/head>/i.exec(html)?.[1] ?? '';
  document.body.innerHTML = /<body>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? '';
}

/** The background's picker handlers over settings held in memory: what the picker's messages reach. */
function fakeStore(initial: Settings = settingsSchema.parse({})) {
  let stored = initial;
  const written: Settings[] = [];
  const handlers = pickerHandlers({
    readLocalSettings: async () => stored,
    writeLocalSettings: async (next) => {
      written.push(next);
      stored = next;
      return { ok: true, settings: next };
    },
  });
  const from = { tabId: 1, frameId: 0, frameHost: 'localhost' };
  const store: PickerStore & { written: Settings[] } = {
    written,
    read: vi.fn(() => handlers['picker/get-signatures']({ type: 'picker/get-signatures' }, from)),
    addSignature: vi.fn((signature, newTool) =>
      handlers['picker/add-signature']({ type: 'picker/add-signature', signature, newTool }, from),
    ),
  };
  return store;
}

function renderPicker(store = fakeStore(), elementAt?: (x: number, y: number) => Element | undefined) {
  const host = document.createElement('div');
  document.body.append(host);
  const onClose = vi.fn();
  const download = vi.fn();
  render(
    <PickerApp
      doc={document}
      host={host}
      store={store}
      onClose={onClose}
      // happy-dom can only make untrusted events; mountPicker's guard is tested below.
      isUserEvent={() => true}
      elementAt={elementAt}
      download={download}
    />,
  );
  return { onClose, download, store };
}

describe('picker: choosing a prompt', () => {
  beforeEach(() => loadSim('unknown-prompt.html'));

  it('shows instructions and takes keyboard focus', () => {
    renderPicker();
    expect(screen.getByRole('status').textContent).toMatch(/Escape leaves/);
    expect(document.activeElement).toBe(screen.getByTestId('picker-layer'));
  });

  it('Tab / arrow keys move between candidate containers, Enter chooses', async () => {
    renderPicker();
    const layer = screen.getByTestId('picker-layer');
    let steps = 0;
    while (!/Formulary nudge/.test(screen.getByRole('status').textContent ?? '') && steps < 20) {
      fireEvent.keyDown(layer, { key: steps % 2 ? 'Tab' : 'ArrowDown' });
      steps++;
    }
    expect(screen.getByRole('status').textContent).toMatch(/aside “Formulary nudge”/);
    fireEvent.keyDown(layer, { key: 'ArrowUp' });
    expect(screen.getByRole('status').textContent).not.toMatch(/Formulary nudge/);
    fireEvent.keyDown(layer, { key: 'ArrowDown' });
    fireEvent.keyDown(layer, { key: 'Enter' });
    expectVisible(await screen.findByRole('heading', { name: 'Teach this prompt' }));
  });

  it('a click is caught by the overlay: the page control under it is not pressed', async () => {
    const button = document.querySelector('#formulary-nudge button') as HTMLButtonElement;
    const pressed = vi.fn();
    button.addEventListener('click', pressed);
    renderPicker(fakeStore(), () => button);
    const layer = screen.getByTestId('picker-layer');
    fireEvent.pointerMove(layer, { clientX: 10, clientY: 10 });
    expect(screen.getByRole('status').textContent).toMatch(/Formulary nudge/);
    expectVisible(screen.getByTestId('picker-outline'));
    fireEvent.click(layer, { clientX: 10, clientY: 10 });
    expect(pressed).not.toHaveBeenCalled();
    expectVisible(await screen.findByRole('heading', { name: 'Teach this prompt' }));
    // Never restyles the page: the outline is drawn in the overlay.
    expect(document.querySelector('#formulary-nudge')?.getAttribute('style')).toBeNull();
  });

  it('Escape leaves, from picking and from review', () => {
    const { onClose } = renderPicker();
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});

async function chooseNudge(store = fakeStore()) {
  const prompt = document.querySelector('#formulary-nudge h2') as Element;
  const result = renderPicker(store, () => prompt);
  fireEvent.click(screen.getByTestId('picker-layer'), { clientX: 5, clientY: 5 });
  await screen.findByRole('heading', { name: 'Teach this prompt' });
  return result;
}

describe('picker: review and save', () => {
  beforeEach(() => loadSim('unknown-prompt.html'));

  it('names a new tool, shows the live count and saves tool + signature', async () => {
    const { store } = await chooseNudge();
    expect(screen.getByTestId('live-count').textContent).toBe('Matches 1 place on this page.');
    const save = screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    await waitFor(() => expect(store.read).toHaveBeenCalled());
    expect(save.disabled).toBe(true); // no tool name yet
    fireEvent.change(screen.getByLabelText(/Tool name/), { target: { value: 'Formulary Nudge' } });
    await waitFor(() => expect(save.disabled).toBe(false));
    await act(async () => fireEvent.click(save));
    expect(store.written).toHaveLength(1);
    const written = store.written[0] as Settings;
    expect(written.customTools).toEqual([{ id: 'formulary-nudge', name: 'Formulary Nudge' }]);
    expect(written.customSignatures).toHaveLength(1);
    expect(written.customSignatures[0]).toMatchObject({
      id: 'custom-formulary-nudge',
      toolId: 'formulary-nudge',
    });
    expectVisible(await screen.findByText(/Saved\./));
  });

  it('unticking cues updates the signature, the count and the warnings', async () => {
    await chooseNudge();
    for (const box of screen.getAllByRole('checkbox'))
      if ((box as HTMLInputElement).checked) fireEvent.click(box);
    expect(screen.getByTestId('live-count').textContent).toBe('Matches 0 places on this page.');
    expect(screen.getByLabelText('Warnings').textContent).toMatch(/usable signature|would not be recognised/);
  });

  it('shows field + reason when the store refuses the write', async () => {
    const store = fakeStore();
    store.addSignature = vi.fn(async () => ({
      ok: false as const,
      problems: [{ field: 'customSignatures', reason: 'Too big: expected at most 200 items' }],
    }));
    await chooseNudge(store);
    fireEvent.change(screen.getByLabelText(/Tool name/), { target: { value: 'Formulary Nudge' } });
    const save = screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    await waitFor(() => expect(save.disabled).toBe(false));
    await act(async () => fireEvent.click(save));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/customSignatures: Too big/);
  });

  it('refuses a built-in tool name and offers built-in tools', async () => {
    await chooseNudge();
    fireEvent.change(screen.getByLabelText(/Tool name/), { target: { value: 'ScriptSwitch' } });
    expectVisible(screen.getByText(/A built-in tool has this name/));
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('exports a signature set file that imports cleanly', async () => {
    const { download } = await chooseNudge();
    fireEvent.change(screen.getByLabelText(/Tool name/), { target: { value: 'Formulary Nudge' } });
    const save = screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    await waitFor(() => expect(save.disabled).toBe(false));
    await act(async () => fireEvent.click(save));
    fireEvent.click(screen.getByRole('button', { name: 'Export signature set' }));
    expect(download).toHaveBeenCalledTimes(1);
    const [fileName, json] = download.mock.calls[0] as [string, string];
    expect(fileName).toMatch(/^mo-prompt-signatures-\d{4}-\d{2}-\d{2}\.json$/);
    const parsed = parseSignatureSet(json);
    expect(parsed.ok).toBe(true);
    if (parsed.ok)
      expect(parsed.set.customTools).toEqual([{ id: 'formulary-nudge', name: 'Formulary Nudge' }]);
  });
});

describe('picker: safety alerts', () => {
  it('refuses to save the clinical system’s own Prescribing Decision Support alert', async () => {
    loadSim('negative-emis-pds.html');
    const alert = document.querySelector('#pds-alert') as Element;
    renderPicker(fakeStore(), () => alert);
    fireEvent.click(screen.getByTestId('picker-layer'), { clientX: 5, clientY: 5 });
    await screen.findByRole('heading', { name: 'Teach this prompt' });
    fireEvent.change(screen.getByLabelText(/Tool name/), { target: { value: 'Something' } });
    expect(document.querySelector('[data-kind="safety-alert"]')?.textContent).toMatch(/Not saved/);
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('mountPicker', () => {
  it('mounts in an open shadow root and Escape removes everything', async () => {
    loadSim('unknown-prompt.html');
    mountPicker(document, fakeStore(), { isUserEvent: () => true });
    const host = document.querySelector(PICKER_HOST_TAG);
    expect(host?.shadowRoot).toBeInstanceOf(ShadowRoot);
    await waitFor(() =>
      expect(host?.shadowRoot?.querySelector('[data-testid="picker-layer"]')).not.toBeNull(),
    );
    fireEvent.keyDown(document, { key: 'Escape' });
    await waitFor(() => expect(document.querySelector(PICKER_HOST_TAG)).toBeNull());
  });

  it('ignores events a page script makes (untrusted): no click, no Escape reaches it', async () => {
    loadSim('unknown-prompt.html');
    const remove = mountPicker(document, fakeStore());
    const host = document.querySelector(PICKER_HOST_TAG);
    const layer = await waitFor(() => {
      const found = host?.shadowRoot?.querySelector('[data-testid="picker-layer"]');
      expect(found).not.toBeNull();
      return found as HTMLElement;
    });
    fireEvent.click(layer, { clientX: 5, clientY: 5 });
    fireEvent.keyDown(layer, { key: 'Enter' });
    fireEvent.keyDown(document, { key: 'Escape' });
    // Any update those events scheduled is rendered before looking.
    await act(async () => undefined);
    expect(host?.isConnected).toBe(true);
    expect(host?.shadowRoot?.querySelector('[data-testid="picker-layer"]')).not.toBeNull();
    remove();
  });

  it('takes a random name when the page has defined its element name first', async () => {
    loadSim('unknown-prompt.html');
    class PageOwned extends HTMLElement {
      constructor() {
        super();
        this.attachShadow({ mode: 'open' });
      }
    }
    if (!customElements.get(PICKER_HOST_TAG)) customElements.define(PICKER_HOST_TAG, PageOwned);
    const remove = mountPicker(document, fakeStore(), { isUserEvent: () => true });
    const hosts = [...document.querySelectorAll('*')].filter((el) =>
      el.localName.startsWith(`${PICKER_HOST_TAG}-`),
    );
    expect(hosts).toHaveLength(1);
    await waitFor(() =>
      expect(hosts[0]?.shadowRoot?.querySelector('[data-testid="picker-layer"]')).not.toBeNull(),
    );
    remove();
  });
});

it('toolIdFromName', () => {
  expect(toolIdFromName('Formulary Nudge')).toBe('formulary-nudge');
  expect(toolIdFromName('  Éclipse / Live! ')).toBe('eclipse-live');
});
