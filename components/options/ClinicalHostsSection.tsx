import { useEffect, useId, useState } from 'react';
import { withoutPort } from '../../lib/match-pattern';
import { clinicalHostSchema } from '../../lib/settings/schema';
import type { FieldProblem } from '../../lib/settings/validate';
import type { OptionsApi } from './api';
import { FieldErrors, Section } from './ui';

interface Props {
  hosts: string[];
  /** The hosts as saved: a host in `hosts` but not here waits for "Save settings". */
  savedHosts: readonly string[];
  locked: boolean;
  problems: FieldProblem[];
  onChange(next: string[]): void;
  api: Pick<OptionsApi, 'hostGranted' | 'requestHosts'>;
  /** Bumped by the page when grants may have changed (permission events). */
  grantsVersion: number;
}

/** Live check of a typed pattern: undefined when valid (or still empty). */
export function hostPatternProblem(pattern: string, existing: readonly string[]): string | undefined {
  if (pattern.trim() === '') return undefined;
  const parsed = clinicalHostSchema.safeParse(pattern);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? 'not a match pattern';
  if (existing.includes(parsed.data)) return 'this host is already listed';
  return undefined;
}

type Grants = Record<string, boolean | undefined>;

/**
 * The web clinical systems the extension watches. Each host also needs the browser's
 * permission, which only the user can give (once): "Save settings" asks for the hosts
 * it adds, and a saved host without it has a button here (or in the popup); a policy
 * can name hosts but cannot grant them.
 */
export function ClinicalHostsSection({
  hosts,
  savedHosts,
  locked,
  problems,
  onChange,
  api,
  grantsVersion,
}: Props) {
  const id = useId();
  const [pattern, setPattern] = useState('');
  const [grants, setGrants] = useState<Grants>({});
  const [announce, setAnnounce] = useState('');
  const liveProblem = hostPatternProblem(pattern, hosts);
  const [tried, setTried] = useState(false);

  const origins = [...new Set(hosts.map(withoutPort))];
  const originsKey = origins.join('\n');
  // biome-ignore lint/correctness/useExhaustiveDependencies: originsKey stands for origins; grantsVersion forces a re-read.
  useEffect(() => {
    let cancelled = false;
    void Promise.all(origins.map(async (o) => [o, await api.hostGranted(o)] as const)).then((pairs) => {
      if (!cancelled) setGrants(Object.fromEntries(pairs));
    });
    return () => {
      cancelled = true;
    };
  }, [originsKey, grantsVersion, api]);

  /** Called synchronously in the click handler: the browser's prompt needs the user's gesture. */
  function requestGrant(origin: string): Promise<void> {
    const asked = api.requestHosts([origin]);
    return asked.then((granted) => {
      setGrants((g) => ({ ...g, [origin]: granted }));
      setAnnounce(granted ? `Access granted for ${origin}` : `Access not granted for ${origin}`);
    });
  }

  function add() {
    setTried(true);
    const problem = hostPatternProblem(pattern, hosts);
    if (problem || pattern.trim() === '') return;
    onChange([...hosts, clinicalHostSchema.parse(pattern)]);
    setPattern('');
    setTried(false);
  }

  const inputError = liveProblem ?? (tried && pattern.trim() === '' ? 'enter a match pattern' : undefined);

  return (
    <Section
      field="clinicalHosts"
      title="Clinical system hosts"
      locked={locked}
      description={
        <p>
          The extension only looks at the sites listed here, and only once your browser has given it access to
          each one. Changes to this list apply when you press <strong>Save settings</strong>, which also asks
          your browser for access to the sites you added; a site your organisation's policy lists still needs
          that one-time grant from you.
        </p>
      }
    >
      <FieldErrors id={`${id}-errors`} problems={problems} />
      {hosts.length === 0 ? (
        <p className="mo-empty">No clinical system hosts are listed.</p>
      ) : (
        <ul className="mo-list" data-testid="host-list">
          {hosts.map((host, index) => {
            const origin = withoutPort(host);
            const granted = grants[origin];
            // Asked for by "Save settings": a grant now would let the browser watch a host not yet listed.
            const unsaved = !savedHosts.includes(host);
            return (
              <li key={host} className="mo-list__item" data-host={host}>
                <code>{host}</code>{' '}
                {unsaved ? (
                  <span className="mo-tag mo-tag--warning" data-grant="unsaved">
                    Not saved yet: access is asked for when you save
                  </span>
                ) : granted === undefined ? (
                  <span className="mo-tag">Checking access</span>
                ) : granted ? (
                  <span className="mo-tag mo-tag--green" data-grant="granted">
                    Access granted
                  </span>
                ) : (
                  <span className="mo-tag mo-tag--grey" data-grant="not-granted">
                    Access not granted
                  </span>
                )}
                {granted === false && !unsaved ? (
                  <button
                    type="button"
                    className="mo-button mo-button--secondary mo-button--small"
                    onClick={() => void requestGrant(origin)}
                  >
                    Grant access<span className="mo-visually-hidden"> to {host}</span>
                  </button>
                ) : null}
                {locked ? null : (
                  <button
                    type="button"
                    className="mo-button mo-button--secondary mo-button--small"
                    onClick={() => onChange(hosts.filter((_, i) => i !== index))}
                  >
                    Remove<span className="mo-visually-hidden"> {host}</span>
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <p className="mo-visually-hidden" role="status">
        {announce}
      </p>
      {locked ? null : (
        <div className={`mo-form-group${inputError ? ' mo-form-group--error' : ''}`}>
          <label className="mo-label" htmlFor={`${id}-pattern`}>
            Add a host
          </label>
          <div className="mo-hint" id={`${id}-pattern-hint`}>
            A match pattern, for example <code>https://*.clinical.example.nhs.uk/*</code>
          </div>
          {inputError ? (
            <p className="mo-error-message" id={`${id}-pattern-error`}>
              <span className="mo-visually-hidden">Error: </span>
              {inputError}
            </p>
          ) : null}
          <div className="mo-inline">
            <input
              id={`${id}-pattern`}
              className="mo-input"
              value={pattern}
              spellCheck={false}
              autoComplete="off"
              aria-describedby={`${id}-pattern-hint${inputError ? ` ${id}-pattern-error` : ''}`}
              aria-invalid={inputError ? true : undefined}
              onChange={(e) => setPattern(e.target.value)}
            />
            <button type="button" className="mo-button mo-button--secondary" onClick={add}>
              Add host
            </button>
          </div>
        </div>
      )}
    </Section>
  );
}
