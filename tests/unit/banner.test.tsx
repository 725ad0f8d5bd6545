import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { Banner, bannerHasContent, formatDuration } from '../../components/Banner';
import { BMA_COLLECTIVE_ACTION_URL, guidanceUrlFor } from '../../components/banner/guidance';
import type { BannerView, ToolView } from '../../lib/messages';
import { bannerViewOf, toolView } from '../support/views';
import { expectVisible } from './visible';

function tool(toolId: string, overrides: Partial<ToolView> = {}): ToolView {
  const names: Record<string, [string, string]> = {
    scriptswitch: ['ScriptSwitch', 'Optum Health Solutions (UK)'],
    optimiserx: ['OptimiseRx', 'FDB (First Databank Europe)'],
  };
  const [name, vendor] = names[toolId] ?? [toolId, 'Identified by your practice'];
  return toolView(toolId, { name, vendor, summary: `${name} shows prescribing messages.`, ...overrides });
}

const view = bannerViewOf;

const noop = () => undefined;
const NOW = Date.UTC(2026, 10, 24, 10, 0, 0);

function renderBanner(v: BannerView, props: Partial<Parameters<typeof Banner>[0]> = {}) {
  const onDismiss = vi.fn();
  const onSnooze = vi.fn();
  // Dispatched events are never trusted; the real banner ignores them (see the hostile-banner e2e).
  const utils = render(
    <Banner view={v} now={NOW} onDismiss={onDismiss} onSnooze={onSnooze} trusted={() => true} {...props} />,
  );
  return { ...utils, onDismiss, onSnooze };
}

function listed(container: HTMLElement) {
  return [...container.querySelectorAll('[data-tool-id]')].map((el) => ({
    toolId: el.getAttribute('data-tool-id'),
    verdict: el.getAttribute('data-verdict'),
  }));
}

