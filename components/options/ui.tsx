import { createContext, type ReactNode, useContext, useEffect, useRef } from 'react';
import type { SettingsField } from '../../lib/settings/schema';
import type { FieldProblem } from '../../lib/settings/validate';

/** Small shared pieces of the options page, in the NHS design system's shapes. */

export const POLICY_LABEL = "Set by your organisation's policy";

const FIELD_NAMES: Record<SettingsField, string> = {
  allowList: 'Allow-list',
  clinicalHosts: 'Clinical system hosts',
  customSignatures: 'Custom signatures',
  customTools: 'Custom tools',
  banner: 'Banner preferences',
  lmcGuidanceUrl: 'LMC guidance link',
  tally: 'Prompt tally',
};

/** Section heading ids, so the error summary can link each problem to its section. */
export function sectionId(field: string): string {
  const top = field.split('.')[0] ?? field;
  return top in FIELD_NAMES ? `section-${top}` : 'section-import';
}

/** "allowList.0.toolId" → "Allow-list, entry 1: toolId"; the dotted path stays visible too. */
export function describeField(field: string): string {
  const [top, ...rest] = field.split('.');
  const name = FIELD_NAMES[top as SettingsField];
  if (!name) return field;
  const parts = rest.map((p) => (/^\d+$/.test(p) ? `entry ${Number(p) + 1}` : p));
  return parts.length > 0 ? `${name}, ${parts.join(', ')}` : name;
}

export function problemsFor(problems: readonly FieldProblem[], field: SettingsField): FieldProblem[] {
  return problems.filter((p) => p.field === field || p.field.startsWith(`${field}.`));
}

/** The fields whose form values differ from what is saved; each section marks itself. */
export const UnsavedFields = createContext<ReadonlySet<string>>(new Set());

export const UNSAVED_LABEL = 'Unsaved changes';

interface SectionProps {
  field: SettingsField | 'import' | 'policy' | 'signatureSets';
  title: string;
  locked?: boolean;
  children: ReactNode;
  description?: ReactNode;
}

export function Section({ field, title, locked = false, children, description }: SectionProps) {
  const id = `section-${field}`;
  const unsaved = useContext(UnsavedFields).has(field);
  return (
    <section className="mo-section" aria-labelledby={`${id}-title`} id={id} data-locked={locked || undefined}>
      <h2 id={`${id}-title`} className="mo-section__title">
        {title}
      </h2>
      {unsaved ? (
        <p className="mo-unsaved" data-testid="unsaved-note">
          <span className="mo-tag mo-tag--warning">{UNSAVED_LABEL}</span> Not in force until you press{' '}
          <strong>Save settings</strong>.
        </p>
      ) : null}
      {locked ? <LockedNote /> : null}
      {description ? <div className="mo-hint">{description}</div> : null}
      {children}
    </section>
  );
}

export function LockedNote() {
  return (
    <p className="mo-locked" data-testid="locked-note">
      <span className="mo-locked__tag">{POLICY_LABEL}</span> Your practice IT lead manages this setting; it
      cannot be changed here.
    </p>
  );
}

/** A problem's label once ("Allow-list, entry 1, toolId"), its value and its suggested fix, in plain words. */
export function ProblemText({ problem }: { problem: FieldProblem }) {
  const label = describeField(problem.field);
  return (
    <>
      {label}
      {label !== problem.field && !problem.field.startsWith('(') ? (
        <>
          {' '}
          (<code>{problem.field}</code>)
        </>
      ) : null}{' '}
      {problem.reason}
      {problem.value !== undefined ? (
        <>
          {' '}
          — found <code>{problem.value}</code>
        </>
      ) : null}
      {problem.suggestion !== undefined ? (
        <>
          {'. '}
          <strong>
            Did you mean <code>{problem.suggestion}</code>?
          </strong>
        </>
      ) : null}
    </>
  );
}

/** Inline errors for one control, GOV.UK style ("Error:" read out, not shown). */
export function FieldErrors({ id, problems }: { id: string; problems: readonly FieldProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="mo-error-message" id={id}>
      {problems.map((p) => (
        <li key={`${p.field}:${p.reason}`}>
          <span className="mo-visually-hidden">Error: </span>
          <ProblemText problem={p} />
        </li>
      ))}
    </ul>
  );
}

/**
 * The GOV.UK error summary: a labelled alert listing every problem, each linking to its
 * section. It takes focus when it appears (or changes), so a user at the bottom of the
 * page, where the import or save button is, is brought to it.
 */
export function ErrorSummary({ title, problems }: { title: string; problems: readonly FieldProblem[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problems.length > 0) box.current?.focus();
  }, [problems]);
  if (problems.length === 0) return null;
  return (
    <div
      ref={box}
      className="mo-error-summary"
      role="alert"
      aria-labelledby="error-summary-title"
      data-testid="error-summary"
      tabIndex={-1}
    >
      <h2 className="mo-error-summary__title" id="error-summary-title">
        {title}
      </h2>
      <ul className="mo-error-summary__list">
        {problems.map((p) => (
          <li key={`${p.field}:${p.reason}`}>
            <a href={`#${sectionId(p.field)}`}>
              <ProblemText problem={p} />
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
