import { type ReactNode, useId } from 'react';
import type { Settings } from '../../lib/settings/schema';
import type { FieldProblem } from '../../lib/settings/validate';
import { FieldErrors, Section } from './ui';

type Tally = Settings['tally'];

interface Props {
  value: Tally;
  locked: boolean;
  problems: FieldProblem[];
  onChange(next: Tally): void;
  /** The counts themselves (chart, table, CSV), shown under the preferences. */
  children?: ReactNode;
}

/** The local count of prompts seen: counts by tool and day only, kept in this browser. */
export function TallySection({ value, locked, problems, onChange, children }: Props) {
  const id = useId();
  return (
    <Section
      field="tally"
      title="Prompt tally"
      locked={locked}
      description={
        <p>
          A count of prompts seen, by tool and day, kept only in this browser. It never includes patient
          details or page text and is never sent anywhere.
        </p>
      }
    >
      <FieldErrors id={`${id}-errors`} problems={problems} />
      <div className="mo-form-group">
        <div className="mo-checkbox">
          <input
            id={`${id}-enabled`}
            type="checkbox"
            className="mo-checkbox__input"
            checked={value.enabled}
            disabled={locked}
            onChange={(e) => onChange({ ...value, enabled: e.target.checked })}
          />
          <label className="mo-label mo-checkbox__label" htmlFor={`${id}-enabled`}>
            Keep a tally of prompts seen
          </label>
        </div>
      </div>
      <div className="mo-form-group">
        <label className="mo-label" htmlFor={`${id}-days`}>
          Keep counts for this many days
        </label>
        <div className="mo-hint" id={`${id}-days-hint`}>
          Between 1 and 366
        </div>
        <input
          id={`${id}-days`}
          className="mo-input mo-input--short"
          type="number"
          inputMode="numeric"
          min={1}
          max={366}
          aria-describedby={`${id}-days-hint`}
          value={Number.isFinite(value.retentionDays) ? value.retentionDays : ''}
          disabled={locked}
          onChange={(e) =>
            onChange({ ...value, retentionDays: e.target.value === '' ? Number.NaN : Number(e.target.value) })
          }
        />
      </div>
      {children}
    </Section>
  );
}
