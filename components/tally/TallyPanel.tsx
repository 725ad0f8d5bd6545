import { useEffect, useId, useMemo, useState } from 'react';
import { dayKey, lastNDays, type Tally, toCsv } from '../../lib/tally';
import { createBrowserTallyApi, type TallyApi } from './api';
import { builtInToolName, formatDay } from './format';
import { TallyChart } from './TallyChart';
import { TALLY_CSS } from './tally-styles';

const WINDOW_DAYS = 30;

export interface TallyPanelProps {
  /** `settings.tally.enabled` as in force (policy included). */
  enabled: boolean;
  /** Whether policy set `tally.enabled`. */
  lockedByPolicy: boolean;
  retentionDays: number;
  api?: TallyApi;
  /** Names custom tools too; built-in names otherwise, else the id. */
  toolName?: (toolId: string) => string;
  now?: () => Date;
}

type Status = { kind: 'loading' } | { kind: 'error' } | { kind: 'ready'; tally: Tally };

/** The options page's view of the prompt tally: chart, table, totals, CSV export and clear. */
export function TallyPanel({
  enabled,
  lockedByPolicy,
  retentionDays,
  api: givenApi,
  toolName = builtInToolName,
  now = () => new Date(),
}: TallyPanelProps) {
  const id = useId();
  const api = useMemo(() => givenApi ?? createBrowserTallyApi(), [givenApi]);
  const [status, setStatus] = useState<Status>({ kind: 'loading' });
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState('');
  const today = dayKey(now());

  useEffect(() => {
    let live = true;
    api.read(retentionDays).then(
      (tally) => live && setStatus({ kind: 'ready', tally }),
      () => live && setStatus({ kind: 'error' }),
    );
    const unwatch = api.watch?.((tally) => live && setStatus({ kind: 'ready', tally }));
    return () => {
      live = false;
      unwatch?.();
    };
  }, [api, retentionDays]);

  const tally = status.kind === 'ready' ? status.tally : undefined;
  const series = useMemo(() => (tally ? lastNDays(tally, today, WINDOW_DAYS) : undefined), [tally, today]);
  const storedDays = tally ? Object.keys(tally.days).length : 0;

  function downloadCsv() {
    if (!tally) return;
    const blob = new Blob([toCsv(tally)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `mo-prompt-tally-${today}.csv`;
    document.body.append(link);
    link.click();
    link.remove();
    // Revoked after the click has been handled; the file stays local, nothing is sent.
    setTimeout(() => URL.revokeObjectURL(url), 0);
    setMessage(`Downloaded ${link.download}.`);
  }

  async function clear() {
    setConfirming(false);
    try {
      await api.clear();
      setStatus({ kind: 'ready', tally: { days: {} } });
      setMessage('The tally has been cleared.');
    } catch {
      setMessage('The tally could not be cleared. Try again.');
    }
  }

  const rows =
    series?.days
      .slice()
      .reverse()
      .flatMap((day) =>
        series.tools
          .map((tool) => ({ day, tool, index: series.days.indexOf(day) }))
          .filter(({ tool, index }) => (tool.prompts[index] ?? 0) + (tool.dismissals[index] ?? 0) > 0),
      ) ?? [];

  return (
    <div className="mo-tally" data-testid="tally-panel">
      <style>{TALLY_CSS}</style>
      {enabled ? null : (
        <div className="mo-callout mo-tally__off" data-testid="tally-off">
          <p>
            {lockedByPolicy
              ? "The prompt tally is switched off by your organisation's policy."
              : 'The prompt tally is switched off.'}{' '}
            No new prompts are counted. Counts already kept stay until they are older than {retentionDays}{' '}
            {retentionDays === 1 ? 'day' : 'days'} or you clear them.
          </p>
        </div>
      )}
      <p className="mo-hint">
        Only counts are kept: the date, the tool, how many prompts appeared and how many notes were dismissed.
        No page text, web addresses or patient details, and nothing leaves this browser unless you download
        it.
      </p>

      {status.kind === 'loading' ? <p>Loading the tally…</p> : null}
      {status.kind === 'error' ? <p className="mo-error-message">The tally could not be read.</p> : null}

      {series ? (
        <>
          <h3 className="mo-subheading">Last {WINDOW_DAYS} days</h3>
          {series.tools.length === 0 ? (
            <p className="mo-empty">No prompts counted in the last {WINDOW_DAYS} days.</p>
          ) : (
            <>
              <ul className="mo-tally__totals" aria-label={`Totals for the last ${WINDOW_DAYS} days`}>
                {series.tools.map((tool) => (
                  <li key={tool.toolId}>
                    <strong>{toolName(tool.toolId)}</strong>: {tool.totalPrompts}{' '}
                    {tool.totalPrompts === 1 ? 'prompt' : 'prompts'}, {tool.totalDismissals}{' '}
                    {tool.totalDismissals === 1 ? 'dismissal' : 'dismissals'}
                  </li>
                ))}
              </ul>
              <div className="mo-tally__charts">
                {series.tools.map((tool) => (
                  <TallyChart
                    key={tool.toolId}
                    series={tool}
                    days={series.days}
                    name={toolName(tool.toolId)}
                  />
                ))}
              </div>
              <table className="mo-table mo-tally__table" aria-describedby={`${id}-table-hint`}>
                <caption>
                  Prompts and dismissals per day, last {WINDOW_DAYS} days (days with none are left out)
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Date</th>
                    <th scope="col">Tool</th>
                    <th scope="col">Prompts</th>
                    <th scope="col">Dismissals</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map(({ day, tool, index }) => (
                    <tr key={`${day}:${tool.toolId}`} data-testid="tally-row">
                      <td>
                        <time dateTime={day}>{formatDay(day)}</time>
                      </td>
                      <td>{toolName(tool.toolId)}</td>
                      <td>{tool.prompts[index]}</td>
                      <td>{tool.dismissals[index]}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  {series.tools.map((tool) => (
                    <tr key={tool.toolId} data-testid="tally-total">
                      <th scope="row" colSpan={2}>
                        Total, {toolName(tool.toolId)}
                      </th>
                      <td>{tool.totalPrompts}</td>
                      <td>{tool.totalDismissals}</td>
                    </tr>
                  ))}
                </tfoot>
              </table>
              <p className="mo-visually-hidden" id={`${id}-table-hint`}>
                The same counts as the charts above.
              </p>
            </>
          )}

          <div className="mo-tally__actions">
            <button type="button" className="mo-button" onClick={downloadCsv} disabled={storedDays === 0}>
              Download CSV
            </button>
            {confirming ? null : (
              <button
                type="button"
                className="mo-button mo-button--secondary"
                onClick={() => setConfirming(true)}
                disabled={storedDays === 0}
              >
                Clear tally
              </button>
            )}
          </div>
          <p className="mo-hint">
            The CSV holds every day kept ({storedDays} {storedDays === 1 ? 'day' : 'days'}, up to{' '}
            {retentionDays}
            ): one row per day and tool, with columns date, tool_id, prompts, dismissals.
          </p>
          {confirming ? (
            <fieldset className="mo-callout mo-callout--warning mo-tally__confirm">
              <legend className="mo-tally__legend">
                Clear every count kept in this browser? This cannot be undone; download the CSV first if your
                practice needs it.
              </legend>
              <div className="mo-tally__actions">
                <button type="button" className="mo-button mo-tally__danger" onClick={() => void clear()}>
                  Yes, clear the tally
                </button>
                <button
                  type="button"
                  className="mo-button mo-button--secondary"
                  onClick={() => setConfirming(false)}
                >
                  Cancel
                </button>
              </div>
            </fieldset>
          ) : null}
        </>
      ) : null}
      <p role="status" className="mo-tally__status">
        {message}
      </p>
    </div>
  );
}
