import { guidanceAnchorFor } from '../../lib/guidance';
import type { ToolView } from '../../lib/messages';
import { formatDate } from './format';

export interface ToolCardProps {
  tool: ToolView;
  onOpenGuidance(anchor: string): void;
}

/** One tool found on the tab: what it is, its verdict, where it is and whether its banner was dismissed. */
export function ToolCard({ tool, onOpenGuidance }: ToolCardProps) {
  const anchor = guidanceAnchorFor(tool.toolId);
  const headingId = `tool-${tool.toolId}-name`;
  const flagged = tool.verdict === 'flagged';
  if (tool.verdict === 'unconfirmed') return <UnconfirmedCard tool={tool} onOpenGuidance={onOpenGuidance} />;
  return (
    <li
      className={`tool-card tool-card--${tool.verdict}`}
      data-tool-id={tool.toolId}
      data-verdict={tool.verdict}
      data-dismissed={tool.dismissed ? 'true' : 'false'}
    >
      <h3 id={headingId}>{tool.name}</h3>
      {tool.vendor && <p className="vendor">{tool.vendor}</p>}
      <p className="tag">
        {flagged ? 'Non-contractual medicines optimisation software' : 'Mandated by your local service'}
      </p>
      {flagged ? (
        <p>
          As part of the BMA’s collective action, your practice may switch this off or ignore it for new
          prescriptions.
        </p>
      ) : (
        <>
          <p>
            Your practice has recorded that a locally commissioned service requires this tool, so the
            extension does not suggest switching it off.
          </p>
          <MandateDetails mandate={tool.mandate} />
        </>
      )}
      <ul className="facts">
        <li data-fact="frame">{whereText(tool)}</li>
        {tool.confidence === 'moderate' && (
          <li data-fact="confidence">Recognised from weaker clues, so it may be something else.</li>
        )}
        {tool.dismissed && <li data-fact="dismissed">Banner dismissed on this tab</li>}
      </ul>
      <p>
        <a
          href={`#${anchor}`}
          onClick={(event) => {
            event.preventDefault();
            onOpenGuidance(anchor);
          }}
        >
          {flagged ? `About ${tool.name} and switching it off` : `About ${tool.name}`}
        </a>
      </p>
    </li>
  );
}

function whereText(tool: ToolView): string {
  if (!tool.inSubFrame) return 'In the page itself';
  return tool.frames > 1 ? `In ${tool.frames} frames, including an embedded frame` : 'In an embedded frame';
}

function MandateDetails({ mandate }: { mandate: ToolView['mandate'] }) {
  if (!mandate || (!mandate.reason && !mandate.reference && !mandate.reviewBy)) return null;
  return (
    <dl className="mandate">
      {mandate.reason && (
        <>
          <dt>Reason</dt>
          <dd>{mandate.reason}</dd>
        </>
      )}
      {mandate.reference && (
        <>
          <dt>Reference</dt>
          <dd>{mandate.reference}</dd>
        </>
      )}
      {mandate.reviewBy && (
        <>
          <dt>Review by</dt>
          <dd>{formatDate(mandate.reviewBy)}</dd>
        </>
      )}
    </dl>
  );
}

/**
 * A tool the last policy seen mandated, while no policy confirms it now (the policy
 * vanished or became unreadable): never "may be switched off" (issue 21).
 */
function UnconfirmedCard({ tool }: ToolCardProps) {
  return (
    <li
      className="tool-card tool-card--unconfirmed"
      data-tool-id={tool.toolId}
      data-verdict="unconfirmed"
      data-dismissed={tool.dismissed ? 'true' : 'false'}
    >
      <h3 id={`tool-${tool.toolId}-name`}>{tool.name}</h3>
      {tool.vendor && <p className="vendor">{tool.vendor}</p>}
      <p className="tag">Mandate not confirmed — check with your practice</p>
      <p>
        Your organisation's policy mandated this tool, but that policy can no longer be read. Until your
        practice IT lead confirms, the extension does not suggest switching it off.
      </p>
      <MandateDetails mandate={tool.mandate} />
      <ul className="facts">
        <li data-fact="frame">{whereText(tool)}</li>
      </ul>
    </li>
  );
}
