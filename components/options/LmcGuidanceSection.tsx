import { useId } from 'react';
import { settingsSchema } from '../../lib/settings/schema';
import type { FieldProblem } from '../../lib/settings/validate';
import { FieldErrors, Section } from './ui';

interface Props {
  value: string | undefined;
  locked: boolean;
  problems: FieldProblem[];
  onChange(next: string | undefined): void;
}

export function lmcUrlProblem(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = settingsSchema.shape.lmcGuidanceUrl.safeParse(value);
  return parsed.success
    ? undefined
    : 'enter a full https:// address, for example https://www.yourlmc.org.uk/guidance';
}

/** An optional link to the practice's own LMC guidance, shown with the banner. */
export function LmcGuidanceSection({ value, locked, problems, onChange }: Props) {
  const id = useId();
  const live = lmcUrlProblem(value);
  return (
    <Section field="lmcGuidanceUrl" title="Local medical committee (LMC) guidance" locked={locked}>
      <FieldErrors id={`${id}-errors`} problems={problems} />
      <div className={`mo-form-group${live ? ' mo-form-group--error' : ''}`}>
        <label className="mo-label" htmlFor={`${id}-url`}>
          Link to your LMC's guidance (optional)
        </label>
        <div className="mo-hint" id={`${id}-hint`}>
          Shown in the banner and the toolbar pop-up, so colleagues can read your LMC's advice
        </div>
        {live ? (
          <p className="mo-error-message" id={`${id}-error`}>
            <span className="mo-visually-hidden">Error: </span>
            {live}
          </p>
        ) : null}
        <input
          id={`${id}-url`}
          className="mo-input"
          type="url"
          inputMode="url"
          aria-describedby={`${id}-hint${live ? ` ${id}-error` : ''}`}
          aria-invalid={live ? true : undefined}
          value={value ?? ''}
          disabled={locked}
          onChange={(e) => onChange(e.target.value.trim() === '' ? undefined : e.target.value.trim())}
        />
      </div>
    </Section>
  );
}
