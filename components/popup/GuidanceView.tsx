import { type GuidanceLink, guidance, NOT_DOCUMENTED, type ToolGuidance } from '../../lib/guidance';
import { ExternalLink } from './ExternalLink';
import { formatDate } from './format';
import { Sources } from './Sources';

const LINK_GROUPS: { kind: GuidanceLink['kind']; heading: string }[] = [
  { kind: 'bma', heading: 'BMA' },
  { kind: 'lmc', heading: 'Local Medical Committees' },
  { kind: 'news', heading: 'News' },
];

/** The campaign steps, per-tool guidance and links. Links only: nothing is fetched. */
export function GuidanceView({ lmcGuidanceUrl }: { lmcGuidanceUrl?: string }) {
  return (
    <div className="guidance">
      <h2 id="guidance" tabIndex={-1}>
        Guidance
      </h2>
      <p className="hint">
        Last reviewed {formatDate(guidance.lastReviewed)}. Links open the source pages in a new tab; the
        extension itself fetches nothing.
      </p>
      <div className="callout">
        <p>{guidance.lmcPosition.text}</p>
      </div>

      <section aria-labelledby="guidance-your-lmc">
        <h3 id="guidance-your-lmc">Your LMC</h3>
        {lmcGuidanceUrl ? (
          <p>
            <ExternalLink href={lmcGuidanceUrl}>Your LMC’s guidance</ExternalLink>, as chosen by your
            practice.
          </p>
        ) : (
          <p>Your practice can add its LMC’s guidance page in Settings, and it will be linked here.</p>
        )}
      </section>

      <section aria-labelledby="guidance-steps">
        <h3 id="guidance-steps">The campaign’s immediate steps</h3>
        <ol className="steps">
          {guidance.steps.map((step) => (
            <li key={step.id} id={`guidance-step-${step.id}`} data-step-id={step.id}>
              <h4>{step.title}</h4>
              <p className="hint">Asked for since {step.since}</p>
              <p>{step.summary}</p>
              {step.points.length > 0 && (
                <ul>
                  {step.points.map((point) => (
                    <li key={point}>{point}</li>
                  ))}
                </ul>
              )}
              {step.exception && (
                <p className="exception">
                  <strong>Exception: </strong>
                  {step.exception}
                </p>
              )}
              <Sources sources={step.sources} lastReviewed={step.lastReviewed} />
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="guidance-tools">
        <h3 id="guidance-tools">The tools this extension recognises</h3>
        {guidance.tools.map((tool) => (
          <ToolGuidanceSection key={tool.toolId} tool={tool} />
        ))}
      </section>

      <section aria-labelledby="guidance-links">
        <h3 id="guidance-links">Read more</h3>
        {LINK_GROUPS.map(({ kind, heading }) => {
          const links = guidance.links.filter((l) => l.kind === kind);
          if (links.length === 0) return null;
          return (
            <div key={kind}>
              <h4>{heading}</h4>
              <ul className="links">
                {links.map((link) => (
                  <li key={link.id} data-link-id={link.id}>
                    <ExternalLink href={link.url}>{link.title}</ExternalLink>
                    <span className="publisher"> ({link.publisher})</span>
                    <br />
                    <span className="hint">{link.about}</span>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </section>
    </div>
  );
}

function ToolGuidanceSection({ tool }: { tool: ToolGuidance }) {
  const headingId = `guidance-${tool.toolId}-heading`;
  return (
    <section
      id={`guidance-${tool.toolId}`}
      className="tool-guidance"
      aria-labelledby={headingId}
      tabIndex={-1}
    >
      <h4 id={headingId}>{tool.name}</h4>
      {tool.whatItIs.map((text) => (
        <p key={text}>{text}</p>
      ))}
      <h5>Switching it off, by clinical system</h5>
      <ul className="systems">
        {tool.systems.map((s) => (
          <li key={s.system} data-system={s.system} data-switch-off={s.switchOff.status}>
            <strong>{s.system}: </strong>
            {s.switchOff.status === 'documented' ? (
              <>
                <ol>
                  {s.switchOff.steps.map((step) => (
                    <li key={step}>{step}</li>
                  ))}
                </ol>
                <Sources sources={s.switchOff.sources} lastReviewed={tool.lastReviewed} />
              </>
            ) : (
              NOT_DOCUMENTED
            )}
            {s.inThePrompt && (
              <p>
                <strong>In the prompt: </strong>
                {s.inThePrompt.text}{' '}
                <span className="hint">
                  (Source:{' '}
                  {s.inThePrompt.sources.map((src, i) => (
                    <span key={src.url}>
                      {i > 0 && ', '}
                      <ExternalLink href={src.url}>{src.publisher}</ExternalLink>
                    </span>
                  ))}
                  )
                </span>
              </p>
            )}
          </li>
        ))}
      </ul>
      <Sources sources={tool.sources} lastReviewed={tool.lastReviewed} />
    </section>
  );
}
