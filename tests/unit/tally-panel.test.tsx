import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TallyApi } from '../../components/tally/api';
import { TallyPanel } from '../../components/tally/TallyPanel';
import { type Tally, toCsv } from '../../lib/tally';
import { expectVisible } from './visible';

const NOW = () => new Date(2026, 5, 10, 12);

const TALLY: Tally = {
  days: {
    // Outside the 30-day window but still kept: in the CSV, not in the chart or table.
    '2026-04-01': { optimiserx: { prompts: 7, dismissals: 0 } },
    '2026-06-01': { optimiserx: { prompts: 2, dismissals: 1 } },
    '2026-06-10': { optimiserx: { prompts: 1, dismissals: 0 }, scriptswitch: { prompts: 3, dismissals: 2 } },
  },
};

function fakeApi(tally: Tally = TALLY) {
  let stored = tally;
  const api = {
    read: vi.fn(async () => stored),
    clear: vi.fn(async () => {
      stored = { days: {} };
    }),
  } satisfies TallyApi;
  return api;
}

afterEach(() => vi.restoreAllMocks());

describe('TallyPanel', () => {
  it('renders a table row per day and tool with counts, totals and labelled charts', async () => {
    render(<TallyPanel enabled lockedByPolicy={false} retentionDays={90} api={fakeApi()} now={NOW} />);
    const table = await screen.findByRole('table', { name: /prompts and dismissals per day/i });
    const rows = within(table).getAllByTestId('tally-row');
    expect(
      rows.map((r) =>
        within(r)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      ),
    ).toEqual([
      ['10 Jun 2026', 'OptimiseRx', '1', '0'],
      ['10 Jun 2026', 'ScriptSwitch', '3', '2'],
      ['1 Jun 2026', 'OptimiseRx', '2', '1'],
    ]);
    const totals = within(table).getAllByTestId('tally-total');
    expect(totals.map((r) => r.textContent)).toEqual(['Total, OptimiseRx31', 'Total, ScriptSwitch32']);
    expectVisible(
      screen.getByRole('img', { name: /^OptimiseRx: 3 prompts and 1 dismissal in the last 30 days/ }),
    );
    expectVisible(
      screen.getByRole('img', {
        name: 'ScriptSwitch: 3 prompts and 2 dismissals in the last 30 days, most on 10 Jun 2026 (3).',
      }),
    );
    expect(screen.queryByTestId('tally-off')).toBeNull();
  });

  it('downloads a CSV of exactly the stored counts, locally', async () => {
    const blobs: Blob[] = [];
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:tally';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicks: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this);
    });
    const fetchSpy = vi.spyOn(globalThis, 'fetch');

    render(<TallyPanel enabled lockedByPolicy={false} retentionDays={90} api={fakeApi()} now={NOW} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Download CSV' }));

    expect(create).toHaveBeenCalledTimes(1);
    expect(await blobs[0]?.text()).toBe(toCsv(TALLY));
    expect(await blobs[0]?.text()).toContain('2026-04-01,optimiserx,7,0');
    expect(clicks[0]?.download).toBe('mo-prompt-tally-2026-06-10.csv');
    expect(clicks[0]?.getAttribute('href')).toBe('blob:tally');
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(screen.getByRole('status').textContent).toMatch(/Downloaded mo-prompt-tally-2026-06-10\.csv/);
  });

  it('clears only after confirmation', async () => {
    const api = fakeApi();
    render(<TallyPanel enabled lockedByPolicy={false} retentionDays={90} api={api} now={NOW} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Clear tally' }));
    expect(api.clear).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(api.clear).not.toHaveBeenCalled();
    expect(screen.getAllByTestId('tally-row')).toHaveLength(3);

    fireEvent.click(screen.getByRole('button', { name: 'Clear tally' }));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Yes, clear the tally' }));
    });
    expect(api.clear).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.queryAllByTestId('tally-row')).toHaveLength(0));
    expectVisible(screen.getByText(/No prompts counted in the last 30 days/));
    expect(screen.getByRole('status').textContent).toBe('The tally has been cleared.');
    expect((screen.getByRole('button', { name: 'Download CSV' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('says when the tally is switched off, and by whom', async () => {
    const { rerender } = render(
      <TallyPanel enabled={false} lockedByPolicy={false} retentionDays={30} api={fakeApi()} now={NOW} />,
    );
    expect((await screen.findByTestId('tally-off')).textContent).toMatch(
      /^The prompt tally is switched off\. No new/,
    );
    rerender(<TallyPanel enabled={false} lockedByPolicy retentionDays={30} api={fakeApi()} now={NOW} />);
    expect(screen.getByTestId('tally-off').textContent).toMatch(/switched off by your organisation's policy/);
    // Counts kept earlier are still shown and exportable.
    expect(await screen.findAllByTestId('tally-row')).toHaveLength(3);
  });

  it('reads with the retention in force and follows live updates', async () => {
    let push: ((t: Tally) => void) | undefined;
    const api: TallyApi = {
      read: vi.fn(async () => ({ days: {} })),
      clear: vi.fn(async () => undefined),
      watch: (cb) => {
        push = cb;
        return () => {
          push = undefined;
        };
      },
    };
    const { unmount } = render(
      <TallyPanel enabled lockedByPolicy={false} retentionDays={45} api={api} now={NOW} />,
    );
    expectVisible(await screen.findByText(/No prompts counted/));
    expect(api.read).toHaveBeenCalledWith(45);
    act(() => push?.({ days: { '2026-06-09': { scriptswitch: { prompts: 5, dismissals: 0 } } } }));
    expect(within(screen.getByTestId('tally-row')).getAllByRole('cell')[2]?.textContent).toBe('5');
    unmount();
    expect(push).toBeUndefined();
  });

  it('has no axe violations (structure, names, table semantics)', async () => {
    const { container } = render(
      <TallyPanel enabled={false} lockedByPolicy retentionDays={90} api={fakeApi()} now={NOW} />,
    );
    await screen.findAllByTestId('tally-row');
    fireEvent.click(screen.getByRole('button', { name: 'Clear tally' }));
    // Contrast needs real layout: the e2e run covers it.
    const result = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)).toEqual([]);
  });
});
