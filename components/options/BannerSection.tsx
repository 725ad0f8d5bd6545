import { useId } from 'react';
import type { Settings } from '../../lib/settings/schema';
import type { FieldProblem } from '../../lib/settings/validate';
import { FieldErrors, Section } from './ui';

type Banner = Settings['banner'];

interface Props {
  value: Banner;
  locked: boolean;
  problems: FieldProblem[];
  onChange(next: Banner): void;
}

/** How the advisory banner behaves: always calm, never over the clinical system's controls. */
export function BannerSection({ value, locked, problems, onChange }: Props) {
  const id = useId();
  return (
    <Section field="banner" title="Banner preferences" locked={locked}>
      <FieldErrors id={`${id}-errors`} problems={problems} />
      <div className="mo-form-group">
        <div className="mo-checkbox">
          <input
            id={`${id}-mandated`}
            type="checkbox"
            className="mo-checkbox__input"
            checked={value.showMandatedNote}
            disabled={locked}
            onChange={(e) => onChange({ ...value, showMandatedNote: e.target.checked })}
          />
          <label className="mo-label mo-checkbox__label" htmlFor={`${id}-mandated`}>
            Also show a quiet note for allow-listed tools (required by your local service)
          </label>
        </div>
      </div>
      <div className="mo-form-group">
        <label className="mo-label" htmlFor={`${id}-snooze`}>
          Snooze length, in minutes
        </label>
        <div className="mo-hint" id={`${id}-snooze-hint`}>
          Between 5 and 1440 (one day)
        </div>
        <input
          id={`${id}-snooze`}
          className="mo-input mo-input--short"
          type="number"
          inputMode="numeric"
          min={5}
          max={1440}
          aria-describedby={`${id}-snooze-hint`}
          value={Number.isFinite(value.snoozeMinutes) ? value.snoozeMinutes : ''}
          disabled={locked}
          onChange={(e) =>
            onChange({ ...value, snoozeMinutes: e.target.value === '' ? Number.NaN : Number(e.target.value) })
          }
        />
      </div>
      <fieldset className="mo-fieldset" disabled={locked}>
        <legend className="mo-fieldset__legend">Where the banner sits</legend>
        {(
          [
            ['bottom-right', 'Bottom right'],
            ['bottom-left', 'Bottom left'],
          ] as const
        ).map(([corner, label]) => (
          <div className="mo-radio" key={corner}>
            <input
              id={`${id}-${corner}`}
              type="radio"
              name={`${id}-corner`}
              className="mo-radio__input"
              checked={value.corner === corner}
              onChange={() => onChange({ ...value, corner })}
            />
            <label className="mo-label mo-radio__label" htmlFor={`${id}-${corner}`}>
              {label}
            </label>
          </div>
        ))}
      </fieldset>
    </Section>
  );
}