describe('Banner: what it lists', () => {
  it('is a labelled region with the test hooks, one entry per flagged tool', () => {
    const { container } = renderBanner(view([tool('optimiserx'), tool('scriptswitch')]));
    const region = screen.getByRole('region', {
      name: 'Medicines optimisation prompts: OptimiseRx, ScriptSwitch',
    });
    expect(region.getAttribute('data-testid')).toBe('mo-banner');
    expect(region.getAttribute('role')).toBe('region');
    expect(listed(container)).toEqual([
      { toolId: 'optimiserx', verdict: 'flagged' },
      { toolId: 'scriptswitch', verdict: 'flagged' },
    ]);
    const entry = container.querySelector('[data-tool-id="scriptswitch"]') as HTMLElement;
    expect(entry.textContent).toContain('ScriptSwitch');
    expect(entry.textContent).toContain('Optum Health Solutions (UK)');
    // The vendor's description is left to the popup: the full note stays short enough to fit.
    expect(entry.textContent).not.toContain('ScriptSwitch shows prescribing messages.');
    // Exactly one banner, however many tools.
    expect(container.querySelectorAll('[data-testid="mo-banner"]')).toHaveLength(1);
  });

  it('says what the action is, names the exception and cites a dated source', () => {
    renderBanner(view([tool('scriptswitch')]));
    const text = screen.getByTestId('mo-banner').textContent ?? '';
    expect(text).toContain('non-contractual medicines optimisation software');
    expect(text).toContain("BMA's GP collective action (June 2026 step)");
    expect(text).toContain('switch off or ignore it for new prescriptions');
    expect(text).toContain('locally commissioned service');
    expect(text).toContain('Enhanced Service Offer');
    expect(text).toContain('Source: BMA GP collective action guidance, June 2026; last reviewed 24 Nov 2026');
  });

  it('uses plural wording for several tools', () => {
    renderBanner(view([tool('optimiserx'), tool('scriptswitch')]));
    expect(screen.getByTestId('mo-banner').textContent).toContain('switch off or ignore them');
  });

  it('is advisory: it says "may" and never "must"', () => {
    const { container } = renderBanner(
      view(
        [tool('optimiserx'), tool('scriptswitch', { verdict: 'mandated', mandate: { reason: 'BSol ESO' } })],
        {
          showMandatedNote: true,
          lmcGuidanceUrl: 'https://lmc.example.org/guidance',
        },
      ),
    );
    const text = container.textContent ?? '';
    expect(text).toMatch(/\bmay\b/);
    expect(text).not.toMatch(/\bmust\b/i);
    expect(text).not.toMatch(/\byou have to\b/i);
  });

  it('links each flagged tool to its guidance, in one place', () => {
    renderBanner(view([tool('scriptswitch'), tool('formularynudge', { name: 'Formulary nudge' })]));
    const link = screen.getByRole('link', { name: /Guidance on ScriptSwitch/ });
    expect(link.getAttribute('href')).toBe(guidanceUrlFor('scriptswitch'));
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toContain('noopener');
    // A practice's custom tool gets the general guidance.
    expect(screen.getByRole('link', { name: /Guidance on Formulary nudge/ }).getAttribute('href')).toBe(
      BMA_COLLECTIVE_ACTION_URL,
    );
  });

  it("links the LMC's guidance only when one is set, and only over https", () => {
    const { rerender } = renderBanner(view([tool('scriptswitch')]));
    expect(screen.queryByRole('link', { name: /Your LMC's guidance/ })).toBeNull();
    rerender(
      <Banner
        view={view([tool('scriptswitch')], { lmcGuidanceUrl: 'https://lmc.example.org/mo' })}
        now={NOW}
        onDismiss={noop}
        onSnooze={noop}
      />,
    );
    expect(screen.getByRole('link', { name: /Your LMC's guidance/ }).getAttribute('href')).toBe(
      'https://lmc.example.org/mo',
    );
    rerender(
      <Banner
        view={view([tool('scriptswitch')], { lmcGuidanceUrl: 'javascript:alert(1)' })}
        now={NOW}
        onDismiss={noop}
        onSnooze={noop}
      />,
    );
    expect(screen.queryByRole('link', { name: /Your LMC's guidance/ })).toBeNull();
  });

  it('leaves out tools dismissed on this tab', () => {
    const { container } = renderBanner(view([tool('optimiserx', { dismissed: true }), tool('scriptswitch')]));
    expect(listed(container)).toEqual([{ toolId: 'scriptswitch', verdict: 'flagged' }]);
  });

  it('renders nothing when every tool is dismissed', () => {
    const { container } = renderBanner(view([tool('scriptswitch', { dismissed: true })]));
    expect(container.innerHTML).toBe('');
  });
});

describe('Banner: mandated (allow-listed) tools', () => {
  const mandated = tool('scriptswitch', {
    verdict: 'mandated',
    mandate: { reason: 'Required by the BSol Enhanced Service Offer', reference: 'BSol ESO 2026/27' },
  });

  it('never lists a mandated tool as flagged; with the setting on it is a quiet note', () => {
    const { container } = renderBanner(view([tool('optimiserx'), mandated], { showMandatedNote: true }));
    expect(listed(container)).toEqual([
      { toolId: 'optimiserx', verdict: 'flagged' },
      { toolId: 'scriptswitch', verdict: 'mandated' },
    ]);
    const note = container.querySelector('[data-tool-id="scriptswitch"]') as HTMLElement;
    expect(note.textContent).toBe(
      'ScriptSwitch: mandated by your local service (Required by the BSol Enhanced Service Offer; BSol ESO 2026/27): keep using.',
    );
    // Not in the flagged list, no dismiss button, no "switch off" wording of its own.
    expect(note.closest('.tools')).toBeNull();
    expect(note.className).not.toMatch(/warning|tool\b/);
    expect(within(note).queryByRole('button')).toBeNull();
    expect(note.textContent).not.toMatch(/switch off|ignore/i);
  });

  it('hides mandated tools when the setting is off', () => {
    const { container } = renderBanner(view([tool('optimiserx'), mandated], { showMandatedNote: false }));
    expect(listed(container)).toEqual([{ toolId: 'optimiserx', verdict: 'flagged' }]);
    expect(container.textContent).not.toContain('ScriptSwitch');
  });

  it('renders no banner at all for a page with only mandated tools and the setting off', () => {
    const { container } = renderBanner(view([mandated], { showMandatedNote: false }));
    expect(container.innerHTML).toBe('');
    expect(bannerHasContent(view([mandated]), NOW)).toBe(false);
  });

  it('for mandated tools only, shows a quiet (non-warning) banner without the switch-off text', () => {
    const { container } = renderBanner(view([mandated], { showMandatedNote: true }));
    const region = screen.getByRole('region', { name: 'Required by your local service: ScriptSwitch' });
    expect(region.className).toContain('banner--quiet');
    expect(listed(container)).toEqual([{ toolId: 'scriptswitch', verdict: 'mandated' }]);
    expect(container.textContent).not.toMatch(/switch off|non-contractual/i);
  });

  it('a mandate without reason or reference still reads cleanly', () => {
    const { container } = renderBanner(
      view([tool('optimiserx', { verdict: 'mandated', mandate: {} })], { showMandatedNote: true }),
    );
    expect(container.querySelector('[data-verdict="mandated"]')?.textContent).toBe(
      'OptimiseRx: mandated by your local service: keep using.',
    );
  });
});

describe('Banner: dismiss, snooze, minimise', () => {
  it('dismiss and snooze are native buttons in the tab order, named for what they do', () => {
    renderBanner(
      view([tool('optimiserx'), tool('scriptswitch')], { snoozeMinutes: 60 } as Partial<BannerView>),
      {
        onToggle: noop,
      },
    );
    const buttons = screen.getAllByRole('button');
    for (const button of buttons) {
      // Native <button type="button">: browsers activate it with Enter and Space.
      expect(button.tagName).toBe('BUTTON');
      expect(button.getAttribute('type')).toBe('button');
      expect(button.hasAttribute('disabled')).toBe(false);
      expect(button.getAttribute('tabindex')).toBeNull();
    }
    expectVisible(screen.getByRole('button', { name: 'Dismiss the note about ScriptSwitch' }));
    expectVisible(screen.getByRole('button', { name: 'Dismiss the note about OptimiseRx' }));
    expectVisible(screen.getByRole('button', { name: 'Snooze for 1 hour on every tab' }));
  });

  it('dismiss reports the tool; snooze reports a snooze', () => {
    const { onDismiss, onSnooze } = renderBanner(view([tool('optimiserx'), tool('scriptswitch')]));
    fireEvent.click(screen.getByRole('button', { name: /Dismiss the note about ScriptSwitch/ }));
    expect(onDismiss).toHaveBeenCalledExactlyOnceWith('scriptswitch');
    fireEvent.click(screen.getByRole('button', { name: /Snooze/ }));
    expect(onSnooze).toHaveBeenCalledTimes(1);
    expect(onDismiss).toHaveBeenCalledTimes(1);
  });

  it('says how long a snooze lasts when the view carries it', () => {
    expect(formatDuration(60)).toBe('1 hour');
    expect(formatDuration(120)).toBe('2 hours');
    expect(formatDuration(90)).toBe('90 minutes');
    expect(formatDuration(1)).toBe('1 minute');
    const fromView = renderBanner(view([tool('scriptswitch')], { snoozeMinutes: 45 }));
    expect(screen.getByRole('button', { name: /Snooze/ }).textContent).toContain('Snooze for 45 minutes');
    fromView.unmount();
    renderBanner(view([tool('scriptswitch')], { snoozeMinutes: 45 }), { snoozeMinutes: 30 });
    expect(screen.getByRole('button', { name: /Snooze/ }).textContent).toContain('Snooze for 30 minutes');
  });

  it('renders nothing while snoozed, and again once the snooze has ended', () => {
    const v = view([tool('scriptswitch')], { snoozedUntil: NOW + 60_000 });
    const { container, rerender } = renderBanner(v);
    expect(container.innerHTML).toBe('');
    rerender(<Banner view={v} now={NOW + 60_001} onDismiss={noop} onSnooze={noop} />);
    expectVisible(screen.getByTestId('mo-banner'));
  });

  it('the minimise toggle reports its state with aria-expanded and controls the body', () => {
    const onToggle = vi.fn();
    const { rerender } = renderBanner(view([tool('scriptswitch')]), { onToggle, collapsed: false });
    const toggle = screen.getByRole('button', { name: /Minimise/ });
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const body = document.getElementById(toggle.getAttribute('aria-controls') ?? '');
    expect(body).not.toBeNull();
    fireEvent.click(toggle);
    expect(onToggle).toHaveBeenCalledTimes(1);
    rerender(
      <Banner
        view={view([tool('scriptswitch')])}
        now={NOW}
        onDismiss={noop}
        onSnooze={noop}
        onToggle={onToggle}
        collapsed
      />,
    );
    const collapsed = screen.getByRole('button', { name: /^Show/ });
    expect(collapsed.getAttribute('aria-expanded')).toBe('false');
    expect(screen.getByTestId('mo-banner').getAttribute('data-collapsed')).toBe('true');
    // The heading stays: the one-line bar still names the tool.
    expectVisible(screen.getByRole('region', { name: 'Medicines optimisation prompt: ScriptSwitch' }));
  });

  it('never takes focus: nothing autofocuses and focus stays where it was', () => {
    const input = document.createElement('input');
    document.body.append(input);
    input.focus();
    const { container } = renderBanner(view([tool('optimiserx'), tool('scriptswitch')]), { onToggle: noop });
    expect(document.activeElement).toBe(input);
    expect(container.querySelector('[autofocus]')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /Minimise/ }));
    expect(document.activeElement).toBe(input);
    input.remove();
  });
});
