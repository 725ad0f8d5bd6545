import type { EffectiveSettings } from '../../lib/settings/policy';
import type { SettingsField } from '../../lib/settings/schema';
import { describeField, POLICY_LABEL, ProblemText, Section } from './ui';

interface Props {
  effective: EffectiveSettings;
  toolName(toolId: string): string;
  /** The IT lead decides that the mandates of a vanished policy no longer apply. */
  onForgetMandates(): void;
  /** The IT lead decides to keep them, as the practice's own allow-list entries. */
  onKeepMandates(): void;
}

function summaryOf(field: SettingsField, effective: EffectiveSettings): string {
  const value: unknown = effective.settings[field];
  if (Array.isArray(value)) return `${value.length} ${value.length === 1 ? 'entry' : 'entries'}`;
  if (typeof value === 'object' && value !== null)
    return Object.entries(value)
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join(', ');
  return String(value);
}

function formatTime(epochMs: number): string {
  return new Date(epochMs).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * Policy diagnostics for practice IT leads: what the organisation's policy set, every
 * value refused or repaired and why (with the closest known id for a mistyped tool),
 * mandates of a policy that can no longer be read, and when policy was last read.
 */
export function PolicySection({ effective, toolName, onForgetMandates, onKeepMandates }: Props) {
  const { locked, policyProblems, unconfirmedMandates, policyReadAt } = effective;
  const nothing = locked.length === 0 && policyProblems.length === 0 && unconfirmedMandates.length === 0;
  return (
    <Section field="policy" title="Policy">
      {nothing ? (
        <p data-testid="policy-none">
          No setting of this extension is managed by your organisation's policy on this browser.
        </p>
      ) : null}
      {locked.length > 0 ? (
        <>
          <p data-testid="policy-notice">
            {POLICY_LABEL}: {locked.map((f) => describeField(f)).join(', ')}. These are shown as your
            organisation set them and cannot be changed here.
          </p>
          <dl className="mo-summary-list" data-testid="policy-values">
            {locked.map((f) => (
              <div key={f} className="mo-summary-list__row">
                <dt>{describeField(f)}</dt>
                <dd>{summaryOf(f, effective)}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}
      {policyProblems.length > 0 ? (
        <div className="mo-callout mo-callout--warning" data-testid="policy-problems">
          <h3 className="mo-callout__title">
            {policyProblems.length === 1
              ? '1 value of the policy was refused or repaired'
              : `${policyProblems.length} values of the policy were refused or repaired`}
          </h3>
          <p>Everything else in the policy applies. Fix these in the policy, then they will apply too:</p>
          <ul>
            {policyProblems.map((p) => (
              <li key={`${p.field}:${p.reason}`} data-field={p.field}>
                <ProblemText problem={p} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {unconfirmedMandates.length > 0 ? (
        <div className="mo-callout mo-callout--warning" data-testid="policy-unconfirmed">
          <h3 className="mo-callout__title">Mandate not confirmed — check with your practice</h3>
          <p>
            The last policy read mandated {unconfirmedMandates.map((m) => toolName(m.toolId)).join(', ')}, but
            no policy sets an allow-list now (it was removed, or could not be read). Until you decide, the
            extension does not suggest switching {unconfirmedMandates.length === 1 ? 'it' : 'them'} off.
          </p>
          <div className="mo-button-group">
            <button type="button" className="mo-button mo-button--secondary" onClick={onKeepMandates}>
              Keep as this practice's allow-list
            </button>
            <button type="button" className="mo-button mo-button--warning" onClick={onForgetMandates}>
              No longer mandated
            </button>
          </div>
        </div>
      ) : null}
      <p className="mo-hint" data-testid="policy-read-at">
        {policyReadAt ? `Policy last read: ${formatTime(policyReadAt)}.` : 'Policy has not been read yet.'}{' '}
        Chrome and Edge show the policy as received at chrome://policy (edge://policy).
      </p>
    </Section>
  );
}
