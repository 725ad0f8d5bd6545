import { useId, useState } from 'react';
import { type AllowListEntry, allowListEntrySchema } from '../../lib/settings/schema';
import { describeIssues, type FieldProblem } from '../../lib/settings/validate';
import { FieldErrors, Section } from './ui';

export interface ToolChoice {
  id: string;
  name: string;
  /** Where the tool comes from, shown next to its name. */
  origin: 'built-in' | 'custom';
}

interface Props {
  entries: AllowListEntry[];
  tools: ToolChoice[];
  locked: boolean;
  problems: FieldProblem[];
  onChange(next: AllowListEntry[]): void;
  /** Today as YYYY-MM-DD (a prop so tests are not date-dependent). */
  today: string;
}

/**
 * Tools a locally commissioned service mandates. Listing a tool here makes the
 * extension describe it as mandated, never as a prompt the practice may switch off.
 */
export function AllowListSection({ entries, tools, locked, problems, onChange, today }: Props) {
  const id = useId();
  const [toolId, setToolId] = useState('');
  const [reason, setReason] = useState('');
  const [reference, setReference] = useState('');
  const [reviewBy, setReviewBy] = useState('');
  const [addProblems, setAddProblems] = useState<FieldProblem[]>([]);

  const listed = new Set(entries.map((e) => e.toolId));
  const available = tools.filter((t) => !listed.has(t.id));
  const nameOf = (tid: string) => tools.find((t) => t.id === tid)?.name ?? tid;

  function add() {
    const candidate = {
      toolId,
      ...(reason.trim() ? { reason } : {}),
      ...(reference.trim() ? { reference } : {}),
      ...(reviewBy ? { reviewBy } : {}),
    };
    const parsed = allowListEntrySchema.safeParse(candidate);
    if (!toolId) {
      setAddProblems([
        { field: 'allowList.new.toolId', reason: 'choose the tool your local service requires' },
      ]);
      return;
    }
    if (!parsed.success) {
      setAddProblems(describeIssues(parsed.error, 'allowList.new'));
      return;
    }
    setAddProblems([]);
    onChange([...entries, parsed.data]);
    setToolId('');
    setReason('');
    setReference('');
    setReviewBy('');
  }

  return (
    <Section
      field="allowList"
      title="Allow-list: tools your local service requires"
      locked={locked}
      description={
        <p>
          Add a tool only when a locally commissioned service requires it (for example an ICB enhanced
          service). The extension then shows it as required by your local service, not as a prompt your
          practice may switch off. Record the basis so colleagues can check it.
        </p>
      }
    >
      <FieldErrors id={`${id}-errors`} problems={problems} />
      {entries.length === 0 ? (
        <p className="mo-empty">No tools are on the allow-list.</p>
      ) : (
        <table className="mo-table" data-testid="allow-list">
          <caption className="mo-visually-hidden">Tools on the allow-list</caption>
          <thead>
            <tr>
              <th scope="col">Tool</th>
              <th scope="col">Reason</th>
              <th scope="col">Reference</th>
              <th scope="col">Review by</th>
              {locked ? null : (
                <th scope="col">
                  <span className="mo-visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {entries.map((entry, index) => (
              <tr key={entry.toolId} data-tool-id={entry.toolId}>
                <td>{nameOf(entry.toolId)}</td>
                <td>{entry.reason ?? <span className="mo-muted">Not given</span>}</td>
                <td>{entry.reference ?? <span className="mo-muted">Not given</span>}</td>
                <td>
                  {entry.reviewBy ?? <span className="mo-muted">Not set</span>}
                  {entry.reviewBy && entry.reviewBy < today ? (
                    <strong className="mo-tag mo-tag--warning"> Review date passed</strong>
                  ) : null}
                </td>
                {locked ? null : (
                  <td>
                    <button
                      type="button"
                      className="mo-button mo-button--secondary mo-button--small"
                      onClick={() => onChange(entries.filter((_, i) => i !== index))}
                    >
                      Remove<span className="mo-visually-hidden"> {nameOf(entry.toolId)}</span>
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {locked ? null : (
        <fieldset className="mo-fieldset">
          <legend className="mo-fieldset__legend">Add a tool</legend>
          <FieldErrors id={`${id}-add-errors`} problems={addProblems} />
          <div className="mo-form-group">
            <label className="mo-label" htmlFor={`${id}-tool`}>
              Tool
            </label>
            <select
              id={`${id}-tool`}
              className="mo-select"
              value={toolId}
              onChange={(e) => setToolId(e.target.value)}
              aria-invalid={addProblems.some((p) => p.field.endsWith('toolId')) || undefined}
            >
              <option value="">Choose a tool</option>
              {available.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} ({t.origin === 'built-in' ? 'catalogue' : 'custom'})
                </option>
              ))}
            </select>
          </div>
          <div className="mo-form-group">
            <label className="mo-label" htmlFor={`${id}-reason`}>
              Reason (optional)
            </label>
            <div className="mo-hint" id={`${id}-reason-hint`}>
              For example: Required by the BSol Enhanced Service Offer 2026/27
            </div>
            <input
              id={`${id}-reason`}
              className="mo-input"
              aria-describedby={`${id}-reason-hint`}
              value={reason}
              maxLength={300}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
          <div className="mo-form-group">
            <label className="mo-label" htmlFor={`${id}-reference`}>
              Reference (optional)
            </label>
            <div className="mo-hint" id={`${id}-reference-hint`}>
              A contract or service reference, for example: BSol ESO 2026/27, PCN schedule 3
            </div>
            <input
              id={`${id}-reference`}
              className="mo-input"
              aria-describedby={`${id}-reference-hint`}
              value={reference}
              maxLength={300}
              onChange={(e) => setReference(e.target.value)}
            />
          </div>
          <div className="mo-form-group">
            <label className="mo-label" htmlFor={`${id}-review`}>
              Review by (optional)
            </label>
            <div className="mo-hint" id={`${id}-review-hint`}>
              When to check the service still requires it
            </div>
            <input
              id={`${id}-review`}
              className="mo-input mo-input--short"
              type="date"
              aria-describedby={`${id}-review-hint`}
              value={reviewBy}
              onChange={(e) => setReviewBy(e.target.value)}
            />
          </div>
          <button type="button" className="mo-button mo-button--secondary" onClick={add}>
            Add to allow-list
          </button>
        </fieldset>
      )}
    </Section>
  );
}
